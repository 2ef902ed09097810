/**
 * Detection: project files in, partial answers out, each with where it came
 * from. Reads files only; never runs the project's code.
 */
import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { AnswerKey, Answers } from '../answers.js';
import { projectComposeFiles } from '../project/compose-files.js';
import {
  declaredFrameworks,
  declaredPackage,
  FALLBACK_FRAMEWORK,
  frameworkPlugin,
  type FoundEntrypoint,
  type FrameworkPlugin,
} from '../frameworks/index.js';
import { dependencyFileNames, packageManagerSpecs } from '../package-managers/index.js';
import { projectMarkers } from '../project/project-markers.js';
import {
  declaredDependencies,
  packageManagerSignals,
  type Declared,
  type PackageManagerSignal,
} from '../project/dependencies.js';
import { portInCode } from './entrypoint.js';
import { entrypointFile, missingEntrypoint } from '../project/modules.js';
import { ProjectTree } from '../project/project-tree.js';
import { detectPythonVersion } from '../project/python-version.js';
import { procfileRelease, procfileWeb, runCommands, type RunCommand } from '../project/run-commands.js';
import type { LockedSet } from '../project/wheels.js';
import { shown } from '../terminal-text.js';
import { UserError } from '../user-error.js';

export interface Detection {
  answers: Partial<Answers>;
  /** Defaults to offer but ask about (several package managers found). */
  suggested: Partial<Answers>;
  /** Where each detected answer came from ("Python 3.12 from .python-version"). */
  sources: Partial<Record<AnswerKey, string>>;
  /** Shown with the detected answers: a Procfile's command, a choice made between candidates. */
  notes: string[];
  warnings: string[];
  /** Every package manager the files point to, lock files first. */
  packageManagers: PackageManagerSignal[];
  /** Subfolders holding a Python project, when the folder itself holds none. */
  subprojects: string[];
  /** Distributions the project declares. */
  declared: Map<string, Declared>;
  /** The files as read, for the rest of the run (read once). */
  tree: ProjectTree;
}

export interface DetectOptions {
  /** Files the generator wrote itself (recorded in .yo-rc.json): not evidence of how the project runs. */
  generated?: Iterable<string>;
  /** The project as already read (the run reads it once). */
  tree?: ProjectTree;
  /** What the package index lists for the pinned requirements (index-check.ts), when asked. */
  indexed?: LockedSet;
}

/** When the folder holds no Python project (no dependency file, no .py file): the subfolders (two deep) that do. */
export function subprojects(tree: ProjectTree): string[] {
  const markers = projectMarkers();
  if (markers.some((m) => tree.has(m)) || tree.pythonFilesIn('').length) return [];
  const found: string[] = [];
  for (const file of tree.files) {
    const parts = file.split('/');
    if (parts.length < 2 || parts.length > 3 || !markers.includes(parts.at(-1)!)) continue;
    const dir = parts.slice(0, -1).join('/');
    if (!found.some((d) => dir === d || dir.startsWith(`${d}/`))) found.push(dir);
  }
  return found.filter((d) => !found.some((other) => other !== d && d.startsWith(`${other}/`))).sort();
}

/** The app a run command loads, in this framework's terms; or why it cannot be used. */
function fromCommand(
  tree: ProjectTree,
  command: RunCommand,
  plugin: FrameworkPlugin,
  declared: Map<string, Declared>,
): { found?: FoundEntrypoint; rejected?: string } {
  if (!command.target || !plugin.servers.includes(command.server)) return {};
  const target = plugin.targetEntrypoint
    ? plugin.targetEntrypoint(tree, command.target, command.server)
    : command.target;
  if (target === undefined) return {};
  const entrypoint = plugin.parseEntrypoint(target);
  if (!entrypoint)
    return {
      rejected:
        `${command.source}: "${command.target}" is not an entrypoint ` + `the ${plugin.label} image can run; not used`,
    };
  const missing = missingEntrypoint(tree, { entrypoint, framework: plugin.id }, declared);
  if (missing) return { rejected: `${command.source} names ${entrypoint}, but ${missing}; not used` };
  return { found: { entrypoint, source: command.source } };
}

/** A run command loads something of the framework's package by name (`--worker-class aiohttp.GunicornWebWorker`). */
function loadsFromPackage(commands: RunCommand[], plugin: FrameworkPlugin): boolean {
  return commands.some((c) => c.options?.some((o) => plugin.packages.some((pkg) => o.value?.startsWith(`${pkg}.`))));
}

/**
 * A dependency file reached through a symbolic link (itself, or a folder above it) is refused out loud:
 * the image build does not follow a link out of the project, and silently skipping it picks wrong defaults.
 */
function refuseLinkedDependencyFiles(tree: ProjectTree): void {
  // Every file that says how dependencies install: the image build must be able to read each.
  for (const file of dependencyFileNames()) {
    const link = tree.linkOnPath(file);
    // A linked folder matters when the file is in it; a linked file, even dangling.
    if (!link || (link !== file && !existsSync(join(tree.root, file)))) continue;
    const to = readlinkSync(join(tree.root, link));
    const what = link === file ? `${file} is a symbolic link` : `${file} is inside ${link}/, a symbolic link`;
    const real = link === file ? 'file' : 'folder';
    throw new UserError(
      `${what} (to ${to}), which the generator does not follow ` +
        '(the build context would hold the link, not the file); ' +
        `replace the link with the ${real} itself and run again`,
    );
  }
}

export function detectProject(dir: string, options: DetectOptions = {}): Detection {
  const tree = options.tree ?? new ProjectTree(dir);
  refuseLinkedDependencyFiles(tree);
  const generated = new Set(options.generated ?? []);
  const declared = declaredDependencies(tree);
  const detection: Detection = {
    answers: {},
    sources: {},
    suggested: {},
    notes: [],
    warnings: [],
    packageManagers: [],
    subprojects: subprojects(tree),
    declared,
    tree,
  };
  const set = <K extends AnswerKey>(key: K, value: Answers[K], source: string) => {
    detection.answers[key] = value;
    detection.sources[key] = source;
  };

  const python = detectPythonVersion(tree, generated, options.indexed);
  detection.warnings.push(...python.warnings);
  if (python.found) set('pythonVersion', python.found.value, python.found.source);

  const managers = packageManagerSignals(tree);
  detection.packageManagers = managers.signals;
  detection.warnings.push(...managers.warnings);
  const [first, ...others] = managers.signals;
  const badPyproject = tree.tomlError('pyproject.toml');
  if (!first && badPyproject) {
    // The only dependency file there is unusable: a stub and defaults would hide that.
    throw new UserError(`pyproject.toml is not valid TOML (${badPyproject}); fix it and run again`);
  }
  const unlocked = packageManagerSpecs()
    .map((spec) => ({ spec, manifest: spec.unlocked?.(tree) }))
    .find((u) => u.manifest);
  if (!first && unlocked) {
    // A manifest not locked yet (a Pipfile): its manager's, and the run will say to lock it.
    set('packageManager', unlocked.spec.id, unlocked.manifest!);
  } else if (!first) {
    // Nothing to lock or list yet: pip, with the requirements.txt stub.
    set('packageManager', 'pip', 'no dependency file yet: a requirements.txt stub');
  } else if (!others.some((o) => o.manager !== first.manager)) {
    set('packageManager', first.manager, first.source);
  } else if (first) {
    // Several: ask, with the first in precedence order as the default (what --yes takes).
    detection.suggested.packageManager = first.manager;
    detection.notes.push(
      `found ${managers.signals.map((m) => `${m.source} (${m.manager})`).join(', ')}: ` +
        `taking ${first.manager} unless you choose another (--package-manager)`,
    );
  }

  // Framework: from declared dependencies; when several, the one whose app is in the code.
  const commands = runCommands(tree, generated);
  const candidates = declaredFrameworks(declared).filter(
    (p) => !p.needsApp || p.findEntrypoint(tree) || loadsFromPackage(commands, p),
  );
  let plugin: FrameworkPlugin | undefined;
  let found: FoundEntrypoint | undefined;
  if (candidates.length === 1) {
    plugin = candidates[0];
    found = plugin.findEntrypoint(tree);
  } else if (candidates.length > 1) {
    for (const candidate of candidates) {
      found = candidate.findEntrypoint(tree);
      if (found) {
        plugin = candidate;
        break;
      }
    }
    plugin ??= candidates[0];
    // Two flavours of one distribution (WSGI and ASGI) are not a choice between frameworks the project made.
    const distinct = new Set(candidates.map((c) => declaredPackage(c, declared))).size > 1;
    if (distinct)
      detection.notes.push(
        `found ${candidates.map((c) => c.label).join(' and ')} among the dependencies; using ${plugin.label}` +
          (found ? ` (${found.source})` : '') +
          ' — pass --framework to choose',
      );
  } else if (declared.size > 0 || detection.packageManagers.length > 0) {
    // Dependencies, but no web framework among them: a script or worker.
    plugin = frameworkPlugin(FALLBACK_FRAMEWORK);
    found = plugin.findEntrypoint(tree);
  }
  if (plugin) {
    const pkg = declaredPackage(plugin, declared);
    set(
      'framework',
      plugin.id,
      pkg && declared.has(pkg) ? `${pkg} in ${declared.get(pkg)!.source}` : 'no web framework among the dependencies',
    );
  }

  // How the project says it runs beats what reading the code suggests.
  if (plugin) {
    for (const command of commands) {
      const { found: stated, rejected } = fromCommand(tree, command, plugin, declared);
      if (rejected) detection.notes.push(rejected);
      if (stated) {
        if (found && found.entrypoint.split(':')[0] !== stated.entrypoint.split(':')[0])
          detection.notes.push(
            `the code suggests ${found.entrypoint} (${found.source}); using what ${command.source.split(':')[0]} runs`,
          );
        found = stated;
        break;
      }
    }
  }
  if (found) set('entrypoint', found.entrypoint, found.source);

  const health = plugin?.findHealthPath?.(tree, found?.entrypoint);
  if (health) set('healthPath', health.value, health.source);

  // Not for a script or worker; with no framework detected, a stated port still stands.
  if (plugin?.web !== false) {
    const stated = commands.find((c) => c.port !== undefined);
    const file = found && plugin ? entrypointFile(tree, found.entrypoint, plugin.id) : undefined;
    const inCode = file ? portInCode(tree.read(file) ?? '') : undefined;
    const configured = plugin?.configuredPort?.(tree);
    if (stated) set('port', stated.port!, stated.source.startsWith('Procfile') ? 'Procfile' : stated.source);
    else if (inCode !== undefined) set('port', inCode, file!);
    else if (configured) set('port', configured.port, configured.source);
  }
  // A Compose file of the project's own is never shadowed by ours: not asked, not written.
  const [compose] = projectComposeFiles(tree);
  if (compose) set('compose', false, `${compose} is the project's own`);
  const web = procfileWeb(tree);
  if (web) detection.notes.push(`Procfile web: ${shown(web, 120)}`);
  const release = procfileRelease(tree);
  if (release)
    detection.notes.push(`Procfile release: ${shown(release, 120)} (README.Docker.md: how to run it with the image)`);
  detection.warnings.push(...tree.cutShort);
  detection.warnings.push(
    ...tree.problems,
    ...tree.skipped.map((s) => `not read: ${s}; detection may have missed what it holds`),
  );
  return detection;
}
