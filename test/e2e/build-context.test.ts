/**
 * The build context a generated .dockerignore leaves, as Docker itself sends it: a project
 * with virtualenvs named with a space, non-ASCII letters, `$`, `#`, `!` and glob characters,
 * secrets and junk, and a `charts/` package of the app's own, copied whole into an image
 * (`COPY . /ctx`): what arrives is the project's code and nothing else (the `charts/` package
 * comes back through an exception; a Helm chart in `deploy/charts/` stays out).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, runCli } from '../helpers/project.js';
import { dockerEngine } from './engine.js';

const TAG = `ctx-context-${process.pid}:test`;

afterAll(async () => {
  if (dockerEngine) await dockerEngine.remove(TAG);
});

const VENVS = ['.venv', 'my env', 'vénv-ü', '$HOME', '#cache', '!important', 'py[3]', 'odd*', 'tools/a b'];
const JUNK = [
  'deploy/charts/values.yaml',
  'deploy/secrets/token',
  'kubeconfig',
  '.streamlit/secrets.toml',
  'instance/config.py',
  'local_settings.py',
  '.env',
  'build/lib/x.py',
  'coverage.xml',
  'main.py~',
];
const CODE = ['app.py', 'charts/__init__.py', 'charts/plot.py', 'requirements.txt', 'my envy/data.txt', 'py3/data.txt'];

describe.skipIf(!dockerEngine)('the build context on Docker', () => {
  it('holds the code, and no virtualenv, secret or junk file', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': 'from flask import Flask\nfrom charts import plot\napp = Flask(__name__)\n',
      'charts/__init__.py': '',
      'charts/plot.py': 'def plot(): pass\n',
      'my envy/data.txt': 'x',
      'py3/data.txt': 'x',
    });
    const put = (path: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), 'x');
    };
    for (const venv of VENVS) put(`${venv}/pyvenv.cfg`);
    for (const file of JUNK) put(file);
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    const built = await execa('docker', ['build', '-q', '-t', TAG, '-f', '-', dir], {
      input: 'FROM python:3.13-slim\nCOPY . /ctx\n',
      reject: false,
      all: true,
    });
    expect(built.exitCode, built.all).toBe(0);
    const listed = await execa('docker', ['run', '--rm', TAG, 'find', '/ctx', '-type', 'f']);
    const files = listed.stdout
      .split('\n')
      .map((f) => f.slice('/ctx/'.length))
      .sort();
    for (const file of CODE) expect(files).toContain(file);
    expect(files.filter((f) => f.endsWith('pyvenv.cfg'))).toEqual([]);
    for (const file of JUNK) expect(files).not.toContain(file);
  });
});
