/**
 * The `# syntax=` line: Docker is asked whether it can fetch the frontend (a stand-in
 * `docker` here); offline, the run says so in one line and drops the line with --yes,
 * keeps it (and "Next:" says to drop it) with nobody to ask; --syntax-line=no drops it up front.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { probeFrontend } from '../../lib/verify/frontend.js';
import { CLI, makeProject, readTree } from '../helpers/project.js';

const APP = { 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' };
const OFFLINE =
  'ERROR: failed to solve: failed to resolve source metadata for docker.io/docker/dockerfile:1: failed to do request: Head "https://registry-1.docker.io/v2/docker/dockerfile/manifests/1": dial tcp: lookup registry-1.docker.io: no such host';

/** A `docker` whose builds print this, logging each call. */
function fakeDocker(buildSays: string): { bin: string; calls: () => string[] } {
  const bin = mkdtempSync(join(tmpdir(), 'fake-docker-'));
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  writeFileSync(
    join(bin, 'docker'),
    `#!/bin/sh\necho "$*" >> "${log}"\ncase "$1" in\n  version) echo 26.1.5 ;;\n  build) cat > /dev/null; echo '${buildSays}' >&2; exit 1 ;;\nesac\n`,
  );
  chmodSync(join(bin, 'docker'), 0o755);
  return { bin, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

const run = (dir: string, args: string[], bin: string) =>
  execa('node', [CLI, ...args], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
    env: { PATH: `${bin}:${process.env.PATH}`, PYTHON_DOCKER_FRONTEND_PROBE: '' },
  });

const LINE =
  "The Dockerfile's `# syntax=` line would fail every build here: Docker cannot fetch its frontend, docker/dockerfile:1 (no such host)";

describe('the # syntax= line', () => {
  it('offline, with --yes: said in one line and dropped, recorded, not asked about again', async () => {
    const docker = fakeDocker(OFFLINE);
    const dir = makeProject(APP);
    const first = await run(dir, ['--yes', '--compose'], docker.bin);
    expect(first.exitCode).toBe(0);
    expect(first.stdout.split('\n')[0]).toBe(`${LINE}: dropped it (--yes; --syntax-line=yes brings it back).`);
    const files = readTree(dir);
    expect(files.Dockerfile.split('\n')[0]).toBe('# FastAPI app image, written by generator-python-docker 0.1.0.');
    expect(files.Dockerfile).not.toContain('# syntax=');
    expect(JSON.parse(files['.yo-rc.json'])['generator-python-docker'].answers.syntaxLine).toBe(false);
    expect(files['README.Docker.md']).toContain('no `# syntax=` line (`--syntax-line=no`)');
    const builds = docker.calls().filter((c) => c.startsWith('build')).length;
    const again = await run(dir, ['--yes'], docker.bin);
    expect(again.stdout).not.toContain('# syntax=');
    expect(docker.calls().filter((c) => c.startsWith('build')).length).toBe(builds);
  });

  it('online: Docker is asked on the first run only; a re-run asks again only with --reconfigure', async () => {
    const docker = fakeDocker('ERROR: dockerfile parse error on line 2: unknown instruction: NOT-AN-INSTRUCTION');
    const dir = makeProject(APP);
    expect((await run(dir, ['--yes'], docker.bin)).exitCode).toBe(0);
    expect(readTree(dir).Dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
    const builds = () => docker.calls().filter((c) => c.startsWith('build')).length;
    expect(builds()).toBe(1);
    expect((await run(dir, ['--yes'], docker.bin)).exitCode).toBe(0);
    expect(builds()).toBe(1);
    expect((await run(dir, ['--yes', '--reconfigure'], docker.bin)).exitCode).toBe(0);
    expect(builds()).toBe(2);
  });

  it('offline, nobody to ask: kept, said, and "Next:" says to drop it first', async () => {
    const docker = fakeDocker(OFFLINE);
    const dir = makeProject(APP);
    const result = await run(dir, [], docker.bin);
    expect(result.stdout.split('\n')[0]).toBe(`${LINE}: kept it; --syntax-line=no (or --yes) drops it.`);
    expect(readTree(dir).Dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
    const next = result.stdout.slice(result.stdout.indexOf('Next:')).split('\n');
    expect(next[1]).toBe(
      "  drop the Dockerfile's `# syntax=` line, whose frontend cannot be fetched here: run again with --syntax-line=no, then",
    );
    expect(next.join('\n')).not.toContain('It answers on');
  });

  it('a frontend Docker can fetch: the line stays, nothing said', async () => {
    const docker = fakeDocker(
      'ERROR: failed to solve: dockerfile parse error on line 2: unknown instruction: NOT-AN-INSTRUCTION',
    );
    const dir = makeProject(APP);
    const result = await run(dir, ['--yes'], docker.bin);
    expect(result.stdout).not.toContain('# syntax=');
    expect(readTree(dir).Dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
    // The probe builds from standard input with no context: nothing of the project is sent.
    expect(docker.calls()).toContain('build --quiet -');
  });

  it('--syntax-line=no drops it up front, with no question to Docker; a bad value is one line', async () => {
    const docker = fakeDocker(OFFLINE);
    const dir = makeProject(APP);
    const result = await run(dir, ['--yes', '--syntax-line=no'], docker.bin);
    expect(result.stdout).not.toContain('would fail');
    expect(readTree(dir).Dockerfile).not.toContain('# syntax=');
    expect(docker.calls().filter((c) => c.startsWith('build'))).toEqual([]);
    // --syntax-line=yes is kept as given, offline too: no probe, nothing said.
    const kept = makeProject(APP);
    const yes = await run(kept, ['--yes', '--syntax-line=yes'], docker.bin);
    expect(yes.stdout).not.toContain('would fail');
    expect(readTree(kept).Dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
    expect(docker.calls().filter((c) => c.startsWith('build'))).toEqual([]);
    const bad = await run(makeProject(APP), ['--yes', '--syntax-line=maybe'], docker.bin);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr.trim()).toBe(
      'python-docker: --syntax-line: "maybe" is not yes or no; expected --syntax-line=yes or --syntax-line=no',
    );
  });

  it('a probe that hangs counts as unreachable after its time limit; no daemon tells nothing', async () => {
    const hung = await probeFrontend(
      async (args) =>
        args[0] === 'version' ? { exitCode: 0, output: '26.1.5', timedOut: false } : { output: '', timedOut: true },
      15,
    );
    expect(hung.unreachable).toBe('Docker did not fetch its frontend, docker/dockerfile:1, within 15 s');
    expect(
      await probeFrontend(async () => ({
        exitCode: 1,
        output: 'Cannot connect to the Docker daemon',
        timedOut: false,
      })),
    ).toEqual({});
  });
});
