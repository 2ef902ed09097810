/**
 * Release steps: Django's migrate and collectstatic, a Procfile's release: line.
 * Static files are collected at build only when the settings load there.
 */
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../lib/answers.js';
import { ProjectTree } from '../../lib/project/project-tree.js';
import { releaseSteps } from '../../lib/release-steps.js';
import { execArgv, instructions } from '../helpers/dockerfile.js';
import { makeProject, readTree, runCli } from '../helpers/project.js';

const DJANGO = { framework: 'django', entrypoint: 'mysite' } as Answers;
const MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";
const APPS = "INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.staticfiles']\n";
const ROOT = "STATIC_ROOT = BASE_DIR / 'staticfiles'\n";
const steps = (settings: string, extra: Record<string, string> = {}) =>
  releaseSteps(
    new ProjectTree(
      makeProject({ 'manage.py': MANAGE, 'mysite/__init__.py': '', 'mysite/settings.py': settings, ...extra }),
    ),
    DJANGO,
    undefined,
  );

describe("the project's manage.py", () => {
  it('is the one in the folder holding the entrypoint, before another one folder down', () => {
    const project = makeProject({
      'docs/manage.py': MANAGE,
      'src/backend/manage.py': MANAGE,
      'src/backend/mysite/__init__.py': '',
      'src/backend/mysite/settings.py': `SECRET_KEY = 'x'\n${APPS}${ROOT}`,
    });
    expect(releaseSteps(new ProjectTree(project), DJANGO, 'src/backend').managePy).toBe('src/backend/manage.py');
  });
});

describe('collectstatic at build', () => {
  it('when STATIC_ROOT is set and the settings hold everything they need', () => {
    expect(steps(`SECRET_KEY = 'django-insecure-x'\n${APPS}${ROOT}`)).toEqual({
      managePy: 'manage.py',
      collectStatic: {},
      staticRoot: true,
    });
  });

  it.each([
    ['os.environ[…]', 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n', 'DJANGO_SECRET_KEY'],
    ['os.getenv without a default', "SECRET_KEY = os.getenv('SECRET_KEY')\n", 'SECRET_KEY'],
    [
      'django-environ',
      "import environ\nenv = environ.Env()\nSECRET_KEY = env('SECRET_KEY')\nDEBUG = env.bool('DEBUG', default=False)\n",
      'SECRET_KEY',
    ],
    [
      'python-decouple',
      "from decouple import config\nSECRET_KEY = config('SECRET_KEY')\nDEBUG = config('DEBUG', default=False, cast=bool)\n",
      'SECRET_KEY',
    ],
  ])('with a throwaway SECRET_KEY when the settings read it from the environment (%s)', (_, secret, name) => {
    expect(steps(`import os\n${secret}${APPS}${ROOT}`).collectStatic).toEqual({ secretKeyVar: name });
  });

  it.each([
    ['no STATIC_ROOT', `SECRET_KEY = 'x'\n${APPS}`, /^STATIC_ROOT is not set \(mysite\/settings\.py\)/],
    ['STATIC_ROOT = None', `${APPS}STATIC_ROOT = None\n`, /^STATIC_ROOT is not set/],
    [
      'no staticfiles app',
      `INSTALLED_APPS = ['django.contrib.auth']\n${ROOT}`,
      /^django\.contrib\.staticfiles is not in INSTALLED_APPS/,
    ],
    ['STATIC_ROOT outside the app', `${APPS}STATIC_ROOT = '/var/www/static'\n`, /outside the app's folder/],
    [
      'another required variable',
      `import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDB = os.environ['DATABASE_URL']\n${APPS}${ROOT}`,
      /^the settings need DATABASE_URL from the environment/,
    ],
    [
      'a value used as a string',
      `import os\nALLOWED_HOSTS = os.getenv('ALLOWED_HOSTS').split(',')\n${APPS}${ROOT}`,
      /need ALLOWED_HOSTS/,
    ],
    ['int() of a missing value', `import os\nPORT = int(os.environ.get('DB_PORT'))\n${APPS}${ROOT}`, /need DB_PORT/],
    [
      'django-environ database',
      `import environ\nenv = environ.Env()\nSECRET_KEY = env('SECRET_KEY')\nDATABASES = {'default': env.db()}\n${APPS}${ROOT}`,
      /need DATABASE_URL/,
    ],
    [
      'django-environ without a default',
      `import environ\nenv = environ.Env()\nSECRET_KEY = env('SECRET_KEY')\nCACHE = env.str('REDIS_URL')\n${APPS}${ROOT}`,
      /need REDIS_URL/,
    ],
    [
      'decouple without a default',
      `from decouple import config\nSECRET_KEY = config('SECRET_KEY')\nEMAIL = config('EMAIL_HOST_PASSWORD')\n${APPS}${ROOT}`,
      /need EMAIL_HOST_PASSWORD/,
    ],
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
      'backend/config/settings/production.py':
        "from .base import *\nimport os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n",
    });
    expect(releaseSteps(new ProjectTree(dir), { ...DJANGO, entrypoint: 'config' }, 'backend')).toEqual({
      managePy: 'backend/manage.py',
      collectStatic: { secretKeyVar: 'DJANGO_SECRET_KEY' },
      staticRoot: true,
    });
  });

  it('warns about DEBUG = True in the settings the image loads, not in a local.py beside them', () => {
    const dir = makeProject({
      'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
      'config/__init__.py': '',
      'config/settings/__init__.py': '',
      'config/settings/base.py': 'ALLOWED_HOSTS = []\n',
      'config/settings/local.py': 'from .base import *\nDEBUG = True\n',
      'config/settings/production.py': 'from .base import *\nDEBUG = False\n',
    });
    const warnings = releaseSteps(new ProjectTree(dir), { ...DJANGO, entrypoint: 'config' }, undefined).warnings ?? [];
    expect(warnings.map((w) => w.split(':')[0])).toEqual(['config/settings/base.py sets ALLOWED_HOSTS = []']);
  });

  it('a Procfile release: line, for any framework', () => {
    const dir = makeProject({ Procfile: 'web: gunicorn app:app\nrelease: ./scripts/release.sh\n' });
    expect(
      releaseSteps(new ProjectTree(dir), { framework: 'flask', entrypoint: 'app:app' } as Answers, undefined),
    ).toEqual({ procfileRelease: './scripts/release.sh' });
  });
});

describe('the generated files', () => {
  const project = (settings: string, extra: Record<string, string> = {}) =>
    makeProject({
      'requirements.txt': 'django\ngunicorn\n',
      'manage.py': MANAGE,
      'mysite/__init__.py': '',
      'mysite/wsgi.py': '',
      'mysite/settings.py': settings,
      ...extra,
    });

  it('collect static files as the app user, after the source, with the throwaway key in that step only', async () => {
    const dir = project(`import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n${APPS}${ROOT}`);
    await runCli(dir, ['--yes']);
    const { Dockerfile: dockerfile, 'README.Docker.md': readme } = readTree(dir);
    const keywords = instructions(dockerfile).map((i) => `${i.keyword} ${i.args}`);
    const collect = keywords.indexOf(
      'RUN ["env", "DJANGO_SECRET_KEY=build-only-not-a-secret", "python", "manage.py", "collectstatic", "--noinput"]',
    );
    expect(collect).toBeGreaterThan(keywords.indexOf('USER 10001:10001'));
    expect(collect).toBeGreaterThan(keywords.findIndex((k) => k.startsWith('COPY --chown=10001:10001 . .')));
    expect(keywords.filter((k) => k.startsWith('ENV')).join('\n')).not.toContain('SECRET');
    expect(execArgv(dockerfile, 'CMD')).toContain('mysite.wsgi');
    const name = dir.split('/').at(-1)!.toLowerCase();
    expect(readme).toContain(`## Release steps`);
    // In the running app's container, on the database it uses: never a throwaway one.
    expect(readme).toContain(`docker exec ${name} python manage.py migrate\n`);
    expect(readme).toContain(`docker run --rm -d --name ${name} -p 8000:8000 ${name}\n`);
    expect(readme).not.toMatch(/docker run --rm [^\n]*migrate/);
    expect(readme).toContain('Static files are collected at build');
  });

  it('say why static files are not collected, and how to collect them; the Procfile release step replaces the migrate line', async () => {
    const dir = project(`SECRET_KEY = 'x'\n${APPS}`, {
      Procfile: "release: python manage.py migrate --noinput; echo 'done'\n",
      '.env': 'X=1\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.stdout).toContain("Procfile release: python manage.py migrate --noinput; echo 'done'");
    const { Dockerfile: dockerfile, 'README.Docker.md': readme } = readTree(dir);
    expect(dockerfile).not.toContain('collectstatic');
    const name = dir.split('/').at(-1)!.toLowerCase();
    expect(readme).toContain(`docker exec ${name} sh -c 'python manage.py migrate --noinput; echo '\\''done'\\'''`);
    expect(readme).not.toContain('python manage.py migrate\n');
    // No STATIC_ROOT: nowhere to collect to, so no collectstatic step, only how to get one.
    expect(readme).toContain('Static files are not collected: STATIC_ROOT is not set (mysite/settings.py)');
    expect(readme).not.toContain('collectstatic');
  });

  it('a non-Django project without a Procfile release line has no release section', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    await runCli(dir, ['--yes']);
    expect(readTree(dir)['README.Docker.md']).not.toContain('Release steps');
  });

  it('STATIC_ROOT set but not collectable at build: collectstatic in the running container; with compose.yaml, through compose exec', async () => {
    const dir = project(
      `import os\nSECRET_KEY = os.environ['SECRET_KEY']\nDB = os.environ['DATABASE_URL']\n${APPS}${ROOT}`,
    );
    await runCli(dir, ['--yes', '--compose']);
    const readme = readTree(dir)['README.Docker.md'];
    expect(readme).toContain('docker compose exec app python manage.py collectstatic --noinput');
    expect(readme).toContain('docker compose exec app python manage.py migrate\n');
    expect(readme).not.toContain('docker compose run');
  });

  it('warns when the settings hard-code DEBUG = True or an empty ALLOWED_HOSTS, saying how to read them from the environment', async () => {
    const dir = project(`SECRET_KEY = 'x'\nDEBUG = True\nALLOWED_HOSTS = []\n${APPS}`);
    const run = await runCli(dir, ['--yes']);
    expect(run.stderr).toContain(
      "warning: mysite/settings.py sets DEBUG = True: the image would show Django's debug pages",
    );
    expect(run.stderr).toContain('DEBUG = os.environ.get("DJANGO_DEBUG") == "1"');
    expect(run.stderr).toContain(
      'warning: mysite/settings.py sets ALLOWED_HOSTS = []: with DEBUG off Django answers 400 to every request',
    );
    expect(run.stderr).toContain('os.environ.get("DJANGO_ALLOWED_HOSTS"');
    const quiet = await runCli(
      project(`SECRET_KEY = 'x'\nDEBUG = os.environ.get("DJANGO_DEBUG") == "1"\nALLOWED_HOSTS = ["*"]\n${APPS}`),
      ['--yes'],
    );
    expect(quiet.stderr).not.toMatch(/DEBUG = True|ALLOWED_HOSTS = \[\]/);
  });

  it('reads the settings the server loads: the module wsgi.py names, its star imports expanded, the last value winning', () => {
    const split = (production: string, base: string) =>
      releaseSteps(
        new ProjectTree(
          makeProject({
            // cookiecutter-django's shape: manage.py names the development settings, wsgi.py production's.
            'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.local')\n",
            'config/__init__.py': '',
            'config/wsgi.py':
              "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.production')\n",
            'config/settings/__init__.py': '',
            'config/settings/base.py': base,
            'config/settings/local.py': 'from .base import *  # noqa\nDEBUG = True\nALLOWED_HOSTS = []\n',
            'config/settings/production.py': production,
          }),
        ),
        { framework: 'django', entrypoint: 'config.wsgi' } as Answers,
        undefined,
      ).warnings ?? [];
    // local.py is never loaded by the server: no warning for it.
    expect(
      split('from .base import *  # noqa\nDEBUG = False\nALLOWED_HOSTS = ["example.com"]\n', 'DEBUG = True\n'),
    ).toEqual([]);
    // production.py inherits base.py's DEBUG = True: base.py is named.
    const inherited = split('from .base import *  # noqa\nALLOWED_HOSTS = ["example.com"]\n', 'DEBUG = True\n');
    expect(inherited).toEqual([expect.stringMatching(/^config\/settings\/base\.py sets DEBUG = True/)]);
    // An absolute star import counts too; a later override wins over it.
    expect(split('from config.settings.base import *\n', 'ALLOWED_HOSTS = []\n')).toEqual([
      expect.stringMatching(/^config\/settings\/base\.py sets ALLOWED_HOSTS = \[\]/),
    ]);
    expect(split('ALLOWED_HOSTS = []\nfrom config.settings.base import *\n', 'ALLOWED_HOSTS = ["x"]\n')).toEqual([]);
  });
});
