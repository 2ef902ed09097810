/**
 * The build context a generated .dockerignore leaves, read with @balena/dockerignore (a
 * port of Docker's matcher; test/e2e/build-context.test.ts checks the same on Docker):
 * per install mode, every file of the project the image needs stays in while secrets and
 * junk stay out; no rule cuts out a folder of Python code (`charts/`, `bin/`), and the run
 * says which rule it made an exception to; virtualenvs with any name are excluded and named.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, readTree, runCli } from '../helpers/project.js';

const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;
const rulesOf = (dir: string) =>
  dockerignore({ ignorecase: false }).add(readFileSync(join(dir, '.dockerignore'), 'utf8'));
const write = (dir: string, files: Record<string, string>) => {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
};

/** Files a project accumulates that must never reach the image. */
const JUNK = {
  kubeconfig: 'x',
  '.streamlit/secrets.toml': 'x',
  'gcp-service-account.json': '{}',
  deploy_key: 'x',
  '.vault-token': 'x',
  'secrets.json': '{}',
  'instance/config.py': 'SECRET_KEY = "x"\n',
  'local_settings.py': 'DEBUG = True\n',
  '.cache/x': 'x',
  '.hypothesis/x': 'x',
  'build/lib/x.py': '',
  'dist/x.whl': 'x',
  'coverage.xml': 'x',
  '.coverage.host.1': 'x',
  'main.py~': 'x',
  '.main.py.swp': 'x',
  'celerybeat-schedule': 'x',
  '.ipynb_checkpoints/x': 'x',
};

const INSTALL_MODES: [string, string, string[]][] = [
  ['pip requirements', 'apps/flask', []],
  ['pip install .', 'apps/pyproject', ['--entrypoint', 'shop.main:app']],
  ['uv', 'managers/uv-package', []],
  ['poetry', 'managers/poetry', []],
  ['pipenv', 'managers/pipenv', []],
  ['pdm', 'managers/pdm', []],
];

describe('per install mode: what the image needs stays in, secrets and junk stay out', () => {
  it.each(INSTALL_MODES)('%s', async (_mode, fixture, args) => {
    const dir = makeProject({}, 'context-');
    cpSync(join(repoRoot, 'test', 'fixtures', ...fixture.split('/')), dir, { recursive: true });
    const needed = Object.keys(readTree(dir));
    write(dir, JUNK);
    const run = await runCli(dir, ['--yes', ...args]);
    expect(run.exitCode, run.stderr).toBe(0);
    const rules = rulesOf(dir);
    for (const file of needed) expect(rules.ignores(file), file).toBe(false);
    for (const file of Object.keys(JUNK)) expect(rules.ignores(file), file).toBe(true);
  });

  it('files a requirements.txt includes, and the readme and license pyproject.toml names, stay in', async () => {
    const dir = makeProject({
      'requirements.txt': '-r requirements/base.txt\n',
      'requirements/base.txt': 'fastapi\nuvicorn\n',
      'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    });
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    expect(rulesOf(dir).ignores('requirements/base.txt')).toBe(false);
    const pkg = makeProject({
      // Named where a rule would exclude them (`**/*.log`, `**/*.key`): pip install . reads them all the same.
      'pyproject.toml':
        '[project]\nname = "shop"\nversion = "1"\nreadme = "docs/index.log"\nlicense = { file = "LICENSE.key" }\ndependencies = ["fastapi"]\n',
      'docs/index.log': '# shop\n',
      'LICENSE.key': 'MIT\n',
      'shop/__init__.py': '',
      'shop/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    });
    expect((await runCli(pkg, ['--yes', '--entrypoint', 'shop.main:app'])).exitCode).toBe(0);
    for (const file of ['pyproject.toml', 'docs/index.log', 'LICENSE.key', 'shop/main.py'])
      expect(rulesOf(pkg).ignores(file), file).toBe(false);
  });
});

describe("no rule cuts out the app's code", () => {
  it('charts/, bin/, obj/ and secrets/ holding Python code stay in; the run names each rule it left out', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py':
        'from flask import Flask\nfrom charts import plot\nfrom secrets.vault import read\napp = Flask(__name__)\n',
      'charts/__init__.py': '',
      'charts/plot.py': 'def plot(): pass\n',
      'bin/manage_jobs.py': '',
      'obj/model.py': '',
      'secrets/__init__.py': '',
      'secrets/vault.py': 'def read(): pass\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    const rules = rulesOf(dir);
    for (const file of [
      'charts/__init__.py',
      'charts/plot.py',
      'bin/manage_jobs.py',
      'obj/model.py',
      'secrets/vault.py',
      'app.py',
    ]) {
      expect(rules.ignores(file), file).toBe(false);
    }
    expect(run.stdout).toContain(
      '.dockerignore keeps charts/ in: its rule "**/charts" would exclude charts/__init__.py, which the image needs',
    );
    expect(run.stdout).toContain(
      '.dockerignore keeps secrets/ in: its rule "**/secrets" would exclude secrets/__init__.py, which the image needs',
    );
    expect(run.stdout).toContain('.dockerignore keeps bin/ in: its rule "**/bin"');
    expect(run.stdout).toContain('.dockerignore keeps obj/ in: its rule "**/obj"');
    // Each rule goes on excluding its other matches: a secrets/ folder elsewhere, a Helm chart.
    for (const file of ['.env', 'deploy/secrets/token', 'deploy/charts/values.yaml'])
      expect(rules.ignores(file), file).toBe(true);
    const text = readFileSync(join(dir, '.dockerignore'), 'utf8');
    expect(text).toContain(
      "\n# The project's own code, which a rule above would leave out.\n!bin\n!charts\n!obj\n!secrets\n",
    );
  });

  it('a package in build/ or env/ (folders detection never enters) stays in too', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': 'from flask import Flask\nimport build.steps, env.config\napp = Flask(__name__)\n',
      'build/__init__.py': '',
      'build/steps.py': '',
      'env/__init__.py': '',
      'env/config.py': '',
    });
    const run = await runCli(dir, ['--yes']);
    const rules = rulesOf(dir);
    for (const file of ['build/steps.py', 'env/config.py']) expect(rules.ignores(file), file).toBe(false);
    expect(run.stdout).toContain('.dockerignore keeps build/ in: its rule "build" would exclude build/__init__.py');
    expect(run.stdout).toContain('.dockerignore keeps env/ in: its rule "**/env" would exclude env/__init__.py');
  });

  it('a project without such folders keeps every rule and says nothing about them', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.stdout).not.toContain('.dockerignore keeps');
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).not.toContain('\n!');
    const text = readFileSync(join(dir, '.dockerignore'), 'utf8');
    for (const rule of ['**/bin', '**/obj', '**/charts', '**/secrets', '**/instance', '**/local_settings.py'])
      expect(text.split('\n')).toContain(rule);
  });

  it("a Flask package's instance/ folder with __init__.py is code; Django's local_settings.py is not", async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': 'from flask import Flask\nimport instance.models\napp = Flask(__name__)\n',
      'instance/__init__.py': '',
      'instance/models.py': '',
      'local_settings.py': 'SECRET_KEY = "x"\n',
    });
    const run = await runCli(dir, ['--yes']);
    const rules = rulesOf(dir);
    expect(rules.ignores('instance/models.py')).toBe(false);
    expect(rules.ignores('local_settings.py')).toBe(true);
    expect(run.stdout).toContain('.dockerignore keeps instance/ in: its rule "**/instance"');
  });
});

describe('virtualenvs whatever their folder is called', () => {
  const NAMES = [
    'my env',
    'vénv-ü',
    '$HOME',
    '#cache',
    '!important',
    'py[3]',
    'odd*',
    'back\\slash',
    'tools/a b',
    'x/y/deep',
  ];

  it('are excluded (escaped for .dockerignore), named in the run, and nothing else is', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    for (const name of NAMES) write(dir, { [`${name}/pyvenv.cfg`]: 'home = /usr/bin\n', [`${name}/lib/site.py`]: '' });
    write(dir, { 'my envy/keep.txt': 'x', 'py3/keep.txt': 'x', 'oddity/keep.txt': 'x', 'HOME/keep.txt': 'x' });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    const rules = rulesOf(dir);
    for (const name of NAMES) expect(rules.ignores(`${name}/pyvenv.cfg`), name).toBe(true);
    for (const kept of ['my envy/keep.txt', 'py3/keep.txt', 'oddity/keep.txt', 'HOME/keep.txt', 'app.py'])
      expect(rules.ignores(kept), kept).toBe(false);
    const note = run.stdout.split('\n').find((l) => l.includes('stay out of the build'))!;
    for (const name of NAMES) expect(note).toContain(`${name}/`);
    const text = readFileSync(join(dir, '.dockerignore'), 'utf8').split('\n');
    expect(text).toEqual(
      expect.arrayContaining([
        '\\#cache',
        '\\!important',
        'py\\[3\\]',
        'odd\\*',
        'back\\\\slash',
        '$HOME',
        'my env',
        'vénv-ü',
      ]),
    );
  });

  it('a kept .dockerignore that lets one through: the warning gives the escaped line to add', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      '.dockerignore': '.git\n',
    });
    write(dir, { 'py[3]/pyvenv.cfg': 'home = /usr/bin\n' });
    const run = await runCli(dir, ['--yes']);
    expect(run.stderr).toContain('does not exclude the virtualenv py[3]/');
    expect(run.stderr).toContain('add a line "py\\[3\\]/" to .dockerignore');
  });
});
