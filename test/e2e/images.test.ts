/**
 * Generated Dockerfiles build and run for real: each example app is generated
 * with the standalone command, built, started, probed over HTTP, health-checked,
 * checked for UID 10001 and a writable working directory, then rebuilt after a
 * source edit with the dependency layer from the cache.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, readTree, runCli } from '../helpers/project.js';
import { START_PERIOD_LINE, addUserLine, generateAsOldVersion } from '../helpers/upgrade.js';
import { buildAndProbe, engine, expectHealthy, freePort } from './engine.js';

const APPS = join(repoRoot, 'test', 'fixtures', 'apps');
const tags: string[] = [];

/** Copies an example app into a fresh folder and generates its Docker files. */
export async function generateApp(app: string, args: string[]): Promise<string> {
  const dir = makeProject({}, `e2e-${app}-`);
  cpSync(join(APPS, app), dir, { recursive: true });
  const generated = await runCli(dir, ['--yes', ...args]);
  expect(generated.exitCode, generated.stderr).toBe(0);
  return dir;
}

afterAll(async () => {
  for (const tag of tags) await engine?.remove(tag);
});

const WEB_APPS = [
  { app: 'fastapi', args: ['--framework', 'fastapi', '--entrypoint', 'main:app'], source: 'main.py' },
  { app: 'flask', args: ['--framework', 'flask', '--entrypoint', 'app:create_app()'], source: 'app.py' },
  { app: 'django', args: ['--framework', 'django', '--entrypoint', 'mysite'], source: 'mysite/urls.py' },
];

describe.skipIf(!engine)(`images build and run (${engine?.name})`, () => {
  it.each(WEB_APPS)('$app: HTTP 200 as UID 10001, healthy, writable workdir, cached dependencies after a source edit', async ({ app, args, source }) => {
    const port = freePort();
    const dir = await generateApp(app, [...args, '--port', String(port)]);
    const tag = `python-docker-e2e-${app}:test`;
    tags.push(tag);

    // The app's / writes a file in its working directory, so 200 also proves /app is writable.
    expectHealthy(await buildAndProbe(dir, tag, port));

    appendFileSync(join(dir, source), '\n# an edit to the app source\n');
    const second = await engine!.build(dir, tag);
    expect(second.ok, second.log.slice(-3000)).toBe(true);
    expect(engine!.installStepCached(second.log), second.log).toBe(true);
  });

  it('pyproject.toml without requirements.txt: `pip install .` of a src-layout package with a readme and license', async () => {
    const port = freePort();
    const dir = await generateApp('pyproject', ['--framework', 'fastapi', '--entrypoint', 'shop.main:app', '--port', String(port)]);
    expect(Object.keys(readTree(dir))).not.toContain('requirements.txt'); // no stub
    const tag = 'python-docker-e2e-pyproject:test';
    tags.push(tag);
    expectHealthy(await buildAndProbe(dir, tag, port));
  });

  it('an upgraded Dockerfile, merged with a user edit, builds and runs', async () => {
    const port = freePort();
    const dir = makeProject({}, 'e2e-upgrade-');
    cpSync(join(APPS, 'fastapi'), dir, { recursive: true });
    await generateAsOldVersion(dir, { framework: 'fastapi', port: String(port) });
    const userLine = 'RUN mkdir -p /var/lib/app-data && chown 10001:10001 /var/lib/app-data';
    writeFileSync(join(dir, 'Dockerfile'), addUserLine(readFileSync(join(dir, 'Dockerfile'), 'utf8'), userLine));

    const upgrade = await runCli(dir, []);
    expect(upgrade.exitCode, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toContain('merged    Dockerfile');
    const merged = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(merged).toContain(userLine);
    expect(merged).toContain(START_PERIOD_LINE);

    const tag = 'python-docker-e2e-upgrade:test';
    tags.push(tag);
    expectHealthy(await buildAndProbe(dir, tag, port));
  });

  it.each([
    { app: 'detect-src-fastapi', port: 28301, cmd: 'shop.main:api' },
    { app: 'detect-flask-factory', port: 28302, cmd: 'app:create_app()' },
    { app: 'detect-django-nested', port: 28303, cmd: 'config.wsgi:application' },
  ])('$app, generated with --yes alone from what detection found, answers HTTP 200', async ({ app, port, cmd }) => {
    const dir = await generateApp(app, []);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain(`"${cmd}"`);
    const tag = `python-docker-e2e-${app}:test`;
    tags.push(tag);
    expectHealthy(await buildAndProbe(dir, tag, port));
  });

  it('psycopg2 (a C extension): compilers in the builder stage, only libpq5 at runtime; builds and answers', async () => {
    const dir = await generateApp('psycopg2', []);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('AS builder');
    expect(dockerfile).toContain('--no-install-recommends libpq5');
    const tag = 'python-docker-e2e-psycopg2:test';
    tags.push(tag);
    expectHealthy(await buildAndProbe(dir, tag, 28304));
  });

  it('--no-buildkit: plain COPY and --no-cache-dir build and run too', async () => {
    const port = freePort();
    const dir = await generateApp('flask', ['--framework', 'flask', '--entrypoint', 'app:create_app()', '--port', String(port), '--no-buildkit']);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).not.toContain('--mount=');
    const tag = 'python-docker-e2e-nobuildkit:test';
    tags.push(tag);
    expectHealthy(await buildAndProbe(dir, tag, port));
  });

  it('worker: runs to completion as UID 10001 with a writable workdir, from the generated requirements stub', async () => {
    const dir = await generateApp('worker', ['--framework', 'none', '--entrypoint', 'worker.py']);
    expect(Object.keys(readTree(dir))).toContain('requirements.txt'); // the stub
    const tag = 'python-docker-e2e-worker:test';
    tags.push(tag);
    const built = await engine!.build(dir, tag);
    expect(built.ok, built.log.slice(-3000)).toBe(true);
    const ran = await engine!.runToEnd(tag);
    expect(ran.exitCode, ran.output).toBe(0);
    expect(ran.output).toContain('worker done uid=10001 home=/home/app wrote=ok');
  });
});
