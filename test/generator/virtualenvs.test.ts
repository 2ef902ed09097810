/**
 * Host virtualenvs never reach the image's environment: multi-stage images keep
 * theirs in /opt/venv (outside /app, where the source is copied), our
 * .dockerignore keeps every virtualenv the project has out of the build, and a
 * kept .dockerignore that lets one through is named in a warning.
 * Also: `pip install .` projects install [project].dependencies in a layer of their own.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import { repoRoot, stages } from '../helpers/dockerfile.js';
import { resolveAnswers } from '../../lib/answers.js';
import { answerOptions } from '../../lib/options.js';
import { renderFiles } from '../../lib/render.js';
import { pipFacts } from '../helpers/facts.js';
import { makeProject, runCli } from '../helpers/project.js';

// Its types declare an ES default export; at run time the CommonJS export is the function itself.
// (ignorecase: false below: Docker matches .dockerignore case-sensitively on Linux.)
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;

/** A folder holding pyvenv.cfg, as `python -m venv` leaves it. */
function addVenv(dir: string, path: string): void {
  mkdirSync(join(dir, path, 'bin'), { recursive: true });
  writeFileSync(join(dir, path, 'pyvenv.cfg'), 'home = /usr/bin\n');
}

async function poetryProject(venvs: string[], ownDockerignore?: string) {
  const dir = makeProject({}, 'venvs-');
  cpSync(join(repoRoot, 'test', 'fixtures', 'managers', 'poetry'), dir, { recursive: true });
  for (const venv of venvs) addVenv(dir, venv);
  if (ownDockerignore !== undefined) writeFileSync(join(dir, '.dockerignore'), ownDockerignore);
  const run = await runCli(dir, ['--yes']);
  expect(run.exitCode, run.stderr).toBe(0);
  return { dir, run, dockerfile: readFileSync(join(dir, 'Dockerfile'), 'utf8') };
}

describe('host virtualenvs and the image', () => {
  it('the image keeps its virtualenv in /opt/venv; the source copied into /app cannot reach it', async () => {
    const { dockerfile } = await poetryProject([]);
    const [builder, runtime] = stages(dockerfile);
    expect(builder.instructions.find((i) => i.keyword === 'ENV' && i.text.includes('VIRTUAL_ENV'))?.text).toContain(
      'VIRTUAL_ENV=/opt/venv',
    );
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.text);
    expect(copies).toEqual(['COPY --from=builder /opt/venv /opt/venv', 'COPY --chown=10001:10001 . .']);
    expect(runtime.instructions.find((i) => i.keyword === 'WORKDIR')?.text).toBe('WORKDIR /app');
    expect(runtime.instructions.find((i) => i.keyword === 'ENV')?.text).toContain('PATH="/opt/venv/bin:$PATH"');
  });

  it('every virtualenv the project has, by any name, stays out of the build context', async () => {
    const venvs = ['.venv', 'env', 'ENV', 'venv', 'py311', 'tools/py-env'];
    const { dir, run } = await poetryProject(venvs);
    const rules = dockerignore({ ignorecase: false }).add(readFileSync(join(dir, '.dockerignore'), 'utf8'));
    for (const venv of venvs) expect(rules.ignores(`${venv}/pyvenv.cfg`), venv).toBe(true);
    expect(rules.ignores('shop/main.py')).toBe(false);
    // Where the environment is, said in the run's output.
    expect(run.stdout).toContain(
      "the image's virtualenv is /opt/venv, outside /app: no folder of the project can overwrite it",
    );
    expect(run.stdout).toContain(
      'host virtualenvs .venv/, ENV/, env/, py311/, tools/py-env/, venv/ stay out of the build (.dockerignore)',
    );
  });

  it('a kept .dockerignore that lets a virtualenv through: a warning names it and the line to add', async () => {
    const { run } = await poetryProject(['.venv', 'env'], '.git\n**/.venv\n');
    expect(run.stdout).toContain('kept      .dockerignore');
    expect(run.stderr).toContain(
      'warning: .dockerignore does not exclude the virtualenv env/: it is sent with every build and copied into the image as /app/env (it cannot replace the image\'s own, in /opt/venv); add a line "env/" to .dockerignore',
    );
    expect(run.stderr).not.toContain('virtualenv .venv/');
  });

  it('a kept .dockerignore is read as Docker reads it: a pattern without a slash matches at the root only', async () => {
    const { run } = await poetryProject(['.venv', 'env', 'tools/env'], '.git\n.venv\nenv\n');
    expect(run.stderr).toContain('does not exclude the virtualenv tools/env/');
    expect(run.stderr).not.toContain('virtualenv env/');
    expect(run.stderr).not.toContain('virtualenv .venv/');
  });

  it('a Django project whose package is named env keeps it in the build', async () => {
    const { answers } = await resolveAnswers({ options: answerOptions({ framework: 'django', entrypoint: 'env' }) });
    const rendered = renderFiles(answers, pipFacts({ virtualenvs: ['.venv'] }));
    const rules = dockerignore({ ignorecase: false }).add(rendered['.dockerignore']);
    expect(rules.ignores('env/wsgi.py')).toBe(false);
    expect(rules.ignores('.venv/pyvenv.cfg')).toBe(true);
  });
});

describe('pip install . projects: dependencies in a layer of their own', () => {
  const app = 'from fastapi import FastAPI\napp = FastAPI()\n';
  const pyproject = (deps: string) =>
    `[project]\nname = "shop"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n${deps}\n\n[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n`;

  async function generate(deps: string, args: string[] = []) {
    const dir = makeProject({ 'pyproject.toml': pyproject(deps), 'shop/__init__.py': '', 'shop/main.py': app });
    const run = await runCli(dir, ['--yes', '--entrypoint', 'shop.main:app', ...args]);
    expect(run.exitCode, run.stderr).toBe(0);
    return stages(readFileSync(join(dir, 'Dockerfile'), 'utf8'))[0].instructions.filter(
      (i) => i.keyword === 'RUN' && /pip install|tomllib/.test(i.text),
    );
  }

  it('[project].dependencies install first, from pyproject.toml alone; then the project from its sources', async () => {
    const [deps, project, ...more] = await generate('dependencies = ["fastapi", "uvicorn"]');
    expect(more).toEqual([]);
    expect([...deps.text.matchAll(/--mount=type=bind,([^\s]+)/g)].map((m) => m[1])).toEqual([
      'source=pyproject.toml,target=pyproject.toml',
    ]);
    expect(deps.text).toContain("tomllib.load(open('pyproject.toml', 'rb'))['project'].get('dependencies', [])");
    expect(deps.text).toContain("subprocess.run([sys.executable, '-m', 'pip', 'install', *deps], check=True)");
    expect(project.text).toContain('--mount=type=bind,target=/tmp/project,rw');
    expect(project.text).toMatch(/python -m pip install \/tmp\/project$/);
  });

  it('without BuildKit: pyproject.toml is copied alone for that layer, pip keeps no cache', async () => {
    const dir = makeProject({
      'pyproject.toml': pyproject('dependencies = ["fastapi", "uvicorn"]'),
      'shop/__init__.py': '',
      'shop/main.py': app,
    });
    expect((await runCli(dir, ['--yes', '--entrypoint', 'shop.main:app', '--no-buildkit'])).exitCode).toBe(0);
    const [runtime] = stages(readFileSync(join(dir, 'Dockerfile'), 'utf8'));
    const texts = runtime.instructions.map((i) => i.text);
    const copyManifest = texts.indexOf('COPY pyproject.toml ./');
    expect(copyManifest).toBeGreaterThan(-1);
    expect(texts[copyManifest + 1]).toContain("'--no-cache-dir', *deps");
    expect(texts.indexOf('COPY . /tmp/project')).toBeGreaterThan(copyManifest + 1);
  });

  it('no such layer when the dependencies are dynamic, absent, or the Python has no tomllib', async () => {
    expect(await generate('dynamic = ["dependencies"]')).toHaveLength(1);
    expect(await generate('')).toHaveLength(1);
    expect(await generate('dependencies = []')).toHaveLength(1);
    expect(await generate('dependencies = ["fastapi", "uvicorn"]', ['--python-version', '3.10'])).toHaveLength(1);
  });
});
