/**
 * Django over ASGI on Docker, generated with `--yes` alone: a project whose settings set ASGI_APPLICATION
 * (uvicorn added to its requirements.txt) and a Channels project declaring `channels[daphne]` (daphne's CMD).
 * Each image must build, answer HTTP 200 as UID 10001 and turn `healthy` by Docker's own status.
 *
 * The local package index repacks Debian's packages as wheels and drops top-level extension modules, so its
 * cffi has no `_cffi_backend` (Debian ships that separately): daphne imports Twisted, which imports
 * cryptography, which needs it. Where that exact module is missing, the Channels image is still generated,
 * linted, built and checked to hold daphne and to stop only for want of `_cffi_backend`, and the test says so;
 * with a working cffi it must answer and turn healthy like the uvicorn one. The index's wheels also keep no
 * extra's requirements, so the test lists daphne beside channels[daphne] before building.
 */
import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { execArgv, repoRoot, utilsDiagnostics } from '../helpers/dockerfile.js';
import { makeProject, runCli } from '../helpers/project.js';
import { buildAndProbe, dockerEngine, expectHealthy, freePort } from './engine.js';

const FIXTURES = join(repoRoot, 'test', 'fixtures');
const tags: string[] = [];
afterAll(async () => {
  for (const tag of tags) await dockerEngine?.remove(tag);
});

const docker = (args: string[]) => execa('docker', args, { reject: false, all: true, timeout: 120_000 });

async function generate(fixture: string, port: number): Promise<{ dir: string; stdout: string }> {
  const dir = makeProject({}, `e2e-django-asgi-${fixture.split('/')[1]}-`);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  const generated = await runCli(dir, ['--yes', '--port', String(port)]);
  expect(generated.exitCode, generated.stderr).toBe(0);
  return { dir, stdout: generated.stdout };
}

describe.skipIf(!dockerEngine)('Django over ASGI on Docker', () => {
  it('ASGI_APPLICATION: uvicorn added to requirements.txt, HTTP 200 as UID 10001, healthy, static files collected', async () => {
    const port = freePort();
    const { dir, stdout } = await generate('apps/django-asgi', port);
    expect(stdout).toContain('Django over ASGI via uvicorn (ASGI_APPLICATION in mysite/settings.py)');
    expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toMatch(/^uvicorn\[standard\]/m);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(execArgv(dockerfile, 'CMD')).toEqual([
      'uvicorn',
      'mysite.asgi:application',
      '--host',
      '0.0.0.0',
      '--port',
      String(port),
    ]);
    const tag = `python-docker-e2e-django-asgi-uvicorn-${process.pid}:test`;
    tags.push(tag);
    const report = await buildAndProbe(dockerEngine!, dir, tag, port);
    expectHealthy(dockerEngine!, report);
    // Served by uvicorn, as ASGI: the async view ran on its event loop.
    expect(report.log).toMatch(/Uvicorn running on http:\/\/0\.0\.0\.0:/);
    // Release steps as for WSGI: static files collected at build, migrate in README.Docker.md.
    const collected = await docker([
      'run',
      '--rm',
      tag,
      'python',
      '-c',
      "print(open('staticfiles/css/site.css').read())",
    ]);
    expect(collected.all).toContain('margin: 0');
    expect(readFileSync(join(dir, 'README.Docker.md'), 'utf8')).toMatch(/python manage\.py migrate/);
  });

  it('Channels with channels[daphne]: daphne CMD; builds, and answers healthy where cffi works', async () => {
    const port = freePort();
    const { dir, stdout } = await generate('detect/django-channels', port);
    expect(stdout).toContain('Django over ASGI via daphne (ASGI_APPLICATION in config/settings/base.py)');
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(utilsDiagnostics(dockerfile)).toEqual([]);
    expect(execArgv(dockerfile, 'CMD')).toEqual([
      'daphne',
      '-b',
      '0.0.0.0',
      '-p',
      String(port),
      'config.asgi:application',
    ]);
    // The index's wheels keep no extra's requirements (channels[daphne] would bring no daphne): the one
    // adaptation, after generating, is to list daphne itself, as PyPI's channels[daphne] installs it.
    appendFileSync(join(dir, 'requirements.txt'), 'daphne\n');
    const tag = `python-docker-e2e-django-asgi-daphne-${process.pid}:test`;
    tags.push(tag);
    const built = await dockerEngine!.build(dir, tag);
    expect(built.ok, built.log.slice(-3000)).toBe(true);
    const installed = await docker([
      'run',
      '--rm',
      tag,
      'sh',
      '-c',
      'command -v daphne && python -c "import channels"',
    ]);
    expect(installed.exitCode, installed.all).toBe(0);

    const cffi = await docker(['run', '--rm', tag, 'python', '-c', 'import _cffi_backend']);
    if (cffi.exitCode !== 0) {
      // Only that exact module may be what is missing, and it must be where daphne's imports stop.
      const missing = /^ModuleNotFoundError: No module named '_cffi_backend'$/m;
      expect(cffi.all).toMatch(missing);
      const chain = await docker(['run', '--rm', tag, 'python', '-c', 'import cryptography.hazmat.bindings._rust']);
      expect(chain.all).toMatch(missing);
      console.warn(
        "e2e: django-asgi: daphne's image built but not started: the package index's cffi has no _cffi_backend " +
          '(daphne imports autobahn, which imports cryptography, which needs it); ' +
          'its CMD was checked statically, and the uvicorn image served',
      );
      return;
    }
    expectHealthy(dockerEngine!, await dockerEngine!.runWeb(tag, port, '/'));
  });
});
