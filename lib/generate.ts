/**
 * The generation flow both front-ends share: stored answers in, the files to
 * write (with what happens to each) and the messages to show out. Front-ends
 * only ask questions, write what this returns, and print.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { storableAnswers, type Answers } from './answers.js';
import { FRAMEWORK_SPECS } from './frameworks.js';
import { imageName, scanProject, type ProjectScan } from './project-files.js';
import { renderFiles } from './render.js';
import { provides } from './requirements.js';
import { UserError } from './user-error.js';
import { generatorVersion, versions } from './versions.js';

export const CONFIG_FILE = '.yo-rc.json';
/** Yeoman keeps each generator's settings in .yo-rc.json under its package name. */
export const CONFIG_KEY = 'generator-python-docker';

export interface StoredConfig {
  version?: string;
  answers?: Partial<Answers>;
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

export type FileStatus = 'created' | 'updated' | 'unchanged' | 'kept';

export interface PlannedWrite {
  /** Where the content goes (`Dockerfile.new` when the user's own Dockerfile is kept). */
  path: string;
  content: string;
  /** The file the rendering is for. */
  target: string;
  status: FileStatus;
}

/** What to do with a file that exists and differs from the render: `new` keeps it and writes `<file>.new`. */
export type Resolution = 'overwrite' | 'new';

export interface Generation {
  answers: Answers;
  imageName: string;
  writes: PlannedWrite[];
  /** Shown at the end of the run, after the summary. */
  warnings: string[];
}

/** Packages the CMD needs that the user's own dependency files do not list. */
function missingPackages(answers: Answers, scan: ProjectScan): string[] {
  if (!scan.packages) return [];
  return FRAMEWORK_SPECS[answers.framework].stubPackages.filter((key) => !provides(scan.packages!, key));
}

function yoRcContent(dir: string, answers: Answers): string {
  const data = readYoRc(dir);
  data[CONFIG_KEY] = { version: generatorVersion, answers: storableAnswers(answers) } satisfies StoredConfig;
  return `${JSON.stringify(data, null, 2)}\n`;
}

/**
 * Renders for `answers` and decides each file: new files are created,
 * identical ones left alone, and a file that differs is handed to `resolve`
 * (interactive runs ask) or, without it, kept with the render beside it as `<file>.new`.
 */
export async function planGeneration(
  dir: string,
  answers: Answers,
  resolve?: (path: string) => Promise<Resolution>,
): Promise<Generation> {
  const scan = scanProject(dir);
  const rendered = renderFiles(answers, scan.facts);
  const writes: PlannedWrite[] = [];
  for (const [target, content] of Object.entries(rendered)) {
    const path = join(dir, target);
    const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (existing === undefined) writes.push({ path: target, content, target, status: 'created' });
    else if (existing === content) writes.push({ path: target, content, target, status: 'unchanged' });
    else if (resolve && (await resolve(target)) === 'overwrite') writes.push({ path: target, content, target, status: 'updated' });
    else writes.push({ path: `${target}.new`, content, target, status: 'kept' });
  }
  writes.push({ path: CONFIG_FILE, content: yoRcContent(dir, answers), target: CONFIG_FILE, status: 'updated' });

  const warnings = [...scan.warnings];
  const dependencyFile = scan.facts.install === 'pyproject' ? 'pyproject.toml' : 'requirements.txt';
  for (const key of missingPackages(answers, scan)) {
    warnings.push(
      `${dependencyFile} does not list ${key}, which the ${FRAMEWORK_SPECS[answers.framework].label} image needs; add a line such as "${versions.requirements[key]}"`,
    );
  }
  return { answers, imageName: imageName(dir), writes, warnings };
}

/** The files to put on disk (unchanged ones are not rewritten). */
export function filesToWrite(generation: Generation): PlannedWrite[] {
  return generation.writes.filter((w) => w.status !== 'unchanged');
}

/** The closing summary: each file and what happened to it, then how to build and run. */
export function summaryLines(generation: Generation): string[] {
  const lines = generation.writes
    .filter((w) => w.target !== CONFIG_FILE)
    .map((w) =>
      w.status === 'kept'
        ? `  kept      ${w.target} (yours differs; the new version is in ${w.path})`
        : `  ${w.status.padEnd(9)} ${w.target}`,
    );
  const { answers, imageName: name } = generation;
  const publish = FRAMEWORK_SPECS[answers.framework].web ? `-p ${answers.port}:${answers.port} ` : '';
  return [
    'Files:',
    ...lines,
    'Next:',
    `  docker build -t ${name} .`,
    `  docker run --rm ${publish}${name}`,
  ];
}
