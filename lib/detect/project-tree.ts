/**
 * The project's files as detection may see them: a bounded walk that never
 * enters virtualenvs, site-packages, node_modules, VCS, caches, build output,
 * or any folder the project's .gitignore or .dockerignore excludes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { DEPENDENCY_LIMIT, TARGET_LIMIT, readRegularFile } from '../safe-files.js';

const NEVER_ENTER = new Set([
  '.venv', 'venv', 'env', '.env', 'site-packages', 'dist-packages', 'node_modules', '.git', '.hg', '.svn',
  '__pycache__', 'build', 'dist', '.eggs', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache',
  '.idea', '.vscode', 'htmlcov', '.cache',
]);

/** Deep enough for src/<pkg>/app/main.py; no deeper, so a huge tree stays cheap. */
const MAX_DEPTH = 4;
const MAX_FILES = 20_000;

function ignoreFile(root: string, name: string): string {
  try {
    // A FIFO or device here must not hang or flood the walk.
    return readRegularFile(join(root, name), { limit: TARGET_LIMIT, follow: true }) ?? '';
  } catch {
    return '';
  }
}

/** Reading project files by relative path: the walked tree, or just the files at known paths. */
export interface ProjectFiles {
  has(path: string): boolean;
  read(path: string): string | undefined;
}

/** The files at the paths asked for, read straight from disk: no walk (rendering needs only manifests). */
export class DirectFiles implements ProjectFiles {
  constructor(private readonly root: string) {}

  has(path: string): boolean {
    try {
      return statSync(join(this.root, path)).isFile();
    } catch {
      return false;
    }
  }

  /** Regular files only (a FIFO or a link to /dev/zero is refused in one line), with a size limit. */
  read(path: string): string | undefined {
    return readRegularFile(join(this.root, path), { limit: DEPENDENCY_LIMIT, follow: true, name: path });
  }
}

export class ProjectTree implements ProjectFiles {
  readonly root: string;
  /** Relative POSIX paths of the files seen, in walk order (shallow first). */
  readonly files: string[] = [];
  private readonly fileSet = new Set<string>();
  private readonly texts = new Map<string, string | undefined>();

  constructor(root: string) {
    this.root = root;
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
        if (dir && entries.some((e) => e.name === 'pyvenv.cfg')) continue;
        for (const entry of entries) {
          const path = dir ? `${dir}/${entry.name}` : entry.name;
          if (entry.isDirectory()) {
            if (NEVER_ENTER.has(entry.name) || entry.name.endsWith('.egg-info') || ignored.ignores(`${path}/`)) continue;
            next.push(path);
          } else if (entry.isFile() && !ignored.ignores(path)) {
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

  /** The file's text (cached), or undefined when it is absent or unreadable. Files over 1 MB are not read. */
  read(path: string): string | undefined {
    if (!this.texts.has(path)) {
      let text: string | undefined;
      if (this.fileSet.has(path)) {
        try {
          const buffer = readFileSync(join(this.root, path));
          text = buffer.length > 1_000_000 ? undefined : buffer.toString('utf8');
        } catch {
          text = undefined;
        }
      }
      this.texts.set(path, text);
    }
    return this.texts.get(path);
  }

  /** Python files directly in these folders ('' is the root), in the order given. */
  pythonFilesIn(...dirs: string[]): string[] {
    return dirs.flatMap((dir) =>
      this.files.filter((f) => f.endsWith('.py') && (dir ? f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes('/') : !f.includes('/'))),
    );
  }
}
