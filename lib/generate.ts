/**
 * The generation flow both front-ends share: answers in; the plan for each
 * file, the .yo-rc.json record and the messages to show out. Front-ends only
 * ask questions, write what this returns, and print.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { storableAnswers, type Answers } from './answers.js';
import { projectCompose } from './compose-files.js';
import { FRAMEWORK_SPECS } from './frameworks.js';
import { imageName, scanProject, type ProjectScan } from './project-files.js';
import { planFile, type FilePlan, type Resolution } from './regenerate.js';
import { STUB_FILES, renderFiles } from './render.js';
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
  /** Renders written beside the user's own file (`Dockerfile.new`): the base once the user adopts one. */
  offered?: Record<string, string>;
}

function readYoRc(dir: string): Record<string, unknown> {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) return {};
  try {
    const data = JSON.parse(readFileSync(path, 'utf8'));
    if (data && typeof data === 'object' && !Array.isArray(data)) return data;
  } catch {
    // fall through to the error below
  }
  throw new UserError(`${CONFIG_FILE}: not a JSON object; fix or delete it and run again`);
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
  const theirCompose = await projectCompose(dir, Object.keys(stored.files ?? {}));
  const rendered = renderFiles(answers, { ...scan.facts, projectCompose: theirCompose }, { templatesDir: options.templatesDir, version });

  const files: FilePlan[] = [];
  for (const [target, content] of Object.entries(rendered)) {
    const path = join(dir, target);
    files.push(
      await planFile(
        {
          target,
          rendered: content,
          disk: existsSync(path) ? readFileSync(path, 'utf8') : undefined,
          base: stored.files?.[target],
          offered: stored.offered?.[target],
        },
        { force: options.force, resolve: options.resolve, theirsLabel: `generator-python-docker ${version}` },
      ),
    );
  }

  const warnings = [...scan.warnings];
  if (theirCompose) {
    const ours = stored.files?.['compose.yaml'];
    // A compose.yaml an earlier run wrote stays recorded as the generator's, but is no longer updated.
    if (answers.compose) {
      files.push({ target: 'compose.yaml', status: 'skipped', reason: `${theirCompose.file} is the project's: README.Docker.md shows what to add to it`, base: ours });
    }
    if (ours !== undefined && existsSync(join(dir, 'compose.yaml'))) {
      warnings.push(`compose.yaml, written by an earlier run, is what \`docker compose\` reads, not ${theirCompose.file}: delete it to use yours`);
    }
  }

  const record: StoredConfig = {
    version,
    answers: storableAnswers(answers),
    files: Object.fromEntries(files.filter((f) => f.base !== undefined && !STUB_FILES.has(f.target)).map((f) => [f.target, f.base!])),
  };
  const offered = files.filter((f) => f.status === 'kept' && f.write).map((f) => [f.target, f.write!.content]);
  if (offered.length) record.offered = Object.fromEntries(offered);
  yoRc[CONFIG_KEY] = record;

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

/** Everything to put on disk, .yo-rc.json last (files left as they are are not rewritten). */
export function filesToWrite(generation: Generation): { path: string; content: string }[] {
  return [...generation.files.flatMap((f) => (f.write ? [f.write] : [])), generation.config];
}

const STATUS_NOTES: Partial<Record<FilePlan['status'], (f: FilePlan) => string>> = {
  merged: (f) => ` (kept ${f.userLines} line${f.userLines === 1 ? '' : 's'} of yours)`,
  conflict: () => ' (your edit and the new version change the same lines: resolve the <<<<<<< markers)',
  kept: (f) => ` (yours was not written by the generator; the new version is in ${f.write!.path})`,
  deleted: () => ' (you deleted it, so it stays deleted; --force brings it back)',
  skipped: (f) => ` (${f.reason})`,
};

/** Whether the compose.yaml `docker compose` will read is ours, as rendered now. */
const composeWritten = (generation: Generation) =>
  generation.files.some((f) => f.target === 'compose.yaml' && ['created', 'updated', 'merged', 'unchanged'].includes(f.status));

/** The closing summary: each file and what happened to it, then how to build and run. */
export function summaryLines(generation: Generation): string[] {
  const { answers, imageName: name } = generation;
  const publish = FRAMEWORK_SPECS[answers.framework].web ? `-p ${answers.port}:${answers.port} ` : '';
  return [
    'Files:',
    ...generation.files.map((f) => `  ${f.status.padEnd(9)} ${f.target}${STATUS_NOTES[f.status]?.(f) ?? ''}`),
    'Next:',
    ...(composeWritten(generation) ? ['  docker compose up --build'] : [`  docker build -t ${name} .`, `  docker run --rm ${publish}${name}`]),
  ];
}

/** `--dry-run`: a unified diff per file that would change (disk → planned content). */
export async function dryRunDiff(dir: string, generation: Generation): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  const patches: string[] = [];
  for (const write of generation.files.flatMap((f) => (f.write ? [f.write] : []))) {
    const path = join(dir, write.path);
    const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (existsSync(path) && before === write.content) continue; // a rewrite to the same bytes changes nothing
    patches.push(createTwoFilesPatch(existsSync(path) ? `a/${write.path}` : '/dev/null', `b/${write.path}`, before, write.content, '', '', { context: 3 }));
  }
  return patches.join('');
}
