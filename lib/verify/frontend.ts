/**
 * Whether the Docker daemon can fetch the `# syntax=` frontend, asked before the Dockerfile is written.
 *
 * First over the daemon's socket, where the `docker` CLI would use it: Docker answers `/_ping`; a local image
 * of the frontend is used offline, so it counts as fetched; else `/distribution/…` asks the registry, whose
 * network error ("… lookup registry-1.docker.io …: no such host") says the frontend cannot be fetched.
 *
 * Any other answer is left to the CLI, the ground truth: a build of a two-line Dockerfile on standard input
 * with no context, whose second line no frontend accepts. It fails either way, building nothing; what it says
 * tells which: "failed to resolve source metadata for docker.io/docker/dockerfile:1" (offline, a registry
 * proxy refusing it), or the frontend's own parse error (it was fetched).
 */
import { dockerGet, dockerSocket, readDockerConfig } from './docker-api.js';

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
  // Only the CLI's path starts a process: the socket's never loads execa (an ES module only, which the
  // CommonJS command cannot require() on every Node).
  const { execa } = await import('execa');
  const r = await execa('docker', args, {
    reject: false,
    all: true,
    timeout: ms,
    env: { DOCKER_BUILDKIT: '1' },
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
  });
  return { exitCode: r.exitCode, output: r.all ?? '', timedOut: Boolean(r.timedOut) };
};

export interface ProbeOptions {
  /** The CLI (tests replace it). */
  run?: Run;
  /** The CLI's build time limit. */
  seconds?: number;
  /** The daemon's socket; null asks the CLI alone. By default, the one the CLI would use, if a Unix socket. */
  socket?: string | null;
  /** The time limit of the whole conversation over the socket, after which the CLI is asked. */
  socketMs?: number;
}

const cannotFetch = (cause: string | undefined) =>
  `Docker cannot fetch its frontend, ${SYNTAX_FRONTEND}${cause ? ` (${cause})` : ''}`;

/** At most a few seconds: a daemon that does not answer, or no Docker at all, tells nothing. */
export async function probeFrontend(options: ProbeOptions = {}): Promise<FrontendProbe> {
  const socket =
    options.socket === undefined ? dockerSocket(process.env, readDockerConfig(process.env)) : options.socket;
  const fast = socket ? await probeOverSocket(socket, options.socketMs ?? 3000) : undefined;
  return fast ?? probeWithCli(options.run ?? runDocker, options.seconds ?? 15);
}

/** Go's words for a registry out of reach: DNS, TCP, TLS, a proxy, a time limit. */
const NETWORK_FAILURE = new RegExp(
  'dial (tcp|udp)|no such host|lookup \\S+ on|i/o timeout|connection refused|network is unreachable|' +
    'TLS handshake timeout|Client\\.Timeout exceeded|server misbehaving|proxyconnect',
);

/**
 * The last words of a registry the daemon could not reach (`… dial tcp: lookup registry-1.docker.io on
 * 10.255.255.53:53: no such host` → `no such host`), as the CLI's probe reports them; undefined for any other
 * error (a refusal, a rate limit: left to the CLI).
 */
export function registryUnreachable(message: string): string | undefined {
  if (!NETWORK_FAILURE.test(message)) return undefined;
  return message.trim().split(': ').at(-1)?.slice(0, 80);
}

/** The daemon's own answer over its socket; undefined when the CLI must be asked. */
export async function probeOverSocket(socket: string, ms: number): Promise<FrontendProbe | undefined> {
  const deadline = Date.now() + ms;
  const get = (path: string) => dockerGet(socket, path, deadline - Date.now());
  const ping = await get('/_ping');
  if (ping === 'absent') return {};
  if (ping === 'failed' || ping.status !== 200 || !ping.server) return undefined;
  // Another engine's Docker-compatible socket (Podman's): its builds ignore the line.
  if (!ping.server.startsWith('Docker/')) return {};
  const local = await get(`/images/${SYNTAX_FRONTEND}/json`);
  if (typeof local === 'string' || (local.status !== 200 && local.status !== 404)) return undefined;
  // BuildKit uses a local image of the frontend without asking a registry.
  if (local.status === 200) return {};
  const remote = await get(`/distribution/docker.io/${SYNTAX_FRONTEND}/json`);
  if (typeof remote === 'string') return undefined;
  if (remote.status === 200) return {};
  const cause = registryUnreachable(errorMessage(remote.body));
  return cause ? { unreachable: cannotFetch(cause) } : undefined;
}

/** The `message` of the daemon's JSON error body. */
function errorMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : '';
  } catch {
    return '';
  }
}

async function probeWithCli(run: Run, seconds: number): Promise<FrontendProbe> {
  const server = await run(['version', '--format', '{{.Server.Version}}'], undefined, 3000).catch(() => undefined);
  if (server?.exitCode !== 0 || !server.output.trim()) return {};
  const dockerfile = `# syntax=${SYNTAX_FRONTEND}\nNOT-AN-INSTRUCTION probe\n`;
  const r = await run(['build', '--quiet', '-'], dockerfile, seconds * 1000).catch(() => undefined);
  if (!r) return {};
  if (r.timedOut) return { unreachable: `Docker did not fetch its frontend, ${SYNTAX_FRONTEND}, within ${seconds} s` };
  const { frontendUnreachable } = await import('./verify-image.js');
  if (!frontendUnreachable(r.output, SYNTAX_FRONTEND)) return {};
  // "… failed to do request: Head …: dial tcp: lookup registry-1.docker.io …: no such host": its last words.
  const said = r.output.split('\n').find((l) => /failed to resolve source metadata|resolve image config/.test(l)) ?? '';
  return { unreachable: cannotFetch(said.trim().split(': ').at(-1)?.slice(0, 80)) };
}
