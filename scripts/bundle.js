#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles each front-end into one ES module, so a run loads one file
// of ours instead of some forty (measured: the standalone command's start-up went from 2.2–3.4× to
// 1.3–2.2× a bare `node -e 0`, paired under the same load; README, Performance). What a run may not need
// stays behind its dynamic import: the --verify code in a chunk of its own under dist/chunks/, and the diff
// for --dry-run, YAML, execa and the prompts in node_modules, loaded only when used.
//   dist/python-docker.js           the standalone command (bin/python-docker.js imports it)
//   dist/generators/app/index.js    the Yeoman generator, where yeoman-environment looks (replaces tsc's)
// tsc's dist/lib/ stays for the scripts and tests that import single modules.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

// Chunk names carry a hash: an earlier build's would be left over (and published).
rmSync(new URL('dist/chunks', new URL('..', import.meta.url)), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { 'python-docker': 'lib/cli.ts', 'generators/app/index': 'generators/app/index.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  tsconfig: 'tsconfig.json',
  // Yeoman loads the generator with its own yeoman-generator; a second copy would not be the class it expects.
  // What only some runs use stays in node_modules (the package's dependencies), imported by Node when used:
  // bundled, a CommonJS one (yaml) would lose its named exports behind the dynamic import.
  // lib/lazy-dependencies.ts loads the rest at first use, so a run that needs none of them never parses them.
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
  // The CommonJS dependencies (ejs, ignore) call require(): an ES module has none of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
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
