/**
 * Detection against one small fixture project per signal (test/fixtures/detect),
 * including ambiguous and conflicting ones: the detected answers and their sources.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../lib/detect/detect-project.js';
import { minorSatisfies, newestInRange } from '../../lib/detect/python-version.js';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject } from '../helpers/project.js';

const FIXTURES = join(repoRoot, 'test', 'fixtures', 'detect');
const detect = (name: string) => detectProject(join(FIXTURES, name));

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
    sources: { pythonVersion: '.python-version', framework: 'fastapi in requirements.txt', entrypoint: 'FastAPI(…) assigned to app in main.py' },
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
    notes: ['found FastAPI and Flask among the dependencies; using FastAPI (FastAPI(…) assigned to service in main.py) — pass --framework to choose'],
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
    sources: { framework: 'django in requirements/base.txt', entrypoint: 'WSGI_APPLICATION in config/settings/base.py' },
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
    for (const warning of expected.warnings ?? []) expect(detection.warnings).toContainEqual(expect.stringContaining(warning));
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

  it('an empty folder detects nothing but pip, for the requirements stub', () => {
    expect(detectProject(join(FIXTURES, '..', 'apps', 'worker', 'no-such-dir')).answers).toEqual({ packageManager: 'pip' });
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
