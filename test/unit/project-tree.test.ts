/**
 * The project walk (lib/detect/project-tree.ts) against hostile trees: a file swapped
 * for a FIFO after the walk, a pile of data files at the root, and dependency files
 * that are links, oversized, stray or invalid — each said for what it is.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../lib/detect/detect-project.js';
import { MAX_FILES, ProjectTree } from '../../lib/project/project-tree.js';
import { scanProject } from '../../lib/project-files.js';
import type { Answers } from '../../lib/answers.js';
import { makeProject } from '../helpers/project.js';

const flaskApp = 'from flask import Flask\napp = Flask(__name__)\n';

describe('the walk', () => {
  it('a file swapped for a FIFO between the walk and the read is refused in one line, without waiting for a writer', () => {
    const dir = makeProject({ 'requirements.txt': 'flask\n', 'app.py': flaskApp });
    const tree = new ProjectTree(dir);
    rmSync(join(dir, 'requirements.txt'));
    execFileSync('mkfifo', [join(dir, 'requirements.txt')]);
    expect(() => tree.read('requirements.txt')).toThrow(
      /^requirements\.txt is a named pipe \(FIFO\), not a regular file; move it away and run again$/,
    );
  });

  it('a file swapped for a link after the walk is not read through it', () => {
    const dir = makeProject({ 'requirements.txt': 'flask\n', 'outside.txt': 'secret\n' });
    const tree = new ProjectTree(dir);
    rmSync(join(dir, 'requirements.txt'));
    symlinkSync(join(dir, 'outside.txt'), join(dir, 'requirements.txt'));
    expect(() => tree.read('requirements.txt')).toThrow(/requirements\.txt became a symbolic link/);
  });

  it('100,000 data files at the root: app/ is still walked first, and the run says the walk stopped', async () => {
    const dir = makeProject({
      'requirements.txt': 'fastapi\nuvicorn\n',
      'app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    });
    mkdirSync(join(dir, 'data'));
    // Hard links: a directory entry each, four times quicker to make than new files (two sources: a file takes 65,000).
    for (const source of ['data/a', 'data/b']) writeFileSync(join(dir, source), '');
    for (let i = 0; i < 100_000; i++) {
      linkSync(join(dir, i % 2 ? 'data/a' : 'data/b'), join(dir, `row-${i}.json`));
      // Let the test runner's worker answer its host now and then on a loaded machine.
      if (i % 2000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const detection = detectProject(dir);
    expect(detection.answers).toMatchObject({ framework: 'fastapi', entrypoint: 'app.main:app' });
    expect(detection.tree.files).toHaveLength(MAX_FILES);
    expect(detection.warnings).toContainEqual(
      'the walk stops at 20,000 files: 80,004 more (most in the project folder) were not looked at, so detection may have missed what they hold',
    );
  }, 60_000);

  it('a small project says nothing about limits', () => {
    const dir = makeProject({ 'requirements.txt': 'flask\n', 'app.py': flaskApp });
    expect(new ProjectTree(dir).cutShort).toEqual([]);
  });
});

describe('dependency files, said for what they are', () => {
  it('a requirements/ folder that is a link is refused out loud, not skipped into FastAPI defaults', () => {
    const dir = makeProject({ 'shared/base.txt': 'flask\n', 'shop/app.py': flaskApp });
    symlinkSync('../shared', join(dir, 'shop', 'requirements'));
    expect(() => detectProject(join(dir, 'shop'))).toThrow(
      /^requirements\/base\.txt is inside requirements\/, a symbolic link \(to \.\.\/shared\), which the generator does not follow \(the build context would hold the link, not the file\); replace the link with the folder itself and run again$/,
    );
  });

  it('a linked requirements.txt or pyproject.toml is refused out loud', () => {
    for (const name of ['requirements.txt', 'pyproject.toml']) {
      const dir = makeProject({ 'shared/deps': '[project]\nname = "x"\n', 'shop/app.py': flaskApp });
      symlinkSync('../shared/deps', join(dir, 'shop', name));
      expect(() => detectProject(join(dir, 'shop'))).toThrow(
        new RegExp(`^${name.replace('.', '\\.')} is a symbolic link \\(to \\.\\./shared/deps\\)`),
      );
    }
    const dangling = makeProject({ 'app.py': flaskApp });
    symlinkSync('../gone/pyproject.toml', join(dangling, 'pyproject.toml'));
    expect(() => detectProject(dangling)).toThrow(
      /^pyproject\.toml is a symbolic link \(to \.\.\/gone\/pyproject\.toml\)/,
    );
  });

  it('a -r include through a linked folder names the link, not "does not exist"', () => {
    const dir = makeProject({
      'shared/extra.txt': 'requests\n',
      'shop/app.py': flaskApp,
      'shop/requirements.txt': 'flask\n-r deps/extra.txt\n',
    });
    symlinkSync('../shared', join(dir, 'shop', 'deps'));
    const tree = new ProjectTree(join(dir, 'shop'));
    expect(() =>
      scanProject(tree, {
        packageManager: 'pip',
        framework: 'flask',
        entrypoint: 'app:app',
        pythonVersion: '3.13',
      } as Answers),
    ).toThrow(/^requirements\.txt: includes deps\/extra\.txt, but deps\/ is a symbolic link/);
  });

  it('a requirements file over 64 MB is named as too large, not as missing', () => {
    const dir = makeProject({ 'requirements.txt': 'flask\n-r big.txt\n', 'app.py': flaskApp, 'big.txt': '' });
    truncateSync(join(dir, 'big.txt'), 65_000_000);
    const tree = new ProjectTree(dir);
    expect(() =>
      scanProject(tree, {
        packageManager: 'pip',
        framework: 'flask',
        entrypoint: 'app:app',
        pythonVersion: '3.13',
      } as Answers),
    ).toThrow(
      /^requirements\.txt: includes big\.txt, which is 65\.0 MB, over the 64\.0 MB limit for data files; shrink it or move it away$/,
    );
    truncateSync(join(dir, 'requirements.txt'), 65_000_000);
    expect(() =>
      scanProject(new ProjectTree(dir), {
        packageManager: 'pip',
        framework: 'flask',
        entrypoint: 'app:app',
        pythonVersion: '3.13',
      } as Answers),
    ).toThrow(/^requirements\.txt is 65\.0 MB, over the 64\.0 MB limit for data files; shrink it or move it away$/);
  });

  it.each([
    ['uv.lock', 'pyproject.toml'],
    ['pdm.lock', 'pyproject.toml'],
    ['poetry.lock', 'pyproject.toml'],
    ['Pipfile.lock', 'Pipfile'],
  ])('a stray %s beside requirements.txt is named, and pip is used', (lock, manifest) => {
    const dir = makeProject({ 'requirements.txt': 'flask\n', [lock]: '{}\n', 'app.py': flaskApp });
    const detection = detectProject(dir);
    expect(detection.answers.packageManager).toBe('pip');
    expect(detection.warnings).toContain(
      `${lock} is here without ${manifest}, which it locks: not used to choose the package manager`,
    );
  });
});
