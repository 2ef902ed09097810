/**
 * Django over ASGI (lib/frameworks/django-asgi.ts): which projects run their ASGI application, by which
 * server, with which CMD and packages; and the ones that stay on WSGI and gunicorn.
 */
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../lib/answers.js';
import { detectProject } from '../../lib/detect/detect-project.js';
import { frameworkPlugin } from '../../lib/frameworks/index.js';
import { declaredDependencies } from '../../lib/project/dependencies.js';
import { missingEntrypoint } from '../../lib/project/modules.js';
import { ProjectTree } from '../../lib/project/project-tree.js';
import { scanProject } from '../../lib/project-files.js';
import { FASTAPI_ANSWERS } from '../helpers/facts.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { makeProject } from '../helpers/project.js';

const django = frameworkPlugin('django');

/** A project as `django-admin startproject mysite .` writes it (asgi.py included), plus `files`. */
function startproject(files: Record<string, string> = {}, settings = ''): string {
  return makeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
    'mysite/__init__.py': '',
    'mysite/settings.py': `ROOT_URLCONF = "mysite.urls"\nWSGI_APPLICATION = "mysite.wsgi.application"\n${settings}`,
    'mysite/urls.py': 'urlpatterns = []\n',
    'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
    'mysite/asgi.py': 'from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n',
    'requirements.txt': 'django\n',
    ...files,
  });
}

const answers = (entrypoint: string): Answers => ({ ...FASTAPI_ANSWERS, framework: 'django', entrypoint });

/** What a `--yes` run would do: the detected entrypoint, then the CMD, the packages and the scan's warnings. */
async function served(dir: string, entrypoint?: string) {
  const detected = await detectProject(dir);
  const entry = entrypoint ?? (detected.answers.entrypoint as string);
  const scan = scanProject(new ProjectTree(dir), answers(entry));
  const serving = scan.facts.serving;
  return {
    entrypoint: detected.answers.entrypoint,
    source: detected.sources?.entrypoint,
    serving,
    cmd: (serving ?? django).command(entry, 8000, scan.facts.server),
    packages: serving?.packages ?? django.stubPackages,
    warnings: scan.warnings,
  };
}

const uvicorn = (app: string, ...options: string[]) => [
  'uvicorn',
  app,
  '--host',
  '0.0.0.0',
  '--port',
  '8000',
  ...options,
];
const gunicorn = (app: string, ...options: string[]) => [
  'gunicorn',
  '--bind',
  '0.0.0.0:8000',
  '--access-logfile',
  '-',
  ...options,
  app,
];

describe('Django over ASGI', () => {
  it('a Channels project (settings package, channels[daphne]): its ASGI application by daphne', async () => {
    const r = await served(fixtureCopy('detect', 'django-channels'));
    expect(r.entrypoint).toBe('config.asgi:application');
    // ASGI_APPLICATION is in base.py; manage.py names production.py, which imports it.
    expect(r.source).toBe('ASGI_APPLICATION in config/settings/base.py');
    expect(r.cmd).toEqual(['daphne', '-b', '0.0.0.0', '-p', '8000', 'config.asgi:application']);
    // channels[daphne] brings daphne: nothing is missing.
    expect(r.packages).toEqual(['django', 'daphne']);
    expect(r.serving?.label).toBe('ASGI via daphne');
  });

  it('a Procfile running uvicorn: its ASGI application, with its options carried', async () => {
    const r = await served(fixtureCopy('detect', 'django-asgi-procfile'));
    expect(r.entrypoint).toBe('mysite.asgi:application');
    expect(r.cmd).toEqual(uvicorn('mysite.asgi:application', '--workers', '2'));
    expect(r.packages).toEqual(['django', 'uvicorn']);
    expect(r.serving?.label).toBe('ASGI via uvicorn');
  });

  it('ASGI_APPLICATION in a settings module, no server declared: uvicorn', async () => {
    const r = await served(startproject({}, 'ASGI_APPLICATION = "mysite.asgi.application"\n'));
    expect(r.entrypoint).toBe('mysite.asgi:application');
    expect(r.source).toBe('ASGI_APPLICATION in mysite/settings.py');
    expect(r.cmd).toEqual(uvicorn('mysite.asgi:application'));
    expect(r.packages).toEqual(['django', 'uvicorn']);
  });

  it('ASGI_APPLICATION naming another module (Channels 2 routing.py) is what runs', async () => {
    const r = await served(
      startproject(
        { 'mysite/routing.py': 'application = None\n' },
        'ASGI_APPLICATION = "mysite.routing.application"\n',
      ),
    );
    expect(r.entrypoint).toBe('mysite.routing:application');
    expect(r.cmd).toEqual(uvicorn('mysite.routing:application'));
    const dir = startproject(
      { 'mysite/routing.py': 'application = None\n' },
      'ASGI_APPLICATION = "mysite.routing.application"\n',
    );
    // --entrypoint mysite: the application the settings name in that package.
    expect((await served(dir, 'mysite')).cmd).toEqual(uvicorn('mysite.routing:application'));
  });

  it('Channels declared without ASGI_APPLICATION: the asgi module beside wsgi.py', async () => {
    const r = await served(startproject({ 'requirements.txt': 'django\nchannels\n' }));
    expect(r.entrypoint).toBe('mysite.asgi:application');
    expect(r.source).toBe('channels in requirements.txt');
    expect(r.serving?.source).toBe('channels in requirements.txt');
    expect(r.cmd).toEqual(uvicorn('mysite.asgi:application'));
  });

  it('a Procfile running uvicorn wins over a declared daphne', async () => {
    const r = await served(
      startproject({
        'requirements.txt': 'django\nchannels[daphne]\nuvicorn\n',
        Procfile: 'web: uvicorn mysite.asgi:application --port $PORT\n',
      }),
    );
    expect(r.cmd).toEqual(uvicorn('mysite.asgi:application'));
  });

  it('--entrypoint mysite.asgi loads the asgi module itself', async () => {
    const dir = startproject({}, 'ASGI_APPLICATION = "mysite.asgi.application"\n');
    const entry = { entrypoint: 'mysite.asgi', framework: 'django' };
    expect(missingEntrypoint(new ProjectTree(dir), entry, declaredDependencies(new ProjectTree(dir)))).toBeUndefined();
  });

  it('daphne declared on its own line: daphne', async () => {
    const r = await served(startproject({ 'requirements.txt': 'django\nchannels\ndaphne\n' }));
    expect(r.cmd).toEqual(['daphne', '-b', '0.0.0.0', '-p', '8000', 'mysite.asgi:application']);
  });

  it('a plain startproject (asgi.py, no ASGI_APPLICATION, no Channels) stays on WSGI and gunicorn', async () => {
    const r = await served(startproject());
    expect(r.entrypoint).toBe('mysite.wsgi:application');
    expect(r.serving).toBeUndefined();
    expect(r.cmd).toEqual(gunicorn('mysite.wsgi:application'));
    expect(r.packages).toEqual(['django', 'gunicorn']);
    expect((await served(startproject(), 'mysite')).cmd).toEqual(gunicorn('mysite.wsgi'));
  });

  it('an entrypoint naming the wsgi module stays on WSGI; a bare project package follows the settings', async () => {
    const dir = startproject({}, 'ASGI_APPLICATION = "mysite.asgi.application"\n');
    expect((await served(dir, 'mysite.wsgi')).cmd).toEqual(gunicorn('mysite.wsgi'));
    expect((await served(dir, 'mysite')).cmd).toEqual(uvicorn('mysite.asgi:application'));
    expect((await served(dir, 'mysite.asgi')).cmd).toEqual(uvicorn('mysite.asgi:application'));
  });

  it('a Procfile running daphne: daphne, its port and bind left to the image, its other options carried', async () => {
    const r = await served(
      startproject({
        'requirements.txt': 'django\ndaphne\n',
        Procfile: 'web: daphne mysite.asgi:application --port $PORT --bind 0.0.0.0 --proxy-headers -t 60\n',
      }),
    );
    expect(r.source).toMatch(/^Procfile web: daphne/);
    expect(r.cmd).toEqual([
      'daphne',
      '-b',
      '0.0.0.0',
      '-p',
      '8000',
      '--proxy-headers',
      '-t',
      '60',
      'mysite.asgi:application',
    ]);
    expect(r.warnings.join('\n')).toContain('--port $PORT (the image listens on 8000)');
  });

  it("daphne's -p with a number is the port the image sets, not a dropped option", async () => {
    const r = await served(
      startproject({
        'requirements.txt': 'django\ndaphne\n',
        Procfile: 'web: daphne -p 8000 mysite.asgi:application\n',
      }),
    );
    expect(r.cmd).toEqual(['daphne', '-b', '0.0.0.0', '-p', '8000', 'mysite.asgi:application']);
    expect(r.warnings.join('\n')).not.toContain('not carried over');
  });

  it('a Procfile running gunicorn with uvicorn workers: gunicorn, -k carried, uvicorn needed too', async () => {
    const r = await served(
      startproject({
        'requirements.txt': 'django\ngunicorn\nuvicorn\n',
        Procfile: 'web: gunicorn -k uvicorn.workers.UvicornWorker mysite.asgi:application --workers 3\n',
      }),
    );
    expect(r.entrypoint).toBe('mysite.asgi:application');
    expect(r.cmd).toEqual(gunicorn('mysite.asgi:application', '-k', 'uvicorn.workers.UvicornWorker', '--workers', '3'));
    expect(r.packages).toEqual(['django', 'gunicorn', 'uvicorn']);
    expect(r.serving?.label).toBe('ASGI via gunicorn with uvicorn workers');
  });

  it('release steps read the settings the ASGI module names', async () => {
    const dir = startproject(
      {
        'mysite/asgi.py':
          'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n' +
          'from django.core.asgi import get_asgi_application\napplication = get_asgi_application()\n',
      },
      'ASGI_APPLICATION = "mysite.asgi.application"\nDEBUG = True\n' +
        'INSTALLED_APPS = ["django.contrib.staticfiles"]\nSTATIC_ROOT = "staticfiles"\n',
    );
    const scan = scanProject(new ProjectTree(dir), answers('mysite.asgi:application'));
    expect(scan.facts.release?.managePy).toBe('manage.py');
    expect(scan.facts.release?.collectStatic).toEqual({});
    expect(scan.warnings.join('\n')).toContain('mysite/settings.py sets DEBUG = True');
  });
});
