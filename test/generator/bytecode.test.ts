/**
 * Cold start: the dependencies' bytecode is compiled when they install (pip's default, which nothing in
 * the Dockerfile turns off), so a container does not compile them at every start (README, Performance).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, runCli } from '../helpers/project.js';

describe('bytecode compiled at build', () => {
  it.each([[[]], [['--no-buildkit']]])('pip installs the dependencies with their bytecode (%j)', async (args) => {
    const dir = makeProject({
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'requirements.txt': 'flask\ngunicorn\n',
    });
    expect((await runCli(dir, ['--yes', ...args])).exitCode).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/python -m pip install (--no-cache-dir )?-r requirements\.txt/);
    expect(dockerfile).not.toMatch(/--no-compile|PIP_NO_COMPILE/);
    expect(dockerfile).toContain("The dependencies' bytecode is compiled once, when they install");
  });
});
