/**
 * The generation flow both front-ends share: answers in; the plan for each
 * file, the .yo-rc.json record and the messages to show out. Front-ends only
 * ask questions, write what this returns, and print.
 */
import { join } from 'node:path';
import { storableAnswers, type Answers } from './answers.js';
import { FRAMEWORK_SPECS } from './frameworks.js';
import { imageName, scanProject, type ProjectScan } from './project-files.js';
import { planFile, type FilePlan, type Resolution } from './regenerate.js';
import { STUB_FILES, renderFiles } from './render.js';
import { CONFIG_LIMIT, TARGET_LIMIT, readRegularFile, writeFilesAtomically } from './safe-files.js';
import { provides } from './requirements.js';
import { UserError } from './user-error.js';
import { generatorVersion, versions } from './versions.js';

export type { Resolution } from './regenerate.js';

export const CONFIG_FILE = '.yo-rc.json';
/** Yeoman keeps each generator's settings in .yo-rc.json under its package name. */
export const CONFIG_KEY = 'generator-python-docker';

/** What a run records in .yo-rc.json for the next one. */
export interface StoredConfig {
  version?: string;
  answers?: Partial<Answers>;
  /** Each generated file as last rendered: the base of the next run's 3-way merge. */
  files?: Record<string, string>;
  /** Files written beside the user's own (`Dockerfile.new`): path → digest, so a later run knows them as its own. */
  written?: Record<string, string>;
}

function readYoRc(dir: string): Record<string, unknown> {
  const text = readRegularFile(join(dir, CONFIG_FILE), { limit: CONFIG_LIMIT, name: CONFIG_FILE });
  if (text === undefined) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // fall through to the error below
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError(`${CONFIG_FILE}: not a JSON object; fix or delete it and run again`);
  }
  const problem = storedConfigProblem((data as Record<string, unknown>)[CONFIG_KEY]);
  if (problem) throw new UserError(`${CONFIG_FILE}: "${CONFIG_KEY}"${problem}; fix or delete it and run again`);
  return data as Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** What is wrong with our entry in .yo-rc.json (hand-edited, or another tool's), if anything. */
function storedConfigProblem(entry: unknown): string | undefined {
  if (entry === undefined) return undefined;
  if (!isRecord(entry)) return ' is not an object';
  if (entry.version !== undefined && typeof entry.version !== 'string') return '.version is not a string';
  for (const key of ['answers', 'files', 'written'] as const) {
    const value = entry[key];
    if (value === undefined) continue;
    if (!isRecord(value)) return `.${key} is not an object`;
    for (const [name, item] of Object.entries(value)) {
      const ok = key === 'answers' ? ['string', 'number', 'boolean'].includes(typeof item) || item === null : typeof item === 'string';
      if (!ok) return `.${key}.${JSON.stringify(name)} is not ${key === 'answers' ? 'a plain value' : 'text'}`;
    }
  }
  return undefined;
}

/** A generated file (or the user's file in its place) as it is on disk; undefined when absent. */
export function readTarget(dir: string, target: string): string | undefined {
  return readRegularFile(join(dir, target), { limit: TARGET_LIMIT, name: target });
}

export function readStoredConfig(dir: string): StoredConfig | undefined {
  return readYoRc(dir)[CONFIG_KEY] as StoredConfig | undefined;
}

export interface GenerateOptions {
  /** --force: take every new render wholesale. */
  force?: boolean;
  /** Asks about files the user wrote before the generator ran (interactive runs). */
  resolve?: (target: string) => Promise<Resolution>;
  /** Another template set (tests simulate an upgrade with an older one). */
  templatesDir?: string;
  /** The version recorded and named in conflict markers. */
  version?: string;
}

export interface Generation {
  answers: Answers;
  imageName: string;
  files: FilePlan[];
  /** The new .yo-rc.json content. */
  config: { path: string; content: string };
  /** Files left with conflict markers: the run must end non-zero. */
  conflicts: string[];
  /** Shown at the end of the run, after the summary. */
  warnings: string[];
}

/** Packages the CMD needs that the user's own dependency files do not list. */
function missingPackages(answers: Answers, scan: ProjectScan): string[] {
  if (!scan.packages) return [];
  return FRAMEWORK_SPECS[answers.framework].stubPackages.filter((key) => !provides(scan.packages!, key));
}

export async function planGeneration(dir: string, answers: Answers, options: GenerateOptions = {}): Promise<Generation> {
  const version = options.version ?? generatorVersion;
  const yoRc = readYoRc(dir);
  const stored = (yoRc[CONFIG_KEY] ?? {}) as StoredConfig;
  const scan = scanProject(dir, answers);
  const rendered = renderFiles(answers, scan.facts, { templatesDir: options.templatesDir, version });

  const files: FilePlan[] = [];
  const readBeside = (path: string) => readTarget(dir, path);
  for (const [target, content] of Object.entries(rendered)) {
    files.push(
      await planFile(
        { target, rendered: content, disk: readTarget(dir, target), base: stored.files?.[target], readBeside, written: stored.written },
        { force: options.force, resolve: options.resolve, theirsLabel: `generator-python-docker ${version}` },
      ),
    );
  }

  const record: StoredConfig = {
    version,
    answers: storableAnswers(answers),
    files: Object.fromEntries(files.filter((f) => f.base !== undefined && !STUB_FILES.has(f.target)).map((f) => [f.target, f.base!])),
  };
  const written = { ...stored.written, ...Object.assign({}, ...files.map((f) => f.written ?? {})) };
  if (Object.keys(written).length) record.written = written;
  yoRc[CONFIG_KEY] = record;

  const warnings = [...scan.warnings];
  for (const f of files) {
    if (f.newIsUsers) warnings.push(`${f.target}.new is not the generator's either, so the new ${f.target} was not written; move ${f.target}.new away and run again to get it`);
  }
  const install = scan.facts.install;
  const dependencyFile = install === 'requirements' ? scan.facts.dependencyFiles[0] : install === 'pipenv' ? 'Pipfile' : 'pyproject.toml';
  for (const key of missingPackages(answers, scan)) {
    warnings.push(
      `${dependencyFile} does not list ${key}, which the ${FRAMEWORK_SPECS[answers.framework].label} image needs; add a line such as "${versions.requirements[key]}"`,
    );
  }
  return {
    answers,
    imageName: imageName(dir),
    files,
    config: { path: CONFIG_FILE, content: `${JSON.stringify(yoRc, null, 2)}\n` },
    conflicts: files.filter((f) => f.status === 'conflict').map((f) => f.target),
    warnings,
  };
}

/** Everything to put on disk: saved versions first, .yo-rc.json last (files left as they are are not rewritten). */
export function filesToWrite(generation: Generation): { path: string; content: string }[] {
  return [
    ...generation.files.flatMap((f) => (f.backup ? [f.backup] : [])),
    ...generation.files.flatMap((f) => (f.write ? [f.write] : [])),
    generation.config,
  ];
}

/** Writes the plan: every file or none, .yo-rc.json last (see safe-files). */
export function writeGeneration(dir: string, generation: Generation): void {
  writeFilesAtomically(dir, filesToWrite(generation));
}

const STATUS_NOTES: Partial<Record<FilePlan['status'], (f: FilePlan) => string>> = {
  merged: (f) => ` (kept ${f.userLines} line${f.userLines === 1 ? '' : 's'} of yours)`,
  conflict: (f) =>
    f.unresolved
      ? ' (still has <<<<<<< markers: resolve them, then run again)'
      : ' (your edit and the new version change the same lines: resolve the <<<<<<< markers)',
  updated: (f) => (f.backup ? ` (your version is saved as ${f.backup.path})` : ''),
  kept: (f) =>
    f.newIsUsers
      ? ` (yours was not written by the generator, nor was ${f.target}.new: neither was touched)`
      : ` (yours was not written by the generator; the new version is in ${f.target}.new)`,
  deleted: () => ' (you deleted it, so it stays deleted; --force brings it back)',
};

/** The closing summary: each file and what happened to it, then how to build and run. */
export function summaryLines(generation: Generation): string[] {
  const { answers, imageName: name } = generation;
  const publish = FRAMEWORK_SPECS[answers.framework].web ? `-p ${answers.port}:${answers.port} ` : '';
  return [
    'Files:',
    ...generation.files.map((f) => `  ${f.status.padEnd(9)} ${f.target}${STATUS_NOTES[f.status]?.(f) ?? ''}`),
    'Next:',
    `  docker build -t ${name} .`,
    `  docker run --rm ${publish}${name}`,
  ];
}

/** `--dry-run`: a unified diff per file that would change (disk → planned content). */
export async function dryRunDiff(dir: string, generation: Generation): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  const patches: string[] = [];
  for (const write of generation.files.flatMap((f) => (f.write ? [f.write] : []))) {
    const before = readTarget(dir, write.path);
    patches.push(createTwoFilesPatch(before !== undefined ? `a/${write.path}` : '/dev/null', `b/${write.path}`, before ?? '', write.content, '', '', { context: 3 }));
  }
  return patches.join('');
}
