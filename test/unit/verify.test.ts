import { EventEmitter } from 'node:events';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers } from '../../lib/answers.js';
import {
  findEngine,
  healthcheckArgv,
  parsePublishedPort,
  parseStep,
  whyUnusable,
  type Engine,
  type Health,
  type Probe,
  type ProbeResult,
} from '../../lib/verify/engines.js';
import {
  createLogFile,
  frontendUnreachable,
  reportLines,
  syntaxFrontend,
  verifyImage,
  type VerifyOptions,
} from '../../lib/verify/verify-image.js';

/** A probe that answers like a live engine for these commands only, and like an absent one otherwise. */
const only =
  (...commands: string[]): Probe =>
  async (command) =>
    commands.includes(command)
      ? { exitCode: 0, stdout: 'answer', stderr: '' }
      : { missing: true, exitCode: -1, stdout: '', stderr: '' };

/** A probe with a given answer for one command, every other absent, buildah working. */
const answering =
  (command: string, result: ProbeResult): Probe =>
  async (c) =>
    c === command
      ? result
      : c === 'buildah'
        ? { exitCode: 0, stdout: '/var/lib/containers/storage', stderr: '' }
        : { missing: true, exitCode: -1, stdout: '', stderr: '' };

describe('engine detection', () => {
  it('prefers a Docker daemon, then Podman, then buildah', async () => {
    expect((await findEngine(undefined, only('docker', 'podman', 'buildah'))).engine?.name).toBe('docker');
    expect((await findEngine(undefined, only('podman', 'buildah'))).engine?.name).toBe('podman');
    expect((await findEngine(undefined, only('buildah'))).engine?.name).toBe('buildah');
  });

  it('finds nothing when nothing answers; an engine that is not installed is not reported', async () => {
    expect(await findEngine(undefined, only())).toEqual({ unusable: [] });
  });

  it('uses only the engine asked for', async () => {
    expect((await findEngine('buildah', only('docker', 'buildah'))).engine?.name).toBe('buildah');
    expect((await findEngine('podman', only('docker'))).engine).toBeUndefined();
  });

  it('a Docker client whose daemon gives no answer, even with exit 0, is passed over for buildah, saying why', async () => {
    const found = await findEngine(undefined, answering('docker', { exitCode: 0, stdout: '\n', stderr: '' }));
    expect(found.engine?.name).toBe('buildah');
    expect(found.unusable).toEqual([{ name: 'docker', reason: 'the daemon did not answer' }]);
  });

  it('a configured Docker daemon that does not answer (DOCKER_HOST, a context) stops the search: "could not verify", exit 2', async () => {
    const down: ProbeResult = {
      exitCode: 1,
      stdout: '',
      stderr: 'Cannot connect to the Docker daemon at tcp://10.0.0.9:2375. Is the docker daemon running?',
    };
    const withContext =
      (context: string): Probe =>
      async (command, args) =>
        command === 'docker' && args[0] === 'context'
          ? { exitCode: 0, stdout: `${context}\n`, stderr: '' }
          : answering('docker', down)(command, args);
    const byHost = await findEngine(undefined, withContext('default'), { DOCKER_HOST: 'tcp://10.0.0.9:2375' });
    expect(byHost.engine).toBeUndefined();
    expect(byHost.configured).toBe('DOCKER_HOST=tcp://10.0.0.9:2375');
    const byContext = await findEngine(undefined, withContext('remote'), {});
    expect(byContext.configured).toBe('the current context, remote');
    // The default socket down, nothing configured: buildah stands in, as before.
    expect((await findEngine(undefined, withContext('default'), {})).engine?.name).toBe('buildah');
    const result = await verifyImage({ ...options(fakeEngine({}).engine, 'fastapi'), found: byHost });
    expect(result.exitCode).toBe(2);
    expect(result.details[0]).toBe(
      'could not verify: the Docker daemon you configured (DOCKER_HOST=tcp://10.0.0.9:2375) does not answer: the daemon is not running: Cannot connect to the Docker daemon at tcp://10.0.0.9:2375. Is the docker daemon running?',
    );
  });

  it('says "not running" and "no permission" from what the client printed', async () => {
    const down = await findEngine(
      undefined,
      answering('docker', {
        exitCode: 1,
        stdout: '',
        stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      }),
    );
    expect(down.engine?.name).toBe('buildah');
    expect(down.unusable[0].reason).toMatch(/^the daemon is not running: Cannot connect/);
    const denied = await findEngine(
      undefined,
      answering('docker', {
        exitCode: 0,
        stdout: '',
        stderr: 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock',
      }),
    );
    expect(denied.engine?.name).toBe('buildah');
    expect(denied.unusable[0].reason).toMatch(/^no permission to use its socket \(add your user to the "docker" group/);
  });

  it('asks a question only a live engine answers: the probe Docker gets fails without a daemon', async () => {
    const asked: string[][] = [];
    await findEngine('docker', async (command, args) => {
      asked.push([command, ...args]);
      return { exitCode: 0, stdout: '', stderr: '' };
    });
    expect(asked[0].slice(0, 2)).toEqual(['docker', 'version']);
    expect(asked[0].join(' ')).toContain('{{.Server.Version}}');
    expect(whyUnusable('docker', { exitCode: 0, stdout: '26.1.5', stderr: '' })).toBeUndefined();
  });
});

describe('build progress', () => {
  it.each([
    ['#7 [builder 3/6] RUN uv sync --locked', { step: 3, of: 6, text: 'RUN uv sync --locked' }],
    ['#5 [2/4] COPY . .', { step: 2, of: 4, text: 'COPY . .' }],
    [
      'STEP 3/11: RUN pip install -r requirements.txt',
      { step: 3, of: 11, text: 'RUN pip install -r requirements.txt' },
    ],
    ['[1/2] STEP 2/7: RUN apt-get update', { step: 2, of: 7, text: 'RUN apt-get update' }],
    ['Collecting fastapi', undefined],
  ])('%s', (line, step) => {
    expect(parseStep(line)).toEqual(step);
  });
});

describe('engine output', () => {
  it('reads exec and shell healthchecks; NONE and absent are no check', () => {
    expect(healthcheckArgv(['CMD', 'python', '-c', 'x'])).toEqual(['python', '-c', 'x']);
    expect(healthcheckArgv(['CMD-SHELL', 'curl -f localhost'])).toEqual(['/bin/sh', '-c', 'curl -f localhost']);
    expect(healthcheckArgv(['NONE'])).toBeUndefined();
    expect(healthcheckArgv(undefined)).toBeUndefined();
  });

  it('reads the host port the engine picked', () => {
    expect(parsePublishedPort('127.0.0.1:32768\n')).toBe(32768);
    expect(parsePublishedPort('0.0.0.0:49153\n[::]:49153\n')).toBe(49153);
    expect(parsePublishedPort('')).toBeUndefined();
  });

  it('recognises an unreachable # syntax= frontend, and only that', () => {
    expect(syntaxFrontend('# syntax=docker/dockerfile:1\nFROM python\n')).toBe('docker/dockerfile:1');
    expect(syntaxFrontend('FROM python\n# syntax=docker/dockerfile:1\n')).toBeUndefined();
    const offline =
      'ERROR: failed to solve: failed to resolve source metadata for docker.io/docker/dockerfile:1: failed to do request: Head "https://registry-1.docker.io/v2/docker/dockerfile/manifests/1": dial tcp: lookup registry-1.docker.io: no such host';
    expect(frontendUnreachable(offline, 'docker/dockerfile:1')).toBe(true);
    expect(
      frontendUnreachable(
        'ERROR: failed to solve: failed to resolve source metadata for docker.io/library/python:3.14-slim: not found',
        'docker/dockerfile:1',
      ),
    ).toBe(false);
    expect(
      frontendUnreachable(
        'ERROR: process "/bin/sh -c pip install" did not complete successfully: exit code: 1',
        'docker/dockerfile:1',
      ),
    ).toBe(false);
  });
});

describe('the result report', () => {
  it('one line per check, ✔ or ✖, with its detail', () => {
    expect(
      reportLines([
        { name: 'builds', ok: true, detail: '12.0 s with docker; log: /tmp/x.log' },
        { name: 'answers on port 8000', ok: false, detail: 'nothing answered in 60 s' },
        { name: 'runs as a non-root user', ok: true, detail: 'UID 10001' },
      ]),
    ).toEqual([
      '✔ builds — 12.0 s with docker; log: /tmp/x.log',
      '✖ answers on port 8000 — nothing answered in 60 s',
      '✔ runs as a non-root user — UID 10001',
    ]);
  });
});

// ---------------------------------------------------------------- verifyImage with a stand-in engine

let server: Server;
let appPort = 0;
let appStatus = 200;
beforeAll(async () => {
  server = createServer((_, res) => res.writeHead(appStatus).end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appPort = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Fake {
  build?: (dockerfile?: string) => { ok: boolean; log: string };
  uid?: string;
  /** Exit code of the app once it has ended; undefined: still running. */
  exited?: number;
  health?: Health['status'];
  start?: () => Promise<void>;
}

function fakeEngine(fake: Fake) {
  const calls: string[] = [];
  const engine: Engine = {
    name: 'docker',
    async build(_context, _tag, logFile, _onStep, options) {
      calls.push(
        options?.dockerfile === undefined ? 'build' : `build from stdin: ${options.dockerfile.split('\n')[0]}`,
      );
      const r = fake.build?.(options?.dockerfile) ?? { ok: true, log: '#5 [2/4] COPY . .\n' };
      writeFileSync(logFile, r.log, { flag: 'a' });
      return r.ok;
    },
    inspect: async () => ({ argv: ['app'], user: '10001:10001', healthcheck: ['python', '-c', 'check'] }),
    async start(_tag, options) {
      calls.push(`start ${options.name}`);
      await fake.start?.();
      return {
        hostPort: appPort,
        alive: async () => fake.exited === undefined,
        exitCode: async () => fake.exited,
        health: async () => ({
          status: fake.health ?? 'healthy',
          output: fake.health === 'unhealthy' ? 'HTTP Error 500' : '',
        }),
        exec: async (argv) => ({ exitCode: 0, output: argv.join(' ') === 'id -u' ? (fake.uid ?? '10001') : '' }),
        logs: async () => 'the app said this',
      };
    },
    removeContainer: async (name) => void calls.push(`remove container ${name}`),
    removeImage: async (tag) => void calls.push(`remove image ${tag}`),
    removeSync: () => void calls.push('remove sync'),
  };
  return { engine, calls };
}

function project(dockerfile = '# syntax=docker/dockerfile:1\nFROM python:3.13-slim-trixie\n'): string {
  const dir = mkdtempSync(join(tmpdir(), 'verify-unit-'));
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

function options(engine: Engine, framework: 'fastapi' | 'none', extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    dir: project(),
    answers: { framework, port: 8000 } as unknown as Answers,
    imageName: 'shop',
    timeout: 2,
    workerWait: 50,
    found: { engine, unusable: [] },
    onStep: () => undefined,
    signals: new EventEmitter(),
    exit: () => undefined,
    ...extra,
  };
}

/** The container and image were removed, each once, after the last engine step. */
function expectCleanedUp(calls: string[]): void {
  const started = calls.find((c) => c.startsWith('start '));
  expect(calls.filter((c) => c.startsWith('remove container'))).toEqual(
    started ? [`remove container ${started.slice(6)}`] : [expect.any(String)],
  );
  expect(calls.filter((c) => c.startsWith('remove image'))).toHaveLength(1);
  expect(calls.slice(-2).map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(['remove container', 'remove image']);
}

const lines = (r: { checks: Parameters<typeof reportLines>[0]; details: string[] }) =>
  [...reportLines(r.checks), ...r.details].join('\n');

describe('the build log', () => {
  it('is created new in a private folder of its own: links planted in TMPDIR are never followed', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'verify-log-'));
    const victim = join(tmp, 'victim');
    writeFileSync(victim, 'precious\n');
    // Every name the old scheme could pick, and more, planted as links to the victim.
    for (let i = 0; i < 50; i++) symlinkSync(victim, join(tmp, `python-docker-verify-shop-${Date.now() + i}.log`));
    const log = createLogFile('shop', tmp);
    const folder = join(log, '..');
    expect(folder.startsWith(join(tmp, 'python-docker-verify-'))).toBe(true);
    expect(lstatSync(folder).mode & 0o777).toBe(0o700);
    expect(lstatSync(log).isFile()).toBe(true);
    expect(lstatSync(log).size).toBe(0);
    expect(readdirSync(folder)).toEqual(['shop.log']);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});

describe('verifyImage', () => {
  it('a web app that answers, is healthy and runs as UID 10001: all ✔, exit 0, cleaned up', async () => {
    appStatus = 200;
    const { engine, calls } = fakeEngine({});
    const result = await verifyImage(options(engine, 'fastapi'));
    expect(lines(result)).toMatch(
      /^✔ builds — [\d.]+ s with docker\n✔ answers on port 8000 — HTTP 200 on http:\/\/127\.0\.0\.1:\d+\/\n✔ healthcheck passes — docker reports healthy\n✔ runs as a non-root user — UID 10001$/,
    );
    expect(result.exitCode).toBe(0);
    expectCleanedUp(calls);
  });

  it('a passing verify removes its log; a failing one names it', async () => {
    const logs: string[] = [];
    const keep = (ok: boolean) =>
      fakeEngine({
        build: () => ({ ok, log: 'the build said this\n' }),
      });
    const spy = (engine: Engine): Engine => ({
      ...engine,
      build: (context, tag, logFile, onStep, o) => {
        logs.push(logFile);
        return engine.build(context, tag, logFile, onStep, o);
      },
    });
    expect((await verifyImage(options(spy(keep(true).engine), 'fastapi'))).exitCode).toBe(0);
    expect(existsSync(logs[0])).toBe(false);
    const failed = await verifyImage(options(spy(keep(false).engine), 'fastapi'));
    expect(existsSync(logs[1])).toBe(true);
    expect(reportLines(failed.checks)[0]).toContain(`log: ${logs[1]}`);
    appStatus = 500;
    const unhealthy = await verifyImage(options(spy(keep(true).engine), 'fastapi'));
    appStatus = 200;
    expect(existsSync(logs[2])).toBe(true);
    expect(unhealthy.details.at(-1)).toBe(`The build log: ${logs[2]}`);
  });

  it('says what it waits for after the build: the port, then the health check', async () => {
    const waits: string[] = [];
    const { engine } = fakeEngine({});
    await verifyImage(options(engine, 'fastapi', { onWait: (t) => waits.push(t) }));
    expect(waits).toEqual([
      'waiting for the app to answer on port 8000 (up to 2 s)',
      'waiting for the health check (docker reports "starting" until it passes; up to 2 s)',
    ]);
  });

  it.each([
    [
      404,
      'django',
      /✖ answers on port 8000 — HTTP 404 on http:\/\/127\.0\.0\.1:\d+\/: no URL pattern matches it; add a health view, or pass --health-path with a path that answers 200, such as \/admin\/login\//,
    ],
    [400, 'django', /✖ answers on port 8000 — HTTP 400 on \S+: Django refuses a host not in ALLOWED_HOSTS/],
    [404, 'fastapi', /✖ answers on port 8000 — HTTP 404 on \S+: an error, not an answer; pass --health-path/],
  ] as const)(
    'an error status (%i, %s) on the health path is not ready: ✖ naming the path and what came back',
    async (status, framework, expected) => {
      appStatus = status;
      const { engine } = fakeEngine({});
      const result = await verifyImage(
        options(engine, 'fastapi', { answers: { framework, port: 8000 } as unknown as Answers }),
      );
      appStatus = 200;
      expect(lines(result)).toMatch(expected);
      expect(result.exitCode).toBe(1);
    },
  );

  it('UID 0 is root: ✖, exit 1', async () => {
    const { engine, calls } = fakeEngine({ uid: '0' });
    const result = await verifyImage(options(engine, 'fastapi'));
    expect(reportLines(result.checks)).toContain('✖ runs as a non-root user — UID 0');
    expect(result.exitCode).toBe(1);
    expectCleanedUp(calls);
  });

  it('an app the engine reports unhealthy: ✖ with what the probe said, exit 1', async () => {
    const { engine, calls } = fakeEngine({ health: 'unhealthy' });
    const result = await verifyImage(options(engine, 'fastapi'));
    expect(reportLines(result.checks)).toContain('✖ healthcheck passes — docker reports unhealthy: HTTP Error 500');
    expect(result.exitCode).toBe(1);
    expectCleanedUp(calls);
  });

  it('an app answering 500: ✖ on the port check, its output shown', async () => {
    appStatus = 500;
    const { engine, calls } = fakeEngine({});
    const result = await verifyImage(options(engine, 'fastapi'));
    appStatus = 200;
    expect(lines(result)).toMatch(/✖ answers on port 8000 — HTTP 500 on /);
    expect(result.details.slice(0, 2)).toEqual(['The app printed:', '  the app said this']);
    expect(result.exitCode).toBe(1);
    expectCleanedUp(calls);
  });

  it('a worker that exits non-zero at once does not start: ✖, exit 1', async () => {
    const { engine, calls } = fakeEngine({ exited: 3 });
    const result = await verifyImage(options(engine, 'none'));
    expect(reportLines(result.checks)[1]).toBe('✖ starts — exited with code 3 within 0.05 s');
    expect(result.exitCode).toBe(1);
    expectCleanedUp(calls);
  });

  it('a worker still running, or done with exit 0, starts', async () => {
    for (const [exited, detail] of [
      [undefined, 'still running after 0.05 s'],
      [0, 'ran and exited with code 0'],
    ] as const) {
      const { engine } = fakeEngine({ exited });
      const result = await verifyImage(options(engine, 'none'));
      expect(reportLines(result.checks)[1]).toBe(`✔ starts — ${detail}`);
      expect(result.exitCode).toBe(0);
    }
  });

  it('a failed build: ✖, the log tail, exit 1, the image removed', async () => {
    const { engine, calls } = fakeEngine({
      build: () => ({ ok: false, log: 'ERROR: No matching distribution found for nosuchpackage\n' }),
    });
    const result = await verifyImage(options(engine, 'fastapi'));
    expect(reportLines(result.checks)[0]).toMatch(/^✖ builds — /);
    expect(result.details).toContain('  ERROR: No matching distribution found for nosuchpackage');
    expect(result.exitCode).toBe(1);
    expect(calls.filter((c) => c.startsWith('start'))).toEqual([]);
    expectCleanedUp(calls);
  });

  it('an unreachable # syntax= frontend: says so in one line, builds again from stdin without that line', async () => {
    const said: string[] = [];
    const stdin: string[] = [];
    const { engine, calls } = fakeEngine({
      build: (dockerfile) => {
        if (dockerfile === undefined) {
          return {
            ok: false,
            log: 'ERROR: failed to solve: failed to resolve source metadata for docker.io/docker/dockerfile:1: dial tcp: no such host\n',
          };
        }
        stdin.push(...dockerfile.split('\n'));
        return { ok: true, log: '#5 [2/4] COPY . .\n' };
      },
    });
    const result = await verifyImage(options(engine, 'fastapi', { say: (l) => said.push(l) }));
    // The line is blanked, not dropped: build errors name the lines of the user's Dockerfile.
    expect(calls.slice(0, 2)).toEqual(['build', 'build from stdin: ']);
    expect(stdin).toEqual(['', 'FROM python:3.13-slim-trixie', '']);
    expect(said).toEqual([
      expect.stringMatching(
        /^The Dockerfile's frontend \(# syntax=docker\/dockerfile:1\) cannot be fetched .*built-in frontend/,
      ),
    ]);
    expect(reportLines(result.checks)[0]).toMatch(
      /^✔ builds — [\d.]+ s with docker \(built-in frontend: docker\/dockerfile:1 could not be fetched\)$/,
    );
    expect(result.exitCode).toBe(0);
  });

  it('any other failed build is not retried', async () => {
    const { engine, calls } = fakeEngine({
      build: () => ({
        ok: false,
        log: 'ERROR: failed to solve: process "/bin/sh -c pip install" did not complete successfully\n',
      }),
    });
    await verifyImage(options(engine, 'fastapi'));
    expect(calls.filter((c) => c.startsWith('build'))).toEqual(['build']);
  });

  it('an engine failure is one line naming the step and the log, exit 2, never a throw; cleaned up', async () => {
    const failure = Object.assign(new Error('Command failed with exit code 125: docker run -d …'), {
      stderr:
        'docker: Error response from daemon: driver failed programming external connectivity: Bind for 127.0.0.1:8000 failed: port is already allocated.\nSee docker run --help.',
    });
    const { engine, calls } = fakeEngine({ start: () => Promise.reject(failure) });
    const result = await verifyImage(options(engine, 'fastapi'));
    expect(reportLines(result.checks)[1]).toMatch(
      /^✖ starts — docker failed: docker: Error response from daemon: .*port is already allocated\.; log: \/\S+\.log$/,
    );
    expect(result.exitCode).toBe(2);
    expectCleanedUp(calls);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s while the container starts: the container and image are removed, then exit %i',
    async (signal, code) => {
      const signals = new EventEmitter();
      let release!: () => void;
      const started = new Promise<void>((resolve) => (release = resolve));
      const { engine, calls } = fakeEngine({
        start: () => new Promise((resolve) => setTimeout(resolve, 100)).then(release),
      });
      const exited = new Promise<number>((resolve) => {
        void verifyImage(options(engine, 'fastapi', { signals, exit: resolve })).then(() => resolve(-1));
      });
      await started;
      signals.emit(signal);
      expect(await exited).toBe(code);
      expectCleanedUp(calls);
      expect(signals.listenerCount(signal)).toBe(1); // still listening while the process ends
    },
  );

  it('after a run, no signal listener is left behind', async () => {
    const signals = new EventEmitter();
    const { engine } = fakeEngine({});
    await verifyImage(options(engine, 'fastapi', { signals }));
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('no engine: says which were tried and why each failed, how to install one; exit 2', async () => {
    const result = await verifyImage({
      ...options(fakeEngine({}).engine, 'fastapi'),
      found: { unusable: [{ name: 'docker', reason: 'the daemon is not running: Cannot connect' }] },
    });
    expect(result.checks).toEqual([]);
    expect(result.details).toEqual([
      'Cannot verify: no container engine found (tried docker, podman and buildah).',
      '  docker cannot be used: the daemon is not running: Cannot connect',
      expect.stringMatching(/^Install Docker \(https:.*\) or Podman/),
    ]);
    expect(result.exitCode).toBe(2);
  });

  it('an engine passed over says why, then which is used', async () => {
    const said: string[] = [];
    const { engine } = fakeEngine({});
    await verifyImage({
      ...options(engine, 'fastapi', { say: (l) => said.push(l) }),
      found: { engine, unusable: [{ name: 'podman', reason: 'its service is not running: x' }] },
    });
    expect(said).toEqual([
      'podman cannot be used: its service is not running: x; trying the next engine.',
      'Using docker.',
    ]);
  });
});

describe('the Docker engine, through a stand-in `docker` command', () => {
  it('builds with BuildKit on, publishes on an engine-picked host port, shortens the health interval, removes by name', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'fake-docker-'));
    const log = join(bin, 'calls.log');
    writeFileSync(
      join(bin, 'docker'),
      `#!/bin/sh
echo "DOCKER_BUILDKIT=$DOCKER_BUILDKIT $*" >> "${log}"
case "$1" in
  version) echo 26.1.5 ;;
  build) cat > /dev/null; echo '#5 [2/4] COPY . .' ;;
  image) echo '{"Cmd":["uvicorn","main:app"],"User":"10001:10001","Healthcheck":{"Test":["CMD","python","-c","check"]}}' ;;
  run) echo 0123abcd ;;
  port) echo 127.0.0.1:${appPort} ;;
  inspect) echo '{"Running":true,"ExitCode":0,"Health":{"Status":"healthy","Log":[]}}' ;;
  exec) echo 10001 ;;
esac
`,
      { mode: 0o755 },
    );
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      appStatus = 200;
      const result = await verifyImage({
        ...options(fakeEngine({}).engine, 'fastapi'),
        found: undefined,
        engine: 'docker',
      });
      expect(result.exitCode, reportLines(result.checks).join('\n')).toBe(0);
    } finally {
      process.env.PATH = path;
    }
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const call = (verb: string) => calls.find((c) => c.split(' ')[1] === verb) ?? '';
    expect(call('build')).toMatch(/^DOCKER_BUILDKIT=1 build -t shop-verify:\w+ /);
    const name = /--name (\S+)/.exec(call('run'))?.[1];
    expect(name).toMatch(/^shop-verify-\w+$/);
    expect(call('run')).toContain(' -p 127.0.0.1::8000 ');
    expect(call('run')).toContain(' --health-interval 1s ');
    expect(call('rm')).toMatch(new RegExp(` rm -f ${name}$`));
    expect(call('rmi')).toMatch(/ rmi -f shop-verify:\w+$/);
  });
});
