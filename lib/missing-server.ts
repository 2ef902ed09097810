/**
 * When the project's own dependency file lacks the server the image's CMD runs
 * (gunicorn, uvicorn): the same file with it added — a line in requirements.txt,
 * an entry in pyproject.toml's [project].dependencies — or, where a lock must
 * follow, the package manager's own command for the user to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { smolToml } from './lazy-dependencies.js';

/** requirements.txt with the lines appended, in the file's own line endings. */
export function addToRequirements(text: string, requirements: string[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = text === '' || text.endsWith('\n') ? text : `${text}${eol}`;
  return `${body}${requirements.map((r) => `${r}${eol}`).join('')}`;
}

const dependenciesOf = (text: string): unknown =>
  (smolToml().parse(text).project as Record<string, unknown> | undefined)?.dependencies;

/**
 * pyproject.toml with the requirements added to [project].dependencies, its layout kept;
 * undefined when that cannot be done safely (no [project] table, dynamic dependencies, an unusual layout).
 */
export function addToPyproject(text: string, requirements: string[]): string | undefined {
  let before: unknown;
  try {
    const project = smolToml().parse(text).project as Record<string, unknown> | undefined;
    if (!project || (Array.isArray(project.dynamic) && project.dynamic.includes('dependencies'))) return undefined;
    before = project.dependencies;
  } catch {
    return undefined;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/(?<=\n)/);
  const header = lines.findIndex((l) => /^\s*\[project\]\s*(#.*)?$/.test(l.trimEnd()));
  if (header === -1) return undefined;
  let end = lines.findIndex((l, i) => i > header && /^\s*\[/.test(l));
  if (end === -1) end = lines.length;
  const quoted = requirements.map((r) => JSON.stringify(r));
  const at = lines.findIndex((l, i) => i > header && i < end && /^\s*dependencies\s*=/.test(l));
  if (at === -1) {
    if (before !== undefined) return undefined;
    lines.splice(header + 1, 0, `dependencies = [${quoted.join(', ')}]${eol}`);
  } else {
    const line = lines[at];
    const open = line.indexOf('[');
    if (open === -1) return undefined;
    const rest = line
      .slice(open + 1)
      .replace(/#.*$/, '')
      .trim();
    if (rest === '') {
      // A multi-line array: one line per entry, indented as the next one is.
      const indent = /^(\s*)/.exec(lines[at + 1] ?? '')?.[1] || '    ';
      lines.splice(at + 1, 0, ...quoted.map((q) => `${indent}${q},${eol}`));
    } else {
      const empty = rest.startsWith(']');
      lines[at] =
        `${line.slice(0, open + 1)}${quoted.join(', ')}${empty ? '' : ', '}${line.slice(open + 1).replace(/^\s*/, '')}`;
    }
  }
  const result = lines.join('');
  // Proof, not hope: the file must still parse, with exactly these entries added.
  try {
    const after = dependenciesOf(result);
    const expected = [...quoted.map((q) => JSON.parse(q) as string), ...((before as string[] | undefined) ?? [])];
    if (!Array.isArray(after) || after.length !== expected.length || !expected.every((r) => after.includes(r)))
      return undefined;
  } catch {
    return undefined;
  }
  return result;
}

export interface ServerFix {
  /** The dependency file with the packages added (pip projects). */
  edit?: { path: string; content: string };
  /** What the user runs instead (lock-file managers: the lock must be regenerated). */
  command?: string;
}

/** How to add these packages to the project: an edit to its dependency file, or the command to run. */
export function serverFix(
  dir: string,
  install: string,
  dependencyFile: string,
  packages: { name: string; requirement: string }[],
  addCommand?: string,
): ServerFix {
  if (addCommand) return { command: `${addCommand} ${packages.map((p) => p.name).join(' ')}` };
  const path = join(dir, dependencyFile);
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  const requirements = packages.map((p) => p.requirement);
  if (install === 'requirements')
    return { edit: { path: dependencyFile, content: addToRequirements(text, requirements) } };
  if (install === 'pyproject') {
    const content = addToPyproject(text, requirements);
    return content === undefined ? {} : { edit: { path: dependencyFile, content } };
  }
  return {};
}
