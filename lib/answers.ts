/**
 * The answers model. Each question is defined once here; the CLI options,
 * the prompts of both front-ends and the answers stored in .yo-rc.json are
 * all derived from FIELDS.
 */
import {
  DEFAULT_FRAMEWORK,
  FALLBACK_FRAMEWORK,
  FRAMEWORKS,
  frameworkPlugin,
  frameworkPlugins,
  type Framework,
  type FrameworkPlugin,
} from './frameworks/index.js';
import { PACKAGE_MANAGERS, type PackageManager } from './package-managers/index.js';
import { CONFIG_FILE, CONFIG_KEY } from './stored-config.js';
import { fieldError, quoted, UserError } from './user-error.js';
import { DEFAULT_PYTHON, MAINTAINED_PYTHON, PYTHON_VERSIONS, isEndOfLife } from './versions.js';

export interface Answers {
  pythonVersion: string;
  framework: Framework;
  /** Web frameworks only. */
  port?: number;
  /** Web frameworks only: what the HEALTHCHECK probes. */
  healthPath?: string;
  entrypoint: string;
  maintainer?: string;
  packageManager: PackageManager;
  /** --build-deps: a builder stage with compilers even when no known dependency asks for one. */
  buildDeps: boolean;
  /** --no-buildkit: plain COPY and --no-cache-dir instead of BuildKit mounts, for builders without BuildKit. */
  noBuildkit: boolean;
  /** Also write compose.yaml for local development. */
  compose: boolean;
  /** --offline: no package index is asked about the project's pinned requirements. Never stored. */
  offline?: boolean;
  /** The Dockerfile's `# syntax=` line (its frontend is fetched from a registry: off where none is reachable). */
  syntaxLine?: boolean;
}

export type AnswerKey = keyof Answers;

export interface Choice {
  name: string;
  value: string;
}

/** A question as both prompt front-ends need it (inquirer list/input, @inquirer/prompts select/input). */
export interface Question {
  /** An answer, or a question about the run (addServer: add the missing server to the dependency file). */
  name: AnswerKey | 'addServer';
  kind: 'select' | 'input' | 'confirm';
  message: string;
  default: string;
  choices?: Choice[];
  /** `true`, or the reason the input is refused (prompts show it and ask again). */
  validate(raw: string): true | string;
}

interface Parsed<T> {
  value: T;
  warning?: string;
}

interface Field<K extends AnswerKey = AnswerKey> {
  key: K;
  /** The command-line option, without dashes. */
  option: string;
  /** A boolean option (`--no-buildkit`): stored; never prompted unless it is a `confirm` question. */
  flag?: true;
  /** An option only, never asked: its default or detected value suits nearly every project. */
  unasked?: true;
  /** Holds for this run only: never stored in .yo-rc.json. */
  runOnly?: true;
  /** Not listed among a run's answers while it has this value (the usual one, not news). */
  quietValue?: unknown;
  /** A yes/no question in interactive runs, with this default there (`defaultValue` is for runs that ask nothing). */
  confirm?: { interactiveDefault: boolean };
  /** One line for --help. */
  description: string;
  message(so: Partial<Answers>): string;
  /** Detection can fill it: `--<option> auto` drops a pinned answer and follows the project again. */
  detectable?: true;
  /** Its known (stored or detected) value was made for one framework and is no answer for another. */
  perFramework?: true;
  /** Whether the question exists for these earlier answers (port: web apps only). */
  applies(so: Partial<Answers>): boolean;
  defaultValue(so: Partial<Answers>): string;
  choices?(so: Partial<Answers>): Choice[];
  /** Throws a UserError naming the option and what it accepts. */
  parse(raw: string, so: Partial<Answers>): Parsed<Answers[K]>;
}

const PYTHON_RE = /^(\d+)\.(\d+)$/;

function parsePythonVersion(raw: string): Parsed<string> {
  const range = `${PYTHON_VERSIONS[0]} to ${PYTHON_VERSIONS.at(-1)}`;
  const accepted = `expected major.minor from ${range}, such as ${DEFAULT_PYTHON}`;
  const m = PYTHON_RE.exec(raw.trim());
  if (!m) throw fieldError('python-version', `${quoted(raw)} is not a Python version; ${accepted}`);
  const version = `${Number(m[1])}.${Number(m[2])}`;
  if (!PYTHON_VERSIONS.includes(version)) {
    const why =
      Number(m[2]) > Number(PYTHON_VERSIONS.at(-1)!.split('.')[1]) && m[1] === '3'
        ? 'has no released python image yet'
        : 'is not supported';
    throw fieldError('python-version', `${version} ${why}; ${accepted}`);
  }
  return isEndOfLife(version)
    ? {
        value: version,
        warning: `Python ${version} is past its end of life and gets no security fixes; consider ${DEFAULT_PYTHON}`,
      }
    : { value: version };
}

/** `, Streamlit 8501`: the web frameworks whose default is not the common one, for --help. */
function otherDefaults(value: (p: FrameworkPlugin) => number | string | undefined, common: number | string): string {
  return frameworkPlugins()
    .filter((p) => p.web && value(p) !== undefined && value(p) !== common)
    .map((p) => `, ${p.label} ${value(p)}`)
    .join('');
}

/** `module:app (FastAPI, Flask), project package (Django), file.py (Streamlit, script)`, for --help. */
function entrypointShapes(): string {
  const shapes = new Map<string, string[]>();
  for (const p of frameworkPlugins()) {
    const name = p.id === FALLBACK_FRAMEWORK ? 'script' : p.label;
    shapes.set(p.entrypointShape, [...(shapes.get(p.entrypointShape) ?? []), name]);
  }
  return [...shapes].map(([shape, names]) => `${shape} (${names.join(', ')})`).join(', ');
}

function parseFramework(raw: string): Parsed<Framework> {
  const value = raw.trim().toLowerCase();
  if (!FRAMEWORKS.includes(value)) {
    throw fieldError('framework', `${quoted(raw)} is not supported; expected one of ${FRAMEWORKS.join(', ')}`);
  }
  return { value };
}

function parsePort(raw: string): Parsed<number> {
  const text = raw.trim();
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw fieldError('port', `${quoted(raw)} is not a port; expected a whole number from 1 to 65535`);
  }
  return port < 1024
    ? {
        value: port,
        warning:
          `port ${port} is below 1024: the non-root user can bind it under Docker 20.10+, but not in every runtime; ` +
          'a port of 1024 or more is safer',
      }
    : { value: port };
}

function parseHealthPath(raw: string): Parsed<string> {
  const value = raw.trim();
  // It ends up inside a Python string in the HEALTHCHECK: no quotes, backslashes, spaces or `$`.
  if (!/^\/[A-Za-z0-9._~%!&()*+,;=:@/?-]*$/.test(value)) {
    throw fieldError(
      'health-path',
      `${quoted(raw)} is not a URL path; expected one starting with / such as /health, without spaces or quotes`,
    );
  }
  return { value };
}

function parseEntrypoint(raw: string, so: Partial<Answers>): Parsed<string> {
  const spec = frameworkPlugin(so.framework ?? FALLBACK_FRAMEWORK);
  const value = spec.parseEntrypoint(raw.trim());
  if (!value) {
    throw fieldError(
      'entrypoint',
      `${quoted(raw)} is not an entrypoint for ${spec.label}; expected ${spec.entrypointHelp}`,
    );
  }
  return { value };
}

function parseMaintainer(raw: string): Parsed<string | undefined> {
  // Control characters (newline first of all) could start a new Dockerfile instruction.
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    throw fieldError(
      'maintainer',
      'contains a newline or control character; expected one line of text such as "Jane Doe <jane@example.com>"',
    );
  }
  const value = raw.trim();
  return { value: value === '' ? undefined : value };
}

function parsePackageManager(raw: string): Parsed<PackageManager> {
  const value = raw.trim().toLowerCase();
  if (!(PACKAGE_MANAGERS as readonly string[]).includes(value)) {
    throw fieldError(
      'package-manager',
      `${quoted(raw)} is not supported; expected one of ${PACKAGE_MANAGERS.join(', ')}`,
    );
  }
  return { value: value as PackageManager };
}

function parseYesNo(option: string): (raw: string) => Parsed<boolean> {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    if (['yes', 'true'].includes(value)) return { value: true };
    if (['no', 'false'].includes(value)) return { value: false };
    throw fieldError(option, `"${raw}" is not yes or no; expected --${option}=yes or --${option}=no`);
  };
}

type FlagKey = 'buildDeps' | 'noBuildkit' | 'compose' | 'offline';
function flagField<K extends FlagKey>(key: K, option: string, description: string, message = description): Field<K> {
  return {
    key,
    option,
    flag: true,
    description,
    message: () => message,
    applies: () => true,
    defaultValue: () => 'false',
    parse: (raw) => {
      if (raw === 'true' || raw === 'false') return { value: (raw === 'true') as Answers[K] };
      throw fieldError(option, `${quoted(raw)} is not a yes/no flag; give --${option} alone to turn it on`);
    },
  };
}

export const FIELDS: Field[] = [
  {
    key: 'pythonVersion',
    detectable: true,
    option: 'python-version',
    description:
      `Python version, major.minor (${MAINTAINED_PYTHON[0]}–${MAINTAINED_PYTHON.at(-1)}; ` +
      `${PYTHON_VERSIONS[0]}–${PYTHON_VERSIONS.at(-1)} accepted; default ${DEFAULT_PYTHON})`,
    message: () => 'Python version',
    applies: () => true,
    defaultValue: () => DEFAULT_PYTHON,
    choices: (so) => {
      const offered = [...MAINTAINED_PYTHON].reverse();
      if (so.pythonVersion && !offered.includes(so.pythonVersion)) offered.push(so.pythonVersion);
      return offered.map((v) => ({ name: isEndOfLife(v) ? `${v} (end of life)` : v, value: v }));
    },
    parse: parsePythonVersion,
  },
  {
    key: 'framework',
    detectable: true,
    option: 'framework',
    description: `Web framework: ${FRAMEWORKS.join(', ')} (${FALLBACK_FRAMEWORK} = a plain script or worker)`,
    message: () => 'Framework',
    applies: () => true,
    defaultValue: () => DEFAULT_FRAMEWORK,
    choices: () => FRAMEWORKS.map((f) => ({ name: frameworkPlugin(f).label, value: f })),
    parse: parseFramework,
  },
  {
    key: 'port',
    detectable: true,
    option: 'port',
    perFramework: true,
    description:
      'Port the app listens on, 1–65535 ' +
      `(web frameworks; default 8000${otherDefaults((p) => p.defaultPort, 8000)})`,
    message: () => 'Port the app listens on',
    applies: (so) => frameworkPlugin(so.framework ?? FALLBACK_FRAMEWORK).web,
    defaultValue: (so) => String(frameworkPlugin(so.framework ?? DEFAULT_FRAMEWORK).defaultPort ?? 8000),
    parse: parsePort,
  },
  {
    key: 'healthPath',
    detectable: true,
    option: 'health-path',
    perFramework: true,
    unasked: true,
    description:
      'Path the HEALTHCHECK probes (web frameworks; default: a health endpoint found in the code, ' +
      `else /${otherDefaults((p) => p.healthPath, '/')})`,
    message: () => 'Path the health check probes',
    applies: (so) => frameworkPlugin(so.framework ?? FALLBACK_FRAMEWORK).web,
    defaultValue: (so) => frameworkPlugin(so.framework ?? DEFAULT_FRAMEWORK).healthPath ?? '/',
    parse: parseHealthPath,
  },
  {
    key: 'entrypoint',
    detectable: true,
    option: 'entrypoint',
    perFramework: true,
    description: `What the server loads: ${entrypointShapes()}`,
    message: (so) => `Entrypoint (${frameworkPlugin(so.framework ?? FALLBACK_FRAMEWORK).entrypointHelp})`,
    applies: () => true,
    defaultValue: (so) => frameworkPlugin(so.framework ?? FALLBACK_FRAMEWORK).defaultEntrypoint,
    parse: parseEntrypoint,
  },
  {
    key: 'maintainer',
    option: 'maintainer',
    description: 'Maintainer for LABEL maintainer, e.g. "Jane Doe <jane@example.com>" (optional)',
    message: () => 'Maintainer for LABEL maintainer (optional, Enter to skip)',
    applies: () => true,
    defaultValue: () => '',
    parse: parseMaintainer,
  },
  {
    key: 'packageManager',
    detectable: true,
    option: 'package-manager',
    description: [
      'How dependencies install:',
      PACKAGE_MANAGERS.join(', '),
      "(default: the one the project's lock file names)",
    ].join(' '),
    message: () => 'Package manager',
    applies: () => true,
    defaultValue: () => 'pip',
    choices: () => PACKAGE_MANAGERS.map((m) => ({ name: m, value: m })),
    parse: parsePackageManager,
  },
  flagField('buildDeps', 'build-deps', 'Add a builder stage with compilers for dependencies that build C extensions'),
  flagField(
    'noBuildkit',
    'no-buildkit',
    'For builders without BuildKit: plain COPY and pip --no-cache-dir instead of mounts',
  ),
  {
    ...flagField(
      'compose',
      'compose',
      'Also write compose.yaml for local development (docker compose watch); on by default when asked',
      'Write a compose.yaml for local development (docker compose watch)?',
    ),
    confirm: { interactiveDefault: true },
  },
  {
    ...flagField('offline', 'offline', 'Ask no package index about pinned requirements (their wheels narrow nothing)'),
    unasked: true,
    runOnly: true,
  },
  {
    key: 'syntaxLine',
    option: 'syntax-line',
    unasked: true,
    quietValue: true,
    description:
      'Start the Dockerfile with `# syntax=docker/dockerfile:1`: yes or no ' +
      '(no: offline or behind a registry proxy; default: yes, unless Docker cannot fetch it)',
    message: () => 'Start the Dockerfile with a # syntax= line',
    applies: () => true,
    defaultValue: () => 'yes',
    parse: parseYesNo('syntax-line'),
  },
] as Field[];

/** The value of a detectable option that hands the answer back to detection. */
export const AUTO = 'auto';

/** Where an answer came from, for the "Python 3.12 from .python-version" lines. */
export type Source = 'option' | 'stored' | 'detected' | 'prompt' | 'default';

export interface ResolveInput {
  /** Raw option values as typed on the command line (undefined = not given). */
  options: Partial<Record<AnswerKey, string>>;
  /** Answers recorded in .yo-rc.json by an earlier run. */
  stored?: Partial<Answers>;
  /** Answers read from the project's files: settled, not asked. */
  detected?: Partial<Answers>;
  /** Defaults the project suggests but does not settle (several lock files: ask, first as default). */
  suggested?: Partial<Answers>;
  /** Asks one question; absent when nobody can answer (no terminal, --yes). */
  ask?: (question: Question) => Promise<string>;
  /** Ask even what stored or detected answers settle (--reconfigure); they are then the defaults. */
  askKnown?: boolean;
  /** Where each detected answer came from, for the line saying one is not usable. */
  detectedSources?: Partial<Record<AnswerKey, string>>;
  /** Stored answers that were detected or defaulted, not given: they follow what detection finds now. */
  follow?: readonly AnswerKey[];
  /**
   * Why a typed value (option or prompt) cannot work in this project, beyond its syntax
   * (`app:create_app()` where no such factory exists).
   */
  refuse?(key: AnswerKey, value: unknown, so: Partial<Answers>): string | undefined;
}

export interface Resolved {
  answers: Answers;
  sources: Partial<Record<AnswerKey, Source>>;
  warnings: string[];
}

/**
 * A stored answer that no longer parses (hand-edited, or from another version) is blamed on the file,
 * not on an option never given.
 */
function parseStored(field: Field, raw: string, so: Partial<Answers>): Parsed<unknown> {
  try {
    return field.parse(raw, so);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const why = error.message.replace(/^--[\w-]+: /, '');
    throw new UserError(
      `${CONFIG_FILE}: the stored answer "${CONFIG_KEY}".answers.${field.key}: ${why}; ` +
        `fix or delete it there, or give --${field.option}`,
    );
  }
}

const toRaw = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

/**
 * Fills every answer in field order: a command-line option wins, then a stored
 * answer, then a detected one; what is left is asked (when `ask` is given) or
 * defaulted. Every value goes through the field's parser, whatever its source.
 */
export async function resolveAnswers(input: ResolveInput): Promise<Resolved> {
  const so: Partial<Answers> = {};
  const sources: Resolved['sources'] = {};
  const warnings: string[] = [];
  const set = (field: Field, parsed: Parsed<unknown>, source: Source) => {
    (so as Record<string, unknown>)[field.key] = parsed.value;
    sources[field.key] = source;
    if (parsed.warning) warnings.push(parsed.warning);
  };

  for (const field of FIELDS) {
    const given = input.options[field.key];
    if (!field.applies(so)) {
      if (given !== undefined)
        warnings.push(`--${field.option} ignored: it does not apply to framework ${so.framework}`);
      continue;
    }
    const refused = (value: unknown) => input.refuse?.(field.key, value, so);
    // `--port auto`: no answer of the user's; what the project says now (else the default), stored answers aside.
    const auto = field.detectable === true && given?.trim().toLowerCase() === AUTO;
    if (given !== undefined && !auto) {
      const parsed = field.parse(given, so);
      const why = refused(parsed.value);
      if (why) throw fieldError(field.option, `${quoted(given)} ${why}`);
      set(field, parsed, 'option');
      continue;
    }
    // A detected value goes through the same parser as a typed one; one that fails is reported, not used.
    let detected = toRaw(input.detected?.[field.key]);
    const detectedStale =
      field.perFramework === true &&
      input.detected?.framework !== undefined &&
      so.framework !== input.detected.framework;
    if (detected !== undefined && !detectedStale) {
      try {
        field.parse(detected, so);
      } catch (error) {
        const why = (error as Error).message.replace(/^--[\w-]+: /, '');
        warnings.push(
          `detected ${field.option} from ${input.detectedSources?.[field.key] ?? 'the project'} ` +
            `is not usable (${why}); not used`,
        );
        detected = undefined;
      }
    }
    const follows =
      auto ||
      (input.follow?.includes(field.key) &&
        detected !== undefined &&
        !detectedStale &&
        detected !== toRaw(input.stored?.[field.key]));
    const stored = follows ? undefined : toRaw(input.stored?.[field.key]);
    const known = stored ?? detected;
    const knownSource: Source = stored !== undefined ? 'stored' : 'detected';
    // An entrypoint or port stored or detected for another framework is no answer for this one.
    const knownFor = knownSource === 'stored' ? input.stored?.framework : input.detected?.framework;
    const stale = field.perFramework === true && knownFor !== undefined && so.framework !== knownFor;
    const fallback =
      known !== undefined && !stale ? known : (toRaw(input.suggested?.[field.key]) ?? field.defaultValue(so));
    const settled = auto || (known !== undefined && !stale && !input.askKnown);
    if (input.ask && !settled && (!field.flag || field.confirm) && !field.unasked) {
      const question: Question = {
        name: field.key,
        kind: field.confirm ? 'confirm' : field.choices ? 'select' : 'input',
        message: field.message(so),
        default: field.confirm && known === undefined ? String(field.confirm.interactiveDefault) : fallback,
        choices: field.choices?.({ ...so, [field.key]: fallback }),
        validate: (raw) => {
          try {
            return refused(field.parse(raw, so).value) ?? true;
          } catch (error) {
            return (error as Error).message;
          }
        },
      };
      const answer = field.parse(await input.ask(question), so);
      // Accepting what the project says is no choice of the user's: the answer keeps following the project.
      const fromProject =
        detected !== undefined && !detectedStale && String(field.parse(detected, so).value) === String(answer.value);
      set(field, answer, fromProject ? 'detected' : 'prompt');
    } else if (known !== undefined && !stale) {
      set(field, knownSource === 'stored' ? parseStored(field, known, so) : field.parse(known, so), knownSource);
    } else if (field.runOnly) {
      // A run's own switch left off: not an answer to report.
      (so as Record<string, unknown>)[field.key] = field.parse(fallback, so).value;
    } else {
      set(field, field.parse(fallback, so), 'default');
    }
  }
  return { answers: so as Answers, sources, warnings };
}

/**
 * The answers as .yo-rc.json stores them, in field order: every question that
 * applies, an optional one left empty as "" (so a re-run does not ask it again).
 */
export function storableAnswers(answers: Answers): Partial<Answers> {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) {
    if (!field.applies(answers) || field.runOnly) continue;
    out[field.key] = answers[field.key] ?? '';
  }
  return out as Partial<Answers>;
}
