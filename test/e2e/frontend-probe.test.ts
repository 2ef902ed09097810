/**
 * The `# syntax=` probe on a real Docker daemon: asked over its socket, it says what the CLI's probe (a
 * build from standard input) says — here, offline, the same "cannot fetch" words.
 */
import { describe, expect, it } from 'vitest';
import { dockerSocket, readDockerConfig } from '../../lib/verify/docker-api.js';
import { probeFrontend, probeOverSocket } from '../../lib/verify/frontend.js';
import { dockerEngine } from './engine.js';

const socket = dockerSocket(process.env, readDockerConfig(process.env));
if (dockerEngine && !socket)
  console.warn('e2e: frontend-probe skipped: the docker CLI uses a context or a remote host, not a Unix socket');

describe.skipIf(!dockerEngine || !socket)('the # syntax= probe, over the socket and by the CLI (docker)', () => {
  it('both say the same', async () => {
    const started = Date.now();
    const fast = await probeOverSocket(socket!, 3000);
    const took = Date.now() - started;
    // Docker's own answers are ones the socket path knows: the CLI is not needed.
    expect(fast).toBeDefined();
    expect(took).toBeLessThan(1000);
    expect(fast).toEqual(await probeFrontend({ socket: null }));
    console.log(`frontend probe: ${JSON.stringify(fast)} over the socket in ${took} ms`);
  });
});
