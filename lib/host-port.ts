/**
 * The host port "Next:" and compose.yaml publish: whether it is free on this
 * machine, and a free one near it when it is not. Docker publishes on every
 * address, IPv4 and IPv6, so the check binds them all (no host: `::`, which
 * takes IPv4 too, else 0.0.0.0): anything listening on the port, on 127.0.0.1,
 * ::1 or a LAN address, fails it. Naming 0.0.0.0 would miss ::1 and cost a
 * DNS module load. (Linux's /proc/net/tcp would tell without binding, but
 * reading it walks the kernel's socket tables: slower, 3 ms a table here.)
 */
import { net } from './lazy-dependencies.js';

type ListenStep = (address: string | null, port: number, addressType: 4 | 6, backlog: number) => void;

/** Whether nothing listens on this port, on any address. node:net is loaded only when asked. */
export function hostPortFree(port: number): Promise<boolean> {
  const { createServer } = net();
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.once('listening', () => server.close(() => resolve(true)));
    // listen() first loads Node's cluster module, and child_process and dgram with it (~2 ms of a re-run's
    // ~30), to share the port with cluster workers this process never has. _listen2 is listen()'s next step,
    // the bind and listen, kept under that name by Node for code that wraps it; where it is gone, listen().
    const listenStep = (server as unknown as { _listen2?: ListenStep })._listen2;
    if (typeof listenStep === 'function') listenStep.call(server, null, port, 4, 511);
    else server.listen({ port, exclusive: true });
  });
}

/** The first free port above this one (at most 100 tried), undefined when none is. */
type IsFree = (port: number) => Promise<boolean>;

export async function freePortAfter(port: number, free: IsFree = hostPortFree): Promise<number | undefined> {
  for (let p = port + 1; p <= Math.min(port + 100, 65535); p++) if (await free(p)) return p;
  return undefined;
}

/** The port to publish: the app's own when free; else (taken) a free one to name instead. */
export interface HostPort {
  port: number;
  /** The app's port was taken on this machine. */
  taken?: boolean;
}

export async function chooseHostPort(port: number, free: IsFree = hostPortFree): Promise<HostPort> {
  if (await free(port)) return { port };
  return { port: (await freePortAfter(port, free)) ?? port, taken: true };
}
