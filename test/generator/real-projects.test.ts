/**
 * `python-docker --yes` on projects in the shapes public ones have (test/fixtures/real):
 * the Dockerfile runs what the project runs, monorepos are refused naming their projects,
 * detected answers follow the project on re-runs while given ones stick, and an
 * entrypoint that names nothing in the project is never written without a word.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execArgv, instructions } from '../helpers/dockerfile.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { makeProject, runCli, runGenerator } from '../helpers/project.js';

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
const dockerfileOf = (dir: string, name = 'Dockerfile') => readFileSync(join(dir, name), 'utf8');
const pythonOf = (dockerfile: string) => instructions(dockerfile)[0].args;

interface Expected {
  python?: string;
  cmd: string[];
  pythonPath?: string;
  /** Where our Dockerfile lands (the user's own Dockerfile is kept). */
  file?: string;
  stdout?: string[];
}

export const REAL_PROJECTS: Record<string, Expected> = {
  'monorepo/services/api': { cmd: uvicorn('app.main:app'), stdout: ['app = get_application() in app/main.py'] },
  'monorepo/services/web': {
    cmd: gunicorn('web:create_app()', 5000),
    stdout: ['(Procfile web: gunicorn "web:create_app()"'],
  },
  'django-app-folder': { cmd: gunicorn('config.wsgi'), pythonPath: '/app/app' },
  // The Procfile's --workers 2 is carried over.
  'flask-procfile': { cmd: gunicorn('blog:app', 5005, ['--workers', '2']) },
  flaskenv: {
    cmd: gunicorn('microblog:app'),
    stdout: ['entrypoint      microblog:app (.flaskenv FLASK_APP=microblog.py)'],
  },
  'existing-dockerfile': { python: '3.12', cmd: gunicorn('shop.wsgi:app', 5000), file: 'Dockerfile.new' },
  'compose-command': { cmd: uvicorn('api.main:service', 8080) },
  'committed-venv': { cmd: gunicorn('app:app') },
  'poetry-onnx-cp311': {
    python: '3.11',
    cmd: gunicorn('app:app'),
    stdout: ['python-version  3.11 (pyproject.toml ^3.10; poetry.lock: onnxruntime 1.16.3 has wheels up to 3.11)'],
  },
  'uv-torch-cp312': { python: '3.12', cmd: uvicorn('main:app') },
};

describe('python-docker --yes on real project shapes', () => {
  it.each(Object.entries(REAL_PROJECTS))('%s', async (name, expected) => {
    const dir = fixtureCopy('real', name);
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('Will not start yet');
    const dockerfile = dockerfileOf(dir, expected.file);
    expect(pythonOf(dockerfile)).toBe(`PYTHON_VERSION=${expected.python ?? '3.14'}`);
    expect(execArgv(dockerfile, 'CMD')).toEqual(expected.cmd);
    if (expected.pythonPath) expect(dockerfile).toContain(`PYTHONPATH=${expected.pythonPath} `);
    for (const line of expected.stdout ?? []) expect(run.stdout).toContain(line);
  });
});

describe('a folder with no Python project of its own', () => {
  it.each([
    [
      'monorepo',
      'python-docker: no Python project in this folder (no dependency file or .py file), but services/api, services/web each hold one: run it there (cd services/api)',
    ],
    [
      'django-only-subfolder',
      'python-docker: no Python project in this folder (no dependency file or .py file), but app holds one: run it there (cd app)',
    ],
  ])('%s: --yes refuses in one line naming them, writing nothing', async (name, line) => {
    const dir = fixtureCopy('real', name);
    const before = readdirSync(dir).sort();
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(line);
    expect(run.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('yo refuses the same way', async () => {
    const dir = fixtureCopy('real', 'monorepo');
    const result = await runGenerator().cd(dir).withOptions({ force: false, yes: true });
    try {
      expect(process.exitCode).toBe(1);
      expect(existsSync(join(dir, 'Dockerfile'))).toBe(false);
      expect(result.env.cwd).toBe(dir);
    } finally {
      process.exitCode = 0;
    }
  });

  it('in a terminal, offers the subfolders and writes the files in the one chosen', async () => {
    const dir = fixtureCopy('real', 'monorepo');
    await runGenerator()
      .cd(dir)
      .withOptions({ force: false })
      .withAnswers({ project: 'services/api', compose: false, verify: false });
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(false);
    expect(execArgv(dockerfileOf(join(dir, 'services/api')), 'CMD')).toEqual(uvicorn('app.main:app'));
  });

  it('an empty folder (a new repository) keeps the requirements.txt stub', async () => {
    const dir = makeProject();
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toContain('fastapi');
    // main.py is still to be written: said before "Next:", not hidden.
    expect(run.stdout).toContain(
      'Will not start yet:\n  the entrypoint main:app (the default) cannot load: module main is not in the project (no main.py or main/__init__.py); pass --entrypoint, or create it\n',
    );
  });
});

describe('an entrypoint that names nothing in the project', () => {
  it.each([
    [
      ['--framework', 'fastapi', '--entrypoint', 'app:create_app()'],
      '--entrypoint: "app:create_app()" cannot load: module app is not in the project (no app.py or app/__init__.py); expected an entrypoint that exists in this project',
    ],
    [
      ['--entrypoint', 'api.main:create_app()'],
      '--entrypoint: "api.main:create_app()" cannot load: api/main.py has no create_app; expected an entrypoint that exists in this project',
    ],
  ])('typed (%j) is refused, nothing written', async (args, message) => {
    const dir = fixtureCopy('real', 'compose-command');
    const run = await runCli(dir, ['--yes', ...args]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(`python-docker: ${message}`);
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(false);
  });

  it('a module from a declared dependency is accepted', async () => {
    const dir = fixtureCopy('real', 'compose-command', { 'requirements.txt': 'fastapi\nuvicorn\nshopkit\n' });
    const run = await runCli(dir, ['--yes', '--entrypoint', 'shopkit.app:create_app()']);
    expect(run.exitCode, run.stderr).toBe(0);
  });

  it('stored, after the module was renamed: written, with what stops it said before "Next:"', async () => {
    const dir = fixtureCopy('real', 'flask-procfile');
    expect((await runCli(dir, ['--yes', '--entrypoint', 'blog:app'])).exitCode).toBe(0);
    writeFileSync(join(dir, 'wsgi.py'), readFileSync(join(dir, 'blog.py')));
    writeFileSync(join(dir, 'blog.py'), '# moved to wsgi.py\n');
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'Will not start yet:\n  the entrypoint blog:app (from .yo-rc.json) cannot load: blog.py has no app;',
    );
  });
});

describe('re-runs: detected answers follow the project, given ones stick', () => {
  const project = () =>
    makeProject({
      '.python-version': '3.12\n',
      'requirements.txt': 'fastapi\nuvicorn\n',
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    });

  it('a changed .python-version is taken, and the change is said', async () => {
    const dir = project();
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    writeFileSync(join(dir, '.python-version'), '3.13\n');
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('python-version  3.13 (.python-version; was 3.12)');
    expect(pythonOf(dockerfileOf(dir))).toBe('PYTHON_VERSION=3.13');
  });

  it('a version given with --python-version stays, whatever .python-version says later', async () => {
    const dir = project();
    expect((await runCli(dir, ['--yes', '--python-version', '3.11'])).exitCode).toBe(0);
    writeFileSync(join(dir, '.python-version'), '3.13\n');
    for (let rerun = 0; rerun < 2; rerun++) {
      const run = await runCli(dir, ['--yes']);
      expect(run.stdout).toContain(
        'python-version  3.11 (from .yo-rc.json, given as --python-version; the project says 3.13',
      );
      expect(pythonOf(dockerfileOf(dir))).toBe('PYTHON_VERSION=3.11');
    }
  });

  it('a pinned answer the project contradicts says so; --python-version auto follows the project again', async () => {
    const dir = project();
    expect((await runCli(dir, ['--yes', '--python-version', '3.11', '--port', '9000'])).exitCode).toBe(0);
    writeFileSync(join(dir, '.python-version'), '3.13\n');
    const pinned = await runCli(dir, ['--yes']);
    expect(pinned.stdout).toContain(
      'python-version  3.11 (from .yo-rc.json, given as --python-version; the project says 3.13 (.python-version): --python-version auto follows it)',
    );
    const auto = await runCli(dir, ['--yes', '--python-version', 'auto']);
    expect(auto.exitCode, auto.stderr).toBe(0);
    expect(auto.stdout).toContain('python-version  3.13 (.python-version; was 3.11)');
    expect(pythonOf(dockerfileOf(dir))).toBe('PYTHON_VERSION=3.13');
    writeFileSync(join(dir, '.python-version'), '3.12\n');
    await runCli(dir, ['--yes']);
    expect(pythonOf(dockerfileOf(dir))).toBe('PYTHON_VERSION=3.12');
    // The port stays pinned, and --reconfigure says why before asking.
    const reconfigure = await runCli(dir, ['--yes', '--reconfigure']);
    expect(reconfigure.stdout).toContain(
      'Pinned in .yo-rc.json (kept whatever the project says; --OPTION auto follows the project again):\n  port            9000 (given as --port)\n',
    );
    expect(reconfigure.stdout).not.toMatch(/^ {2}python-version .*given/m);
  });

  it('accepting the detected Python version at a --reconfigure prompt keeps it following .python-version', async () => {
    const dir = project();
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    await runGenerator()
      .cd(dir)
      .withOptions({ force: false, reconfigure: true })
      .withAnswers({ port: '8100', verify: false });
    const record = JSON.parse(readFileSync(join(dir, '.yo-rc.json'), 'utf8'))['generator-python-docker'];
    expect(record.detected).toContain('pythonVersion');
    expect(record.pinned).toMatchObject({ port: 'chosen at a prompt' });
    expect(record.pinned).not.toHaveProperty('pythonVersion');
    writeFileSync(join(dir, '.python-version'), '3.13\n');
    expect((await runCli(dir, ['--yes'])).stdout).toContain('python-version  3.13 (.python-version; was 3.12)');
    expect(pythonOf(dockerfileOf(dir))).toBe('PYTHON_VERSION=3.13');
  });

  it("after deleting .yo-rc.json, the project's own .python-version is found again (our .dockerignore lists it)", async () => {
    const dir = project();
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toContain('.python-version');
    writeFileSync(join(dir, '.yo-rc.json'), '{}\n');
    await runCli(dir, ['--yes', '--force']);
    expect(pythonOf(dockerfileOf(dir))).toBe('PYTHON_VERSION=3.12');
  });

  it('a new app module found by detection replaces the detected one', async () => {
    const dir = project();
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    writeFileSync(join(dir, 'main.py'), 'from fastapi import FastAPI\napi = FastAPI()\n');
    const run = await runCli(dir, ['--yes']);
    expect(run.stdout).toContain('entrypoint      main:api (FastAPI(…) assigned to api in main.py; was main:app)');
    expect(execArgv(dockerfileOf(dir), 'CMD')).toEqual(uvicorn('main:api'));
  });
});

describe('detected values that do not validate are reported and not used', () => {
  it('a port of 8501.5 in .streamlit/config.toml and a file name with a space', async () => {
    const dir = makeProject({
      'requirements.txt': 'streamlit\n',
      'my dashboard.py': 'import streamlit as st\nst.title("x")\n',
      '.streamlit/config.toml': '[server]\nport = 8501.5\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'warning: detected entrypoint from my dashboard.py imports streamlit is not usable ("my dashboard.py" is not an entrypoint for Streamlit;',
    );
    expect(run.stderr).toContain(
      'warning: detected port from .streamlit/config.toml is not usable ("8501.5" is not a port; expected a whole number from 1 to 65535); not used',
    );
    expect(instructions(dockerfileOf(dir)).find((i) => i.keyword === 'EXPOSE')?.args).toBe('8501');
  });
});

describe("a Procfile's web line: its server options reach the CMD, or are named", () => {
  const flaskApp = 'from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    return app\n';

  it('gunicorn: --workers, --threads, --timeout carried; $PORT bound by gunicorn itself (ENV PORT); the rest named', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': flaskApp,
      Procfile:
        'web: gunicorn "app:create_app()" --workers=3 --threads 2 -t 120 --bind 0.0.0.0:$PORT --preload --reload --log-level $LOG_LEVEL\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    const dockerfile = dockerfileOf(dir);
    expect(execArgv(dockerfile, 'CMD')).toEqual([
      'gunicorn',
      '--access-logfile',
      '-',
      '--workers',
      '3',
      '--threads',
      '2',
      '-t',
      '120',
      '--preload',
      'app:create_app()',
    ]);
    expect(dockerfile).toMatch(/^ {4}PORT=8000 \\$/m);
    expect(dockerfile).toContain("os.environ.get('PORT', '8000')");
    expect(run.stderr).toContain(
      "warning: Procfile web: --reload, --log-level $LOG_LEVEL not carried over to the Dockerfile's CMD",
    );
  });

  it('uvicorn: --workers carried; $PORT, which uvicorn does not read, named', async () => {
    const dir = makeProject({
      'requirements.txt': 'fastapi\nuvicorn\n',
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      Procfile: 'web: uvicorn main:app --host 0.0.0.0 --port ${PORT} --workers 4\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(execArgv(dockerfileOf(dir), 'CMD')).toEqual([...uvicorn('main:app'), '--workers', '4']);
    expect(dockerfileOf(dir)).not.toContain('PORT=');
    expect(run.stderr).toContain(
      "warning: Procfile web: --port ${PORT} (the image listens on 8000) not carried over to the Dockerfile's CMD",
    );
  });

  it('another server than the image runs: its options are named, none carried', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': flaskApp,
      '.flaskenv': 'FLASK_APP=app:create_app()\n',
      Procfile: 'web: flask run --host 0.0.0.0 --port $PORT\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(execArgv(dockerfileOf(dir), 'CMD')).toEqual(gunicorn('app:create_app()'));
    expect(run.stderr).toContain(
      'warning: Procfile web: runs flask, the image gunicorn: its options (--host 0.0.0.0, --port $PORT) are not carried over to the CMD',
    );
  });
});
