/**
 * A Flask app factory run by a Procfile's `web:` line on Docker: the image's CMD
 * carries its worker, thread and timeout settings, and gunicorn binds $PORT as
 * the Procfile has it (ENV PORT in the image, overridable at `docker run -e`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { execArgv } from '../helpers/dockerfile.js';
import { makeProject, runCli } from '../helpers/project.js';
import { dockerEngine, waitForHealth, waitForHttp } from './engine.js';

const TAG = `options-procfile-${process.pid}`;
const names: string[] = [];
afterAll(async () => {
  for (const name of names) await execa('docker', ['rm', '-f', name], { reject: false });
  await execa('docker', ['rmi', '-f', TAG], { reject: false });
});

/** Starts the image, waits for an answer and Docker's health verdict, returns both and the log. */
async function start(hostPort: number, port: number, env: string[] = []) {
  const name = `options-procfile-${process.pid}-${names.length}`;
  names.push(name);
  await execa('docker', [
    'run',
    '-d',
    '--name',
    name,
    ...env,
    '-p',
    `127.0.0.1:${hostPort}:${port}`,
    '--health-interval',
    '1s',
    TAG,
  ]);
  const http = await waitForHttp(`http://127.0.0.1:${hostPort}/`);
  const health = await waitForHealth(name);
  const log = (await execa('docker', ['logs', name], { reject: false, all: true })).all ?? '';
  return { http, health, log };
}

describe.skipIf(!dockerEngine)('a Procfile web line on Docker', () => {
  it('Flask factory: --workers, --threads, --timeout reach the CMD; gunicorn binds $PORT, healthy on the default and on -e PORT', async () => {
    const dir = makeProject(
      {
        'requirements.txt': 'flask\ngunicorn\n',
        'app.py':
          'from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n\n    @app.get("/")\n    def index():\n        return "ok"\n\n    return app\n',
        Procfile: 'web: gunicorn "app:create_app()" --workers 2 --threads 2 --timeout 60 --bind 0.0.0.0:$PORT\n',
      },
      'e2e-procfile-',
    );
    const generated = await runCli(dir, ['--yes']);
    expect(generated.exitCode, generated.stderr).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(execArgv(dockerfile, 'CMD')).toEqual([
      'gunicorn',
      '--access-logfile',
      '-',
      '--workers',
      '2',
      '--threads',
      '2',
      '--timeout',
      '60',
      'app:create_app()',
    ]);
    const built = await execa('docker', ['build', '-t', TAG, '-f', '-', dir], {
      input: dockerfile.replace(/^# syntax=.*\n/, ''),
      reject: false,
      all: true,
      env: { DOCKER_BUILDKIT: '1' },
    });
    expect(built.exitCode, built.all).toBe(0);

    const byDefault = await start(23101, 8000);
    expect([byDefault.http, byDefault.health], byDefault.log).toEqual([200, 'healthy']);
    expect(byDefault.log).toContain('Listening at: http://0.0.0.0:8000');
    expect(byDefault.log.match(/Booting worker/g)).toHaveLength(2);
    expect(byDefault.log).toContain('Using worker: gthread'); // --threads 2

    const onPort = await start(23102, 23102, ['-e', 'PORT=23102']);
    expect([onPort.http, onPort.health], onPort.log).toEqual([200, 'healthy']);
    expect(onPort.log).toContain('Listening at: http://0.0.0.0:23102');
  });
});
