/**
 * On Docker: Starlette (uvicorn), Quart (Hypercorn, app factory, health blueprint) and aiohttp (gunicorn's
 * aiohttp worker, coroutine factory) apps generated with `--yes` alone build, answer HTTP 200 as UID 10001
 * on the port detection chose, write to their working directory and reach `healthy` from their own
 * HEALTHCHECK path. Litestar and Sanic are not built: the offline package index has neither (their
 * Dockerfiles are checked statically in test/generator/asgi-projects.test.ts).
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { execArgv, repoRoot } from '../helpers/dockerfile.js';
import { makeProject, runCli } from '../helpers/project.js';
import { dockerEngine, waitForHealth, waitForHttp } from './engine.js';

const APPS = [
  { app: 'starlette', port: 8000, cmd: ['uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '8000'] },
  {
    app: 'quart',
    port: 8000,
    cmd: ['hypercorn', 'app:create_app()', '--bind', '0.0.0.0:8000', '--access-logfile', '-'],
  },
  {
    app: 'aiohttp',
    port: 8080,
    cmd: [
      'gunicorn',
      '--bind',
      '0.0.0.0:8080',
      '--access-logfile',
      '-',
      '--worker-class',
      'aiohttp.GunicornWebWorker',
      'main:create_app',
    ],
  },
];

const cleanup: string[][] = [];
afterAll(async () => {
  for (const args of cleanup.reverse()) await execa('docker', args, { reject: false });
});

describe.skipIf(!dockerEngine)('ASGI frameworks build and run (docker)', () => {
  it.each(APPS)(
    '$app: generated with --yes, HTTP 200 as UID 10001, writable workdir, healthy',
    async ({ app, port, cmd }) => {
      const dir = makeProject({}, `e2e-asgi-${app}-`);
      cpSync(join(repoRoot, 'test', 'fixtures', 'apps', app), dir, { recursive: true });
      const generated = await runCli(dir, ['--yes']);
      expect(generated.exitCode, generated.stderr).toBe(0);
      expect(execArgv(readFileSync(join(dir, 'Dockerfile'), 'utf8'), 'CMD')).toEqual(cmd);
      const tag = `python-docker-e2e-asgi-${app}-${process.pid}:test`;
      const name = `python-docker-e2e-asgi-${app}-${process.pid}`;
      cleanup.push(['rmi', '-f', tag], ['rm', '-f', name]);
      const built = await dockerEngine!.build(dir, tag);
      expect(built.ok, built.log.slice(-3000)).toBe(true);

      // A host port Docker picks (others' tests use 8000 too); the health interval shortened for a quick verdict.
      await execa('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1::${port}`, '--health-interval', '1s', tag]);
      const hostPort = (await execa('docker', ['port', name, `${port}/tcp`])).stdout.split('\n')[0].split(':').at(-1);
      const logs = async () => (await execa('docker', ['logs', name], { reject: false, all: true })).all ?? '';
      // `/` writes written-by-app.txt in the working directory, so 200 also proves /app is writable.
      expect(await waitForHttp(`http://127.0.0.1:${hostPort}/`), await logs()).toBe(200);
      expect((await execa('docker', ['exec', name, 'id', '-u'])).stdout.trim()).toBe('10001');
      expect((await execa('docker', ['exec', name, 'cat', 'written-by-app.txt'])).stdout).toBe('ok');
      expect(await waitForHealth(name), await logs()).toBe('healthy');
    },
  );
});
