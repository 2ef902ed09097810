// Loaded with `node --import`: prints each package a process loads to stderr, one
// `python-docker-import <name>` line each: bare specifiers as Node's ES module loader resolves them,
// and, at exit, the CommonJS packages in require()'s cache (lib/lazy-dependencies.ts loads those); and
// Node's own public modules the process loaded, one `python-docker-builtin <name>` line each.
import { createRequire, register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (/^[^./]/.test(specifier) && !/^(node|file|data):/.test(specifier)) console.error('python-docker-import ' + specifier);
  return next(specifier, context);
}`)}`,
);

const { cache } = createRequire(import.meta.url);
process.on('exit', () => {
  for (const file of Object.keys(cache)) {
    const name = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
    if (name) console.error(`python-docker-import ${name}`);
  }
  for (const entry of process.moduleLoadList) {
    const builtin = /^NativeModule ([^/]+)$/.exec(entry)?.[1];
    if (builtin) console.error(`python-docker-builtin ${builtin}`);
  }
});
