/**
 * Start-up: each front-end is one bundle (scripts/bundle.js; the standalone command's is CommonJS), and
 * what a plain run does not use (the --dry-run diff, YAML, execa and the --verify code, the prompts; the
 * TOML parser, the 3-way merge, ejs and the ignore-rule matchers of lib/lazy-dependencies.ts) is loaded
 * only when used.
 * The timing itself is measured by `npm run bench`, never asserted here.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { CLI, makeProject, runCli } from '../helpers/project.js';

/** What the standalone command loads in this run (test/helpers/log-packages.mjs): packages, or Node's modules. */
async function loaded(cwd: string, args: string[], kind: 'import' | 'builtin', env = {}): Promise<string[]> {
  const hook = join(repoRoot, 'test', 'helpers', 'log-packages.mjs');
  const run = await execa('node', ['--import', hook, CLI, ...args], { cwd, reject: false, stdin: 'ignore', env });
  expect(run.exitCode, run.stderr).toBe(0);
  const lines = run.stderr.matchAll(new RegExp(`^python-docker-${kind} (\\S+)$`, 'gm'));
  return [...new Set([...lines].map((m) => m[1]))].sort();
}

/** The packages the standalone command imports from node_modules in this run. */
const importedPackages = (cwd: string, args: string[]) => loaded(cwd, args, 'import');

/** The files a module loads before it runs: itself and its static imports, transitively. */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const m of source.matchAll(/^(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"|^import\s*"(\.[^"]+)"/gm)) {
    staticGraph(resolve(dirname(file), m[1] ?? m[2]), seen);
  }
  return seen;
}

/**
 * The packages these files load before they run: bundled into them (esbuild names each module's path in a
 * comment) or imported statically from node_modules.
 */
function packagesIn(files: Set<string>): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\/\/ .*node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) names.add(m[1]);
    for (const m of source.matchAll(/^(?:import|export)\s[^;]*?from\s*"([^.][^"]*)"|^import\s*"([^.][^"]*)"/gm)) {
      names.add((m[1] ?? m[2]).replace(/^((?:@[^/]+\/)?[^/]+).*$/, '$1'));
    }
  }
  return names;
}

const LAZY = [
  'diff',
  'yaml',
  'execa',
  '@inquirer/core',
  '@inquirer/prompts',
  // lib/lazy-dependencies.ts
  'smol-toml',
  'node-diff3',
  'ejs',
  'ignore',
  '@balena/dockerignore',
];

describe('start-up', () => {
  it('the standalone command runs one CommonJS bundle, which holds our code and no module of dist/lib', () => {
    expect(readFileSync(join(repoRoot, 'bin', 'python-docker.js'), 'utf8')).toContain(
      "require('../dist/python-docker.cjs')",
    );
    const bundle = readFileSync(join(repoRoot, 'dist', 'python-docker.cjs'), 'utf8');
    expect(bundle).toContain('function prepareRun(');
    expect(bundle).not.toMatch(/\brequire\("\.{1,2}\//);
  });

  it('the bundle runs in strict mode, as the ES modules it is made from (a banner line before "use strict" undoes it)', () => {
    const bundle = join(repoRoot, 'dist', 'python-docker.cjs');
    // The bundle's body with one line added at its end: a plain function's `this` is undefined only where strict.
    const wrapper = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}
return (function () { return this; })() === undefined;
})`;
    const strict = new Script(wrapper, { filename: bundle }).runInThisContext()(
      {},
      createRequire(bundle),
      { exports: {} },
      bundle,
      join(repoRoot, 'dist'),
    );
    expect(strict).toBe(true);
  });

  it('a run loads no diff, YAML, TOML, merge, ejs, ignore rules, execa or prompt code until it needs them', () => {
    const bundle = readFileSync(join(repoRoot, 'dist', 'python-docker.cjs'), 'utf8');
    const bundled = new Set([...bundle.matchAll(/^\/\/ .*node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]));
    const required = new Set(
      [...bundle.matchAll(/\brequire\("([^".][^"]*)"\)/g)].map((m) => m[1]!.replace(/^((?:@[^/]+\/)?[^/]+).*$/, '$1')),
    );
    expect(required).toContain('node:fs'); // the check itself: what a run does load is seen
    for (const name of LAZY) {
      expect(bundled, name).not.toContain(name);
      expect(required, name).not.toContain(name);
    }
  });

  it("the generator's # syntax= probe chunk loads no execa nor --verify code: only the CLI's path (its fallback) does", () => {
    const chunks = join(repoRoot, 'dist', 'chunks');
    const probe = readdirSync(chunks).filter((f) => /^frontend-.*\.js$/.test(f));
    expect(probe).toHaveLength(1);
    const graph = staticGraph(join(chunks, probe[0]));
    expect(readFileSync(join(chunks, probe[0]), 'utf8')).toContain('import("execa")');
    expect(packagesIn(graph)).not.toContain('execa');
    expect([...graph].some((f) => readFileSync(f, 'utf8').includes('function frontendUnreachable('))).toBe(false);
  });

  it('a re-run and a --dry-run with nothing to change import no package; a --dry-run with a change, the diff', async () => {
    const dir = makeProject({
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      'requirements.txt': 'fastapi\nuvicorn\n',
    });
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    expect(await importedPackages(dir, ['--yes'])).toEqual([]);
    expect(await importedPackages(dir, ['--yes', '--dry-run'])).toEqual([]);
    expect(await importedPackages(dir, ['--yes', '--dry-run', '--port', '9000'])).toEqual(['diff']);
  });

  it("the host-port check binds without loading Node's cluster module (nor child_process, dgram)", async () => {
    const dir = makeProject({ 'main.py': 'import time\n' });
    const check = { PYTHON_DOCKER_HOST_PORT_CHECK: '' };
    const builtins = await loaded(dir, ['--yes', '--framework', 'fastapi', '--port', '8000'], 'builtin', check);
    expect(builtins).not.toContain('cluster');
    expect(builtins).not.toContain('child_process');
  });

  it('each lazily loaded package comes when the project needs it', async () => {
    const dir = makeProject({
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      '.gitignore': '*.pyc\nscratch/\n',
      'scratch/try.py': 'import os\n',
      'pyproject.toml': '[project]\nname = "shop"\nversion = "1"\ndependencies = ["fastapi", "uvicorn"]\n',
    });
    expect(await importedPackages(dir, ['--yes'])).toEqual(['ignore', 'smol-toml']);
    const [first, ...rest] = readFileSync(join(dir, 'Dockerfile'), 'utf8').split('\n');
    writeFileSync(join(dir, 'Dockerfile'), [first, '# mine', ...rest].join('\n'));
    expect(await importedPackages(dir, ['--yes', '--reconfigure', '--port', '8080'])).toContain('node-diff3');
  });

  it('the generator is bundled where yeoman-environment looks, with Yeoman itself left to yo', () => {
    const generator = join(repoRoot, 'dist', 'generators', 'app', 'index.js');
    expect(existsSync(generator)).toBe(true);
    const graph = staticGraph(generator);
    expect(readFileSync(generator, 'utf8')).toMatch(/^import \w+ from "yeoman-generator";$/m);
    for (const name of LAZY) expect(packagesIn(graph)).not.toContain(name);
  });
});
