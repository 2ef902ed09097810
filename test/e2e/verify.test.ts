/**
 * `python-docker --verify` builds, starts and checks the image itself: through
 * buildbox here (buildah, its build command swapped for buildbox's, which serves
 * base images offline), through Docker where an engine answers.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { CLI, makeProject } from '../helpers/project.js';
import { BUILDBOX, engine, freePort } from './engine.js';

const APPS = join(repoRoot, 'test', 'fixtures', 'apps');
const env = engine?.name === 'buildbox' ? { PYTHON_DOCKER_BUILDAH_BUILD: join(BUILDBOX, 'build') } : {};

async function verify(app: string, args: string[]) {
  const dir = makeProject({}, `verify-${app}-`);
  cpSync(join(APPS, app), dir, { recursive: true });
  return execa('node', [CLI, '--yes', '--verify', ...args], { cwd: dir, reject: false, all: true, stdin: 'ignore', env });
}

async function verifyImagesLeft(): Promise<string> {
  const list = engine?.name === 'buildbox' ? await execa('buildah', ['images', '--format', '{{.Name}}']) : await execa('docker', ['images', '--format', '{{.Repository}}']);
  return list.stdout.split('\n').filter((n) => n.includes('-verify')).join(', ');
}

describe.skipIf(!engine)(`--verify (${engine?.name})`, () => {
  it.each([
    { app: 'fastapi', args: ['--framework', 'fastapi', '--entrypoint', 'main:app'] },
    { app: 'flask', args: ['--framework', 'flask', '--entrypoint', 'app:create_app()'] },
    { app: 'django', args: ['--framework', 'django', '--entrypoint', 'mysite'] },
  ])('$app: builds, answers, is healthy and runs as non-root; cleans up', async ({ app, args }) => {
    const run = await verify(app, [...args, '--port', String(freePort())]);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toMatch(/^ {2}step \d+\/\d+: /m); // progress, step by step
    expect(run.all).toMatch(/^✔ builds — [\d.]+ s with \w+; log: \/\S+\.log$/m);
    expect(run.all).toMatch(/^✔ answers on port \d+ — HTTP 200 on \/$/m);
    expect(run.all).toContain('✔ healthcheck passes — exit 0');
    expect(run.all).toContain('✔ runs as a non-root user — UID 10001');
    expect(await verifyImagesLeft()).toBe('');
  });

  it('worker: starts and runs as non-root; no HTTP checks', async () => {
    const run = await verify('worker', ['--framework', 'none', '--entrypoint', 'worker.py']);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toContain('✔ starts — ');
    expect(run.all).toContain('✔ healthcheck — none (not a web app)');
    expect(run.all).toMatch(/✔ runs as a non-root user — UID 10001/);
  });

  it('a failing build: ✖, the log tail, exit 1', async () => {
    const dir = makeProject({ 'requirements.txt': 'no-such-package-anywhere==1.0\n', 'main.py': 'app = None\n' }, 'verify-broken-');
    const run = await execa('node', [CLI, '--yes', '--verify', '--framework', 'fastapi'], { cwd: dir, reject: false, all: true, stdin: 'ignore', env });
    expect(run.exitCode).toBe(1);
    expect(run.all).toMatch(/^✖ builds — /m);
    expect(run.all).toContain('Last lines of the build log:');
    expect(run.all).toContain('no-such-package-anywhere');
  });

  it('an app that does not answer: ✖ on the port check, the app output, exit 1', async () => {
    const dir = makeProject({ 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': 'raise SystemExit("boom: missing configuration")\n' }, 'verify-crash-');
    const run = await execa('node', [CLI, '--yes', '--verify', '--framework', 'fastapi', '--port', String(freePort())], { cwd: dir, reject: false, all: true, stdin: 'ignore', env });
    expect(run.exitCode).toBe(1);
    expect(run.all).toMatch(/^✔ builds/m);
    expect(run.all).toMatch(/^✖ answers on port \d+ — the app exited$/m);
    expect(run.all).toContain('boom: missing configuration');
  });
});
