/**
 * The Docker daemon's API, asked directly over its Unix socket (milliseconds, where starting the `docker` CLI
 * takes a tenth of a second): which socket the CLI would talk to, and one GET request to it.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { http, net } from '../lazy-dependencies.js';

/** Where Docker Engine listens when nothing says otherwise. */
export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`; undefined when missing or unreadable. */
export function readDockerConfig(env: NodeJS.ProcessEnv): string | undefined {
  const file = env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(homedir(), '.docker', 'config.json');
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The context the CLI's config selects, other than "default" (a broken config selects none, as for the CLI). */
function configContext(config: string | undefined): string | undefined {
  if (!config) return undefined;
  try {
    const context = (JSON.parse(config) as { currentContext?: unknown } | null)?.currentContext;
    return typeof context === 'string' && context !== '' && context !== 'default' ? context : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Unix socket the `docker` CLI would use, or undefined where it would go elsewhere — a context (rootless,
 * Docker Desktop), a tcp:// or ssh:// host, Windows' named pipe — which only the CLI resolves.
 */
export function dockerSocket(
  env: NodeJS.ProcessEnv,
  config: string | undefined,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (platform === 'win32') return undefined;
  if (env.DOCKER_CONTEXT && env.DOCKER_CONTEXT !== 'default') return undefined;
  if (configContext(config)) return undefined;
  if (!env.DOCKER_HOST) return DEFAULT_SOCKET;
  const path = /^unix:\/\/(\/.*)$/.exec(env.DOCKER_HOST)?.[1];
  return path || undefined;
}

export interface ApiReply {
  status: number;
  /** The `Server` header: `Docker/26.1.5 (linux)`, Podman's `Libpod/…`. */
  server: string;
  body: string;
}

/**
 * One GET to the daemon: its reply; 'absent' when nothing listens (no socket, a stale one, no permission:
 * `docker version` fails the same way); 'failed' for anything else, the time limit included.
 */
export async function dockerGet(socket: string, path: string, ms: number): Promise<ApiReply | 'absent' | 'failed'> {
  if (ms <= 0) return 'failed';
  // Only this path needs an HTTP client: a run that never asks loads none.
  const { request } = http();
  const { connect } = net();
  return new Promise((resolve) => {
    // Its own connection, no agent: an agent's first request costs milliseconds (a TLS server name worked out).
    const req = request({ path, method: 'GET', headers: { Host: 'docker' }, createConnection: () => connect(socket) });
    const timer = setTimeout(() => {
      req.destroy();
      resolve('failed');
    }, ms);
    const settle = (reply: ApiReply | 'absent' | 'failed') => {
      clearTimeout(timer);
      resolve(reply);
    };
    req.on('error', (error: NodeJS.ErrnoException) => {
      settle(['ENOENT', 'ECONNREFUSED', 'EACCES'].includes(error.code ?? '') ? 'absent' : 'failed');
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        // An image's description runs to kilobytes; an error message is one line.
        size += chunk.length;
        if (size <= 65_536) chunks.push(chunk);
      });
      res.on('error', () => settle('failed'));
      res.on('end', () => {
        settle({
          status: res.statusCode ?? 0,
          server: String(res.headers.server ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.end();
  });
}
