/** a plain script or worker (no web framework). */
import type { FrameworkSpec } from './plugin.js';
import { FILE_RE, FUNCTION_RE, match, pythonModule } from './entrypoints.js';

export const none: FrameworkSpec = {
  label: 'None (a plain script or worker)',
  web: false,
  defaultEntrypoint: 'main.py',
  entrypointHelp:
    'a .py file relative to the project such as main.py, a module such as worker.main, ' +
    'or a function such as mytool.cli:main',
  stubPackages: [],
  parseEntrypoint: (raw) => match(FILE_RE)(raw) ?? pythonModule(raw) ?? match(FUNCTION_RE)(raw),
  command: (entry) => {
    if (entry.endsWith('.py')) return ['python', entry];
    if (!entry.includes(':')) return ['python', '-m', entry];
    // A console-script style `module:function` (a [project.scripts] entry): call it, exit with what it returns.
    const [module, fn] = entry.split(':');
    return ['python', '-c', `import sys; from ${module} import ${fn}; sys.exit(${fn}())`];
  },
};
