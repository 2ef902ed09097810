/**
 * Projects in the shapes public ones have (test/fixtures/real), generated with
 * `--yes` and nothing else, built and run: the app object detection found is the
 * one the server loads (HTTP 200, healthy, UID 10001). Only those whose
 * dependencies the local package index has; the lock-file shapes are checked
 * statically in test/generator/real-projects.test.ts.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execArgv } from '../helpers/dockerfile.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { runCli } from '../helpers/project.js';
import { buildAndProbe, engines, expectHealthy } from './engine.js';

const built: { on: (typeof engines)[number]; tag: string }[] = [];
afterAll(async () => {
  for (const { on, tag } of built) await on.remove(tag);
});

interface Case {
  /** The port detection found (in EXPOSE and the CMD). */
  port: number;
  /** Our Dockerfile, when the project's own is kept. */
  dockerfile?: string;
}

const CASES: Record<string, Case> = {
  'monorepo/services/api': { port: 8000 },
  'monorepo/services/web': { port: 5000 },
  'django-app-folder': { port: 8000 },
  'flask-procfile': { port: 5005 },
  flaskenv: { port: 8000 },
  'existing-dockerfile': { port: 5000, dockerfile: 'Dockerfile.new' },
  'compose-command': { port: 8080 },
  'committed-venv': { port: 8000 },
};

/** Host ports for this file (buildbox runs apps on the host network): a range of their own. */
let nextPort = 25_000 + (process.pid % 90) * 10;

describe.each(engines.map((on) => ({ on, name: on.name })))(
  'real project shapes generated with --yes build and answer ($name)',
  ({ on }) => {
    it.each(Object.entries(CASES))('%s', async (name, { port, dockerfile = 'Dockerfile' }) => {
      const dir = fixtureCopy('real', name);
      const generated = await runCli(dir, ['--yes']);
      expect(generated.exitCode, generated.stderr).toBe(0);
      const detected = readFileSync(join(dir, dockerfile), 'utf8');
      expect(detected).toContain(`EXPOSE ${port}`);
      // Run on a host port of this file's range: only the port changes (an answer given on a re-run).
      const hostPort = nextPort++;
      const rerun = await runCli(dir, ['--yes', '--port', String(hostPort)]);
      expect(rerun.exitCode, rerun.stderr).toBe(0);
      if (dockerfile !== 'Dockerfile') copyFileSync(join(dir, dockerfile), join(dir, 'Dockerfile'));
      const running = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      expect((execArgv(running, 'CMD') ?? []).join(' ')).toBe(
        (execArgv(detected, 'CMD') ?? []).join(' ').replaceAll(String(port), String(hostPort)),
      );
      const tag = `python-docker-detect-${name.replace(/\W+/g, '-')}:test`;
      built.push({ on, tag });
      expectHealthy(on, await buildAndProbe(on, dir, tag, hostPort));
    });
  },
);
