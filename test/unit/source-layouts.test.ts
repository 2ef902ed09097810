/**
 * Source folders declared in pyproject.toml, as each build backend spells them: the app is found
 * there, and its folder goes on PYTHONPATH like src/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../lib/detect/detect-project.js';
import { declaredSourceRoots } from '../../lib/project/modules.js';
import { ProjectTree } from '../../lib/project/project-tree.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { makeProject, runCli } from '../helpers/project.js';

const APP = 'from fastapi import FastAPI\n\napp = FastAPI()\n';

/** Per backend: its pyproject.toml table, and where the package `app` lives. */
const LAYOUTS: Record<string, { toml: string; dir: string; root: string }> = {
  'setuptools package-dir ""': {
    toml: '[tool.setuptools]\npackage-dir = {"" = "src/py"}\n',
    dir: 'src/py/app',
    root: 'src/py',
  },
  'setuptools package-dir per package': {
    toml: '[tool.setuptools.package-dir]\napp = "lib/app"\n',
    dir: 'lib/app',
    root: 'lib',
  },
  'setuptools packages.find.where': {
    toml: '[tool.setuptools.packages.find]\nwhere = ["python"]\n',
    dir: 'python/app',
    root: 'python',
  },
  'hatch wheel packages': {
    toml: '[tool.hatch.build.targets.wheel]\npackages = ["src/py/app"]\n',
    dir: 'src/py/app',
    root: 'src/py',
  },
  'hatch sources list': {
    toml: '[tool.hatch.build.targets.wheel]\nsources = ["backend"]\n',
    dir: 'backend/app',
    root: 'backend',
  },
  'hatch sources table': { toml: '[tool.hatch.build.sources]\n"code" = ""\n', dir: 'code/app', root: 'code' },
  'poetry packages from': {
    toml: '[tool.poetry]\npackages = [{ include = "app", from = "src/py" }]\n',
    dir: 'src/py/app',
    root: 'src/py',
  },
  'pdm package-dir': { toml: '[tool.pdm.build]\npackage-dir = "server"\n', dir: 'server/app', root: 'server' },
  'maturin python-source': { toml: '[tool.maturin]\npython-source = "python"\n', dir: 'python/app', root: 'python' },
};

const makeProjectFile = (dir: string, path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

const project = (toml: string, dir: string) =>
  makeProject({
    'pyproject.toml': `[project]\nname = "app"\nversion = "1"\ndependencies = ["fastapi", "uvicorn"]\n\n${toml}`,
    [`${dir}/__init__.py`]: '',
    [`${dir}/main.py`]: APP,
  });

describe('source folders declared in pyproject.toml', () => {
  it.each(Object.entries(LAYOUTS))('%s', (_name, { toml, dir, root }) => {
    const folder = project(toml, dir);
    expect(declaredSourceRoots(new ProjectTree(folder))).toEqual([root]);
    const detection = detectProject(folder);
    expect(detection.answers.entrypoint).toBe('app.main:app');
    expect(detection.sources.entrypoint).toContain(`${dir}/main.py`);
  });

  it("prefers the package's main.py to a shallower helper script that builds an app too", () => {
    const folder = project(LAYOUTS['hatch wheel packages'].toml, 'src/py/app');
    makeProjectFile(folder, 'scripts/mock_upstream.py', APP);
    expect(detectProject(folder).answers.entrypoint).toBe('app.main:app');
  });

  it('ignores a folder that does not exist, the root itself, and paths leaving the project', () => {
    const folder = makeProject({
      'pyproject.toml': '[tool.setuptools.packages.find]\nwhere = ["missing", ".", "../outside", "/etc"]\n',
      'main.py': APP,
    });
    expect(declaredSourceRoots(new ProjectTree(folder))).toEqual([]);
  });

  it('a Litestar-style layout (hatch, src/py/app, app factory): found, and src/py on PYTHONPATH', async () => {
    const folder = fixtureCopy('apps', 'detect-hatch-src-py');
    const detection = detectProject(folder);
    expect(detection.answers).toMatchObject({ framework: 'fastapi', entrypoint: 'app.asgi:create_app()' });
    const run = await runCli(folder, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    const dockerfile = readFileSync(join(folder, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('PYTHONPATH=/app/src/py');
    expect(dockerfile).toContain('CMD ["uvicorn", "--factory", "app.asgi:create_app"');
  });
});
