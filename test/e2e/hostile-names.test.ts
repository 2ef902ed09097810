/**
 * A Django project in a subfolder whose name a shell would run (`x;touch${IFS}PWNED;y`)
 * or split (`my project`), generated with `--yes` and built on Docker: collectstatic runs
 * in exec form, so no extra command runs in the build; the `my project` image starts and
 * answers, and README.Docker.md's `migrate` line (`docker exec` in the app's container),
 * pasted into a shell, runs migrate and nothing else.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, runCli } from '../helpers/project.js';
import { dockerEngine, waitForHealth, waitForHttp } from './engine.js';

const TAG = (n: string) => `ctx-hostile-${n}:test`;
const CONTAINER = `ctx-hostile-${process.pid}`;
const PWNED_CONTAINER = `ctx-hostile-pwned-${process.pid}`;
const PORT = Number(process.env.E2E_HOSTILE_PORT ?? 21_000 + (process.pid % 900));
const docker = (args: string[]) => execa('docker', args, { reject: false, all: true });

afterAll(async () => {
  if (!dockerEngine) return;
  await docker(['rm', '-f', CONTAINER, PWNED_CONTAINER]);
  for (const n of ['pwned', 'space']) await dockerEngine.remove(TAG(n));
});

/** The django-release app with manage.py and its package inside `folder`, requirements.txt at the root. */
async function project(folder: string) {
  const dir = makeProject({}, 'e2e-hostile-');
  mkdirSync(join(dir, folder));
  cpSync(join(repoRoot, 'test', 'fixtures', 'apps', 'django-release'), join(dir, folder), { recursive: true });
  cpSync(join(dir, folder, 'requirements.txt'), join(dir, 'requirements.txt'));
  const run = await runCli(dir, ['--yes']);
  expect(run.exitCode, run.stderr).toBe(0);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    dockerfile: read('Dockerfile'),
    readme: read('README.Docker.md'),
    name: dir.split('/').at(-1)!.toLowerCase(),
  };
}

describe.skipIf(!dockerEngine)('folder names a shell would read, on Docker', () => {
  it('x;touch${IFS}PWNED;y: collectstatic runs in exec form, and touch never runs', async () => {
    const folder = 'x;touch${IFS}PWNED;y';
    const { dir, dockerfile, readme, name } = await project(folder);
    expect(dockerfile).toContain(
      `RUN ["env", "DJANGO_SECRET_KEY=build-only-not-a-secret", "python", "${folder}/manage.py", "collectstatic", "--noinput"]`,
    );
    const build = await dockerEngine!.build(dir, TAG('pwned'));
    expect(build.ok, build.log.slice(-3000)).toBe(true);
    const found = await docker([
      'run',
      '--rm',
      '--user',
      '0',
      TAG('pwned'),
      'sh',
      '-c',
      'find / -xdev -name PWNED; ls "/app/$0/staticfiles/css"',
      folder,
    ]);
    expect(found.exitCode, found.all).toBe(0);
    expect(found.stdout).not.toContain('PWNED');
    expect(found.stdout).toContain('site.css');

    // README.Docker.md's migrate line runs in the app's container: started here under a test name,
    // then the line pasted into a shell in the project folder with that name.
    const line = readme.split('\n').find((l) => l.startsWith(`docker exec ${name} python`) && l.endsWith(' migrate'))!;
    expect(line).toBe(`docker exec ${name} python '${folder}/manage.py' migrate`);
    const started = await docker([
      'run',
      '-d',
      '--name',
      PWNED_CONTAINER,
      '-e',
      'DJANGO_SECRET_KEY=e2e',
      '-e',
      'DATABASE_PATH=/tmp/db.sqlite3',
      TAG('pwned'),
    ]);
    expect(started.exitCode, started.all).toBe(0);
    const pasted = line.replace(`docker exec ${name} `, `docker exec ${PWNED_CONTAINER} `);
    const ran = await execa('sh', ['-c', pasted], { cwd: dir, reject: false, all: true });
    expect(ran.exitCode, ran.all).toBe(0);
    expect(ran.all).toMatch(/Applying auth\.0001_initial/);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });

  it('my project: builds, starts healthy and answers; the README migrate line runs as pasted', async () => {
    const { dir, dockerfile, readme, name } = await project('my project');
    expect(dockerfile).toContain('PYTHONPATH="/app/my project"');
    const build = await dockerEngine!.build(dir, TAG('space'));
    expect(build.ok, build.log.slice(-3000)).toBe(true);
    const run = await docker([
      'run',
      '-d',
      '--name',
      CONTAINER,
      '-e',
      'DJANGO_SECRET_KEY=e2e',
      '-p',
      `127.0.0.1:${PORT}:8000`,
      '--health-interval',
      '1s',
      TAG('space'),
    ]);
    expect(run.exitCode, run.all).toBe(0);
    expect(await waitForHttp(`http://127.0.0.1:${PORT}/healthz/`)).toBe(200);
    expect(await waitForHealth(CONTAINER), (await docker(['logs', CONTAINER])).all).toBe('healthy');
    const line = readme.split('\n').find((l) => l.startsWith(`docker exec ${name} python`) && l.endsWith(' migrate'))!;
    expect(line).toBe(`docker exec ${name} python 'my project/manage.py' migrate`);
    const pasted = line.replace(`docker exec ${name} `, `docker exec ${CONTAINER} `);
    const ran = await execa('sh', ['-c', pasted], { cwd: dir, reject: false, all: true });
    expect(ran.exitCode, ran.all).toBe(0);
  });
});
