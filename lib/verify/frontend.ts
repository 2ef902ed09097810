/**
 * Whether the Docker daemon can fetch the `# syntax=` frontend, asked before
 * the Dockerfile is written: a build of a two-line Dockerfile on standard
 * input with no context, whose second line no frontend accepts. It fails
 * either way, building nothing; what it says tells which: "failed to resolve
 * source metadata for docker.io/docker/dockerfile:1" (offline, a registry
 * proxy refusing it), or the frontend's own parse error (it was fetched).
 */
import { frontendUnreachable } from './verify-image.js';

/** The frontend the generated Dockerfile's `# syntax=` line names (templates/Dockerfile.ejs). */
export const SYNTAX_FRONTEND = 'docker/dockerfile:1';

export interface FrontendProbe {
  /** Why the frontend cannot be fetched; undefined when it can, or when no Docker daemon answers to tell. */
  unreachable?: string;
}

/** A command's output within a time limit (tests replace it). */
export type Run = (
  args: string[],
  input: string | undefined,
  ms: number,
) => Promise<{ exitCode?: number; output: string; timedOut: boolean }>;

const runDocker: Run = async (args, input, ms) => {
  const { execa } = await import('execa'); // an ES module only: the CommonJS command cannot require() it everywhere
  const r = await execa('docker', args, {
    reject: false,
    all: true,
    timeout: ms,
    env: { DOCKER_BUILDKIT: '1' },
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
  });
  return { exitCode: r.exitCode, output: r.all ?? '', timedOut: Boolean(r.timedOut) };
};

/** At most a few seconds: a daemon that does not answer, or no Docker at all, tells nothing. */
export async function probeFrontend(run: Run = runDocker, seconds = 15): Promise<FrontendProbe> {
  const server = await run(['version', '--format', '{{.Server.Version}}'], undefined, 3000).catch(() => undefined);
  if (server?.exitCode !== 0 || !server.output.trim()) return {};
  const dockerfile = `# syntax=${SYNTAX_FRONTEND}\nNOT-AN-INSTRUCTION probe\n`;
  const r = await run(['build', '--quiet', '-'], dockerfile, seconds * 1000).catch(() => undefined);
  if (!r) return {};
  if (r.timedOut) return { unreachable: `Docker did not fetch its frontend, ${SYNTAX_FRONTEND}, within ${seconds} s` };
  if (!frontendUnreachable(r.output, SYNTAX_FRONTEND)) return {};
  // "… failed to do request: Head …: dial tcp: lookup registry-1.docker.io …: no such host": its last words.
  const said = r.output.split('\n').find((l) => /failed to resolve source metadata|resolve image config/.test(l)) ?? '';
  const cause = said.trim().split(': ').at(-1)?.slice(0, 80);
  return { unreachable: `Docker cannot fetch its frontend, ${SYNTAX_FRONTEND}${cause ? ` (${cause})` : ''}` };
}
