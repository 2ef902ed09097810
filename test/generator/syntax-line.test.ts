/**
 * The `# syntax=` line: Docker is asked whether it can fetch the frontend — its daemon over the socket the
 * CLI would use (a stand-in daemon here, DOCKER_HOST pointing at it), else the `docker` CLI (a stand-in on
 * PATH, which logs its calls); offline, the run says so in one line and drops the line with --yes, keeps it
 * (and "Next:" says to drop it) with nobody to ask; --syntax-line=no drops it up front.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, onTestFinished } from 'vitest';
import { probeFrontend } from '../../lib/verify/frontend.js';
import { type DaemonAnswers, fakeDockerDaemon, ONLINE_DISTRIBUTION } from '../helpers/fake-docker-daemon.js';
import { CLI, makeProject, readTree } from '../helpers/project.js';

const APP = { 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' };
const OFFLINE =
  'ERROR: failed to solve: failed to resolve source metadata for docker.io/docker/dockerfile:1: failed to do request: Head "https://registry-1.docker.io/v2/docker/dockerfile/manifests/1": dial tcp: lookup registry-1.docker.io: no such host';
const FETCHED = 'ERROR: failed to solve: dockerfile parse error on line 2: unknown instruction: NOT-AN-INSTRUCTION';

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

/**
 * Docker here: a stand-in daemon answering so (or none: its socket missing) and a stand-in CLI whose builds
 * print `buildSays`; runs see no context of the developer's own (an empty DOCKER_CONFIG, DOCKER_CONTEXT unset).
 */
async function dockerHere(answers: DaemonAnswers | 'no daemon', buildSays = OFFLINE) {
  const cli = fakeDocker(buildSays);
  const daemon = answers === 'no daemon' ? undefined : await fakeDockerDaemon(answers);
  if (daemon) onTestFinished(() => daemon.close());
  const env = {
    PATH: `${cli.bin}:${process.env.PATH}`,
    PYTHON_DOCKER_FRONTEND_PROBE: '',
    DOCKER_HOST: daemon?.host ?? `unix://${join(cli.bin, 'missing.sock')}`,
    DOCKER_CONTEXT: '',
    DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'docker-config-')),
  };
  const run = (dir: string, args: string[], more: Record<string, string> = {}) =>
    execa('node', [CLI, ...args], { cwd: dir, reject: false, stdin: 'ignore', env: { ...env, ...more } });
  /** The daemon's requests for this path, and the CLI's calls of this subcommand. */
  const asked = (path: string) => daemon?.requests.filter((p) => p === path).length ?? 0;
  const called = (subcommand: string) => cli.calls().filter((c) => c.startsWith(subcommand)).length;
  return { cli, daemon, env, run, asked, called };
}

const LINE =
  "The Dockerfile's `# syntax=` line would fail every build here: Docker cannot fetch its frontend, docker/dockerfile:1 (no such host)";
const DROPPED = `${LINE}: dropped it (--yes; --syntax-line=yes brings it back).`;

describe('the # syntax= line', () => {
  it('offline, with --yes: said in one line and dropped, recorded, not asked about again', async () => {
    const docker = await dockerHere({});
    const dir = makeProject(APP);
    const first = await docker.run(dir, ['--yes', '--compose']);
    expect(first.exitCode).toBe(0);
    expect(first.stdout.split('\n')[0]).toBe(DROPPED);
    const files = readTree(dir);
    expect(files.Dockerfile.split('\n')[0]).toBe('# FastAPI app image, written by generator-python-docker 0.1.0.');
    expect(files.Dockerfile).not.toContain('# syntax=');
    expect(JSON.parse(files['.yo-rc.json'])['generator-python-docker'].answers.syntaxLine).toBe(false);
    expect(files['README.Docker.md']).toContain('no `# syntax=` line (`--syntax-line=no`)');
    // The daemon's socket told it all: the registry's error, the CLI's own words; no CLI started.
    expect(docker.asked('/distribution/docker.io/docker/dockerfile:1/json')).toBe(1);
    expect(docker.cli.calls()).toEqual([]);
    const again = await docker.run(dir, ['--yes']);
    expect(again.stdout).not.toContain('# syntax=');
    expect(docker.asked('/_ping')).toBe(1);
  });

  it('online: Docker is asked on the first run only; a re-run asks again only with --reconfigure', async () => {
    const docker = await dockerHere({ distribution: { status: 200, body: ONLINE_DISTRIBUTION } });
    const dir = makeProject(APP);
    const first = await docker.run(dir, ['--yes']);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).not.toContain('# syntax=');
    expect(readTree(dir).Dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
    expect(docker.asked('/distribution/docker.io/docker/dockerfile:1/json')).toBe(1);
    expect((await docker.run(dir, ['--yes'])).exitCode).toBe(0);
    expect(docker.asked('/_ping')).toBe(1);
    expect((await docker.run(dir, ['--yes', '--reconfigure'])).exitCode).toBe(0);
    expect(docker.asked('/_ping')).toBe(2);
    expect(docker.cli.calls()).toEqual([]);
  });

  it('a local image of the frontend, which BuildKit uses offline: the line stays, no registry asked', async () => {
    const docker = await dockerHere({ image: { status: 200, body: { Id: `sha256:${'1'.repeat(64)}` } } });
    const dir = makeProject(APP);
    const result = await docker.run(dir, ['--yes']);
    expect(result.stdout).not.toContain('# syntax=');
    expect(readTree(dir).Dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
    expect(docker.daemon?.requests).toEqual(['/_ping', '/images/docker/dockerfile:1/json']);
    expect(docker.cli.calls()).toEqual([]);
  });

  it('no daemon on the socket, or Podman on it: nothing said, the line stays, no CLI started', async () => {
    for (const docker of [await dockerHere('no daemon'), await dockerHere({ server: 'Libpod/5.4.2 (linux)' })]) {
      const dir = makeProject(APP);
      const result = await docker.run(dir, ['--yes']);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).not.toContain('# syntax=');
      expect(readTree(dir).Dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
      expect(docker.daemon?.requests ?? []).not.toContain('/distribution/docker.io/docker/dockerfile:1/json');
      expect(docker.cli.calls()).toEqual([]);
    }
  });

  it('an answer the socket path does not know: the CLI is asked, and its answer counts', async () => {
    const docker = await dockerHere({ distribution: { status: 500, body: { message: 'something unrelated' } } });
    const dir = makeProject(APP);
    const result = await docker.run(dir, ['--yes']);
    expect(result.stdout.split('\n')[0]).toBe(DROPPED);
    expect(docker.asked('/distribution/docker.io/docker/dockerfile:1/json')).toBe(1);
    expect(docker.called('build')).toBe(1);
  });

  it('offline, nobody to ask: kept, said, and "Next:" says to drop it first', async () => {
    const docker = await dockerHere({});
    const dir = makeProject(APP);
    const result = await docker.run(dir, []);
    expect(result.stdout.split('\n')[0]).toBe(`${LINE}: kept it; --syntax-line=no (or --yes) drops it.`);
    expect(readTree(dir).Dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
    const next = result.stdout.slice(result.stdout.indexOf('Next:')).split('\n');
    expect(next[1]).toBe(
      "  drop the Dockerfile's `# syntax=` line, whose frontend cannot be fetched here: run again with --syntax-line=no, then",
    );
    expect(next.join('\n')).not.toContain('It answers on');
  });

  it('a daemon the CLI reaches another way (a tcp:// host, a context): the CLI is asked', async () => {
    // The CLI says fetched, the socket would say offline (the stand-in; this machine's daemon, if any).
    const docker = await dockerHere({}, FETCHED);
    const dir = makeProject(APP);
    const result = await docker.run(dir, ['--yes'], { DOCKER_HOST: 'tcp://127.0.0.1:2375' });
    expect(result.stdout).not.toContain('# syntax=');
    expect(readTree(dir).Dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
    // The probe builds from standard input with no context: nothing of the project is sent.
    expect(docker.cli.calls()).toContain('build --quiet -');
    const config = mkdtempSync(join(tmpdir(), 'docker-config-'));
    writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: {}, currentContext: 'rootless' }));
    const withContext = await docker.run(makeProject(APP), ['--yes'], { DOCKER_HOST: '', DOCKER_CONFIG: config });
    expect(withContext.stdout).not.toContain('# syntax=');
    expect(docker.called('build')).toBe(2);
    expect(docker.daemon?.requests).toEqual([]);
  });

  it('--syntax-line=no drops it up front, with no question to Docker; a bad value is one line', async () => {
    const docker = await dockerHere({});
    const dir = makeProject(APP);
    const result = await docker.run(dir, ['--yes', '--syntax-line=no']);
    expect(result.stdout).not.toContain('would fail');
    expect(readTree(dir).Dockerfile).not.toContain('# syntax=');
    // --syntax-line=yes is kept as given, offline too: no probe, nothing said.
    const kept = makeProject(APP);
    const yes = await docker.run(kept, ['--yes', '--syntax-line=yes']);
    expect(yes.stdout).not.toContain('would fail');
    expect(readTree(kept).Dockerfile.split('\n')[0]).toBe('# syntax=docker/dockerfile:1');
    expect(docker.daemon?.requests).toEqual([]);
    expect(docker.cli.calls()).toEqual([]);
    const bad = await docker.run(makeProject(APP), ['--yes', '--syntax-line=maybe']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr.trim()).toBe(
      'python-docker: --syntax-line: "maybe" is not yes or no; expected --syntax-line=yes or --syntax-line=no',
    );
  });

  it('a socket that does not answer in time: the CLI is asked', async () => {
    const daemon = await fakeDockerDaemon({ distribution: 'hang' });
    onTestFinished(() => daemon.close());
    const calls: string[] = [];
    const started = Date.now();
    const probe = await probeFrontend({
      socket: daemon.host.slice('unix://'.length),
      socketMs: 300,
      run: async (args) => {
        calls.push(args[0]);
        return args[0] === 'version'
          ? { exitCode: 0, output: '26.1.5', timedOut: false }
          : { exitCode: 1, output: OFFLINE, timedOut: false };
      },
    });
    expect(probe.unreachable).toBe('Docker cannot fetch its frontend, docker/dockerfile:1 (no such host)');
    expect(calls).toEqual(['version', 'build']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a CLI probe that hangs counts as unreachable after its time limit; no daemon tells nothing', async () => {
    const hung = await probeFrontend({
      socket: null,
      run: async (args) =>
        args[0] === 'version' ? { exitCode: 0, output: '26.1.5', timedOut: false } : { output: '', timedOut: true },
    });
    expect(hung.unreachable).toBe('Docker did not fetch its frontend, docker/dockerfile:1, within 15 s');
    expect(
      await probeFrontend({
        socket: null,
        run: async () => ({ exitCode: 1, output: 'Cannot connect to the Docker daemon', timedOut: false }),
      }),
    ).toEqual({});
  });
});
