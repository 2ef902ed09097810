/**
 * The project's files as detection and rendering see them, read once per run:
 * a bounded walk that never enters virtualenvs, site-packages, node_modules,
 * VCS, caches, build output, or any folder the project's .gitignore or
 * .dockerignore excludes. Regular files only; what is not read is said.
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { parse as parseToml } from 'smol-toml';
import { readRegularFile } from '../safe-files.js';

const NEVER_ENTER = new Set([
  '.venv', 'venv', 'env', '.env', 'site-packages', 'dist-packages', 'node_modules', '.git', '.hg', '.svn',
  '__pycache__', 'build', 'dist', '.eggs', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache',
  '.idea', '.vscode', 'htmlcov', '.cache',
]);

/** Deep enough for src/<pkg>/app/main.py; no deeper, so a huge tree stays cheap. */
const MAX_DEPTH = 4;
const MAX_FILES = 20_000;
/** Python sources larger than this are generated code or data, not an app to read. */
export const SOURCE_LIMIT = 4_000_000;
/** Dependency, lock and config files are read whole up to this (hashed lock files run to megabytes). */
export const DATA_LIMIT = 64_000_000;

function ignoreFile(root: string, name: string): string {
  try {
    // A FIFO or a link to a device here must not hang or flood the walk.
    return readRegularFile(join(root, name), { limit: DATA_LIMIT, follow: true }) ?? '';
  } catch {
    return '';
  }
}

const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`);

/** Reading project files by relative path. */
export interface ProjectFiles {
  has(path: string): boolean;
  read(path: string): string | undefined;
}

export class ProjectTree implements ProjectFiles {
  readonly root: string;
  /** Relative POSIX paths of the files seen, in walk order (shallow first). */
  readonly files: string[] = [];
  /** Files not read, and why ("huge.py (5.2 MB, over the 4 MB limit for source files)"): shown as warnings. */
  readonly skipped: string[] = [];
  /** Files read but not understood ("pyproject.toml is not valid TOML …"): shown as warnings. */
  readonly problems: string[] = [];
  /** Folders holding a virtualenv (pyvenv.cfg), whatever their name; never entered. */
  readonly virtualenvs: string[] = [];
  private readonly fileSet = new Set<string>();
  private readonly dirSet = new Set<string>();
  private readonly texts = new Map<string, string | undefined>();
  private readonly tomls = new Map<string, Record<string, any> | undefined>();

  constructor(root: string) {
    this.root = root;
    // Ignore rules decide which folders to scan and which Python files can be the app (an ignored
    // file never reaches the image); they never hide a file that states a fact (.python-version).
    const ignored: Ignore = ignore().add(ignoreFile(root, '.gitignore')).add(ignoreFile(root, '.dockerignore'));
    let level = [''];
    for (let depth = 0; depth < MAX_DEPTH && level.length && this.files.length < MAX_FILES; depth++) {
      const next: string[] = [];
      for (const dir of level) {
        let entries;
        try {
          entries = readdirSync(join(root, dir), { withFileTypes: true });
        } catch {
          continue;
        }
        // A virtualenv by any name holds pyvenv.cfg: never look inside it.
        if (dir && entries.some((e) => e.name === 'pyvenv.cfg')) {
          this.virtualenvs.push(dir);
          continue;
        }
        if (dir) this.dirSet.add(dir);
        for (const entry of entries) {
          const path = dir ? `${dir}/${entry.name}` : entry.name;
          if (entry.isDirectory()) {
            if (NEVER_ENTER.has(entry.name) || entry.name.endsWith('.egg-info') || ignored.ignores(`${path}/`)) {
              // Skipped unread, but a virtualenv near the top is worth knowing (it must stay out of the image).
              const near = depth < 2 && entry.name !== '.git' && entry.name !== 'node_modules';
              if (near && existsSync(join(root, path, 'pyvenv.cfg'))) this.virtualenvs.push(path);
              continue;
            }
            next.push(path);
          } else if (entry.isFile() && !(path.endsWith('.py') && ignored.ignores(path))) {
            this.files.push(path);
            this.fileSet.add(path);
          }
        }
      }
      level = next.sort();
    }
  }

  has(path: string): boolean {
    return this.fileSet.has(path);
  }

  /** A folder the walk entered (not a virtualenv, not ignored). */
  hasDir(path: string): boolean {
    return this.dirSet.has(path);
  }

  /**
   * The file's text (cached), or undefined when it is absent or unreadable. Dependency and
   * config files are read whole; a Python source over SOURCE_LIMIT is skipped, and said so.
   */
  read(path: string): string | undefined {
    if (!this.texts.has(path)) this.texts.set(path, this.fileSet.has(path) ? this.load(path) : undefined);
    return this.texts.get(path);
  }

  private load(path: string): string | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(join(this.root, path), 'r');
      const stat = fstatSync(fd);
      if (!stat.isFile()) return undefined;
      const limit = path.endsWith('.py') ? SOURCE_LIMIT : DATA_LIMIT;
      if (stat.size > limit) {
        this.skipped.push(`${path} (${size(stat.size)}, over the ${size(limit)} limit for ${path.endsWith('.py') ? 'source' : 'data'} files)`);
        return undefined;
      }
      const buffer = Buffer.alloc(stat.size);
      let read = 0;
      while (read < stat.size) {
        const n = readSync(fd, buffer, read, stat.size - read, null);
        if (n === 0) break;
        read += n;
      }
      return buffer.subarray(0, read).toString('utf8');
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** A TOML file's tables (cached), or undefined when absent; invalid TOML is recorded in `problems`. */
  toml(path: string): Record<string, any> | undefined {
    if (!this.tomls.has(path)) {
      const text = this.read(path);
      let data: Record<string, any> | undefined;
      if (text !== undefined) {
        try {
          data = parseToml(text) as Record<string, any>;
        } catch (error) {
          const why = (error as Error).message.split('\n')[0];
          this.problems.push(`${path} is not valid TOML (${why}): nothing in it was used`);
        }
      }
      this.tomls.set(path, data);
    }
    return this.tomls.get(path);
  }

  /** Python files directly in these folders ('' is the root), in the order given. */
  pythonFilesIn(...dirs: string[]): string[] {
    return dirs.flatMap((dir) =>
      this.files.filter((f) => f.endsWith('.py') && (dir ? f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes('/') : !f.includes('/'))),
    );
  }
}
