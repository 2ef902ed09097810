/**
 * A stand-in Docker daemon: an HTTP server on a Unix socket in a temporary folder, answering the three
 * requests the `# syntax=` probe makes with what Docker 26 answers (bodies copied from a real, offline one).
 * Tests point DOCKER_HOST at it, so they never depend on a daemon on this machine's default socket.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DOCKER_SERVER = 'Docker/26.1.5+dfsg1 (linux)';
export const NO_SUCH_IMAGE = { message: 'No such image: docker/dockerfile:1' };
export const OFFLINE_DISTRIBUTION = {
  message:
    'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
};
/** The shape Docker answers in when the registry does (the manifest's descriptor; a made-up digest). */
export const ONLINE_DISTRIBUTION = {
  Descriptor: { mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${'0'.repeat(64)}`, size: 8404 },
  Platforms: [{ architecture: 'amd64', os: 'linux' }],
};

export interface Answer {
  status: number;
  body: unknown;
}

export interface DaemonAnswers {
  /** The `Server` header on every reply (Podman's socket says `Libpod/…`). */
  server?: string;
  /** `/images/docker/dockerfile:1/json`: by default, no such image. */
  image?: Answer;
  /** `/distribution/docker.io/docker/dockerfile:1/json`: by default, offline; 'hang' never answers. */
  distribution?: Answer | 'hang';
}

export interface FakeDaemon {
  /** For DOCKER_HOST. */
  host: string;
  /** The paths asked, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function fakeDockerDaemon(answers: DaemonAnswers = {}): Promise<FakeDaemon> {
  const socket = join(mkdtempSync(join(tmpdir(), 'fake-daemon-')), 'docker.sock');
  const requests: string[] = [];
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
    res.writeHead(status, {
      Server: answers.server ?? DOCKER_SERVER,
      'Api-Version': '1.45',
      'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    });
    res.end(text);
  };
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    if (path === '/_ping') return reply(res, 200, 'OK');
    if (path === '/images/docker/dockerfile:1/json') {
      const image = answers.image ?? { status: 404, body: NO_SUCH_IMAGE };
      return reply(res, image.status, image.body);
    }
    if (path === '/distribution/docker.io/docker/dockerfile:1/json') {
      const distribution = answers.distribution ?? { status: 500, body: OFFLINE_DISTRIBUTION };
      if (distribution === 'hang') return;
      return reply(res, distribution.status, distribution.body);
    }
    reply(res, 404, { message: 'page not found' });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    host: `unix://${socket}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
