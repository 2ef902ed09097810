#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles each front-end, so a run loads one file of ours instead of some
// forty (measured: the standalone command's start-up went from 2.2–3.4× to 1.3–2.2× a bare `node -e 0`, paired
// under the same load; README, Performance). What a run may not need stays in node_modules, loaded when used:
// the diff for --dry-run, YAML, execa and the prompts by import(), the packages of lib/lazy-dependencies.ts
// by require().
//   dist/python-docker.cjs          the standalone command, CommonJS (bin/python-docker.js requires it)
//   dist/generators/app/index.js    the Yeoman generator, an ES module where yeoman-environment looks
//                                   (replaces tsc's), its --verify code in a chunk under dist/chunks/
// tsc's dist/lib/ stays for the scripts and tests that import single modules.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

// Chunk names carry a hash: an earlier build's would be left over (and published).
rmSync(new URL('dist/chunks', new URL('..', import.meta.url)), { recursive: true, force: true });
rmSync(join(root, 'dist', 'python-docker.js'), { force: true }); // the ES module of earlier builds

const common = {
  absWorkingDir: root,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  tsconfig: 'tsconfig.json',
  // Yeoman loads the generator with its own yeoman-generator; a second copy would not be the class it expects.
  // The rest are the package's dependencies, loaded from node_modules when a run uses them.
  external: [
    'yeoman-generator',
    'yaml',
    'diff',
    'execa',
    '@inquirer/prompts',
    'smol-toml',
    'node-diff3',
    'ejs',
    'ignore',
    '@balena/dockerignore',
  ],
  logLevel: 'warning',
};

const cjsBanner = [
  '"use strict";',
  "const __moduleUrl = require('node:url').pathToFileURL(__filename).href;",
  'const __importPackage = typeof importPackage === "function" ? importPackage : (specifier) => import(specifier);',
];

// CommonJS: Node's ES module loader costs a run ~6 ms more (measured, README, Performance). The --verify code
// is in the same file, parsed but not run until used; execa, an ES module only, comes by import().
await build({
  ...common,
  entryPoints: { 'python-docker': 'lib/cli.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__moduleUrl' },
  // Strict as the ES modules it is made from: esbuild's own "use strict" would come after the banner's lines,
  // where it is no longer a directive.
  banner: { js: cjsBanner.join('\n') },
});

// On Node 20, bin/code-cache.js runs the bundle from V8's code cache, where an import() of the bundle's own
// cannot run: each import() of a package goes through __importPackage, which that loader passes in (plain
// require(), on Node 22.1+, leaves the banner's own). The first line names the build, which keys the cache.
const bundle = join(root, 'dist', 'python-docker.cjs');
const bundled = readFileSync(bundle, 'utf8').replace(/\bimport\(("[^"]+")\)/g, '__importPackage($1)');
const stray = bundled
  .split('\n')
  .slice(cjsBanner.length)
  .find((line) => /\bimport\(/.test(line));
if (stray) throw new Error(`scripts/bundle.js: an import() not routed through __importPackage: ${stray.trim()}`);
const buildHash = createHash('sha256').update(bundled).digest('hex').slice(0, 16);
writeFileSync(bundle, `// build ${buildHash}\n${bundled}`);
for (const name of readdirSync(join(root, 'dist'))) {
  if (name.endsWith('.v8-cache')) rmSync(join(root, 'dist', name), { force: true });
}

await build({
  ...common,
  entryPoints: { 'generators/app/index': 'generators/app/index.ts' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
});

// The templates, compiled by ejs here rather than on every run (lib/templates.ts; a tenth of a re-run's time),
// each with its text: a template edited since the build no longer matches and is compiled at run time.
const templates = join(root, 'templates');
const compiled = readdirSync(templates, { recursive: true })
  .filter((name) => name.endsWith('.ejs'))
  .sort()
  .map((name) => {
    const source = readFileSync(join(templates, name), 'utf8');
    // Docker files are not HTML: no entity escaping (the run passes String as the escape function).
    const render = ejs.compile(source, {
      client: true,
      compileDebug: false,
      escape: function plain(value) {
        return String(value);
      },
    });
    return `  ${JSON.stringify(name)}: {\n    source: ${JSON.stringify(source)},\n    render: ${render.toString()},\n  },`;
  });
writeFileSync(join(root, 'dist', 'templates.cjs'), `module.exports = {\n${compiled.join('\n')}\n};\n`);
