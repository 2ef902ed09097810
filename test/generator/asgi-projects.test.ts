/**
 * `python-docker --yes` in the ASGI detection fixtures writes the Dockerfile each project needs: its
 * server's CMD, port, HEALTHCHECK path, import path; the server added where the project lacks it.
 * Litestar and Sanic are checked here, statically (dockerfile-utils at error, tally where it runs):
 * the offline package index the e2e suite builds from has neither.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execArgv, instructions, tallyAvailable, tallyFindings, utilsDiagnostics } from '../helpers/dockerfile.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { makeProject, runCli } from '../helpers/project.js';

interface Expected {
  cmd: string[];
  expose: string;
  /** The path the HEALTHCHECK probes. */
  health: string;
  pythonPath?: string;
  /** In the run's output. */
  stdout?: string[];
}

const PROJECTS: Record<string, Expected> = {
  'starlette-factory': {
    cmd: ['uvicorn', '--factory', 'notes.app:create_app', '--host', '0.0.0.0', '--port', '8000'],
    expose: '8000',
    health: '/api/health',
    pythonPath: '/app/src',
  },
  'quart-blueprint': {
    cmd: ['hypercorn', 'blog:create_app()', '--bind', '0.0.0.0:8000', '--access-logfile', '-', '--workers', '2'],
    expose: '8000',
    health: '/health',
  },
  'aiohttp-factory': {
    // The Procfile binds $PORT: gunicorn reads PORT itself, which the image sets.
    cmd: ['gunicorn', '--access-logfile', '-', '--worker-class', 'aiohttp.GunicornWebWorker', 'polls.main:init_app'],
    expose: '8080',
    health: '/health',
  },
  'litestar-src-py': {
    cmd: ['uvicorn', '--factory', 'app.asgi:create_app', '--host', '0.0.0.0', '--port', '8000'],
    expose: '8000',
    health: '/health',
    pythonPath: '/app/src/py',
    stdout: ['framework       litestar (litestar in pyproject.toml)'],
  },
  'sanic-blueprint': {
    cmd: ['sanic', 'shop.server:app', '--host', '0.0.0.0', '--port', '9000'],
    expose: '9000',
    health: '/healthz',
  },
  'sanic-factory': {
    cmd: ['sanic', 'main:create_app', '--factory', '--host', '0.0.0.0', '--port', '8000'],
    expose: '8000',
    health: '/',
  },
};

const written: Record<string, string> = {};

describe('python-docker --yes in each ASGI fixture', () => {
  it.each(Object.entries(PROJECTS))('%s', async (name, expected) => {
    const dir = fixtureCopy('detect', name);
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    written[name] = dockerfile;
    expect(execArgv(dockerfile, 'CMD')).toEqual(expected.cmd);
    expect(instructions(dockerfile).find((i) => i.keyword === 'EXPOSE')?.args).toBe(expected.expose);
    const probe = execArgv(dockerfile, 'HEALTHCHECK')?.join(' ') ?? '';
    // `127.0.0.1:8000/health`, or the port from PORT when the Procfile's server reads it (`'8080') + '/health'`).
    expect(probe).toMatch(new RegExp(`${expected.expose}(?:'\\) \\+ ')?${expected.health}'`));
    if (expected.pythonPath) expect(dockerfile).toContain(`PYTHONPATH=${expected.pythonPath} `);
    for (const line of expected.stdout ?? []) expect(run.stdout).toContain(line);
    expect(utilsDiagnostics(dockerfile)).toEqual([]);
  });

  it.skipIf(!tallyAvailable)('tally finds nothing in their Dockerfiles', () => {
    expect(Object.keys(written)).toHaveLength(Object.keys(PROJECTS).length);
    const files = Object.fromEntries(Object.entries(written).map(([name, text]) => [`${name}.Dockerfile`, text]));
    expect(tallyFindings(files)).toEqual([]);
  });
});

describe('the server the CMD runs, added to the project when it lacks it', () => {
  it.each([
    ['quart', 'app:app', 'quart\n', 'hypercorn>=0.17,<1'],
    ['aiohttp', 'app:app', 'aiohttp\n', 'gunicorn>=23.0,<25'],
    ['starlette', 'app:app', 'starlette\n', 'uvicorn[standard]>=0.32,<1'],
  ])('%s', async (framework, entrypoint, requirements, added) => {
    const dir = makeProject({ 'requirements.txt': requirements, 'app.py': 'app = None\n' });
    const run = await runCli(dir, ['--yes', '--framework', framework, '--entrypoint', entrypoint]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toBe(`${requirements}${added}\n`);
  });

  it('a Litestar project whose litestar[standard] brings uvicorn is not told to add it', async () => {
    const dir = fixtureCopy('detect', 'litestar-src-py');
    const before = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe(before);
    expect(`${run.stdout}\n${run.stderr}`).not.toContain('uvicorn');
  });
});

describe('--framework asgi and wsgi', () => {
  it.each([
    ['asgi', 'service.entry:api', ['uvicorn', 'service.entry:api', '--host', '0.0.0.0', '--port', '8000'], 'uvicorn'],
    [
      'wsgi',
      'legacy.wsgi:application',
      ['gunicorn', '--bind', '0.0.0.0:8000', '--access-logfile', '-', 'legacy.wsgi:application'],
      'gunicorn',
    ],
  ])('%s: runs %s, and the requirements stub lists only the server', async (framework, entrypoint, cmd, server) => {
    const dir = makeProject({});
    const run = await runCli(dir, ['--yes', '--framework', framework, '--entrypoint', entrypoint]);
    expect(run.exitCode, run.stderr).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(execArgv(dockerfile, 'CMD')).toEqual(cmd);
    expect(instructions(dockerfile).find((i) => i.keyword === 'EXPOSE')?.args).toBe('8000');
    const stub = readFileSync(join(dir, 'requirements.txt'), 'utf8');
    expect(stub.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      expect.stringMatching(new RegExp(`^${server}\\b`)),
    ]);
    expect(utilsDiagnostics(dockerfile)).toEqual([]);
  });
});
