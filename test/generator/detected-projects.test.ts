/**
 * In every detection fixture, `python-docker --yes` with no other option writes
 * files that are right for that project: its Python, its server command, its
 * install step, its import path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execArgv, instructions } from '../helpers/dockerfile.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { runCli } from '../helpers/project.js';

interface Expected {
  python: string;
  cmd: string[];
  install?: string;
  pythonPath?: string;
  expose?: string;
  stdout?: string[];
  stderr?: string[];
}

const uvicorn = (app: string, port = 8000) => ['uvicorn', app, '--host', '0.0.0.0', '--port', String(port)];
const gunicorn = (app: string, port = 8000, options: string[] = []) => [
  'gunicorn',
  '--bind',
  `0.0.0.0:${port}`,
  '--access-logfile',
  '-',
  ...options,
  app,
];
const REQS = 'python -m pip install -r requirements.txt';
const PROJECT = 'python -m pip install /tmp/project';

export const PIP_PROJECTS: Record<string, Expected> = {
  'python-version-file': {
    python: '3.12',
    cmd: uvicorn('main:app'),
    install: REQS,
    stdout: [
      'Detected:',
      'python-version  3.12 (.python-version)',
      'entrypoint      main:app (FastAPI(…) assigned to app in main.py)',
    ],
  },
  'runtime-txt': { python: '3.11', cmd: gunicorn('app:app'), install: REQS },
  'tool-versions': { python: '3.13', cmd: ['python', 'worker.py'], install: REQS },
  'mise-toml': { python: '3.12', cmd: uvicorn('main:app') },
  'src-layout-range': { python: '3.12', cmd: uvicorn('shop.main:api'), install: PROJECT, pythonPath: '/app/src' },
  'flask-and-fastapi': {
    python: '3.14',
    cmd: uvicorn('main:service'),
    stdout: ['found FastAPI and Flask among the dependencies'],
  },
  'flask-cors-is-not-flask': { python: '3.14', cmd: uvicorn('main:app') },
  'venv-with-wsgi': { python: '3.14', cmd: gunicorn('mysite.wsgi') },
  'app-variable-named-api': { python: '3.14', cmd: uvicorn('api:api') },
  'flask-app-factory': { python: '3.14', cmd: gunicorn('app:create_app()') },
  'django-nested-settings': {
    python: '3.14',
    cmd: gunicorn('config.wsgi:application'),
    install: 'python -m pip install -r requirements/production.txt',
  },
  'django-in-subfolder': { python: '3.14', cmd: gunicorn('mysite.wsgi:application'), pythonPath: '/app/backend' },
  streamlit: {
    python: '3.14',
    cmd: [
      'streamlit',
      'run',
      'dashboard.py',
      '--server.port',
      '8502',
      '--server.address',
      '0.0.0.0',
      '--server.headless',
      'true',
    ],
    expose: '8502',
  },
  procfile: {
    python: '3.14',
    cmd: gunicorn('app:app', 5005, ['--workers', '2']),
    expose: '5005',
    stdout: ['Procfile web: gunicorn app:app'],
  },
  'project-scripts': {
    python: '3.14',
    cmd: ['python', '-c', 'import sys; from mytool.cli import main; sys.exit(main())'],
    install: PROJECT,
  },
  'gitignored-folder': { python: '3.14', cmd: uvicorn('service.main:right') },
  'python-too-old': {
    python: '3.10',
    cmd: gunicorn('app:app'),
    stderr: ['warning: .python-version asks for Python 3.7.17'],
  },
  'port-in-code': { python: '3.14', cmd: uvicorn('main:app', 8080), expose: '8080' },
};

describe('python-docker --yes in each detection fixture', () => {
  it.each(Object.entries(PIP_PROJECTS))('%s', async (name, expected) => {
    const dir = fixtureCopy('detect', name);
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(instructions(dockerfile)[0].args).toBe(`PYTHON_VERSION=${expected.python}`);
    expect(execArgv(dockerfile, 'CMD')).toEqual(expected.cmd);
    if (expected.install) expect(dockerfile).toContain(expected.install);
    if (expected.pythonPath) expect(dockerfile).toContain(`PYTHONPATH=${expected.pythonPath} `);
    else expect(dockerfile).not.toContain('PYTHONPATH');
    if (expected.expose)
      expect(instructions(dockerfile).find((i) => i.keyword === 'EXPOSE')?.args).toBe(expected.expose);
    for (const line of expected.stdout ?? []) expect(run.stdout).toContain(line);
    for (const line of expected.stderr ?? []) expect(run.stderr).toContain(line);
    // Nothing detected was asked for or defaulted where detection had an answer.
    expect(run.stdout).not.toContain('No terminal');
  });
});
