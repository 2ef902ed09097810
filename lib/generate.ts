/**
 * The plan of a run: answers in; what to write for each file, the .yo-rc.json
 * record, and what the user must know (warnings, what stops the image from
 * starting) out. Front-ends ask, write what this returns, and print.
 */
import { join } from 'node:path';
import { storableAnswers, type AnswerKey, type Answers } from './answers.js';
import { projectCompose } from './project/compose-files.js';
import { frameworkPlugin } from './frameworks/index.js';
import { ProjectTree } from './project/project-tree.js';
import { serverFix } from './missing-server.js';
import { managerOf } from './package-managers/index.js';
import { imageName, scanProject, type ProjectScan } from './project-files.js';
import type { LockedSet } from './project/wheels.js';
import { planFile, type FilePlan, type Resolution } from './regenerate.js';
import { STUB_FILES, renderFiles } from './render.js';
import { provides } from './project/requirements.js';
import { CONFIG_LIMIT, TARGET_LIMIT, isRegularFile, readRegularFile, writeFilesAtomically } from './safe-files.js';
import { CONFIG_FILE, CONFIG_KEY, readYoRc, type StoredConfig } from './stored-config.js';
import type { EngineName } from './verify/engine-names.js';
import { generatorVersion, versions } from './versions.js';
import { virtualenvReport } from './virtualenvs.js';
import { shown } from './terminal-text.js';
import { UserError } from './user-error.js';

export interface GenerateOptions {
  /** .yo-rc.json as the run read it (read from disk when absent). */
  yoRc?: Record<string, unknown>;
  /** --force: take every new render wholesale. */
  force?: boolean;
  /** Whether to add the server the CMD runs to the project's dependency file (absent: leave it, say so). */
  addServer?: (message: string) => Promise<boolean>;
  /** Asks about files the user wrote before the generator ran (interactive runs). */
  resolve?: (target: string) => Promise<Resolution>;
  /** Another template set (tests simulate an upgrade with an older one). */
  templatesDir?: string;
  /** The version recorded and named in conflict markers. */
  version?: string;
  /** The project as detection read it (read again when not given). */
  tree?: ProjectTree;
  /** What the package index lists for the pinned requirements, when it was asked. */
  indexed?: LockedSet;
  /** The answers that were detected or defaulted (recorded, so that they follow the project). */
  detected?: AnswerKey[];
  /** Why each other answer is pinned (recorded for the next run to say). */
  pinned?: Partial<Record<AnswerKey, string>>;
  /** What the run already knows stops the image from starting (an entrypoint naming nothing there). */
  notReady?: string[];
  /** --engine: buildah and Podman (before 1.36 / 5.1) refuse HEALTHCHECK --start-interval, so it is left out. */
  engine?: EngineName;
}

export interface Generation {
  answers: Answers;
  imageName: string;
  files: FilePlan[];
  /** The new .yo-rc.json content; `unchanged` when the file already holds exactly that (then it is not rewritten). */
  config: { path: string; content: string; unchanged?: boolean };
  /** Files left with conflict markers: the run must end non-zero. */
  conflicts: string[];
  /** Shown at the end of the run, after the summary. */
  warnings: string[];
  /** Shown in the summary, after the files: facts about the image worth knowing. */
  notes: string[];
  /** What stops the image from starting as generated (a missing server, a missing module): said before "Next:". */
  notReady: string[];
}

/** Packages the CMD needs that the user's own dependency files do not list. */
function missingPackages(answers: Answers, scan: ProjectScan): string[] {
  if (!scan.packages) return [];
  const needed = scan.facts.serving?.packages ?? frameworkPlugin(answers.framework).stubPackages;
  return needed.filter((key) => !provides(scan.packages!, key));
}

/** How the image serves the app, when not by its framework's defaults: `Django over ASGI via uvicorn (why)`. */
function servingNotes(answers: Answers, scan: ProjectScan): string[] {
  const serving = scan.facts.serving;
  return serving
    ? [`${frameworkPlugin(answers.framework).label} over ${serving.label} (${shown(serving.source)})`]
    : [];
}

/**
 * A generated file (or the user's file in its place) as it is on disk; undefined when absent.
 * Never through a symlink.
 */
export function readTarget(dir: string, target: string): string | undefined {
  return readRegularFile(join(dir, target), { limit: TARGET_LIMIT, name: target });
}

export async function planGeneration(
  dir: string,
  answers: Answers,
  options: GenerateOptions = {},
): Promise<Generation> {
  const version = options.version ?? generatorVersion;
  const yoRc = { ...(options.yoRc ?? readYoRc(dir)) };
  const stored = (yoRc[CONFIG_KEY] ?? {}) as StoredConfig;
  const tree = options.tree ?? new ProjectTree(dir);
  const scan = scanProject(tree, answers, options.indexed);
  const theirCompose = await projectCompose(dir, Object.keys(stored.files ?? {}), tree);
  // The service's name is written into README.Docker.md's YAML and prose: only a name Compose itself accepts.
  if (theirCompose && !/^[A-Za-z0-9._-]+$/.test(theirCompose.serviceName)) {
    const service = shown(theirCompose.serviceName);
    throw new UserError(
      `${theirCompose.file}: service "${service}" is not a name Compose accepts; use letters, digits and . _ -`,
    );
  }
  const collisionNotes: string[] = [];
  // --engine buildah/podman: those refuse HEALTHCHECK --start-interval.
  const startInterval = scan.facts.buildkit && (options.engine === undefined || options.engine === 'docker');
  const rendered = renderFiles(
    answers,
    { ...scan.facts, projectCompose: theirCompose, startInterval },
    {
      templatesDir: options.templatesDir,
      version,
      onCollision: ({ rule, file, kept }) =>
        collisionNotes.push(
          `.dockerignore keeps ${shown(kept)}${kept === file ? '' : '/'} in: ` +
            `its rule "${shown(rule)}" would exclude ${shown(file)}, which the image needs`,
        ),
    },
  );

  const files: FilePlan[] = [];
  const readBeside = (path: string) => readTarget(dir, path);
  for (const [target, content] of Object.entries(rendered)) {
    files.push(
      await planFile(
        {
          target,
          rendered: content,
          disk: readTarget(dir, target),
          base: stored.files?.[target],
          offered: stored.offered?.[target],
          readBeside,
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
      files.push({
        target: 'compose.yaml',
        status: 'skipped',
        reason: `${theirCompose.file} is the project's: README.Docker.md shows what to add to it`,
        base: ours,
      });
    }
    if (ours !== undefined && isRegularFile(join(dir, 'compose.yaml'))) {
      warnings.push(
        'compose.yaml, written by an earlier run, is what `docker compose` reads, ' +
          `not ${theirCompose.file}: delete it to use yours`,
      );
    }
  }

  const record: StoredConfig = {
    version,
    answers: storableAnswers(answers),
    ...(options.detected?.length ? { detected: options.detected.filter((k) => k in storableAnswers(answers)) } : {}),
    ...(options.pinned && Object.keys(options.pinned).length ? { pinned: options.pinned } : {}),
    files: Object.fromEntries(
      files.filter((f) => f.base !== undefined && !STUB_FILES.has(f.target)).map((f) => [f.target, f.base!]),
    ),
  };
  const offered = files.filter((f) => f.status === 'kept' && f.write).map((f) => [f.target, f.write!.content]);
  if (offered.length) record.offered = Object.fromEntries(offered);
  yoRc[CONFIG_KEY] = record;

  const venvs = virtualenvReport(
    scan.facts,
    files.find((f) => f.target === '.dockerignore'),
    readTarget(dir, '.dockerignore'),
  );
  warnings.push(...venvs.warnings);
  for (const f of files) {
    if (f.newIsUsers)
      warnings.push(
        `${f.target}.new is not the generator's either, so the new ${f.target} was not written; ` +
          `move ${f.target}.new away and run again to get it`,
      );
  }

  const notReady: string[] = [...(options.notReady ?? [])];
  const missing = missingPackages(answers, scan);
  if (missing.length) {
    // The manifest (pyproject.toml, Pipfile) or the requirements file the project installs from.
    const dependencyFile = scan.facts.dependencyFiles[0];
    const packages = missing.map((name) => ({ name, requirement: versions.requirements[name] }));
    const manager = managerOf(scan.facts.install);
    const fix = serverFix(dir, scan.facts.install, dependencyFile, packages, manager.addCommand);
    const label = frameworkPlugin(answers.framework).label;
    const problem = `${dependencyFile} does not list ${missing.join(' or ')}, which the ${label} image runs`;
    const lines = packages.map((p) => `"${p.requirement}"`).join(', ');
    if (fix.edit && options.addServer && (await options.addServer(`${problem}. Add ${lines} to it?`))) {
      files.push({ target: dependencyFile, status: 'updated', write: fix.edit, reason: `added ${lines}` });
    } else if (fix.edit) {
      notReady.push(`${problem}: add ${lines} to it (or run again with --yes, which adds it)`);
    } else if (fix.command) {
      notReady.push(`${problem}: run \`${fix.command}\` (it updates ${manager.lock} too)`);
    } else {
      notReady.push(`${problem}: add ${lines} to it`);
    }
  }
  return {
    answers,
    imageName: imageName(dir),
    files,
    config: configWrite(dir, `${JSON.stringify(yoRc, null, 2)}\n`),
    conflicts: files.filter((f) => f.status === 'conflict').map((f) => f.target),
    warnings,
    notes: [...servingNotes(answers, scan), ...collisionNotes, ...venvs.notes],
    notReady,
  };
}

/** The .yo-rc.json to write; a re-run that changes nothing leaves the file (its owner, its time) alone. */
function configWrite(dir: string, content: string): Generation['config'] {
  const disk = readRegularFile(join(dir, CONFIG_FILE), { limit: CONFIG_LIMIT, name: CONFIG_FILE });
  return { path: CONFIG_FILE, content, ...(disk === content ? { unchanged: true } : {}) };
}

/** Everything to put on disk: saved versions first, .yo-rc.json last (files left as they are are not rewritten). */
export function filesToWrite(generation: Generation): { path: string; content: string }[] {
  const { unchanged, ...config } = generation.config;
  return [
    ...generation.files.flatMap((f) => (f.backup ? [f.backup] : [])),
    ...generation.files.flatMap((f) => (f.write ? [f.write] : [])),
    ...(unchanged ? [] : [config]),
  ];
}

/** Writes the plan: every file or none, .yo-rc.json last (lib/safe-files.ts). */
export function writeGeneration(dir: string, generation: Generation): void {
  writeFilesAtomically(dir, filesToWrite(generation));
}
