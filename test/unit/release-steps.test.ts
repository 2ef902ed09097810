/**
 * Release steps: Django's migrate and collectstatic, a Procfile's release: line.
 * Static files are collected at build only when the settings load there.
 */
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../lib/answers.js';
import { ProjectTree } from '../../lib/detect/project-tree.js';
import { releaseSteps } from '../../lib/release-steps.js';
import { execArgv, instructions } from '../helpers/dockerfile.js';
import { makeProject, readTree, runCli } from '../helpers/project.js';

const DJANGO = { framework: 'django', entrypoint: 'mysite' } as Answers;
const MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";
const APPS = "INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.staticfiles']\n";
const ROOT = "STATIC_ROOT = BASE_DIR / 'staticfiles'\n";
const steps = (settings: string, extra: Record<string, string> = {}) =>
  releaseSteps(new ProjectTree(makeProject({ 'manage.py': MANAGE, 'mysite/__init__.py': '', 'mysite/settings.py': settings, ...extra })), DJANGO, undefined);

describe('collectstatic at build', () => {
  it('when STATIC_ROOT is set and the settings hold everything they need', () => {
    expect(steps(`SECRET_KEY = 'django-insecure-x'\n${APPS}${ROOT}`)).toEqual({ managePy: 'manage.py', collectStatic: {} });
  });

  it.each([
    ['os.environ[…]', 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n', 'DJANGO_SECRET_KEY'],
    ['os.getenv without a default', "SECRET_KEY = os.getenv('SECRET_KEY')\n", 'SECRET_KEY'],
    ['django-environ', "import environ\nenv = environ.Env()\nSECRET_KEY = env('SECRET_KEY')\nDEBUG = env.bool('DEBUG', default=False)\n", 'SECRET_KEY'],
    ['python-decouple', "from decouple import config\nSECRET_KEY = config('SECRET_KEY')\nDEBUG = config('DEBUG', default=False, cast=bool)\n", 'SECRET_KEY'],
  ])('with a throwaway SECRET_KEY when the settings read it from the environment (%s)', (_, secret, name) => {
    expect(steps(`import os\n${secret}${APPS}${ROOT}`).collectStatic).toEqual({ secretKeyVar: name });
  });

  it.each([
    ['no STATIC_ROOT', `SECRET_KEY = 'x'\n${APPS}`, /^STATIC_ROOT is not set \(mysite\/settings\.py\)/],
    ['STATIC_ROOT = None', `${APPS}STATIC_ROOT = None\n`, /^STATIC_ROOT is not set/],
    ['no staticfiles app', `INSTALLED_APPS = ['django.contrib.auth']\n${ROOT}`, /^django\.contrib\.staticfiles is not in INSTALLED_APPS/],
    ['STATIC_ROOT outside the app', `${APPS}STATIC_ROOT = '/var/www/static'\n`, /outside the app's folder/],
    ['another required variable', `import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDB = os.environ['DATABASE_URL']\n${APPS}${ROOT}`, /^the settings need DATABASE_URL from the environment/],
    ['a value used as a string', `import os\nALLOWED_HOSTS = os.getenv('ALLOWED_HOSTS').split(',')\n${APPS}${ROOT}`, /need ALLOWED_HOSTS/],
    ['int() of a missing value', `import os\nPORT = int(os.environ.get('DB_PORT'))\n${APPS}${ROOT}`, /need DB_PORT/],
    ['django-environ database', `import environ\nenv = environ.Env()\nSECRET_KEY = env('SECRET_KEY')\nDATABASES = {'default': env.db()}\n${APPS}${ROOT}`, /need DATABASE_URL/],
    ['django-environ without a default', `import environ\nenv = environ.Env()\nSECRET_KEY = env('SECRET_KEY')\nCACHE = env.str('REDIS_URL')\n${APPS}${ROOT}`, /need REDIS_URL/],
    ['decouple without a default', `from decouple import config\nSECRET_KEY = config('SECRET_KEY')\nEMAIL = config('EMAIL_HOST_PASSWORD')\n${APPS}${ROOT}`, /need EMAIL_HOST_PASSWORD/],
    ['a file read at load', `${APPS}${ROOT}SECRET_KEY = open('/run/secrets/key').read()\n`, /read a file/],
  ])('not with %s, and says why', (_, settings, why) => {
    const found = steps(settings);
    expect(found.collectStatic).toBeUndefined();
    expect(found.noCollectStatic).toMatch(why);
  });

  it('reads a settings package whole (production.py importing base.py), and finds manage.py one folder down', () => {
    const dir = makeProject({
      'backend/manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
      'backend/config/__init__.py': '',
      'backend/config/settings/__init__.py': '',
      'backend/config/settings/base.py': `${APPS}${ROOT}`,
      'backend/config/settings/production.py': "from .base import *\nimport os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n",
    });
    expect(releaseSteps(new ProjectTree(dir), { ...DJANGO, entrypoint: 'config' }, 'backend')).toEqual({
      managePy: 'backend/manage.py',
      collectStatic: { secretKeyVar: 'DJANGO_SECRET_KEY' },
    });
  });

  it('a Procfile release: line, for any framework', () => {
    const dir = makeProject({ Procfile: 'web: gunicorn app:app\nrelease: ./scripts/release.sh\n' });
    expect(releaseSteps(new ProjectTree(dir), { framework: 'flask', entrypoint: 'app:app' } as Answers, undefined)).toEqual({ procfileRelease: './scripts/release.sh' });
  });
});

describe('the generated files', () => {
  const project = (settings: string, extra: Record<string, string> = {}) =>
    makeProject({ 'requirements.txt': 'django\ngunicorn\n', 'manage.py': MANAGE, 'mysite/__init__.py': '', 'mysite/wsgi.py': '', 'mysite/settings.py': settings, ...extra });

  it('collect static files as the app user, after the source, with the throwaway key in that step only', async () => {
    const dir = project(`import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n${APPS}${ROOT}`);
    await runCli(dir, ['--yes']);
    const { Dockerfile: dockerfile, 'README.Docker.md': readme } = readTree(dir);
    const keywords = instructions(dockerfile).map((i) => `${i.keyword} ${i.args}`);
    const collect = keywords.indexOf('RUN ["env", "DJANGO_SECRET_KEY=build-only-not-a-secret", "python", "manage.py", "collectstatic", "--noinput"]');
    expect(collect).toBeGreaterThan(keywords.indexOf('USER 10001:10001'));
    expect(collect).toBeGreaterThan(keywords.findIndex((k) => k.startsWith('COPY --chown=10001:10001 . .')));
    expect(keywords.filter((k) => k.startsWith('ENV')).join('\n')).not.toContain('SECRET');
    expect(execArgv(dockerfile, 'CMD')).toContain('mysite.wsgi');
    const name = dir.split('/').at(-1)!.toLowerCase();
    expect(readme).toContain(`## Release steps`);
    expect(readme).toContain(`docker run --rm ${name} python manage.py migrate\n`);
    expect(readme).toContain('Static files are collected at build');
  });

  it('say why static files are not collected, and how to collect them; the Procfile release step replaces the migrate line', async () => {
    const dir = project(`SECRET_KEY = 'x'\n${APPS}`, { Procfile: "release: python manage.py migrate --noinput; echo 'done'\n", '.env': 'X=1\n' });
    const run = await runCli(dir, ['--yes']);
    expect(run.stdout).toContain("Procfile release: python manage.py migrate --noinput; echo 'done'");
    const { Dockerfile: dockerfile, 'README.Docker.md': readme } = readTree(dir);
    expect(dockerfile).not.toContain('collectstatic');
    const name = dir.split('/').at(-1)!.toLowerCase();
    expect(readme).toContain(`docker run --rm --env-file .env ${name} sh -c 'python manage.py migrate --noinput; echo '\\''done'\\'''`);
    expect(readme).not.toContain('python manage.py migrate\n');
    expect(readme).toContain('Static files are not collected at build: STATIC_ROOT is not set (mysite/settings.py)');
    expect(readme).toContain('python manage.py collectstatic --noinput');
  });

  it('a non-Django project without a Procfile release line has no release section', async () => {
    const dir = makeProject({ 'requirements.txt': 'flask\ngunicorn\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' });
    await runCli(dir, ['--yes']);
    expect(readTree(dir)['README.Docker.md']).not.toContain('Release steps');
  });
});
