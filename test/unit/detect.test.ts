/**
 * Detection against one small fixture project per signal (test/fixtures/detect),
 * including ambiguous and conflicting ones: the detected answers and their sources.
 */
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../lib/detect/detect-project.js';
import { portInCode } from '../../lib/detect/entrypoint.js';
import { minorSatisfies, newestInRange } from '../../lib/project/python-version.js';
import { parseCommand, shellWords } from '../../lib/project/run-commands.js';
import { scanProject } from '../../lib/project-files.js';
import { FASTAPI_ANSWERS } from '../helpers/facts.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { makeProject } from '../helpers/project.js';

const detect = (name: string) => detectProject(fixtureCopy('detect', name));

interface Expected {
  answers: Record<string, unknown>;
  /** Substrings of each answer's source. */
  sources?: Record<string, string>;
  managers?: string[];
  notes?: string[];
  warnings?: string[];
}

const CASES: Record<string, Expected> = {
  'python-version-file': {
    answers: { pythonVersion: '3.12', framework: 'fastapi', entrypoint: 'main:app' },
    sources: {
      pythonVersion: '.python-version',
      framework: 'fastapi in requirements.txt',
      entrypoint: 'FastAPI(…) assigned to app in main.py',
    },
    managers: ['pip'],
  },
  'runtime-txt': {
    answers: { pythonVersion: '3.11', framework: 'flask', entrypoint: 'app:app' },
    sources: { pythonVersion: 'runtime.txt' },
  },
  'tool-versions': {
    answers: { pythonVersion: '3.13', framework: 'none', entrypoint: 'worker.py' },
    sources: { pythonVersion: '.tool-versions', framework: 'no web framework' },
  },
  'mise-toml': { answers: { pythonVersion: '3.12', framework: 'fastapi' }, sources: { pythonVersion: 'mise.toml' } },
  pipenv: {
    answers: { pythonVersion: '3.11', framework: 'flask', entrypoint: 'app:app' },
    sources: { pythonVersion: 'Pipfile', framework: 'flask in Pipfile' },
    managers: ['pipenv'],
  },
  'pipfile-without-lock': {
    answers: { pythonVersion: '3.12', framework: 'flask', packageManager: 'pipenv' },
    managers: [],
    warnings: ['Pipfile has no Pipfile.lock'],
  },
  'src-layout-range': {
    // >=3.10,<3.13 → the newest supported minor inside it; the app variable is `api`; tests/ is not the app; dev extras are not the framework.
    answers: { pythonVersion: '3.12', framework: 'fastapi', entrypoint: 'shop.main:api' },
    sources: { pythonVersion: 'pyproject.toml (requires-python)', entrypoint: 'src/shop/main.py' },
    managers: ['pip'],
  },
  poetry: {
    // ^3.11 allows up to 3.x: the newest up to the default.
    answers: { pythonVersion: '3.14', framework: 'django', entrypoint: 'site_config.wsgi:application' },
    sources: { pythonVersion: 'tool.poetry', entrypoint: 'WSGI_APPLICATION in site_config/settings.py' },
    managers: ['poetry'],
  },
  'uv-lock': {
    answers: { pythonVersion: '3.14', framework: 'fastapi', entrypoint: 'main:app' },
    sources: { pythonVersion: 'uv.lock' },
    managers: ['uv'],
  },
  'two-lock-files': { answers: { pythonVersion: '3.14', framework: 'fastapi' }, managers: ['uv', 'poetry', 'pip'] },
  'flask-and-fastapi': {
    answers: { framework: 'fastapi', entrypoint: 'main:service' },
    notes: [
      'found FastAPI and Flask among the dependencies; using FastAPI (FastAPI(…) assigned to service in main.py) — pass --framework to choose',
    ],
  },
  'flask-cors-is-not-flask': { answers: { framework: 'fastapi', entrypoint: 'main:app' }, notes: [] },
  'venv-with-wsgi': {
    answers: { framework: 'django', entrypoint: 'mysite.wsgi' },
    sources: { entrypoint: 'mysite/wsgi.py next to manage.py' },
  },
  'app-variable-named-api': { answers: { framework: 'fastapi', entrypoint: 'api:api' } },
  'flask-app-factory': {
    answers: { framework: 'flask', entrypoint: 'app:create_app()' },
    sources: { entrypoint: 'app factory create_app() in app/__init__.py' },
  },
  'django-nested-settings': {
    answers: { framework: 'django', entrypoint: 'config.wsgi:application' },
    sources: {
      framework: 'django in requirements/base.txt',
      entrypoint: 'WSGI_APPLICATION in config/settings/base.py',
    },
    managers: ['pip'],
  },
  'django-in-subfolder': { answers: { framework: 'django', entrypoint: 'mysite.wsgi:application' } },
  streamlit: {
    answers: { framework: 'streamlit', entrypoint: 'dashboard.py', port: 8502 },
    sources: { entrypoint: 'dashboard.py imports streamlit', port: '.streamlit/config.toml' },
  },
  procfile: {
    answers: { framework: 'flask', entrypoint: 'app:app', port: 5005 },
    sources: { port: 'Procfile' },
    notes: ['Procfile web: gunicorn app:app --bind 0.0.0.0:5005 --workers 2'],
  },
  'project-scripts': {
    answers: { framework: 'none', entrypoint: 'mytool.cli:main' },
    sources: { entrypoint: '[project.scripts] mytool' },
  },
  // scratch/main.py (a decoy its .gitignore hides) is written at test time: git would not keep it.
  'gitignored-folder': { answers: { framework: 'fastapi', entrypoint: 'service.main:right' } },
  'python-too-old': {
    answers: { pythonVersion: '3.10' },
    sources: { pythonVersion: 'runtime.txt' },
    warnings: ['.python-version asks for Python 3.7.17, older than the oldest with an official image (3.8); not used'],
  },
  'port-in-code': { answers: { framework: 'fastapi', port: 8080 }, sources: { port: 'main.py' } },
};

describe('detection fixtures', () => {
  it.each(Object.entries(CASES))('%s', (name, expected) => {
    const detection = detect(name);
    expect(detection.answers).toMatchObject(expected.answers);
    for (const [key, source] of Object.entries(expected.sources ?? {})) {
      expect(detection.sources[key as keyof typeof detection.sources]).toContain(source);
    }
    if (expected.managers) expect(detection.packageManagers.map((m) => m.manager)).toEqual(expected.managers);
    if (expected.notes) expect(detection.notes).toEqual(expected.notes);
    for (const warning of expected.warnings ?? [])
      expect(detection.warnings).toContainEqual(expect.stringContaining(warning));
  });

  it('never looks inside virtualenvs, node_modules or gitignored folders', () => {
    expect(detect('venv-with-wsgi').sources.entrypoint).not.toMatch(/venv|site-packages|asgiref/);
    expect(detect('gitignored-folder').answers.entrypoint).not.toContain('scratch');
  });

  it('never looks inside folders the .dockerignore excludes either', () => {
    const dir = makeProject({
      '.dockerignore': 'experiments\n',
      'requirements.txt': 'fastapi\nuvicorn\n',
      'experiments/main.py': 'from fastapi import FastAPI\nwrong = FastAPI()\n',
      'web/main.py': 'from fastapi import FastAPI\nright = FastAPI()\n',
    });
    expect(detectProject(dir).answers.entrypoint).toBe('web.main:right');
  });

  it('reads a .dockerignore line from the root only, as Docker does: `experiments` leaves src/experiments/ in the image', () => {
    const dir = makeProject({
      '.dockerignore': 'experiments\n',
      'requirements.txt': 'fastapi\nuvicorn\n',
      'experiments/notebook.py': 'from fastapi import FastAPI\nwrong = FastAPI()\n',
      'src/experiments/main.py': 'from fastapi import FastAPI\nright = FastAPI()\n',
    });
    expect(detectProject(dir).answers.entrypoint).toBe('experiments.main:right');
  });

  it('an empty folder detects nothing but pip, for the requirements stub', () => {
    const detection = detectProject(makeProject());
    expect(detection.answers).toEqual({ packageManager: 'pip' });
    expect(detection.subprojects).toEqual([]);
  });

  it('the FastAPI(…) assignment, not the first module-level assignment', () => {
    const dir = makeProject({
      'requirements.txt': 'fastapi\nuvicorn\n',
      'main.py':
        'import logging\nfrom fastapi import FastAPI\n\nlogger = logging.getLogger(__name__)\nsettings: dict = {}\napi = FastAPI()\n',
    });
    expect(detectProject(dir).answers.entrypoint).toBe('main:api');
  });

  it('.python-version and Procfile are read even when .gitignore and .dockerignore list them', () => {
    const dir = makeProject({
      '.gitignore': '.python-version\nProcfile\n',
      '.dockerignore': '.python-version\n',
      '.python-version': '3.12\n',
      Procfile: 'web: gunicorn app:app --bind 0.0.0.0:5005\n',
      'requirements.txt': 'flask\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    expect(detectProject(dir).answers).toMatchObject({ pythonVersion: '3.12', port: 5005 });
  });

  it('an invalid pyproject.toml is reported beside another dependency file; alone, it is refused, not "no dependency file yet"', () => {
    const dir = makeProject({ 'pyproject.toml': '[project\nname = "x"\n', 'requirements.txt': 'flask\n' });
    expect(detectProject(dir).warnings).toContainEqual(
      expect.stringMatching(/^pyproject\.toml is not valid TOML \(.+\): nothing in it was used$/),
    );
    const alone = makeProject({
      'pyproject.toml': '[project\nname = "x"\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    expect(() => detectProject(alone)).toThrow(/^pyproject\.toml is not valid TOML \(.+\); fix it and run again$/);
  });

  it('a 1.4 MB hashed requirements.txt is read whole; a Python file over the limit is skipped, and said so', () => {
    const hashes = Array.from(
      { length: 16000 },
      (_, i) => `    --hash=sha256:${i.toString(16).padStart(64, '0')} \\`,
    ).join('\n');
    const requirements = `certifi==2024.2.2 \\\n${hashes}\n    --hash=sha256:${'f'.repeat(64)}\nflask==3.0.3 \\\n    --hash=sha256:${'e'.repeat(64)}\n`;
    expect(requirements.length).toBeGreaterThan(1_000_000);
    const dir = makeProject({
      'requirements.txt': requirements,
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'generated.py': `# ${'x'.repeat(4_100_000)}\n`,
    });
    const detection = detectProject(dir);
    expect(detection.answers).toMatchObject({ framework: 'flask', entrypoint: 'app:app' });
    expect(detection.warnings).toEqual([
      expect.stringMatching(/^not read: generated\.py \(4\.1 MB, over the 4\.0 MB limit for source files\)/),
    ]);
  });
});

describe('Python version ranges', () => {
  it.each([
    ['>=3.9', '3.14'],
    ['>=3.10,<3.13', '3.12'],
    ['>=3.10, <3.12.5', '3.12'],
    ['~=3.10', '3.14'],
    ['~=3.10.2', '3.10'],
    ['==3.11.*', '3.11'],
    ['^3.11', '3.14'],
    ['~3.12', '3.12'],
    ['>=3.9 <3.12', '3.11'],
    ['^3.8 || ^3.9', '3.14'],
    ['>=3.15', '3.15'],
    ['3.11', '3.11'],
    ['*', '3.14'],
    ['<3.8', undefined],
  ])('%s → %s', (spec, minor) => {
    expect(newestInRange(spec)).toBe(minor);
  });

  it('a minor satisfies a range when any of its releases does', () => {
    expect(minorSatisfies('>=3.9.2', '3.9')).toBe(true);
    expect(minorSatisfies('<3.13', '3.13')).toBe(false);
    expect(minorSatisfies('!=3.11.*', '3.11')).toBe(false);
  });
});

/** Projects in the shapes public ones have (test/fixtures/real): what detection settles, and from where. */
const REAL: Record<string, Expected & { subprojects?: string[] }> = {
  monorepo: { answers: { packageManager: 'pip' }, subprojects: ['services/api', 'services/web'] },
  'monorepo/services/api': {
    answers: { framework: 'fastapi', entrypoint: 'app.main:app' },
    sources: { entrypoint: 'app = get_application() in app/main.py, which builds FastAPI(…) in app/core/setup.py' },
  },
  'monorepo/services/web': {
    answers: { framework: 'flask', entrypoint: 'web:create_app()', port: 5000 },
    sources: { entrypoint: 'Procfile web:' },
  },
  'django-only-subfolder': { answers: { packageManager: 'pip' }, subprojects: ['app'] },
  'django-app-folder': {
    answers: { framework: 'django', entrypoint: 'config.wsgi' },
    sources: { entrypoint: 'Procfile web: gunicorn --chdir app config.wsgi' },
  },
  'flask-procfile': {
    answers: { framework: 'flask', entrypoint: 'blog:app', port: 5005 },
    sources: { entrypoint: 'Procfile web: gunicorn blog:app' },
  },
  flaskenv: {
    answers: { framework: 'flask', entrypoint: 'microblog:app' },
    sources: { entrypoint: '.flaskenv FLASK_APP=microblog.py' },
  },
  'existing-dockerfile': {
    answers: { pythonVersion: '3.12', framework: 'flask', entrypoint: 'shop.wsgi:app', port: 5000 },
    sources: {
      pythonVersion: 'Dockerfile (FROM python:3.12)',
      entrypoint: 'Dockerfile CMD gunicorn -b 0.0.0.0:5000 shop.wsgi:app',
    },
  },
  'compose-command': {
    answers: { framework: 'fastapi', entrypoint: 'api.main:service', port: 8080 },
    sources: { entrypoint: 'docker-compose.yml command: uvicorn api.main:service' },
  },
  'uv-torch-cp312': {
    answers: { pythonVersion: '3.12', packageManager: 'uv' },
    sources: { pythonVersion: 'pyproject.toml >=3.10; uv.lock: torch 2.2.2 has wheels up to 3.12' },
  },
  'poetry-onnx-cp311': {
    answers: { pythonVersion: '3.11', packageManager: 'poetry' },
    sources: { pythonVersion: 'pyproject.toml ^3.10; poetry.lock: onnxruntime 1.16.3 has wheels up to 3.11' },
  },
  'committed-venv': { answers: { framework: 'flask', entrypoint: 'app:app' }, sources: { entrypoint: 'app.py' } },
};

describe('real project shapes', () => {
  it.each(Object.entries(REAL))('%s', (name, expected) => {
    const detection = detectProject(fixtureCopy('real', name));
    expect(detection.answers).toMatchObject(expected.answers);
    for (const [key, source] of Object.entries(expected.sources ?? {})) {
      expect(detection.sources[key as keyof typeof detection.sources]).toContain(source);
    }
    expect(detection.subprojects).toEqual(expected.subprojects ?? []);
    expect(detection.warnings).toEqual([]);
  });

  it('a pinned version the lock has no wheels for is kept, and planning says what cannot install and what to use', () => {
    const dir = fixtureCopy('real', 'uv-torch-cp312', { '.python-version': '3.13\n' });
    const detection = detectProject(dir);
    expect(detection.answers.pythonVersion).toBe('3.13');
    expect(detection.warnings).toEqual([]);
    const scan = scanProject(detection.tree, { ...FASTAPI_ANSWERS, pythonVersion: '3.13', packageManager: 'uv' });
    expect(scan.warnings).toEqual([
      'Python 3.13: torch 2.2.2 (uv.lock) has neither a wheel for it nor a source distribution: the dependency step will fail; 3.12 is the newest Python with wheels for it (--python-version 3.12)',
    ]);
  });

  it('with no version stated anywhere, the newest the locked wheels allow', () => {
    const dir = fixtureCopy('real', 'uv-torch-cp312', {
      'pyproject.toml': '[project]\nname = "c"\nversion = "0"\ndependencies = ["torch"]\n',
    });
    expect(detectProject(dir).answers.pythonVersion).toBe('3.12');
  });

  it('pdm.lock files and wheel URLs in requirements.txt narrow it too; abi3 and pure wheels do not', () => {
    const H = `sha256:${'0'.repeat(64)}`;
    const wheel = (name: string, tag: string, abi = tag) =>
      `{file = "${name}-${tag}-${abi}-manylinux_2_17_x86_64.whl", hash = "${H}"}`;
    const pdm = makeProject({
      'pyproject.toml':
        '[project]\nname = "x"\nversion = "0"\nrequires-python = ">=3.9"\ndependencies = ["flask", "fastbin", "cryptography"]\n',
      'pdm.lock': [
        '[[package]]\nname = "fastbin"\nversion = "1.0"\nfiles = [',
        `  ${wheel('fastbin-1.0', 'cp310')}, ${wheel('fastbin-1.0', 'cp311')},`,
        ']\n[[package]]\nname = "cryptography"\nversion = "42.0.5"\nfiles = [',
        `  ${wheel('cryptography-42.0.5', 'cp39', 'abi3')},`,
        ']\n',
      ].join('\n'),
    });
    expect(detectProject(pdm).answers.pythonVersion).toBe('3.11');
    const pip = makeProject({
      'requirements.txt':
        'flask\nfastbin @ https://example.com/wheels/fastbin-1.0-cp312-cp312-manylinux_2_17_x86_64.whl\n',
    });
    expect(detectProject(pip).sources.pythonVersion).toBe('requirements.txt: fastbin 1.0 has wheels up to 3.12');
  });

  it('a run command naming a module that is not there is shown and not used', () => {
    const dir = fixtureCopy('real', 'flask-procfile', { Procfile: 'web: gunicorn wsgi:app\n' });
    const detection = detectProject(dir);
    expect(detection.answers.entrypoint).toBe('blog:app');
    expect(detection.notes).toContain(
      'Procfile web: gunicorn wsgi:app names wsgi:app, but module wsgi is not in the project (no wsgi.py or wsgi/__init__.py); not used',
    );
  });
});

describe('run commands', () => {
  it.each([
    [
      'gunicorn -w 4 -k uvicorn.workers.UvicornWorker app.main:app --bind 0.0.0.0:8001',
      { server: 'gunicorn', target: 'app.main:app', port: 8001 },
    ],
    ["gunicorn 'app:create_app()' -b :5000", { server: 'gunicorn', target: 'app:create_app()', port: 5000 }],
    ['uvicorn --factory shop:build --port=9000', { server: 'uvicorn', target: 'shop:build()', port: 9000 }],
    ['poetry run python -m uvicorn main:app --host 0.0.0.0', { server: 'uvicorn', target: 'main:app' }],
    ['streamlit run dashboard.py --server.port 8502', { server: 'streamlit', target: 'dashboard.py', port: 8502 }],
    ['python manage.py runserver 0.0.0.0:8080', { server: 'django-runserver', port: 8080 }],
  ])('%s', (line, expected) => {
    expect(parseCommand(shellWords(line), 'test')).toMatchObject(expected);
  });
});

describe('scans stay linear', () => {
  it('a port in a .run() call, not one outside it; repeated `.run(` with no `)` is no port', () => {
    expect(portInCode('app.run(host="0.0.0.0",\n        port=5001)')).toBe(5001);
    expect(portInCode('app.run(debug=True)\nport = 9000\n')).toBeUndefined();
    expect(portInCode('x.run('.repeat(200_000))).toBeUndefined();
  });
});
