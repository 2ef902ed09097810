/** Streamlit: a script run by `streamlit run`, with its own health endpoint. */
import { FILE_RE, match } from './entrypoints.js';
import type { FrameworkPlugin } from './plugin.js';

export const streamlit: FrameworkPlugin = {
  id: 'streamlit',
  label: 'Streamlit',
  packages: ['streamlit'],
  web: true,
  defaultPort: 8501,
  defaultEntrypoint: 'app.py',
  entrypointShape: 'file.py',
  entrypointHelp: 'a .py file relative to the project such as app.py or src/dashboard.py',
  stubPackages: ['streamlit'],
  healthPath: '/_stcore/health',
  parseEntrypoint: match(FILE_RE),
  findEntrypoint(tree) {
    const importsStreamlit = /^[ \t]*(?:import[ \t]+streamlit|from[ \t]+streamlit[ \t]+import)/m;
    const preferred = ['streamlit_app.py', 'app.py', 'main.py', 'Home.py', 'home.py', 'dashboard.py'];
    const files = [...preferred.filter((f) => tree.has(f)), ...tree.pythonFilesIn('', 'src', 'app')];
    for (const file of files) {
      if (importsStreamlit.test(tree.read(file) ?? ''))
        return { entrypoint: file, source: `${file} imports streamlit` };
    }
    return undefined;
  },
  cli: [
    { name: 'streamlit', subcommand: 'run', valueOptions: ['--server.port', '--server.address', '--server.headless'] },
  ],
  servers: ['streamlit'],
  configuredPort(tree) {
    const port = tree.toml('.streamlit/config.toml')?.server?.port;
    return port === undefined ? undefined : { port, source: '.streamlit/config.toml' };
  },
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
