'use strict';
/**
 * Node 20 compiles the standalone command's bundle (~270 kB) again on every run, ~7 ms of a re-run's ~50
 * (paired; README, Performance). Node 22.1+ keeps compiled code itself (module.enableCompileCache); on older
 * Node this loader does the same for the bundle: V8's code cache, kept beside the bundle in this package's own
 * folder, as Python keeps __pycache__ beside an installed package, never in the user's project. It is written
 * after the first run (with the functions that run compiled), through a rename, so a parallel run never reads
 * half a file; where the folder is read-only there is no cache and no error. V8 rejects a cache made by another
 * V8 or with other flags (it is then written again); the build hash in its name, the bundle's first line, keeps
 * one build's cache from another's.
 */
const { readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { basename, dirname, join } = require('node:path');
const { Script } = require('node:vm');

/**
 * The bundle's import() of a package (scripts/bundle.js routes each here): a script that comes from V8's code
 * cache cannot run an import() of its own on Node 20, which serializes the import callback's per-process id
 * with the code (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). This one is compiled by Node, outside the cache.
 */
const importPackage = (specifier) => import(specifier);

/** Loads a CommonJS bundle as require() would, with its compiled code kept between runs. */
exports.requireCached = function requireCached(filename) {
  const source = readFileSync(filename, 'utf8');
  const build = /^\/\/ build ([0-9a-f]{16})\n/.exec(source)?.[1];
  const cacheFile = build && join(dirname(filename), `.${basename(filename)}.${build}.v8-cache`);
  let cachedData;
  try {
    cachedData = cacheFile ? readFileSync(cacheFile) : undefined;
  } catch {}
  const wrapper = `(function (exports, require, module, __filename, __dirname, importPackage) {${source}\n})`;
  const script = new Script(wrapper, { filename, cachedData });
  const module = { exports: {}, filename };
  script.runInThisContext()(
    module.exports,
    createRequire(filename),
    module,
    filename,
    dirname(filename),
    importPackage,
  );
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once('exit', () => keep(script, cacheFile));
  return module.exports;
};

function keep(script, cacheFile) {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {}
  }
}
