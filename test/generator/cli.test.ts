import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, readTree, runCli, runGenerator } from '../helpers/project.js';

describe('python-docker (standalone command)', () => {
  it('--yes writes the files, then a summary with the build and run commands', async () => {
    const dir = makeProject({}, 'My_App-');
    const { stdout, stderr, exitCode } = await runCli(dir, ['--yes', '--framework', 'flask']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(Object.keys(readTree(dir)).sort()).toEqual([
      '.dockerignore',
      '.yo-rc.json',
      'Dockerfile',
      'README.Docker.md',
      'requirements.txt',
    ]);
    expect(stdout).toContain('created   Dockerfile');
    expect(stdout).toContain('created   requirements.txt');
    expect(stdout).toMatch(/docker build -t my_app-[a-z0-9]+ \./i);
    expect(stdout).toMatch(/docker run --rm -p 8000:8000 my_app-[a-z0-9]+/i);
  });

  it('a worker is run without publishing a port', async () => {
    const { stdout } = await runCli(makeProject(), ['-y', '--framework', 'none', '--entrypoint', 'worker.py']);
    expect(stdout).toMatch(/docker run --rm project-\S+$/m);
  });

  it('with no terminal and no --yes it asks nothing and says which answers it took', async () => {
    const { stdout, exitCode } = await runCli(makeProject(), ['--port', '9000']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('No terminal, so nothing was asked.');
    expect(stdout).toMatch(/framework\s+fastapi \(default\)/);
    expect(stdout).not.toMatch(/^\s+port\s/m); // given as an option
  });

  it.each([
    [['--port', '70000'], 'python-docker: --port: "70000" is not a port; expected a whole number from 1 to 65535'],
    [
      ['--framework', 'rails'],
      'python-docker: --framework: "rails" is not supported; expected one of fastapi, flask, django, streamlit, falcon, falcon-asgi, pyramid, bottle, dash, gradio, none',
    ],
    [['--python-version', '3.16'], 'python-docker: --python-version: 3.16 has no released python image yet'],
    [['--entrypoint', 'main.py'], 'python-docker: --entrypoint: "main.py" is not an entrypoint for FastAPI'],
    [['--maintainer', 'a\nb'], 'python-docker: --maintainer: contains a newline or control character'],
    [['--prot', '80'], 'python-docker: --prot: unknown option; did you mean --port? (see python-docker --help)'],
    [['--port'], 'python-docker: --port: needs a value (see python-docker --help)'],
    [['--yes=no'], 'python-docker: --yes: takes no value; give --yes alone'],
    [['app.py'], 'python-docker: "app.py": unexpected argument; this command takes options only'],
  ])('%j: one line naming the field, exit 1, nothing written, no stack', async (args, message) => {
    const dir = makeProject();
    const { stderr, stdout, exitCode } = await runCli(dir, ['--yes', ...args]);
    expect(exitCode).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
    expect(readTree(dir)).toEqual({});
  });

  it('without a terminal, says before "Next:" that the image will not start without the server the CMD runs', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask>=3\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const { stdout, stderr, exitCode } = await runCli(dir, ['--framework', 'flask']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    const notReady =
      'Will not start yet:\n  requirements.txt does not list gunicorn, which the Flask image runs: add "gunicorn>=23.0,<25" to it (or run again with --yes, which adds it)\n';
    expect(stdout).toContain(notReady);
    expect(stdout.indexOf(notReady)).toBeLessThan(stdout.indexOf('Next:'));
    expect(stdout).toContain('Next:\n  fix what "Will not start yet" lists, then\n');
    expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toBe('flask>=3\n');
  });

  it('--yes adds the missing server to requirements.txt and says so', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask>=3\r\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const { stdout, exitCode } = await runCli(dir, ['--yes', '--framework', 'flask']);
    expect(exitCode).toBe(0);
    expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toBe('flask>=3\r\ngunicorn>=23.0,<25\r\n');
    expect(stdout).toContain('  updated   requirements.txt (added "gunicorn>=23.0,<25")\n');
    expect(stdout).not.toContain('Will not start yet');
  });

  it('--yes adds it to [project].dependencies of a pyproject.toml installed with pip install .', async () => {
    const pyproject = '[project]\nname = "shop"\nversion = "1"\ndependencies = [\n    "fastapi",\n]\n';
    const dir = makeProject({
      'pyproject.toml': pyproject,
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    });
    const { stdout } = await runCli(dir, ['--yes']);
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe(
      pyproject.replace('[\n', '[\n    "uvicorn[standard]>=0.32,<1",\n'),
    );
    expect(stdout).toContain('  updated   pyproject.toml (added "uvicorn[standard]>=0.32,<1")\n');
  });

  it('a lock-file project gets the command that adds the server and updates the lock; its files are not touched', async () => {
    const pyproject = '[project]\nname = "shop"\nversion = "1"\ndependencies = ["flask"]\n';
    const dir = makeProject({
      'pyproject.toml': pyproject,
      'poetry.lock': '# lock\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const { stdout } = await runCli(dir, ['--yes']);
    expect(stdout).toContain(
      'Will not start yet:\n  pyproject.toml does not list gunicorn, which the Flask image runs: run `poetry add gunicorn` (it updates poetry.lock too)\n',
    );
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe(pyproject);
  });

  it('fastapi[standard] counts as providing uvicorn', async () => {
    const { stderr } = await runCli(makeProject({ 'requirements.txt': 'fastapi[standard]\n' }), ['-y']);
    expect(stderr).toBe('');
  });

  it('warns on a low port and an end-of-life Python, and still writes', async () => {
    const dir = makeProject();
    const { stderr, exitCode } = await runCli(dir, ['-y', '--port', '80', '--python-version', '3.9']);
    expect(exitCode).toBe(0);
    expect(stderr).toContain('warning: Python 3.9 is past its end of life');
    expect(stderr).toContain('warning: port 80 is below 1024');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('FROM python:${PYTHON_VERSION}-slim-bookworm');
  });

  it('binds requirements files included with -r', async () => {
    const dir = makeProject({
      'requirements.txt': '-r requirements/base.txt\nuvicorn\n',
      'requirements/base.txt': 'fastapi\n',
    });
    await runCli(dir, ['-y']);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain(
      '--mount=type=bind,source=requirements/base.txt,target=requirements/base.txt',
    );
  });

  it('refuses a -r include that does not exist, naming it', async () => {
    const dir = makeProject({ 'requirements.txt': '-r base.txt\n' });
    const { stderr, exitCode } = await runCli(dir, ['-y']);
    expect(exitCode).toBe(1);
    expect(stderr).toBe(
      'python-docker: requirements.txt: includes base.txt, which does not exist; fix the -r/-c line or create the file',
    );
    expect(Object.keys(readTree(dir))).toEqual(['requirements.txt']);
  });
});

describe('both front-ends write identical files for the same answers', () => {
  it.each([
    { yes: true },
    {
      yes: true,
      framework: 'flask',
      port: '5000',
      entrypoint: 'app:create_app()',
      maintainer: 'Jane "JD" Doe \\ $HOME',
      compose: true,
    },
    { yes: true, framework: 'django', entrypoint: 'config', 'python-version': '3.10' },
    { yes: true, framework: 'streamlit', entrypoint: 'src/dash.py' },
    { yes: true, framework: 'none', entrypoint: 'jobs.worker', 'python-version': '3.15' },
  ] as Record<string, string | boolean>[])('%o', async (options) => {
    // Same folder name in both: the image name comes from it.
    const viaYo = join(makeProject(), 'shop');
    const viaCli = join(makeProject(), 'shop');
    // The modules the entrypoints name exist: a typed entrypoint naming nothing in the project is refused.
    const files = {
      'app.py': 'def create_app():\n    return None\n',
      'config/wsgi.py': 'application = None\n',
      'src/dash.py': 'print(1)\n',
      'jobs/worker.py': 'print(1)\n',
    };
    for (const dir of [viaYo, viaCli]) {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    }
    await runGenerator()
      .cd(viaYo)
      .withOptions({ force: false, ...options }); // Yeoman adds camel-cased keys to what it is given
    const args = Object.entries(options).flatMap(([k, v]) => (v === true ? [`--${k}`] : [`--${k}`, String(v)]));
    const cli = await runCli(viaCli, args);
    expect(cli.stderr.replace(/^warning: .*\n?/gm, '')).toBe('');
    expect(cli.exitCode).toBe(0);
    expect(readTree(viaCli)).toEqual(readTree(viaYo));
  });
});
