/**
 * The project's files as detection and rendering see them, read once per run:
 * a bounded walk that never enters virtualenvs, site-packages, node_modules,
 * VCS, caches, build output, or any folder the project's .gitignore or
 * .dockerignore excludes. Regular files only; what is not read is said.
 */
import { closeSync, constants, type Dirent, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { smolToml } from '../lazy-dependencies.js';
import { dependencyFileNames } from '../package-managers/index.js';
import { kindOf, readRegularFile } from '../safe-files.js';
import { UserError } from '../user-error.js';
import { dockerignoreAsGitignore, IgnoreRules } from './ignore-rules.js';

const { O_RDONLY, O_NONBLOCK, O_NOFOLLOW = 0 } = constants;

const NEVER_ENTER = new Set([
  '.venv',
  'venv',
  'env',
  '.env',
  'site-packages',
  'dist-packages',
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  'build',
  'dist',
  '.eggs',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.idea',
  '.vscode',
  'htmlcov',
  '.cache',
]);

/**
 * Deep enough for src/<pkg>/app/main.py, and for the routes of a package under a two-deep source folder
 * (src/py/app/domain/system/controllers.py); no deeper, so a huge tree stays cheap.
 */
const MAX_DEPTH = 6;
/** Files recorded; beyond it, the walk says what it did not look at. */
export const MAX_FILES = 20_000;
/** Folders listed; beyond it, likewise. */
const MAX_DIRS = 5_000;
/** A folder with more files than this is a pile of data: only its Python and project files are taken at once. */
const PILE = 1_000;
/** Python sources larger than this are generated code or data, not an app to read. */
export const SOURCE_LIMIT = 4_000_000;
/** Dependency, lock and config files are read whole up to this (hashed lock files run to megabytes). */
export const DATA_LIMIT = 64_000_000;

/**
 * Names detection reads: taken before a pile's other files, so a pile of data never hides them. Built per walk,
 * so a package manager registered after start-up has its files taken too.
 */
const projectFile = () =>
  new RegExp(
    [
      '\\.(py|toml|cfg|ini|lock|txt|in|ya?ml)$',
      // .env, and a framework tool's own dotenv (.flaskenv).
      '^(Procfile|Dockerfile.*|\\.python-version|\\.tool-versions|\\.[a-z]*env)$',
      // Every package manager's files (a Pipfile has no extension).
      ...dependencyFileNames().map(
        (path) =>
          `^${path
            .split('/')
            .at(-1)!
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
      ),
      '^\\.(yo-rc\\.json|dockerignore|gitignore)$',
    ].join('|'),
  );

function ignoreFile(root: string, name: string): string {
  try {
    // A FIFO or a link to a device here must not hang or flood the walk.
    return readRegularFile(join(root, name), { limit: DATA_LIMIT, follow: true }) ?? '';
  } catch {
    return '';
  }
}

const MISSED = 'detection may have missed what';
const NOT_SEEN = `were not looked at, so ${MISSED} they hold`;
const size = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`);
const count = (n: number) => n.toLocaleString('en-US');

/** Why a folder could not be listed, in words. */
function unlistable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (error as Error).message;
}

/** Reading project files by relative path. */
export interface ProjectFiles {
  has(path: string): boolean;
  read(path: string): string | undefined;
}

export class ProjectTree implements ProjectFiles {
  readonly root: string;
  /** Relative POSIX paths of the files seen, in walk order (shallow first; a pile's data files last). */
  readonly files: string[] = [];
  /** Files not read, and why ("huge.py (5.2 MB, over the 4 MB limit for source files)"): shown as warnings. */
  readonly skipped: string[] = [];
  /** Files read but not understood ("pyproject.toml is not valid TOML …"): shown as warnings. */
  readonly problems: string[] = [];
  /** Where the walk was cut short (a limit, a folder it could not list): shown as warnings. */
  readonly cutShort: string[] = [];
  /** Folders holding a virtualenv (pyvenv.cfg), whatever their name; never entered. */
  readonly virtualenvs: string[] = [];
  /** Symbolic links the walk met, never followed. */
  readonly links = new Set<string>();
  private readonly fileSet = new Set<string>();
  private readonly dirSet = new Set<string>();
  private readonly texts = new Map<string, string | undefined>();
  private readonly tomls = new Map<string, Record<string, any> | undefined>();
  /** Why a file that is there was not read (over its size limit). */
  private readonly unread = new Map<string, string>();
  private readonly tomlErrors = new Map<string, string>();
  private readonly parses = new Map<(text: string) => unknown, Map<string, unknown>>();
  private readonly derivations = new Map<(tree: ProjectTree) => unknown, unknown>();

  constructor(root: string) {
    this.root = root;
    // Ignore rules decide which folders to scan and which Python files can be the app (an ignored
    // file never reaches the image); they never hide a file that states a fact (.python-version).
    const ignored = new IgnoreRules([
      ignoreFile(root, '.gitignore'),
      dockerignoreAsGitignore(ignoreFile(root, '.dockerignore')),
    ]);
    const deferred: string[] = [];
    const piles: string[] = [];
    const PROJECT_FILE = projectFile();
    const record = (path: string) => {
      this.files.push(path);
      this.fileSet.add(path);
    };
    let listed = 0;
    let unlisted = 0;
    let level = [''];
    for (let depth = 0; depth < MAX_DEPTH && level.length; depth++) {
      const next: string[] = [];
      for (const dir of level) {
        if (listed >= MAX_DIRS) {
          unlisted++;
          continue;
        }
        let entries: Dirent[];
        try {
          entries = readdirSync(join(root, dir), { withFileTypes: true });
          listed++;
        } catch (error) {
          // The project folder itself: nothing can be detected, and an empty project is not the truth.
          const why = unlistable(error);
          if (!dir) throw new UserError(`cannot list the project folder ${root}: ${why}; run where you can read it`);
          this.cutShort.push(`${dir}/ could not be listed (${why}), so ${MISSED} it holds`);
          continue;
        }
        // A virtualenv by any name holds pyvenv.cfg: never look inside it.
        if (dir && entries.some((e) => e.name === 'pyvenv.cfg')) {
          this.virtualenvs.push(dir);
          continue;
        }
        if (dir) this.dirSet.add(dir);
        const files = entries.filter((e) => e.isFile()).length;
        if (files > PILE) piles.push(dir ? `${dir}/` : 'the project folder');
        for (const entry of entries) {
          const path = dir ? `${dir}/${entry.name}` : entry.name;
          if (entry.isSymbolicLink()) {
            this.links.add(path);
          } else if (entry.isDirectory()) {
            if (NEVER_ENTER.has(entry.name) || entry.name.endsWith('.egg-info') || ignored.ignores(`${path}/`)) {
              // Skipped unread, but a virtualenv near the top is worth knowing (it must stay out of the image).
              const near = depth < 2 && entry.name !== '.git' && entry.name !== 'node_modules';
              if (near && existsSync(join(root, path, 'pyvenv.cfg'))) this.virtualenvs.push(path);
              continue;
            }
            next.push(path);
          } else if (entry.isFile() && !(path.endsWith('.py') && ignored.ignores(path))) {
            // In a pile, data files wait until every folder has been walked for Python.
            if (files > PILE && !PROJECT_FILE.test(entry.name)) deferred.push(path);
            else if (this.files.length < MAX_FILES) record(path);
            else deferred.push(path);
          }
        }
      }
      level = next.sort();
    }
    for (const path of deferred) {
      if (this.files.length >= MAX_FILES) break;
      record(path);
    }
    const left = deferred.length - deferred.filter((p) => this.fileSet.has(p)).length;
    if (left) {
      const where = piles.length ? ` (most in ${piles.slice(0, 3).join(', ')})` : '';
      const more = `${count(left)} more${where}`;
      this.cutShort.push(`the walk stops at ${count(MAX_FILES)} files: ${more} ${NOT_SEEN}`);
    }
    if (unlisted) {
      const more = `${count(unlisted)} more`;
      this.cutShort.push(`the walk lists at most ${count(MAX_DIRS)} folders: ${more} ${NOT_SEEN}`);
    }
  }

  /** The symbolic link on the way to `path` (the file itself, or a folder above it), if the walk met one. */
  linkOnPath(path: string): string | undefined {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (this.links.has(prefix)) return prefix;
    }
    return undefined;
  }

  /** Why a file the walk saw was not read (over its size limit); undefined when it was, or is not there. */
  whyUnread(path: string): string | undefined {
    this.read(path);
    return this.unread.get(path);
  }

  /** Why a TOML file that is there could not be used (its parse error), if it could not. */
  tomlError(path: string): string | undefined {
    this.toml(path);
    return this.tomlErrors.get(path);
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
      // Non-blocking and never through a link: a file swapped for a FIFO since the walk must not hang the run.
      fd = openSync(join(this.root, path), O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'EMLINK') {
        throw new UserError(`${path} became a symbolic link while the project was read; run again`);
      }
      return undefined;
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) {
        throw new UserError(`${path} is ${kindOf(stat)}, not a regular file; move it away and run again`);
      }
      const limit = path.endsWith('.py') ? SOURCE_LIMIT : DATA_LIMIT;
      if (stat.size > limit) {
        const kind = limit === SOURCE_LIMIT ? 'source' : 'data';
        const why = `${size(stat.size)}, over the ${size(limit)} limit for ${kind} files`;
        this.unread.set(path, why);
        this.skipped.push(`${path} (${why})`);
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
    } catch (error) {
      if (error instanceof UserError) throw error;
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  /** A TOML file's tables (cached), or undefined when absent; invalid TOML is recorded in `problems`. */
  toml(path: string): Record<string, any> | undefined {
    if (!this.tomls.has(path)) {
      const text = this.read(path);
      let data: Record<string, any> | undefined;
      if (text !== undefined) {
        try {
          data = smolToml().parse(text) as Record<string, any>;
        } catch (error) {
          const why = (error as Error).message.split('\n')[0];
          this.tomlErrors.set(path, why);
          this.problems.push(`${path} is not valid TOML (${why}): nothing in it was used`);
        }
      }
      this.tomls.set(path, data);
    }
    return this.tomls.get(path);
  }

  /**
   * A file parsed by `parser` (cached per parser), or undefined when it is absent or unreadable: detection and
   * the scan after the answers share one parse of each file (requirements files, the Procfile).
   */
  parsed<T>(path: string, parser: (text: string) => T): T | undefined {
    const byPath = this.parses.get(parser) ?? new Map<string, unknown>();
    this.parses.set(parser, byPath);
    if (!byPath.has(path)) {
      const text = this.read(path);
      byPath.set(path, text === undefined ? undefined : parser(text));
    }
    return byPath.get(path) as T | undefined;
  }

  /** What `reader` makes of the whole project (declared dependencies, a lock's packages), worked out once. */
  derived<T>(reader: (tree: ProjectTree) => T): T {
    if (!this.derivations.has(reader)) this.derivations.set(reader, reader(this));
    return this.derivations.get(reader) as T;
  }

  /** Python files directly in these folders ('' is the root), in the order given. */
  pythonFilesIn(...dirs: string[]): string[] {
    return dirs.flatMap((dir) =>
      this.files.filter(
        (f) =>
          f.endsWith('.py') &&
          (dir ? f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes('/') : !f.includes('/')),
      ),
    );
  }
}
