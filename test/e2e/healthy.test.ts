/**
 * On Docker (Engine 25+): a generated web image reports `healthy` as soon as the app answers, from its own
 * HEALTHCHECK --start-interval, with no run-time override — well before the 30 s steady interval.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, runCli } from '../helpers/project.js';
import { dockerEngine, healthStatus, waitForHttp, withoutSyntaxLine } from './engine.js';

const TAG = `python-docker-e2e-healthy-${process.pid}:test`;
const CONTAINER = `python-docker-e2e-healthy-${process.pid}`;

afterAll(async () => {
  await execa('docker', ['rm', '-f', CONTAINER], { reject: false });
  await execa('docker', ['rmi', '-f', TAG], { reject: false });
});

describe.skipIf(!dockerEngine)('healthy as soon as the app answers (docker)', () => {
  it('FastAPI: `healthy` within 3 s of the first HTTP 200, the image keeping its 30 s interval', async () => {
    const dir = makeProject({}, 'e2e-healthy-');
    cpSync(join(repoRoot, 'test', 'fixtures', 'apps', 'fastapi'), dir, { recursive: true });
    expect((await runCli(dir, ['--yes', '--framework', 'fastapi', '--entrypoint', 'main:app'])).exitCode).toBe(0);
    const dockerfile = withoutSyntaxLine(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
    const built = await execa('docker', ['build', '-t', TAG, '-f', '-', dir], {
      input: dockerfile,
      reject: false,
      all: true,
      env: { DOCKER_BUILDKIT: '1' },
    });
    expect(built.exitCode, built.all?.slice(-3000)).toBe(0);
    const config = JSON.parse(
      (await execa('docker', ['image', 'inspect', '--format', '{{json .Config.Healthcheck}}', TAG])).stdout,
    );
    expect(config).toMatchObject({ Interval: 30e9, StartPeriod: 30e9, StartInterval: 1e9 });

    // No --health-interval: the image's own schedule.
    await execa('docker', ['run', '-d', '--name', CONTAINER, '-p', '127.0.0.1::8000', TAG]);
    const hostPort = (await execa('docker', ['port', CONTAINER, '8000/tcp'])).stdout.split('\n')[0].split(':').at(-1);
    expect(await waitForHttp(`http://127.0.0.1:${hostPort}/`)).toBe(200);
    const answered = Date.now();
    let status = await healthStatus(CONTAINER);
    while (status !== 'healthy' && status !== 'unhealthy' && Date.now() - answered < 30_000) {
      await new Promise((r) => setTimeout(r, 100));
      status = await healthStatus(CONTAINER);
    }
    const waited = Date.now() - answered;
    expect(status).toBe('healthy');
    expect(waited, `healthy ${waited} ms after the first HTTP 200`).toBeLessThan(3000);
  });
});
