/**
 * `--verify`: build the image the generated files describe, start it, and check
 * that it answers, is healthy and runs as the non-root user; then remove the
 * container and the test image. One line per check, ✔ or ✖.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Answers } from '../answers.js';
import { FRAMEWORK_SPECS } from '../frameworks.js';
import { findEngine, type BuildProgress, type EngineName } from './engines.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyResult {
  checks: Check[];
  /** Lines to show under the checks (the build log's tail, the app's output). */
  details: string[];
  exitCode: number;
}

export const NO_ENGINE = [
  'Cannot verify: no container engine found (tried docker, podman and buildah).',
  'Install Docker (https://docs.docker.com/get-docker/) or Podman (https://podman.io/docs/installation), then run again with --verify.',
];

/** "✔ builds — 41.2 s" / "✖ answers on port 8000 — nothing answered in 60 s". */
export function reportLines(checks: Check[]): string[] {
  return checks.map((c) => `${c.ok ? '✔' : '✖'} ${c.name}${c.detail ? ` — ${c.detail}` : ''}`);
}

const tail = (text: string, lines: number) => text.trimEnd().split('\n').slice(-lines);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface VerifyOptions {
  dir: string;
  answers: Answers;
  imageName: string;
  engine?: EngineName;
  /** Seconds to wait for the app's port. */
  timeout?: number;
  onStep(progress: BuildProgress): void;
}

export async function verifyImage(options: VerifyOptions): Promise<VerifyResult> {
  const engine = await findEngine(options.engine);
  if (!engine) return { checks: [], details: options.engine ? [`Cannot verify: ${options.engine} does not answer here.`] : NO_ENGINE, exitCode: 1 };
  const spec = FRAMEWORK_SPECS[options.answers.framework];
  const port = spec.web ? options.answers.port : undefined;
  const tag = `${options.imageName}-verify:${randomBytes(4).toString('hex')}`;
  const logFile = join(tmpdir(), `python-docker-verify-${options.imageName}-${Date.now()}.log`);
  const checks: Check[] = [];
  const details: string[] = [];

  const started = Date.now();
  const built = await engine.build(options.dir, tag, logFile, options.onStep);
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s with ${engine.name}`;
  checks.push({ name: 'builds', ok: built, detail: `${took}; log: ${logFile}` });
  if (!built) {
    details.push('Last lines of the build log:', ...tail(readFileSync(logFile, 'utf8'), 15).map((l) => `  ${l}`));
    await engine.removeImage(tag);
    return { checks, details, exitCode: 1 };
  }

  const config = await engine.inspect(tag);
  const running = await engine.start(tag, port);
  try {
    if (port) {
      const deadline = Date.now() + (options.timeout ?? 60) * 1000;
      let status = 0;
      while (status === 0 && Date.now() < deadline && (await running.alive())) {
        status = await fetch(`http://127.0.0.1:${port}${spec.healthPath}`, { signal: AbortSignal.timeout(3000) }).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 0) await sleep(500);
      }
      const answered = status > 0 && status < 500;
      checks.push({
        name: `answers on port ${port}`,
        ok: answered,
        detail: status ? `HTTP ${status} on ${spec.healthPath}` : (await running.alive()) ? `nothing answered in ${options.timeout ?? 60} s` : 'the app exited',
      });
    } else {
      await sleep(3000);
      checks.push({ name: 'starts', ok: true, detail: (await running.alive()) ? 'still running after 3 s' : 'ran and exited' });
    }

    const alive = await running.alive();
    if (config.healthcheck && alive) {
      const health = await running.exec(config.healthcheck);
      checks.push({ name: 'healthcheck passes', ok: health.exitCode === 0, detail: `exit ${health.exitCode}` });
    } else if (!config.healthcheck) {
      checks.push({ name: 'healthcheck', ok: true, detail: 'none (not a web app)' });
    }

    const uid = alive ? (await running.exec(['id', '-u'])).output.trim() : config.user.split(':')[0];
    checks.push({ name: 'runs as a non-root user', ok: /^\d+$/.test(uid) && uid !== '0', detail: `UID ${uid || 'unknown'}${alive ? '' : ' (from the image config)'}` });
    if (checks.some((c) => !c.ok)) details.push('The app printed:', ...tail(await running.logs(), 15).map((l) => `  ${l}`));
  } finally {
    await running.stop();
    await engine.removeImage(tag);
  }
  return { checks, details, exitCode: checks.every((c) => c.ok) ? 0 : 1 };
}
