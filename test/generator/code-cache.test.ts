/**
 * bin/code-cache.js: on Node 20 the standalone command keeps V8's compiled code for its bundle between runs,
 * beside the bundle (Node 22.1+ keeps its own). Each test runs a copy of the package, its bin/ and dist/ bundle
 * with links to the rest, through the loader itself, so it runs the same on every Node line CI tests.
 * The time it saves is measured by `npm run bench`, never asserted here.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject } from '../helpers/project.js';

const APP = { 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n', 'requirements.txt': 'fastapi\nuvicorn\n' };

/** A copy of the package: bin/ and the bundles copied (the cache is written beside them), the rest linked. */
function packageCopy(): { root: string; dist: string } {
  const root = mkdtempSync(join(tmpdir(), 'code-cache-'));
  cpSync(join(repoRoot, 'bin'), join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  for (const file of ['python-docker.cjs', 'templates.cjs'])
    cpSync(join(repoRoot, 'dist', file), join(root, 'dist', file));
  for (const name of ['package.json', 'templates', 'node_modules']) symlinkSync(join(repoRoot, name), join(root, name));
  return { root, dist: join(root, 'dist') };
}

/** The command, loaded through bin/code-cache.js whatever this Node has. */
function runCached(root: string, cwd: string, args: string[]) {
  const load = `require(${JSON.stringify(join(root, 'bin', 'code-cache.js'))}).requireCached(${JSON.stringify(
    join(root, 'dist', 'python-docker.cjs'),
  )}).main()`;
  // -e puts "[eval]" in argv[1]; the command reads its arguments from argv[2] on.
  return execa('node', ['-e', load, '--', ...args], { cwd, reject: false, stdin: 'ignore' });
}

const caches = (dist: string) => readdirSync(dist).filter((name) => name.endsWith('.v8-cache'));
const buildOf = (dist: string) =>
  /^\/\/ build ([0-9a-f]{16})\n/.exec(readFileSync(join(dist, 'python-docker.cjs'), 'utf8'))?.[1];

describe('the code cache', () => {
  it('is written beside the bundle after the first run, named by its build, taken as it is by the next', async () => {
    const { root, dist } = packageCopy();
    const project = makeProject(APP);
    expect((await runCached(root, project, ['--yes'])).exitCode).toBe(0);
    expect(caches(dist)).toEqual([`.python-docker.cjs.${buildOf(dist)}.v8-cache`]);
    const written = statSync(join(dist, caches(dist)[0]!));
    const rerun = await runCached(root, project, ['--yes']);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('unchanged Dockerfile');
    // V8 took it: a rejected cache would have been written again (a new file, renamed over the old one).
    expect(statSync(join(dist, caches(dist)[0]!)).ino).toBe(written.ino);
    expect(readdirSync(project).filter((name) => name.includes('cache'))).toEqual([]);
  });

  it("from the cache, the bundle still imports packages (the --dry-run diff): Node 20 drops a cached script's own import()", async () => {
    const { root, dist } = packageCopy();
    const project = makeProject(APP);
    expect((await runCached(root, project, ['--yes'])).exitCode).toBe(0);
    expect(caches(dist)).toHaveLength(1);
    const dry = await runCached(root, project, ['--yes', '--dry-run', '--port', '9000']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+EXPOSE 9000');
  });

  it("a rebuilt bundle does not take the earlier build's cache, even at the same length (all V8 compares)", async () => {
    const { root, dist } = packageCopy();
    const project = makeProject(APP);
    expect((await runCached(root, project, ['--yes'])).exitCode).toBe(0);
    const bundle = join(dist, 'python-docker.cjs');
    const source = readFileSync(bundle, 'utf8');
    expect(source).toContain('"Answers:"');
    // Another build: a new build line and one word changed, the length kept.
    writeFileSync(
      bundle,
      source.replace(/^\/\/ build [0-9a-f]{16}/, '// build 0123456789abcdef').replace('"Answers:"', '"ANSWERS:"'),
    );
    const rerun = await runCached(root, project, ['--yes']);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/^ANSWERS:$/m);
    expect(caches(dist)).toHaveLength(2);
  });

  it('a cache that can be neither read nor written is no error', async () => {
    const { root, dist } = packageCopy();
    const project = makeProject(APP);
    // Where the cache would be, a folder: it cannot be read as a file nor renamed over.
    mkdirSync(join(dist, `.python-docker.cjs.${buildOf(dist)}.v8-cache`));
    const run = await runCached(root, project, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(statSync(join(dist, `.python-docker.cjs.${buildOf(dist)}.v8-cache`)).isDirectory()).toBe(true);
    expect(readdirSync(dist).filter((name) => /\.\d+$/.test(name))).toEqual([]); // no partial file left
  });

  it('bin/python-docker.js keeps it only where Node keeps no compile cache of its own (Node 22.1+ does)', async () => {
    const { root, dist } = packageCopy();
    const run = await execa('node', [join(root, 'bin', 'python-docker.js'), '--yes'], {
      cwd: makeProject(APP),
      reject: false,
      stdin: 'ignore',
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(caches(dist)).toHaveLength('enableCompileCache' in nodeModule ? 0 : 1);
  });
});
