import { describe, expect, it } from 'vitest';
import { ENGINE_PROBES, findEngine, healthcheckArgv, parseStep, type Probe } from '../../lib/verify/engines.js';
import { NO_ENGINE, reportLines } from '../../lib/verify/verify-image.js';

/** A probe that answers yes for these commands only. */
const only = (...commands: string[]): Probe => async (command) => commands.includes(command);

describe('engine detection', () => {
  it('prefers a Docker daemon, then Podman, then buildah', async () => {
    expect((await findEngine(undefined, only('docker', 'podman', 'buildah')))?.name).toBe('docker');
    expect((await findEngine(undefined, only('podman', 'buildah')))?.name).toBe('podman');
    expect((await findEngine(undefined, only('buildah')))?.name).toBe('buildah');
  });

  it('finds nothing when nothing answers', async () => {
    expect(await findEngine(undefined, only())).toBeUndefined();
  });

  it('uses only the engine asked for', async () => {
    expect((await findEngine('buildah', only('docker', 'buildah')))?.name).toBe('buildah');
    expect(await findEngine('podman', only('docker'))).toBeUndefined();
  });

  it("asks Docker and Podman for info, which needs the daemon, not just the client", () => {
    expect(ENGINE_PROBES.docker).toEqual(['docker', ['info', '--format', '{{.ServerVersion}}']]);
    expect(ENGINE_PROBES.podman[1][0]).toBe('info');
  });
});

describe('build progress', () => {
  it.each([
    ['#7 [builder 3/6] RUN uv sync --locked', { step: 3, of: 6, text: 'RUN uv sync --locked' }],
    ['#5 [2/4] COPY . .', { step: 2, of: 4, text: 'COPY . .' }],
    ['STEP 3/11: RUN pip install -r requirements.txt', { step: 3, of: 11, text: 'RUN pip install -r requirements.txt' }],
    ['[1/2] STEP 2/7: RUN apt-get update', { step: 2, of: 7, text: 'RUN apt-get update' }],
    ['Collecting fastapi', undefined],
  ])('%s', (line, step) => {
    expect(parseStep(line)).toEqual(step);
  });
});

describe('healthcheck from the image config', () => {
  it('reads exec and shell forms; NONE and absent are no check', () => {
    expect(healthcheckArgv(['CMD', 'python', '-c', 'x'])).toEqual(['python', '-c', 'x']);
    expect(healthcheckArgv(['CMD-SHELL', 'curl -f localhost'])).toEqual(['/bin/sh', '-c', 'curl -f localhost']);
    expect(healthcheckArgv(['NONE'])).toBeUndefined();
    expect(healthcheckArgv(undefined)).toBeUndefined();
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

  it('says plainly what to do without an engine', () => {
    expect(NO_ENGINE.join('\n')).toMatch(/no container engine found.*\n.*Install Docker .* or Podman/);
  });
});
