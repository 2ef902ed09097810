// Loaded with `node --import`: prints each package a process imports (bare specifiers, as resolved by
// Node's ES module loader) to stderr, one `python-docker-import <name>` line each.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (/^[^./]/.test(specifier) && !/^(node|file|data):/.test(specifier)) console.error('python-docker-import ' + specifier);
  return next(specifier, context);
}`)}`,
);
