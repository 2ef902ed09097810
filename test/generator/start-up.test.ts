/**
 * Start-up: each front-end is one bundle (scripts/bundle.js), and what a plain run does not use
 * (the --dry-run diff, YAML, execa and the --verify code, the prompts) is loaded only when used.
 * The timing itself is measured by `npm run bench`, never asserted here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { CLI, makeProject, runCli } from '../helpers/project.js';

/** The packages the standalone command imports from node_modules in this run (test/helpers/log-packages.mjs). */
async function importedPackages(cwd: string, args: string[]): Promise<string[]> {
  const hook = join(repoRoot, 'test', 'helpers', 'log-packages.mjs');
  const run = await execa('node', ['--import', hook, CLI, ...args], { cwd, reject: false, stdin: 'ignore' });
  expect(run.exitCode, run.stderr).toBe(0);
  return [...new Set([...run.stderr.matchAll(/^python-docker-import (\S+)$/gm)].map((m) => m[1]))].sort();
}

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

const LAZY = ['diff', 'yaml', 'execa', '@inquirer/core', '@inquirer/prompts'];

describe('start-up', () => {
  it('the standalone command runs one bundle, which holds our code and no module of dist/lib', () => {
    expect(readFileSync(join(repoRoot, 'bin', 'python-docker.js'), 'utf8')).toContain(
      "import('../dist/python-docker.js')",
    );
    const graph = staticGraph(join(repoRoot, 'dist', 'python-docker.js'));
    expect([...graph].filter((f) => f.includes(`${join('dist', 'lib')}/`))).toEqual([]);
    expect([...graph].some((f) => readFileSync(f, 'utf8').includes('function prepareRun('))).toBe(true);
  });

  it('a run loads no diff, YAML, execa, prompt or --verify code until it needs them', () => {
    const graph = staticGraph(join(repoRoot, 'dist', 'python-docker.js'));
    const bundled = packagesIn(graph);
    expect(bundled).toContain('ejs'); // the check itself: the packages a run does load are seen
    for (const name of LAZY) expect(bundled).not.toContain(name);
    expect([...graph].some((f) => readFileSync(f, 'utf8').includes('function verifyImage('))).toBe(false);
  });

  it("the # syntax= probe's chunk loads no execa nor --verify code: only the CLI's path (its fallback) does", () => {
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

  it('the generator is bundled where yeoman-environment looks, with Yeoman itself left to yo', () => {
    const generator = join(repoRoot, 'dist', 'generators', 'app', 'index.js');
    expect(existsSync(generator)).toBe(true);
    const graph = staticGraph(generator);
    expect(readFileSync(generator, 'utf8')).toMatch(/^import \w+ from "yeoman-generator";$/m);
    for (const name of LAZY) expect(packagesIn(graph)).not.toContain(name);
  });
});
