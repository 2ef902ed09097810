/**
 * The generated compose.yaml on a real Docker Engine with compose v2: it passes
 * `docker compose config`, `docker compose up --build` serves a healthy app, and
 * `docker compose watch` syncs a source edit (the restarted app serves it) and
 * rebuilds after an edit to the dependency file.
 */
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, runCli } from '../helpers/project.js';
import { dockerEngine, freePort, waitForHealth, waitForHttp, withoutSyntaxLine } from './engine.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean, seconds: number): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let value = await what();
  while (!ok(value) && Date.now() < deadline) {
    await sleep(500);
    value = await what();
  }
  return value;
}

describe.skipIf(!dockerEngine)('compose.yaml on Docker (docker)', () => {
  it('config is valid; up --build serves a healthy app; watch syncs a source edit and rebuilds after a dependency edit', async () => {
    const port = freePort();
    const dir = makeProject({}, 'compose-fastapi-');
    cpSync(join(repoRoot, 'test', 'fixtures', 'apps', 'fastapi'), dir, { recursive: true });
    const generated = await runCli(dir, [
      '--yes',
      '--compose',
      '--framework',
      'fastapi',
      '--entrypoint',
      'main:app',
      '--port',
      String(port),
    ]);
    expect(generated.exitCode, generated.stderr).toBe(0);
    expect(generated.stdout).toMatch(/^ {2}docker compose up --build$/m);
    // This engine is offline: the `# syntax=` line alone needs a registry (see ../shared/dockerbox/README.md).
    writeFileSync(join(dir, 'Dockerfile'), withoutSyntaxLine(readFileSync(join(dir, 'Dockerfile'), 'utf8')));

    const project = `python-docker-e2e-compose-${process.pid}`;
    const compose = (...args: string[]) =>
      execa('docker', ['compose', '-p', project, ...args], { cwd: dir, reject: false, all: true, stdin: 'ignore' });
    let watch: ResultPromise | undefined;
    try {
      const config = await compose('config');
      expect(config.exitCode, config.all).toBe(0);
      expect(config.stdout).toContain(`published: "${port}"`);

      const up = await compose('up', '--build', '-d');
      expect(up.exitCode, up.all).toBe(0);
      expect(await waitForHttp(`http://127.0.0.1:${port}/`)).toBe(200);
      const container = (await compose('ps', '-q', 'app')).stdout.trim();
      expect(await waitForHealth(container)).toBe('healthy');

      watch = execa('docker', ['compose', '-p', project, 'watch'], {
        cwd: dir,
        reject: false,
        all: true,
        buffer: false,
        stdin: 'ignore',
      });
      let said = '';
      watch.all?.on('data', (chunk: Buffer) => (said += chunk.toString()));
      await until(
        async () => said,
        (s) => /watch enabled/i.test(s),
        120,
      );
      expect(said).toMatch(/watch enabled/i);

      // A source edit is synced and the restarted app serves it.
      writeFileSync(
        join(dir, 'main.py'),
        readFileSync(join(dir, 'main.py'), 'utf8').replace('"framework": "fastapi"', '"framework": "fastapi, edited"'),
      );
      const body = async () =>
        fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) }).then(
          (r) => r.text(),
          () => '',
        );
      expect(await until(body, (b) => b.includes('fastapi, edited'), 90), said).toContain('fastapi, edited');

      // A dependency edit rebuilds the image.
      const image = async () =>
        (await execa('docker', ['compose', '-p', project, 'images', '--format', 'json'], { cwd: dir, reject: false }))
          .stdout;
      const before = await image();
      appendFileSync(join(dir, 'requirements.txt'), '# an edit to the dependency file\n');
      const rebuilt = await until(image, (i) => i !== before && i.trim() !== '' && i.trim() !== '[]', 180);
      expect(rebuilt, said).not.toBe(before);
      expect(await waitForHttp(`http://127.0.0.1:${port}/`)).toBe(200);
    } finally {
      watch?.kill('SIGINT');
      await Promise.race([watch, sleep(10_000)]);
      watch?.kill('SIGKILL');
      await compose('down', '--rmi', 'all', '--volumes', '--remove-orphans');
    }
  });
});
