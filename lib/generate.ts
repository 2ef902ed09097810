/**
 * The plan of a run: answers in; what to write for each file, the .yo-rc.json
 * record, and what the user must know (warnings, what stops the image from
 * starting) out. Front-ends ask, write what this returns, and print.
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
import { CONFIG_FILE, CONFIG_KEY, readYoRc, type StoredConfig } from './stored-config.js';
import { generatorVersion, versions } from './versions.js';

export interface GenerateOptions {
  /** .yo-rc.json as the run read it (read from disk when absent). */
  yoRc?: Record<string, unknown>;
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
  /** What stops the image from starting as generated (a missing server, a missing module): said before "Next:". */
  notReady: string[];
}

/** Packages the CMD needs that the user's own dependency files do not list. */
function missingPackages(answers: Answers, scan: ProjectScan): string[] {
  if (!scan.packages) return [];
  return FRAMEWORK_SPECS[answers.framework].stubPackages.filter((key) => !provides(scan.packages!, key));
}

export async function planGeneration(dir: string, answers: Answers, options: GenerateOptions = {}): Promise<Generation> {
  const version = options.version ?? generatorVersion;
  const yoRc = { ...(options.yoRc ?? readYoRc(dir)) };
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

  const notReady: string[] = [];
  // The manifest (pyproject.toml, Pipfile) or the requirements file the project installs from.
  const dependencyFile = scan.facts.dependencyFiles[0];
  for (const key of missingPackages(answers, scan)) {
    notReady.push(
      `${dependencyFile} does not list ${key}, which the ${FRAMEWORK_SPECS[answers.framework].label} image runs; add a line such as "${versions.requirements[key]}"`,
    );
  }
  return {
    answers,
    imageName: imageName(dir),
    files,
    config: { path: CONFIG_FILE, content: `${JSON.stringify(yoRc, null, 2)}\n` },
    conflicts: files.filter((f) => f.status === 'conflict').map((f) => f.target),
    warnings,
    notReady,
  };
}

/** Everything to put on disk, .yo-rc.json last (files left as they are are not rewritten). */
export function filesToWrite(generation: Generation): { path: string; content: string }[] {
  return [...generation.files.flatMap((f) => (f.write ? [f.write] : [])), generation.config];
}
