/**
 * uv, Poetry, Pipenv and PDM projects built for real. Their tools need PyPI,
 * so these run only with a Docker engine that has network; the lock files are
 * made by each tool in a container first (a committed lock would go stale).
 * Elsewhere they skip and say why; their structure is tested in npm test.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { versions } from '../../lib/versions.js';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, runCli } from '../helpers/project.js';
import { buildAndProbe, dockerEngine, expectHealthy, freePort } from './engine.js';

const APP = join(repoRoot, 'test', 'fixtures', 'apps', 'fastapi', 'main.py');
const PYTHON_IMAGE = 'python:3.14-slim-trixie';
// A Docker engine that reaches the registries: uv's own image is the first thing these need.
const UV_IMAGE = `ghcr.io/astral-sh/uv:${versions.tools.uv}`;
const usable = Boolean(dockerEngine) && (await execa('docker', ['pull', '-q', UV_IMAGE], { reject: false, timeout: 120_000 }).catch(() => undefined))?.exitCode === 0;
if (!usable) console.warn(`e2e: uv/Poetry/Pipenv/PDM builds skipped: they need a Docker engine that reaches PyPI and ghcr.io (${dockerEngine ? 'this one is offline' : 'none answers here'})`);

const PROJECTS: Record<string, { files: Record<string, string>; lock: string[] }> = {
  uv: {
    files: { 'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["fastapi", "uvicorn"]\n\n[dependency-groups]\ndev = ["pytest"]\n' },
    lock: ['run', '--rm', '-v', '{dir}:/w', '-w', '/w', '--entrypoint', '/uv', UV_IMAGE, 'lock'],
  },
  poetry: {
    files: {
      'pyproject.toml':
        '[tool.poetry]\nname = "app"\nversion = "0.1.0"\ndescription = ""\nauthors = []\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "*"\nuvicorn = "*"\n\n[tool.poetry.group.dev.dependencies]\npytest = "*"\n',
    },
    lock: ['run', '--rm', '-v', '{dir}:/w', '-w', '/w', PYTHON_IMAGE, 'sh', '-c', `pip install -q poetry==${versions.tools.poetry} && poetry lock`],
  },
  pipenv: {
    files: { Pipfile: '[packages]\nfastapi = "*"\nuvicorn = "*"\n\n[dev-packages]\npytest = "*"\n' },
    lock: ['run', '--rm', '-v', '{dir}:/w', '-w', '/w', PYTHON_IMAGE, 'sh', '-c', `pip install -q pipenv==${versions.tools.pipenv} && pipenv lock`],
  },
  pdm: {
    files: {
      'pyproject.toml':
        '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["fastapi", "uvicorn"]\n\n[dependency-groups]\ndev = ["pytest"]\n\n[tool.pdm]\ndistribution = false\n',
    },
    lock: ['run', '--rm', '-v', '{dir}:/w', '-w', '/w', PYTHON_IMAGE, 'sh', '-c', `pip install -q pdm==${versions.tools.pdm} && pdm lock`],
  },
};

const tags: string[] = [];
afterAll(async () => {
  for (const tag of tags) await dockerEngine?.remove(tag);
});

describe.skipIf(!usable)('lock-file package managers build and run (Docker with network)', () => {
  it.each(Object.keys(PROJECTS))('%s', async (manager) => {
    const project = PROJECTS[manager];
    const dir = makeProject(project.files, `pm-${manager}-`);
    cpSync(APP, join(dir, 'main.py'));
    const locked = await execa('docker', project.lock.map((a) => a.replace('{dir}', dir)), { reject: false, all: true });
    expect(locked.exitCode, locked.all).toBe(0);

    const port = freePort();
    const generated = await runCli(dir, ['--yes', '--port', String(port)]);
    expect(generated.exitCode, generated.stderr).toBe(0);
    expect(generated.stdout).toContain(`package-manager ${manager}`);

    const tag = `python-docker-e2e-${manager}:test`;
    tags.push(tag);
    expectHealthy(dockerEngine!, await buildAndProbe(dockerEngine!, dir, tag, port));
    // The package manager is not in the final image.
    const which = await execa('docker', ['run', '--rm', '--entrypoint', 'sh', tag, '-c', `command -v ${manager} || echo absent`], { reject: false });
    expect(which.stdout.trim()).toBe('absent');
    writeFileSync(join(dir, '.done'), '');
  });
});
