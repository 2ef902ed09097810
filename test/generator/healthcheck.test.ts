/**
 * HEALTHCHECK per builder: --start-interval (Docker Engine 25+ probes every second during the start period,
 * so `healthy` comes as soon as the app answers) where the builder accepts the flag; left out for the ones
 * that refuse it: the legacy builder (--no-buildkit) and buildah or Podman (--engine). The steady interval never changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forBuildah } from '../helpers/builders.js';
import { makeProject, runCli } from '../helpers/project.js';

async function dockerfile(args: string[]): Promise<string> {
  const dir = makeProject({
    'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    'requirements.txt': 'fastapi\nuvicorn\n',
  });
  const run = await runCli(dir, ['--yes', ...args]);
  expect(run.exitCode, run.stderr).toBe(0);
  return readFileSync(join(dir, 'Dockerfile'), 'utf8');
}

const healthcheck = async (args: string[]) => /^HEALTHCHECK [\s\S]*?CMD /m.exec(await dockerfile(args))![0];

describe('HEALTHCHECK per builder', () => {
  it.each([
    { builder: 'Docker with BuildKit (the default)', args: [], startInterval: true },
    { builder: '--engine docker', args: ['--engine', 'docker'], startInterval: true },
    { builder: 'the legacy builder (--no-buildkit)', args: ['--no-buildkit'], startInterval: false },
    { builder: '--engine buildah', args: ['--engine', 'buildah'], startInterval: false },
    { builder: '--engine podman', args: ['--engine', 'podman'], startInterval: false },
  ])('$builder: --start-interval $startInterval, the steady interval 30 s', async ({ args, startInterval }) => {
    const rendered = await healthcheck(args);
    expect(rendered).toContain('--interval=30s \\');
    expect(rendered).toContain('--start-period=30s \\');
    if (startInterval) expect(rendered).toContain('--start-interval=1s \\');
    else expect(rendered).not.toContain('--start-interval');
  });

  it('the e2e suite builds on buildbox exactly what --engine buildah renders', async () => {
    const [docker, buildah] = [await dockerfile([]), await dockerfile(['--engine', 'buildah'])];
    expect(docker).not.toBe(buildah);
    expect(forBuildah(docker)).toBe(buildah);
  });
});
