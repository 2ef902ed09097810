/**
 * Detection: project files in, partial answers out, each with where it came
 * from. Reads files only; never runs the project's code.
 */
import type { AnswerKey, Answers } from '../answers.js';
import { projectComposeFiles } from '../compose-files.js';
import { FRAMEWORK_SPECS, type Framework } from '../frameworks.js';
import { declaredDependencies, packageManagerSignals, type PackageManagerSignal } from './dependencies.js';
import { entrypointFile, findEntrypoint, findPort, procfileWeb } from './entrypoint.js';
import { findHealthPath } from './health-path.js';
import { ProjectTree } from './project-tree.js';
import { detectPythonVersion } from './python-version.js';

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
}

/** Web frameworks by the distribution that provides them, in the order a tie is broken. */
const FRAMEWORK_PACKAGES: [Framework, string][] = [
  ['django', 'django'],
  ['fastapi', 'fastapi'],
  ['flask', 'flask'],
  ['streamlit', 'streamlit'],
];

export function detectProject(dir: string): Detection {
  const tree = new ProjectTree(dir);
  const detection: Detection = { answers: {}, sources: {}, suggested: {}, notes: [], warnings: [], packageManagers: [] };
  const set = <K extends AnswerKey>(key: K, value: Answers[K], source: string) => {
    detection.answers[key] = value;
    detection.sources[key] = source;
  };

  const python = detectPythonVersion(tree);
  detection.warnings.push(...python.warnings);
  if (python.found) set('pythonVersion', python.found.value, python.found.source);

  const managers = packageManagerSignals(tree);
  detection.packageManagers = managers.signals;
  detection.warnings.push(...managers.warnings);
  const [first, ...others] = managers.signals;
  if (!first && tree.has('Pipfile')) {
    // A Pipfile not locked yet: Pipenv's, and the run will say to lock it.
    set('packageManager', 'pipenv', 'Pipfile');
  } else if (!first) {
    // Nothing to lock or list yet: pip, with the requirements.txt stub.
    set('packageManager', 'pip', 'no dependency file yet: a requirements.txt stub');
  } else if (!others.some((o) => o.manager !== first.manager)) {
    set('packageManager', first.manager, first.source);
  } else if (first) {
    // Several: ask, with the first in precedence order as the default (what --yes takes).
    detection.suggested.packageManager = first.manager;
    detection.notes.push(
      `found ${managers.signals.map((m) => `${m.source} (${m.manager})`).join(', ')}: taking ${first.manager} unless you choose another (--package-manager)`,
    );
  }

  // Framework: from declared dependencies; when several, the one whose app is in the code.
  const deps = declaredDependencies(tree);
  const candidates = FRAMEWORK_PACKAGES.filter(([, pkg]) => deps.has(pkg)).map(([framework]) => framework);
  let framework: Framework | undefined;
  let found;
  if (candidates.length === 1) {
    framework = candidates[0];
    found = findEntrypoint(tree, framework);
  } else if (candidates.length > 1) {
    for (const candidate of candidates) {
      found = findEntrypoint(tree, candidate);
      if (found) {
        framework = candidate;
        break;
      }
    }
    framework ??= candidates[0];
    detection.notes.push(
      `found ${candidates.map((c) => FRAMEWORK_SPECS[c].label).join(' and ')} among the dependencies; using ${FRAMEWORK_SPECS[framework].label}` +
        (found ? ` (${found.source})` : '') + ' — pass --framework to choose',
    );
  } else if (deps.size > 0 || detection.packageManagers.length > 0) {
    // Dependencies, but no web framework among them: a script or worker.
    framework = 'none';
    found = findEntrypoint(tree, framework);
  }
  if (framework) {
    const pkg = FRAMEWORK_PACKAGES.find(([f]) => f === framework)?.[1];
    set('framework', framework, pkg && deps.has(pkg) ? `${pkg} in ${deps.get(pkg)!.source}` : 'no web framework among the dependencies');
  }
  if (found) set('entrypoint', found.entrypoint, found.source);

  const health = framework ? findHealthPath(tree, framework, found?.entrypoint) : undefined;
  if (health) set('healthPath', health.value, health.source);

  if (framework !== 'none') {
    const port = findPort(tree, found ? entrypointFile(tree, found.entrypoint) : undefined);
    if (port && port.value >= 1 && port.value <= 65535) set('port', port.value, port.source);
  }
  // A Compose file of the project's own is never shadowed by ours: not asked, not written.
  const [compose] = projectComposeFiles(dir);
  if (compose) set('compose', false, `${compose} is the project's own`);
  const web = procfileWeb(tree);
  if (web) detection.notes.push(`Procfile web: ${web}`);
  const release = /^release:\s*(.+)$/m.exec(tree.read('Procfile') ?? '')?.[1]?.trim();
  if (release) detection.notes.push(`Procfile release: ${release} (README.Docker.md: how to run it with the image)`);
  return detection;
}
