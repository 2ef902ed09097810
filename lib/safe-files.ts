/**
 * How both front-ends read and write the user's files. Reads take regular
 * files only, with a size limit, and never follow a symlink where the
 * generator would also write. Writes go to a temporary file beside each
 * target and are renamed into place once every one of them is complete,
 * .yo-rc.json last; a lock keeps two runs in one folder from interleaving.
 * Every file-system failure becomes one UserError line, never a stack.
 */
import * as fs from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from './user-error.js';

const ops = {
  openSync: fs.openSync,
  writeSync: fs.writeSync,
  fsyncSync: fs.fsyncSync,
  closeSync: fs.closeSync,
  renameSync: fs.renameSync,
  unlinkSync: fs.unlinkSync,
  accessSync: fs.accessSync,
};
const FS_OPS = Symbol.for('python-docker.fsOps');
/**
 * The calls that touch the disk, replaceable in tests (EACCES, EROFS and ENOSPC cannot be provoked as root):
 * one object per process, shared by every copy of this module (dist/lib's and each front-end's bundle).
 */
export const fsOps: typeof ops = ((globalThis as Record<symbol, unknown>)[FS_OPS] ??= ops) as typeof ops;

const { O_RDONLY, O_NONBLOCK, O_NOFOLLOW = 0 } = fs.constants;

export const MB = 1024 * 1024;
/** Generated files and the user's versions of them. */
export const TARGET_LIMIT = 1 * MB;
/** .yo-rc.json holds every generated file as last rendered. */
export const CONFIG_LIMIT = 8 * MB;
/** Dependency files (pip-compile output with hashes runs to a few MB). */
export const DEPENDENCY_LIMIT = 64 * MB;

/** A file-system error as one line: what happened to which file, and what to do. */
export function fsError(error: unknown, file: string, doing: 'read' | 'write'): UserError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const fix: Record<string, string> = {
    EACCES: `permission denied; make it ${doing === 'read' ? 'readable' : 'and its folder writable'} and run again`,
    EPERM: `operation not permitted; make it ${doing === 'read' ? 'readable' : 'and its folder writable'} and run again`,
    EROFS: 'the file system is read-only; run where you can write',
    ENOSPC: 'no space left on the device; free some space and run again',
    EDQUOT: 'disk quota exceeded; free some space and run again',
    EFBIG: 'the file size limit was reached (ulimit -f); raise it and run again',
    EISDIR: 'it is a directory, not a file; move it away and run again',
    ENOTDIR: 'a part of its path is not a directory; move it away and run again',
    ELOOP: 'it is a symbolic link, which the generator never reads or writes through; replace it with a regular file and run again',
    EMFILE: 'too many open files; close some programs and run again',
  };
  const reason = (code && fix[code]) || `${(error as Error)?.message ?? String(error)}`;
  return new UserError(`cannot ${doing} ${file}: ${reason}${doing === 'write' ? '. Nothing was changed' : ''}`);
}

function kindOf(stats: fs.Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function lstatOrUndefined(path: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Refuses anything at `path` but a regular file (a symlink too, even to one). */
function refuseNonRegular(path: string, name: string, stats: fs.Stats, verb: string): void {
  if (stats.isSymbolicLink()) {
    throw new UserError(`${name} is a symbolic link; the generator never ${verb} through one: replace it with a regular file (or remove it) and run again`);
  }
  if (!stats.isFile()) throw new UserError(`${name} is ${kindOf(stats)}, not a regular file; move it away and run again`);
}

export interface ReadOptions {
  /** Size limit in bytes. */
  limit: number;
  /** Follow a symlink (dependency files a monorepo links in); the file it leads to must still be regular. */
  follow?: boolean;
  /** The name used in messages (default: the path's last part). */
  name?: string;
}

/**
 * A regular file's text, or undefined when it does not exist. A FIFO, device,
 * directory, symlink (unless followed) or oversized file is refused in one line.
 */
export function readRegularFile(path: string, options: ReadOptions): string | undefined {
  const name = options.name ?? basename(path);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: never through a link.
    fd = fs.openSync(path, O_RDONLY | O_NONBLOCK | (options.follow ? 0 : O_NOFOLLOW));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK') {
      const stats = lstatOrUndefined(path);
      if (stats) refuseNonRegular(path, name, stats, 'reads');
    }
    throw fsError(error, name, 'read');
  }
  try {
    const stats = fs.fstatSync(fd);
    if (!options.follow && !O_NOFOLLOW && fs.lstatSync(path).isSymbolicLink()) refuseNonRegular(path, name, fs.lstatSync(path), 'reads');
    if (!stats.isFile()) throw new UserError(`${name} is ${kindOf(stats)}, not a regular file; move it away and run again`);
    if (stats.size > options.limit) {
      throw new UserError(`${name} is ${(stats.size / MB).toFixed(1)} MB, over the ${options.limit / MB} MB the generator reads; move it away or shrink it and run again`);
    }
    return fs.readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw fsError(error, name, 'read');
  } finally {
    fs.closeSync(fd);
  }
}

/** What is at `path` when it is neither absent nor a regular file ('a symbolic link', 'a device'…). */
export function nonRegularKind(path: string): string | undefined {
  const stats = lstatOrUndefined(path);
  return stats && !stats.isFile() ? kindOf(stats) : undefined;
}

/** Whether a path is a regular file (following links), without ever opening it. */
export function isRegularFile(path: string): boolean {
  try {
    return fs.statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface FileWrite {
  /** Relative to the project folder. */
  path: string;
  content: string;
}

const TEMP_MARK = '.python-docker-tmp';
const tempName = (target: string) => join(dirname(target), `.${basename(target)}.${process.pid}${TEMP_MARK}`);

/**
 * Checks every target before anything is written: each is absent or a regular,
 * writable file, never a symlink, directory, FIFO or device.
 */
export function checkTargets(dir: string, paths: string[]): void {
  for (const path of paths) {
    const full = join(dir, path);
    const stats = lstatOrUndefined(full);
    if (!stats) continue;
    refuseNonRegular(full, path, stats, 'writes');
    try {
      fsOps.accessSync(full, fs.constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new UserError(`${path} is read-only; make it writable (chmod u+w ${path}) and run again. Nothing was changed`);
      }
      throw fsError(error, path, 'write');
    }
  }
}

/**
 * Writes every file or none: each goes to a temporary file beside its target
 * (created exclusively, so never through a link), and only when all are complete
 * are they renamed into place, in the order given (.yo-rc.json last).
 */
export function writeFilesAtomically(dir: string, writes: FileWrite[]): void {
  checkTargets(dir, writes.map((w) => w.path));
  const temps: { temp: string; target: string; path: string }[] = [];
  const removeTemps = () => {
    for (const { temp } of temps) {
      try {
        fsOps.unlinkSync(temp);
      } catch {
        // already gone
      }
    }
  };
  for (const write of writes) {
    const target = join(dir, write.path);
    const temp = tempName(target);
    let fd: number | undefined;
    try {
      fs.mkdirSync(dirname(target), { recursive: true });
      const mode = lstatOrUndefined(target)?.mode ?? 0o666;
      fd = fsOps.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, mode & 0o7777);
      temps.push({ temp, target, path: write.path });
      const buffer = Buffer.from(write.content, 'utf8');
      for (let offset = 0; offset < buffer.length; ) offset += fsOps.writeSync(fd, buffer, offset, buffer.length - offset);
      fsOps.fsyncSync(fd);
    } catch (error) {
      if (fd !== undefined) fs.closeSync(fd);
      removeTemps();
      throw fsError(error, write.path, 'write');
    }
    fsOps.closeSync(fd);
  }
  for (let i = 0; i < temps.length; i++) {
    try {
      fsOps.renameSync(temps[i].temp, temps[i].target);
    } catch (error) {
      removeTemps();
      // Files renamed already hold complete new content; .yo-rc.json (last) still holds the old record,
      // so the next run sees them as edits equal to its render and settles them.
      throw new UserError(
        `${fsError(error, temps[i].path, 'write').message.replace(/\. Nothing was changed$/, '')}; ${i ? temps.slice(0, i).map((t) => t.path).join(', ') : 'no file'} already replaced, the rest left as they were`,
      );
    }
  }
}

/** Temporary files a killed run left behind (only ever removed while holding the lock). */
function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith('.') && name.endsWith(TEMP_MARK)) {
      try {
        fs.unlinkSync(join(dir, name));
      } catch {
        // not ours to worry about
      }
    }
  }
}

export const LOCK_FILE = '.python-docker.lock';

export interface Lock {
  release(): void;
}

const NO_LOCK: Lock = { release() {} };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How long a run waits for another in the same folder: 10 s, or PYTHON_DOCKER_LOCK_WAIT seconds. */
function lockWaitMs(): number {
  const given = process.env.PYTHON_DOCKER_LOCK_WAIT;
  const seconds = given ? Number(given) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 10_000;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Takes the folder's lock (a file created exclusively, holding our pid). A lock
 * whose process is gone is taken over; a live one is waited for, then refused.
 */
export function acquireLock(dir: string, waitMs = lockWaitMs()): Lock {
  const path = join(dir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = fsOps.openSync(path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, 0o644);
      fsOps.writeSync(fd, Buffer.from(`${process.pid}\n`));
      fsOps.closeSync(fd);
      removeStaleTemps(dir);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            fs.unlinkSync(path);
          } catch {
            // gone already
          }
        },
      };
    } catch (error) {
      if (fd !== undefined) fs.closeSync(fd);
      const code = (error as NodeJS.ErrnoException).code;
      // A folder the user cannot write: writing fails later with its own message; a dry run needs no lock.
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return NO_LOCK;
      if (code !== 'EEXIST') throw fsError(error, LOCK_FILE, 'write');
    }
    const stats = lstatOrUndefined(path);
    if (stats && !stats.isFile()) refuseNonRegular(path, LOCK_FILE, stats, 'writes');
    const holder = Number.parseInt(readRegularFile(path, { limit: 64, name: LOCK_FILE }) ?? '', 10);
    // Just created and not yet written, or left by a process that is gone.
    if (!Number.isInteger(holder) || !alive(holder)) {
      if (Number.isInteger(holder) || Date.now() - (stats?.mtimeMs ?? 0) > 2000) {
        try {
          fs.unlinkSync(path);
        } catch {
          // someone else took it over
        }
        continue;
      }
    }
    if (Date.now() >= deadline) {
      throw new UserError(`another python-docker run (pid ${Number.isInteger(holder) ? holder : '?'}) is working in this folder; wait for it to finish and run again (or delete ${LOCK_FILE} if no such run is left)`);
    }
    sleep(100);
  }
}

/** Project markers: a folder with one of these (or empty) may get Docker files. */
const PROJECT_MARKERS = ['pyproject.toml', 'requirements.txt', 'setup.py', 'setup.cfg', 'Pipfile', 'manage.py', '.yo-rc.json'];

/**
 * Refuses `/` and the home folder unless they look like a Python project or
 * are empty: there, a Dockerfile is almost always a mistake (a run in the wrong place).
 */
export function checkRunFolder(dir: string): void {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const here = real(dir);
  const where = here === real('/') ? 'the root folder /' : here === real(homedir()) ? `your home folder ${here}` : undefined;
  if (!where) return;
  const names = fs.readdirSync(here);
  if (!names.length) return;
  if (names.some((n) => PROJECT_MARKERS.includes(n) || n.endsWith('.py') || /^requirements.*\.txt$/.test(n))) return;
  throw new UserError(`refusing to write Docker files in ${where}, which does not look like a Python project; run it in the project's folder`);
}
