// Loaded with `node --import` into either front-end's process: makes one call of the core's
// writer fail as a machine would (EACCES, EROFS, ENOSPC…), which a test running as root
// cannot provoke for real. PYTHON_DOCKER_FAULT="<call>:<code>:<file name>", e.g.
// "accessSync:EACCES:.yo-rc.json" (a read-only file), "openSync:EACCES:README.Docker.md"
// (a folder that refuses new files part-way), "writeSync:ENOSPC:.yo-rc.json" (a full disk),
// "writeSync:SIGKILL:.yo-rc.json" (the process killed mid-write).
import { fsOps } from '../../dist/lib/safe-files.js';

export function injectFault(spec) {
  const [call, code, name] = spec.split(':');
  const original = fsOps[call];
  const fds = new Map();
  // The target itself, or the temporary file the writer puts beside it.
  const matches = (path) => {
    const base = String(path).split('/').at(-1);
    return base === name || (base.startsWith(`.${name}.`) && /^\d+\.python-docker-tmp$/.test(base.slice(name.length + 2)));
  };
  fsOps[call] = (...args) => {
    // writeSync and fsyncSync get a descriptor: remember which file each was opened for.
    const hit = typeof args[0] === 'number' ? fds.get(args[0]) : matches(args[0]);
    if (hit) {
      if (code === 'SIGKILL') {
        original(...args.slice(0, 2), 0, Math.min(100, args[1]?.length ?? 0)); // part of it reaches the disk
        process.kill(process.pid, 'SIGKILL');
      }
      throw Object.assign(new Error(`${code}: simulated, ${call} '${args[0]}'`), { code });
    }
    return original(...args);
  };
  if (call === 'writeSync' || call === 'fsyncSync') {
    const open = fsOps.openSync;
    fsOps.openSync = (path, ...rest) => {
      const fd = open(path, ...rest);
      fds.set(fd, matches(path));
      return fd;
    };
    return () => Object.assign(fsOps, { [call]: original, openSync: open });
  }
  return () => Object.assign(fsOps, { [call]: original });
}

if (process.env.PYTHON_DOCKER_FAULT) injectFault(process.env.PYTHON_DOCKER_FAULT);
