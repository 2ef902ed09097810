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
import { basename, dirname, join, relative, resolve } from 'node:path';
import { UserError } from './user-error.js';
import { projectMarkers } from './project/project-markers.js';

const ops = {
  openSync: fs.openSync,
  writeSync: fs.writeSync,
  fsyncSync: fs.fsyncSync,
  closeSync: fs.closeSync,
  renameSync: fs.renameSync,
  unlinkSync: fs.unlinkSync,
  accessSync: fs.accessSync,
  fchownSync: fs.fchownSync,
};
const FS_OPS = Symbol.for('python-docker.fsOps');
/**
 * The calls that touch the disk, replaceable in tests (EACCES, EROFS and ENOSPC cannot be provoked as root):
 * one object per process, shared by every copy of this module (dist/lib's and each front-end's bundle).
 */
// biome-ignore lint/suspicious/noAssignInExpressions: the first copy of the module to load stores its ops
export const fsOps: typeof ops = ((globalThis as Record<symbol, unknown>)[FS_OPS] ??= ops) as typeof ops;

/** Root passes every access check: the mode bits are then read as the promise they make to everyone. */
const asRoot = () => process.getuid?.() === 0;

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
    EPERM:
      'operation not permitted; ' +
      `make it ${doing === 'read' ? 'readable' : 'and its folder writable'} and run again`,
    EROFS: 'the file system is read-only; run where you can write',
    ENOSPC: 'no space left on the device; free some space and run again',
    EDQUOT: 'disk quota exceeded; free some space and run again',
    EFBIG: 'the file size limit was reached (ulimit -f); raise it and run again',
    EISDIR: 'it is a directory, not a file; move it away and run again',
    ENOTDIR: 'a part of its path is not a directory; move it away and run again',
    ELOOP:
      'it is a symbolic link, which the generator never reads or writes through; ' +
      'replace it with a regular file and run again',
    EMFILE: 'too many open files; close some programs and run again',
  };
  const reason = (code && fix[code]) || `${(error as Error)?.message ?? String(error)}`;
  return new UserError(`cannot ${doing} ${file}: ${reason}${doing === 'write' ? '. Nothing was changed' : ''}`);
}

/** What a non-regular file is, in words ('a named pipe (FIFO)'). */
export function kindOf(stats: fs.Stats): string {
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
    // Nothing there: absent, a name longer than the system allows, or a path through a file.
    if (['ENOENT', 'ENAMETOOLONG', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/** Refuses anything at `path` but a regular file (a symlink too, even to one). */
function refuseNonRegular(_path: string, name: string, stats: fs.Stats, verb: string): void {
  if (stats.isSymbolicLink()) {
    throw new UserError(
      `${name} is a symbolic link; the generator never ${verb} through one: ` +
        'replace it with a regular file (or remove it) and run again',
    );
  }
  if (!stats.isFile())
    throw new UserError(`${name} is ${kindOf(stats)}, not a regular file; move it away and run again`);
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
    if (!options.follow && !O_NOFOLLOW && fs.lstatSync(path).isSymbolicLink())
      refuseNonRegular(path, name, fs.lstatSync(path), 'reads');
    if (!stats.isFile())
      throw new UserError(`${name} is ${kindOf(stats)}, not a regular file; move it away and run again`);
    if (stats.size > options.limit) {
      throw new UserError(
        `${name} is ${(stats.size / MB).toFixed(1)} MB, over the ${options.limit / MB} MB the generator reads; ` +
          'move it away or shrink it and run again',
      );
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

/** A folder or file nobody may write (`chmod a-w`): refused for root too, as for every other user. */
function writable(path: string, stats: fs.Stats): boolean {
  try {
    fsOps.accessSync(path, fs.constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return false;
    throw error;
  }
  return !asRoot() || (stats.mode & 0o222) !== 0;
}

/**
 * A file in a sticky folder (like /tmp) that belongs to someone else can be neither replaced nor
 * removed by a user who owns neither it nor the folder: found before anything is written.
 */
function renameRefused(file: fs.Stats | undefined, folder: fs.Stats): boolean {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0 || !file || !(folder.mode & 0o1000)) return false;
  return file.uid !== uid && folder.uid !== uid;
}

/** The nearest folder at or above `path` that exists (where a missing folder would be created). */
function existingFolder(path: string): { path: string; stats: fs.Stats } | undefined {
  for (let at = path; ; at = dirname(at)) {
    const stats = lstatOrUndefined(at);
    if (stats) return stats.isDirectory() ? { path: at, stats } : undefined;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * Checks every target before anything is written: each is absent or a regular,
 * writable file, never a symlink, directory, FIFO or device; its folder takes new
 * files; and it can be replaced there (not another user's file in a sticky folder).
 */
export function checkTargets(dir: string, paths: string[]): void {
  const folders = new Set<string>();
  for (const path of paths) {
    const full = join(dir, path);
    const stats = lstatOrUndefined(full);
    if (stats) refuseNonRegular(full, path, stats, 'writes');
    try {
      if (stats && !writable(full, stats)) {
        throw new UserError(
          `${path} is read-only; make it writable (chmod u+w ${path}) and run again. Nothing was changed`,
        );
      }
      const folder = existingFolder(dirname(full));
      if (!folder) continue; // a file in the way: mkdir says so
      const name = relative(dir, folder.path) || 'the project folder';
      if (!folders.has(folder.path) && !writable(folder.path, folder.stats)) {
        throw new UserError(
          `${name} is read-only, so ${path} cannot be written there; ` +
            'make it writable (chmod u+w) and run again. Nothing was changed',
        );
      }
      folders.add(folder.path);
      if (renameRefused(stats, folder.stats)) {
        throw new UserError(
          `${path} belongs to another user and ${name} has the sticky bit, so it cannot be replaced; ` +
            'take it over (chown) or remove it and run again. Nothing was changed',
        );
      }
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw fsError(error, path, 'write');
    }
  }
}

/**
 * Who a file the run writes belongs to: as root, the owner of the file it replaces, or else of the
 * folder it goes in (a root run in someone's project must not leave them files they cannot edit).
 */
function ownerFor(target: string): { uid: number; gid: number } | undefined {
  if (!asRoot()) return undefined;
  const owner = lstatOrUndefined(target) ?? existingFolder(dirname(target))?.stats;
  return owner && (owner.uid !== 0 || owner.gid !== 0) ? { uid: owner.uid, gid: owner.gid } : undefined;
}

/** Creates `path`'s missing folders, each owned like the folder it is made in. */
function makeFolders(path: string): void {
  const missing: string[] = [];
  for (let at = path; !lstatOrUndefined(at) && dirname(at) !== at; at = dirname(at)) missing.unshift(at);
  for (const folder of missing) {
    const owner = ownerFor(folder);
    fs.mkdirSync(folder);
    if (owner) fs.chownSync(folder, owner.uid, owner.gid);
  }
}

/** Writes `content` to a new temporary file beside `target` (exclusively: never through a link); returns its path. */
function writeTemp(target: string, content: string | Buffer, temps: string[], name: string): string {
  const temp = tempName(target);
  let fd: number | undefined;
  try {
    makeFolders(dirname(target));
    const existing = lstatOrUndefined(target);
    const owner = ownerFor(target);
    const { O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
    fd = fsOps.openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, (existing?.mode ?? 0o666) & 0o7777);
    temps.push(temp);
    if (owner) fsOps.fchownSync(fd, owner.uid, owner.gid);
    // fchown clears set-id bits; a mode set at creation is also cut by the umask: set it as the old file had it.
    if (existing) fs.fchmodSync(fd, existing.mode & 0o7777);
    const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let at = 0; at < buffer.length; ) at += fsOps.writeSync(fd, buffer, at, buffer.length - at);
    fsOps.fsyncSync(fd);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    throw fsError(error, name, 'write');
  }
  fsOps.closeSync(fd);
  return temp;
}

function removeAll(paths: string[]): void {
  for (const path of paths) {
    try {
      fsOps.unlinkSync(path);
    } catch {
      // already gone
    }
  }
}

/**
 * Writes every file or none: each goes to a temporary file beside its target
 * (created exclusively, so never through a link), and only when all are complete
 * are they renamed into place, in the order given (.yo-rc.json last). A rename
 * that fails late puts back the files already replaced, so the disk is as before.
 */
export function writeFilesAtomically(dir: string, writes: FileWrite[]): void {
  checkTargets(
    dir,
    writes.map((w) => w.path),
  );
  const temps: string[] = [];
  const planned: { temp: string; target: string; path: string; old?: Buffer }[] = [];
  try {
    for (const write of writes) {
      const target = join(dir, write.path);
      const temp = writeTemp(target, write.content, temps, write.path);
      // What a late failure puts back, byte for byte (targets are at most a few MB, checked regular above).
      const old = readBack(target);
      planned.push({ temp, target, path: write.path, old });
    }
  } catch (error) {
    removeAll(temps);
    throw error instanceof UserError ? error : fsError(error, writes[planned.length]?.path ?? '', 'write');
  }
  for (let i = 0; i < planned.length; i++) {
    try {
      fsOps.renameSync(planned[i].temp, planned[i].target);
    } catch (error) {
      removeAll(temps.filter((t) => !planned.slice(0, i).some((p) => p.temp === t)));
      const failed = rollBack(planned.slice(0, i));
      const reason = fsError(error, planned[i].path, 'write').message.replace(/\. Nothing was changed$/, '');
      throw new UserError(
        failed.length
          ? `${reason}; ${failed.join(', ')} could not be put back (the new version is in place)`
          : `${reason}. Nothing was changed`,
      );
    }
  }
}

/** A target's bytes as they are before it is replaced (never through a link); undefined when absent. */
function readBack(target: string): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(target, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Puts back what files already renamed into place held (removes those that were new); returns those it could not. */
function rollBack(done: { target: string; path: string; old?: Buffer }[]): string[] {
  const failed: string[] = [];
  for (const { target, path, old } of done.reverse()) {
    const temps: string[] = [];
    try {
      if (old === undefined) fsOps.unlinkSync(target);
      else fsOps.renameSync(writeTemp(target, old, temps, path), target);
    } catch {
      removeAll(temps);
      failed.push(path);
    }
  }
  return failed.reverse();
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

/** The pid a lock file names; undefined when it names none (empty, garbage, too long to be a pid). */
function lockHolder(path: string): number | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(32);
    const text = buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString('latin1');
    return /^\d{1,10}\n?$/.test(text) ? Number(text.trim()) : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Takes the folder's lock (a file created exclusively, holding our pid). A lock
 * whose process is gone, or that names no process (garbage), is taken over; a live
 * one is waited for, then refused. A lock that cannot be completed is removed.
 */
export function acquireLock(dir: string, waitMs = lockWaitMs()): Lock {
  const path = join(dir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  // A folder nobody may write (root included): writing fails later with its own message; no lock is left there.
  const folder = lstatOrUndefined(dir);
  if (folder && asRoot() && !(folder.mode & 0o222)) return NO_LOCK;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = fsOps.openSync(path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, 0o644);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A folder the user cannot write: writing fails later with its own message; a dry run needs no lock.
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return NO_LOCK;
      if (code !== 'EEXIST') throw lockError(error);
    }
    if (fd !== undefined) {
      try {
        fsOps.writeSync(fd, Buffer.from(`${process.pid}\n`));
        fsOps.closeSync(fd);
      } catch (error) {
        // A full disk: the empty lock would stop the next run for nothing. Ours, so removed.
        try {
          fs.closeSync(fd);
        } catch {
          // closed already
        }
        let removed = true;
        try {
          fsOps.unlinkSync(path);
        } catch {
          removed = false;
        }
        throw lockError(error, removed);
      }
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
    }
    const stats = lstatOrUndefined(path);
    if (stats && !stats.isFile()) {
      const what = `the folder's lock ${LOCK_FILE} is ${kindOf(stats)}`;
      throw new UserError(`${what}, not a lock file; move it away and run again`);
    }
    const holder = stats ? lockHolder(path) : undefined;
    // Left by a process that is gone, or naming none (garbage) and not just being written: stale, taken over.
    if (holder === undefined ? Date.now() - (stats?.mtimeMs ?? 0) > 2000 : !alive(holder)) {
      try {
        fs.unlinkSync(path);
      } catch {
        // someone else took it over
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw new UserError(
        `another python-docker run (pid ${holder ?? '?'}) is working in this folder; ` +
          `wait for it to finish and run again (or delete ${LOCK_FILE} if no such run is left)`,
      );
    }
    sleep(100);
  }
}

/** A lock that could not be taken, in words about the lock. */
function lockError(error: unknown, removed = true): UserError {
  const why = fsError(error, LOCK_FILE, 'write')
    .message.replace(/^cannot write [^:]+: /, '')
    .replace(/\. Nothing was changed$/, '');
  const outcome = removed
    ? 'Nothing was changed'
    : `Nothing else was changed; delete ${LOCK_FILE}, which could not be removed`;
  return new UserError(`cannot take the folder's lock (${LOCK_FILE}): ${why}. ${outcome}`);
}

/** The operating system's folders: a Dockerfile there is a run in the wrong place, whatever they hold. */
const SYSTEM_FOLDERS = [
  ...['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32'],
  ...['/proc', '/run', '/sbin', '/sys', '/usr', '/var'],
];
/** Inside those, the places where projects are commonly kept. */
const PROJECT_PLACES = ['/usr/src', '/usr/local/src', '/var/www', '/var/lib/jenkins', '/var/tmp'];

const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** Whether `path` (a real path) is one of the system's folders or inside one, outside the places projects are kept. */
export function isSystemFolder(path: string): boolean {
  if (PROJECT_PLACES.some((p) => within(path, p) && path !== p)) return false;
  return SYSTEM_FOLDERS.some((folder) => within(path, folder));
}

/**
 * Refuses the system's folders (/usr, /etc, …), and `/` and the home folder unless they look like a
 * Python project or are empty: there, a Dockerfile is almost always a mistake (a run in the wrong place).
 */
export function checkRunFolder(dir: string): void {
  const real = (p: string) => {
    try {
      return fs.realpathSync.native(p);
    } catch {
      return resolve(p);
    }
  };
  const here = real(dir);
  if (isSystemFolder(here)) {
    throw new UserError(`refusing to write Docker files in ${here}, a system folder; run it in the project's folder`);
  }
  const where =
    here === real('/') ? 'the root folder /' : here === real(homedir()) ? `your home folder ${here}` : undefined;
  if (!where) return;
  let names: string[];
  try {
    names = fs.readdirSync(here);
  } catch (error) {
    const why = fsError(error, here, 'read').message.replace(/^cannot read [^:]+: /, '');
    throw new UserError(`cannot list ${where}: ${why}`);
  }
  if (!names.length) return;
  // A folder with a project marker (or a run's record, .yo-rc.json) may get Docker files.
  const markers = [...projectMarkers(), '.yo-rc.json'];
  if (names.some((n) => markers.includes(n) || n.endsWith('.py') || /^requirements.*\.txt$/.test(n))) return;
  throw new UserError(
    `refusing to write Docker files in ${where}, which does not look like a Python project; ` +
      "run it in the project's folder",
  );
}
