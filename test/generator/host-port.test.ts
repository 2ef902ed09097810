/** The host port "Next:" publishes is checked: taken, the run says so and names a free one. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { makeProject, runCli } from '../helpers/project.js';

// The unit project turns the check off (vitest.config.ts); here it is what is tested.
process.env.PYTHON_DOCKER_HOST_PORT_CHECK = '';

const APP = { 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' };

describe('the host port', () => {
  it('taken on this machine: a warning naming a free one, which "Next:" publishes through APP_PORT', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const { port } = server.address() as { port: number };
    try {
      const run = await runCli(makeProject(APP), ['--yes', '--compose', '--port', String(port)]);
      const free = Number(
        /^warning: port \d+ is in use on this machine, so publishing the app there would fail; (\d+) is free, and "Next:" uses it$/m.exec(
          run.stderr,
        )?.[1],
      );
      expect(free, run.stderr).toBeGreaterThan(port);
      expect(run.stdout).toContain(
        `\n  APP_PORT=${free} docker compose up --build\n  It answers on http://localhost:${free}\n`,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
