/** Gradio: a script that builds an Interface or Blocks and calls .launch(); the address comes from the environment. */
import { FILE_RE, match } from './entrypoints.js';
import type { FrameworkPlugin } from './plugin.js';

export const gradio: FrameworkPlugin = {
  id: 'gradio',
  label: 'Gradio',
  packages: ['gradio'],
  web: true,
  defaultPort: 7860,
  defaultEntrypoint: 'app.py',
  entrypointShape: 'file.py',
  entrypointHelp: 'a .py file relative to the project that calls .launch(), such as app.py',
  stubPackages: ['gradio'],
  healthPath: '/',
  parseEntrypoint: match(FILE_RE),
  findEntrypoint(tree) {
    const importsGradio = /^[ \t]*(?:import[ \t]+gradio|from[ \t]+gradio[ \t]+import)/m;
    // app.py first: Hugging Face Spaces run that file.
    const preferred = ['app.py', 'main.py', 'demo.py', 'run.py'];
    const files = [...preferred.filter((f) => tree.has(f)), ...tree.pythonFilesIn('', 'src', 'app')];
    for (const file of files) {
      const text = tree.read(file) ?? '';
      if (importsGradio.test(text) && /\.launch[ \t]*\(/.test(text))
        return { entrypoint: file, source: `${file} imports gradio and calls .launch()` };
    }
    return undefined;
  },
  servers: ['python'],
  // launch() binds 127.0.0.1:7860 unless told otherwise: all interfaces (so `docker run -p` reaches it) and the
  // exposed port, the variables Gradio's Docker guide sets.
  environment: (port) => ({ GRADIO_SERVER_NAME: '0.0.0.0', GRADIO_SERVER_PORT: String(port) }),
  command: (entry) => ['python', entry],
};
