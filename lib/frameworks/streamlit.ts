/** Streamlit. */
import type { FrameworkSpec } from './plugin.js';
import { FILE_RE, match } from './entrypoints.js';

export const streamlit: FrameworkSpec = {
  label: 'Streamlit',
  web: true,
  defaultPort: 8501,
  defaultEntrypoint: 'app.py',
  entrypointHelp: 'a .py file relative to the project such as app.py or src/dashboard.py',
  stubPackages: ['streamlit'],
  healthPath: '/_stcore/health',
  parseEntrypoint: match(FILE_RE),
  command: (entry, port) => [
    'streamlit',
    'run',
    entry,
    '--server.port',
    String(port),
    '--server.address',
    '0.0.0.0',
    '--server.headless',
    'true',
  ],
};
