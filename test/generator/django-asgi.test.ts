/**
 * Django over ASGI through both front-ends, `--yes`: the CMD, the server added to requirements.txt (or
 * not, when channels[daphne] brings it), the run's summary and README.Docker.md naming the serving,
 * `--framework django` kept, and a plain Django project left on gunicorn.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { execArgv, utilsDiagnostics } from '../helpers/dockerfile.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { FRONT_ENDS, runFrontEnd, suiteFor } from '../helpers/front-ends.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

for (const frontEnd of FRONT_ENDS) {
  suiteFor(frontEnd)(`Django over ASGI (${frontEnd})`, () => {
    it('a Channels project with channels[daphne]: daphne, nothing added, the serving named', async () => {
      const dir = fixtureCopy('detect', 'django-channels');
      const requirements = read(dir, 'requirements.txt');
      const run = await runFrontEnd(frontEnd, dir, ['--yes', '--syntax-line', 'no']);
      expect(run.exitCode, run.all).toBe(0);
      const dockerfile = read(dir, 'Dockerfile');
      expect(utilsDiagnostics(dockerfile)).toEqual([]);
      expect(execArgv(dockerfile, 'CMD')).toEqual(['daphne', '-b', '0.0.0.0', '-p', '8000', 'config.asgi:application']);
      expect(read(dir, 'requirements.txt')).toBe(requirements);
      expect(run.all).toContain('Django over ASGI via daphne (ASGI_APPLICATION in config/settings/base.py)');
      expect(read(dir, 'README.Docker.md')).toContain('for this Django project,\nserved over ASGI via daphne\n');
      const stored = JSON.parse(read(dir, '.yo-rc.json'))['generator-python-docker'].answers;
      expect(stored).toMatchObject({ framework: 'django', entrypoint: 'config.asgi:application' });
    });

    it('a uvicorn Procfile: uvicorn with its workers; an ASGI app without uvicorn gets it added', async () => {
      const procfile = fixtureCopy('detect', 'django-asgi-procfile');
      const run = await runFrontEnd(frontEnd, procfile, ['--yes', '--syntax-line', 'no']);
      expect(run.exitCode, run.all).toBe(0);
      expect(execArgv(read(procfile, 'Dockerfile'), 'CMD')).toEqual([
        'uvicorn',
        'mysite.asgi:application',
        '--host',
        '0.0.0.0',
        '--port',
        '8000',
        '--workers',
        '2',
      ]);
      expect(read(procfile, 'README.Docker.md')).toContain('served over ASGI via uvicorn');

      const app = fixtureCopy('apps', 'django-asgi');
      const added = await runFrontEnd(frontEnd, app, ['--yes', '--syntax-line', 'no']);
      expect(added.exitCode, added.all).toBe(0);
      expect(read(app, 'requirements.txt')).toBe('django\nuvicorn[standard]>=0.32,<1\n');
      expect(read(app, 'Dockerfile')).toContain('"collectstatic"');
    });

    it('an ASGI project with no dependency file: the stub lists uvicorn, not gunicorn', async () => {
      const dir = fixtureCopy('apps', 'django-asgi');
      rmSync(join(dir, 'requirements.txt'));
      const run = await runFrontEnd(frontEnd, dir, ['--yes', '--framework', 'django', '--syntax-line', 'no']);
      expect(run.exitCode, run.all).toBe(0);
      const stub = read(dir, 'requirements.txt');
      expect(stub).toMatch(/^uvicorn\[standard\]/m);
      expect(stub).not.toContain('gunicorn');
      expect(execArgv(read(dir, 'Dockerfile'), 'CMD')?.slice(0, 2)).toEqual(['uvicorn', 'mysite.asgi:application']);
    });

    it('a plain Django project keeps gunicorn and says nothing about ASGI', async () => {
      const dir = fixtureCopy('apps', 'django', {
        'mysite/asgi.py': 'from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n',
      });
      const run = await runFrontEnd(frontEnd, dir, ['--yes', '--syntax-line', 'no']);
      expect(run.exitCode, run.all).toBe(0);
      expect(execArgv(read(dir, 'Dockerfile'), 'CMD')?.[0]).toBe('gunicorn');
      expect(run.all).not.toContain('ASGI');
      expect(read(dir, 'README.Docker.md')).not.toContain('ASGI');
    });
  });
}
