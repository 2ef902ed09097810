/**
 * Rendering: answers and a few project facts in, `{path: content}` out.
 * Pure apart from reading the ejs templates; no Yeoman, no writes.
 */
import type { Answers } from './answers.js';
import type { ProjectCompose } from './project/compose-files.js';
import type { Serving } from './frameworks/plugin.js';
import { isFileEntrypoint } from './project/modules.js';
import type { ServerOptions } from './project/server-options.js';
import type { ReleaseSteps } from './release-steps.js';
import { frameworkPlugin } from './frameworks/index.js';
import { managerOf } from './package-managers/index.js';
import { templatesDir } from './package-root.js';
import { template } from './templates.js';
import { collisions, dockerignoreLiteral, withExceptions, type Collision } from './dockerignore-rules.js';
import { debianCodename, generatorVersion, versions } from './versions.js';

/** COPY sources grouped by folder, so `requirements/base.txt` lands in requirements/ and -r paths still resolve. */
function copyGroups(files: string[]): { sources: string[]; dest: string }[] {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const dir = file.includes('/') ? `${file.slice(0, file.lastIndexOf('/'))}/` : './';
    groups.set(dir, [...(groups.get(dir) ?? []), file]);
  }
  return [...groups].map(([dest, sources]) => ({ sources, dest }));
}

/** What rendering needs to know about the project beyond the answers. */
export interface ProjectFacts {
  /** How dependencies install: pip from requirements files or `pip install .`, or a lock-file manager's id. */
  install: 'requirements' | 'pyproject' | string;
  /**
   * The files the dependency step reads, bind-mounted (or copied) before the source:
   * requirements.txt and what it includes with -r/-c; or a manager's manifest and lock.
   */
  dependencyFiles: string[];
  /** The project itself is a package to install after its sources are copied. */
  installsProject: boolean;
  /** Debian packages the builder needs to compile dependencies (empty: no compiler stage for pip). */
  buildPackages: string[];
  /** Debian packages the compiled dependencies need at run time. */
  runtimePackages: string[];
  /** BuildKit mounts (true), or plain COPY and --no-cache-dir for builders without BuildKit. */
  buildkit: boolean;
  /**
   * HEALTHCHECK --start-interval (probes every second during the start period, Docker Engine 25+); off for
   * builders that refuse the flag (buildah before 1.36, Podman before 5.1). Default: with BuildKit.
   */
  startInterval?: boolean;
  /** `pip install .`: [project].dependencies are static, so they install in a layer of their own first. */
  projectDependenciesFirst?: boolean;
  /** Files the build context must hold: the project's Python code and what the install reads. */
  contextKeep?: string[];
  /** Folders of the project holding a virtualenv (pyvenv.cfg), kept out of the build context. */
  virtualenvs?: string[];
  /** Write a requirements.txt stub (the project has no dependency file). */
  writeRequirementsStub: boolean;
  /** The folder holding the entrypoint's top module, put on PYTHONPATH (`src` for a src layout). */
  sourceRoot?: string;
  /** The image name the docs and compose.yaml use (from the project folder). */
  imageName: string;
  /** The project has a .env file (compose.yaml reads it at run time). */
  hasEnvFile: boolean;
  /** The project's own Compose file: no compose.yaml of ours; README.Docker.md says what to add to theirs. */
  projectCompose?: ProjectCompose;
  /** Release steps: the framework's own (migrate, collectstatic), a Procfile's release: line. */
  release?: ReleaseSteps;
  /** Server options a Procfile's web: line gives, carried into the CMD. */
  server?: ServerOptions;
  /** How this project serves the app when not by its framework's defaults (Django over ASGI). */
  serving?: Serving;
}

export type RenderedFiles = Record<string, string>;

/** Written once, when missing; from then on the user's file, never regenerated or merged. */
export const STUB_FILES = new Set(['requirements.txt']);

/** The app's UID and GID (docker init uses 10001 too). */
export const APP_UID = 10001;

/**
 * Where multi-stage images keep their virtualenv: outside /app, so no folder of the
 * project (a host .venv, env/, whatever a kept .dockerignore lets through) can overwrite it.
 */
export const VENV_DIR = '/opt/venv';

/** Exec-form JSON array as Dockerfiles write it: ["a", "b"]. */
export function execForm(argv: string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
}

/**
 * A value for `LABEL key="…"`: quotes and backslashes escaped, and `$` too,
 * since the builder expands variables inside double quotes.
 */
export function labelValue(text: string): string {
  return text.replace(/[\\"$]/g, (c) => `\\${c}`);
}

/** Python's urllib, since slim images have no curl; any answer below 500 is healthy. */
export function healthcheckCommand(port: number, path: string, portFromEnv = false): string[] {
  // A server that binds $PORT is probed on $PORT (set at run time, else the image's default).
  const url = portFromEnv
    ? `'http://127.0.0.1:' + os.environ.get('PORT', '${port}') + '${path}'`
    : `'http://127.0.0.1:${port}${path}'`;
  const code =
    `import ${portFromEnv ? 'os, ' : ''}sys, urllib.request as r; ` +
    // Turn HTTP error statuses into plain responses so a 404 root still counts as alive.
    "o = r.build_opener(type('K', (r.HTTPErrorProcessor,), {'http_response': lambda s, q, p: p})); " +
    `sys.exit(o.open(${url}, timeout=4).status >= 500)`;
  return ['python', '-c', code];
}

/** One word for a POSIX shell: as it is when plain, else in single quotes (a path in README.Docker.md's commands). */
export function shellArg(word: string): string {
  return /^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A Procfile command as `docker run` arguments: as it is, or through `sh -c` when it needs a shell. */
function releaseCommand(command: string): string {
  return /^[\w./:=@%+-]+(?: [\w./:=@%+-]+)*$/.test(command) ? command : `sh -c ${shellArg(command)}`;
}

/** An ENV value: as it is when plain, else double-quoted, `\\`, `"` and `$` escaped (a folder named `my project`). */
export function envValue(value: string): string {
  return /^[\w./+-]+$/.test(value) ? value : `"${labelValue(value)}"`;
}

/** collectstatic at build (a release step), in exec form: no shell reads the path to manage.py. */
function collectStaticRun(release: ReleaseSteps): string | undefined {
  if (!release.collectStatic || !release.managePy) return undefined;
  const secret = release.collectStatic.secretKeyVar;
  // `env` sets the throwaway key for this one process, as `KEY=value cmd` would in a shell.
  const withKey = secret ? ['env', `${secret}=build-only-not-a-secret`] : [];
  return execForm([...withKey, 'python', release.managePy, 'collectstatic', '--noinput']);
}

/** `**\/NAME` patterns from the seed's list that a project may use as source folders. */
const SEED_FOLDER_PATTERNS = ['**/bin', '**/obj', '**/charts'];

/**
 * Virtualenvs by their usual names, and each folder of the project that holds one (pyvenv.cfg),
 * whatever its name, as a literal line: `my venv`, `vénv`, `$venv`, `[old]`.
 */
const VENV_PATTERNS = ['**/*venv', '**/env', '**/ENV'];
function venvPatterns(virtualenvs: string[]): string[] {
  const named = (path: string) => /venv$|^env$|^ENV$/.test(path.split('/').at(-1)!);
  return [...VENV_PATTERNS, ...virtualenvs.filter((v) => !named(v)).map(dockerignoreLiteral)];
}

/** The first path segment the CMD needs (`app` for app/main.py or app.main:api). */
function entrypointRoot(answers: Answers): string {
  const entry = answers.entrypoint;
  return isFileEntrypoint(entry) ? entry.split('/')[0] : entry.split(/[.:]/)[0];
}

export interface RenderOptions {
  /** Another template set (tests render with an older one to simulate an upgrade). */
  templatesDir?: string;
  /** The generator version named in the files' headers. */
  version?: string;
  /** Told of each .dockerignore rule that would exclude a file the image needs (`contextKeep`), and what comes back. */
  onCollision?: (collision: Collision) => void;
}

export function renderFiles(answers: Answers, facts: ProjectFacts, options: RenderOptions = {}): RenderedFiles {
  const templates = options.templatesDir ?? templatesDir;
  const spec = frameworkPlugin(answers.framework);
  const needed = entrypointRoot(answers);
  const pm = managerOf(facts.install);
  const compilers = facts.buildPackages.length > 0;
  // A manager with a tool of its own builds in a stage that keeps the tool; pip needs one only to compile.
  const multiStage = pm.versionArg !== undefined || compilers;
  const keepers = [pm.versionArg && pm.label, compilers ? 'the compilers' : undefined].filter(Boolean);
  const builder = {
    builderTemplate: `dockerfile/builder-${pm.id}.ejs`,
    // "uv stays", "the compilers stay", "Poetry and the compilers stay".
    builderKeeps: `${keepers.join(' and ')} ${compilers ? 'stay' : 'stays'}`,
    compilers,
    managerLabel: pm.label,
    versionArg: pm.versionArg,
    toolVersion: pm.versionArg && (pm.toolVersion ?? versions.tools[pm.id]),
    bytecodeBy: pm.compilesBytecode,
  };
  const version = options.version ?? generatorVersion;
  const context = {
    generatorVersion: version,
    // Answers from before the field existed have no value: the line stays.
    syntaxLine: answers.syntaxLine !== false,
    frameworkLabel: spec.label,
    pythonVersion: answers.pythonVersion,
    debian: debianCodename(answers.pythonVersion),
    maintainer: answers.maintainer === undefined ? undefined : labelValue(answers.maintainer),
    uid: APP_UID,
    install: facts.install,
    sourceRoot: facts.sourceRoot,
    pythonPath: facts.sourceRoot === undefined ? undefined : envValue(`/app/${facts.sourceRoot}`),
    dependencyFiles: facts.dependencyFiles,
    copyGroups: copyGroups(facts.dependencyFiles),
    installsProject: facts.installsProject,
    buildPackages: facts.buildPackages,
    runtimePackages: facts.runtimePackages,
    buildkit: facts.buildkit,
    startInterval: facts.startInterval ?? facts.buildkit,
    multiStage,
    venv: VENV_DIR,
    projectDependenciesFirst: facts.projectDependenciesFirst ?? false,
    virtualenvs: facts.virtualenvs ?? [],
    ...builder,
    web: spec.web,
    port: answers.port,
    healthPath: answers.healthPath ?? spec.healthPath,
    healthcheck: spec.web
      ? execForm(healthcheckCommand(answers.port!, answers.healthPath ?? spec.healthPath!, facts.server?.portFromEnv))
      : '',
    command: execForm((facts.serving ?? spec).command(answers.entrypoint, answers.port, facts.server)),
    servingLabel: facts.serving?.label,
    portFromEnv: Boolean(spec.web && facts.server?.portFromEnv),
    appEnvironment: Object.entries(spec.environment?.(answers.port) ?? {}).map(([k, v]) => `${k}=${envValue(v)}`),
    // Never ignore a folder the CMD loads from.
    buildOutput: SEED_FOLDER_PATTERNS.filter((p) => p !== `**/${needed}`),
    venvPatterns: venvPatterns(facts.virtualenvs ?? []).filter((p) => p !== `**/${needed}`),
    // pyproject.toml may name its readme and license file; a build backend reads them.
    docs: facts.installsProject ? ['README.Docker.md'] : ['LICENSE', 'README.md', 'README.Docker.md'],
    imageName: facts.imageName,
    hasEnvFile: facts.hasEnvFile,
    // Never a second Compose file beside the project's own (`docker compose` would pick ours).
    compose: answers.compose && !facts.projectCompose,
    projectCompose: facts.projectCompose,
    release: facts.release ?? {},
    collectStaticRun: collectStaticRun(facts.release ?? {}),
    shellArg,
    // Shell-quoted for the README's `docker run … sh -c '…'` when the Procfile's release line needs a shell.
    releaseCommand: facts.release?.procfileRelease && releaseCommand(facts.release.procfileRelease),
    // What makes `docker compose watch` rebuild rather than sync.
    watchRebuild: [...(facts.dependencyFiles.length ? facts.dependencyFiles : ['pyproject.toml']), 'Dockerfile'],
    installLabel: facts.install === 'pyproject' ? 'installed by `pip install .`' : pm.installLabel,
  };
  const files: RenderedFiles = {
    Dockerfile: template('Dockerfile.ejs', templates)(context),
  };
  // No rule may cut from the build context code the app imports or a file the install reads.
  const ignoreText = template('dockerignore.ejs', templates)(context);
  const found = collisions(ignoreText, facts.contextKeep ?? []);
  for (const collision of found.rules) options.onCollision?.(collision);
  files['.dockerignore'] = withExceptions(ignoreText, found.kept);
  if (context.compose) files['compose.yaml'] = template('compose.yaml.ejs', templates)(context);
  files['README.Docker.md'] = template('README.Docker.md.ejs', templates)(context);
  if (facts.writeRequirementsStub) {
    files['requirements.txt'] = template(
      'requirements.txt.ejs',
      templates,
    )({
      generatorVersion: version,
      packages: (facts.serving?.packages ?? spec.stubPackages).map((name) => versions.requirements[name]),
    });
  }
  return files;
}
