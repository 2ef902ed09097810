/**
 * Generated Dockerfiles build and run for real: each example app is generated
 * with the standalone command, built, started, probed over HTTP, health-checked
 * (on Docker: Docker's own health status reaches `healthy`), checked for UID
 * 10001 and a writable working directory, then rebuilt after a source edit with
 * the dependency layer from the cache. Every case runs on Docker; a
 * representative set (a web app and a worker) on buildah too.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, readTree, runCli } from '../helpers/project.js';
import { START_PERIOD_LINE, addUserLine, generateAsOldVersion } from '../helpers/upgrade.js';
import { buildAndProbe, dockerEngine, engines, expectHealthy, freePort, type Engine } from './engine.js';

const APPS = join(repoRoot, 'test', 'fixtures', 'apps');

/** Copies an example app into a fresh folder and generates its Docker files. */
export async function generateApp(app: string, args: string[]): Promise<string> {
  const dir = makeProject({}, `e2e-${app}-`);
  cpSync(join(APPS, app), dir, { recursive: true });
  const generated = await runCli(dir, ['--yes', ...args]);
  expect(generated.exitCode, generated.stderr).toBe(0);
  return dir;
}

const tags: { on: Engine; tag: string }[] = [];
afterAll(async () => {
  for (const { on, tag } of tags) await on.remove(tag);
});

/** A test tag on this engine, removed after the file. */
function tagFor(on: Engine, name: string): string {
  const tag = `python-docker-e2e-${name}-${on.name}:test`;
  tags.push({ on, tag });
  return tag;
}

const WEB_APPS = [
  { app: 'fastapi', args: ['--framework', 'fastapi', '--entrypoint', 'main:app'], source: 'main.py' },
  { app: 'flask', args: ['--framework', 'flask', '--entrypoint', 'app:create_app()'], source: 'app.py' },
  { app: 'django', args: ['--framework', 'django', '--entrypoint', 'mysite'], source: 'mysite/urls.py' },
];

/**
 * On buildah, the representative set: a web app (with the cached rebuild) and a worker. The
 * compiler stage is left to Docker: on buildbox its apt step alone takes minutes of CI time.
 */
const onBuildah = (on: Engine, name: string) => on.name === 'docker' || ['fastapi', 'worker'].includes(name);

describe.each(engines.map((on) => ({ on, name: on.name })))('images build and run ($name)', ({ on }) => {
  it.each(WEB_APPS.filter(({ app }) => onBuildah(on, app)))(
    '$app: HTTP 200 as UID 10001, healthy, writable workdir, cached dependencies after a source edit',
    async ({ app, args, source }) => {
      const port = freePort();
      const dir = await generateApp(app, [...args, '--port', String(port)]);
      const tag = tagFor(on, app);

      // The app's / writes a file in its working directory, so 200 also proves /app is writable.
      expectHealthy(on, await buildAndProbe(on, dir, tag, port));

      appendFileSync(join(dir, source), '\n# an edit to the app source\n');
      const second = await on.build(dir, tag);
      expect(second.ok, second.log.slice(-3000)).toBe(true);
      expect(on.installStepCached(second.log), second.log).toBe(true);
    },
  );

  if (on.name === 'docker')
    it('pyproject.toml without requirements.txt: `pip install .` of a src-layout package with a readme and license', async () => {
      const port = freePort();
      const dir = await generateApp('pyproject', [
        '--framework',
        'fastapi',
        '--entrypoint',
        'shop.main:app',
        '--port',
        String(port),
      ]);
      expect(Object.keys(readTree(dir))).not.toContain('requirements.txt'); // no stub
      expectHealthy(on, await buildAndProbe(on, dir, tagFor(on, 'pyproject'), port));
    });

  if (on.name === 'docker')
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
      expectHealthy(on, await buildAndProbe(on, dir, tagFor(on, 'upgrade'), port));
    });

  if (on.name === 'docker')
    it.each([
      { app: 'detect-src-fastapi', port: 28301, cmd: 'shop.main:api' },
      { app: 'detect-flask-factory', port: 28302, cmd: 'app:create_app()' },
      { app: 'detect-django-nested', port: 28303, cmd: 'config.wsgi' },
      // Hatch's packages = ["src/py/app"]: src/py on PYTHONPATH, the package built by `pip install .`.
      { app: 'detect-hatch-src-py', port: 28305, cmd: 'app.asgi:create_app', args: ['--port', '28305'] },
    ])(
      '$app, generated with --yes alone from what detection found, answers HTTP 200',
      async ({ app, port, cmd, args }) => {
        const dir = await generateApp(app, args ?? []);
        expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain(`"${cmd}"`);
        expectHealthy(on, await buildAndProbe(on, dir, tagFor(on, app), port));
      },
    );

  if (onBuildah(on, 'psycopg2'))
    it('psycopg2 (a C extension): compilers in the builder stage, only libpq5 at runtime; builds and answers', async () => {
      const dir = await generateApp('psycopg2', []);
      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      expect(dockerfile).toContain('AS builder');
      expect(dockerfile).toContain('--no-install-recommends libpq5');
      // apt in the compiler stage needs Debian's mirror: the build's containers use the host's network.
      expectHealthy(on, await buildAndProbe(on, dir, tagFor(on, 'psycopg2'), 28304, { hostNetwork: true }));
    });

  if (on.name === 'docker')
    it('--no-buildkit: plain COPY and --no-cache-dir build and run too', async () => {
      const port = freePort();
      const dir = await generateApp('flask', [
        '--framework',
        'flask',
        '--entrypoint',
        'app:create_app()',
        '--port',
        String(port),
        '--no-buildkit',
      ]);
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).not.toContain('--mount=');
      expectHealthy(on, await buildAndProbe(on, dir, tagFor(on, 'nobuildkit'), port));
    });

  it('worker: runs to completion as UID 10001 with a writable workdir, from the generated requirements stub', async () => {
    const dir = await generateApp('worker', ['--framework', 'none', '--entrypoint', 'worker.py']);
    expect(Object.keys(readTree(dir))).toContain('requirements.txt'); // the stub
    const tag = tagFor(on, 'worker');
    const built = await on.build(dir, tag);
    expect(built.ok, built.log.slice(-3000)).toBe(true);
    const ran = await on.runToEnd(tag);
    expect(ran.exitCode, ran.output).toBe(0);
    expect(ran.output).toContain('worker done uid=10001 home=/home/app wrote=ok');
  });
});

// Docker's health scheduler must also say so when an app is not healthy: the check above can fail.
describe.skipIf(!dockerEngine)('Docker health status (docker)', () => {
  it('an app answering 500 on its health path is reported unhealthy by Docker', async () => {
    const on = dockerEngine!;
    const port = freePort();
    const dir = await generateApp('fastapi', [
      '--framework',
      'fastapi',
      '--entrypoint',
      'main:app',
      '--port',
      String(port),
    ]);
    writeFileSync(
      join(dir, 'main.py'),
      'from fastapi import FastAPI, Response\n\napp = FastAPI()\n\n\n@app.get("/")\ndef root() -> Response:\n    return Response("down", status_code=503)\n',
    );
    const report = await buildAndProbe(on, dir, tagFor(on, 'unhealthy'), port);
    expect(report.http).toBe(503);
    expect(report.health).toBe('unhealthy');
  });
});
