/** A plain script or worker (no web framework): what a project with dependencies but no framework gets. */
import { FILE_RE, FUNCTION_RE, match, pythonModule } from './entrypoints.js';
import { moduleOf, packages } from './finders.js';
import type { FrameworkPlugin } from './plugin.js';

export const none: FrameworkPlugin = {
  id: 'none',
  label: 'None (a plain script or worker)',
  packages: [],
  web: false,
  defaultEntrypoint: 'main.py',
  entrypointShape: 'file.py',
  entrypointHelp:
    'a .py file relative to the project such as main.py, a module such as worker.main, ' +
    'or a function such as mytool.cli:main',
  stubPackages: [],
  parseEntrypoint: (raw) => match(FILE_RE)(raw) ?? pythonModule(raw) ?? match(FUNCTION_RE)(raw),
  findEntrypoint(tree) {
    for (const name of ['main.py', 'worker.py', 'app.py', 'run.py', 'bot.py', 'cli.py', '__main__.py']) {
      if (tree.has(name)) return { entrypoint: name, source: name };
    }
    for (const dir of packages(tree)) {
      if (tree.has(`${dir}/__main__.py`)) return { entrypoint: moduleOf(tree, dir), source: `${dir}/__main__.py` };
    }
    const scripts = Object.entries(tree.toml('pyproject.toml')?.project?.scripts ?? {});
    if (scripts.length === 1 && typeof scripts[0][1] === 'string' && /^[\w.]+:\w+$/.test(scripts[0][1])) {
      return { entrypoint: scripts[0][1], source: `[project.scripts] ${scripts[0][0]}` };
    }
    return undefined;
  },
  servers: ['python'],
  command: (entry) => {
    if (entry.endsWith('.py')) return ['python', entry];
    if (!entry.includes(':')) return ['python', '-m', entry];
    // A console-script style `module:function` (a [project.scripts] entry): call it, exit with what it returns.
    const [module, fn] = entry.split(':');
    return ['python', '-c', `import sys; from ${module} import ${fn}; sys.exit(${fn}())`];
  },
};
