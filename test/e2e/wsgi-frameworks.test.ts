/**
 * On Docker: Falcon, Pyramid (the cookiecutter's production.ini, read by gunicorn --paste) and Bottle apps,
 * generated with --yes from what detection finds (the missing gunicorn added by the run), built, answering
 * HTTP 200 as UID 10001 and reaching `healthy` on their detected health paths. Dash and Gradio are not
 * built: the offline package index has neither (test/unit/wsgi-frameworks.test.ts checks them statically).
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { instructionTexts, repoRoot } from '../helpers/dockerfile.js';
import { makeProject, runCli } from '../helpers/project.js';
import { buildAndProbe, dockerEngine, expectHealthy, freePort } from './engine.js';

/** A copy of test/fixtures/apps/<app>, generated with --yes and `args`. */
async function generateApp(app: string, args: string[]): Promise<string> {
  const dir = makeProject({}, `e2e-${app}-`);
  cpSync(join(repoRoot, 'test', 'fixtures', 'apps', app), dir, { recursive: true });
  const generated = await runCli(dir, ['--yes', ...args]);
  expect(generated.exitCode, generated.stderr).toBe(0);
  return dir;
}

const tags: string[] = [];
afterAll(async () => {
  for (const tag of tags) await dockerEngine?.remove(tag);
});

describe.skipIf(!dockerEngine)('WSGI frameworks build and run (docker)', () => {
  it.each([
    {
      app: 'wsgi-falcon',
      cmd: '"app:app"]',
      health: '/health',
      added: ['requirements.txt', /^gunicorn>=/m],
    },
    {
      app: 'wsgi-pyramid-cookiecutter',
      cmd: '"--paste", "production.ini"]',
      health: '/health',
      added: ['pyproject.toml', /^ {4}"gunicorn>=/m],
      // production.ini's [server:main] port.
      port: 6544,
    },
    { app: 'wsgi-bottle', cmd: '"app:app"]', health: '/healthz' },
  ] as { app: string; cmd: string; health: string; added?: [string, RegExp]; port?: number }[])(
    '$app: --yes, HTTP 200 as UID 10001, healthy on $health',
    async ({ app, cmd, health, added, port }) => {
      const on = dockerEngine!;
      const hostPort = port ?? freePort();
      const dir = await generateApp(app, port ? [] : ['--port', String(hostPort)]);
      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      expect(instructionTexts(dockerfile, 'CMD')[0]).toContain(cmd);
      expect(instructionTexts(dockerfile, 'HEALTHCHECK')[0]).toContain(`:${hostPort}${health}'`);
      if (added) expect(readFileSync(join(dir, added[0]), 'utf8')).toMatch(added[1]);
      const tag = `python-docker-e2e-${app}-${process.pid}:test`;
      tags.push(tag);
      expectHealthy(on, await buildAndProbe(on, dir, tag, hostPort));
    },
  );
});
