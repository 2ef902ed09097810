/**
 * The options both front-ends accept, derived from the answers model plus the
 * run's own flags; the one command-line parser both use (so both accept and
 * refuse the same words), and the help text both print.
 */
import { FIELDS, type AnswerKey } from './answers.js';
import { quoted, UserError } from './user-error.js';
import { ENGINE_NAMES } from './verify/engine-names.js';

export interface FlagSpec {
  name: string;
  type: 'string' | 'boolean';
  alias?: string;
  /** What a string option's value is called in --help. */
  value?: string;
  description: string;
  /** The form that turns a boolean answer back off (`--no-compose`, `--buildkit`), overriding a stored answer. */
  negation?: string;
  /** Answers (asked when the project does not tell) or the run's own flags: --help shows them apart. */
  group: 'answer' | 'run';
}

const VALUE_NAMES: Partial<Record<AnswerKey, string>> = {
  pythonVersion: 'X.Y',
  framework: 'NAME',
  port: 'PORT',
  entrypoint: 'TARGET',
  maintainer: 'TEXT',
  packageManager: 'NAME',
  syntaxLine: 'yes|no',
};

/** Every option either front-end accepts: one per answer, then the run's own flags. */
export const FLAGS: FlagSpec[] = [
  ...FIELDS.map(
    (f): FlagSpec => ({
      name: f.option,
      type: f.flag ? 'boolean' : 'string',
      value: VALUE_NAMES[f.key],
      description: f.description,
      negation: f.flag ? (f.option.startsWith('no-') ? f.option.slice(3) : `no-${f.option}`) : undefined,
      group: 'answer',
    }),
  ),
  {
    name: 'yes',
    type: 'boolean',
    alias: 'y',
    group: 'run',
    description: 'Ask nothing: take detected, stored or default answers',
  },
  {
    name: 'reconfigure',
    type: 'boolean',
    group: 'run',
    description: 'Ask every question again, with the stored answers as defaults',
  },
  { name: 'dry-run', type: 'boolean', group: 'run', description: 'Print the diff of what would change; write nothing' },
  {
    name: 'force',
    type: 'boolean',
    group: 'run',
    description: 'Take the new render of every file wholesale; a file you edited is saved first as FILE.orig',
  },
  {
    name: 'verify',
    type: 'boolean',
    group: 'run',
    description: 'After writing, build the image, start it and check it answers, is healthy and runs as non-root',
  },
  {
    name: 'engine',
    type: 'string',
    value: 'NAME',
    group: 'run',
    description: `Container engine for --verify: ${ENGINE_NAMES.join(', ')} (default: the first that answers)`,
  },
];

/** Print and stop: no project is read, nothing is written. */
export const INFO_FLAGS: FlagSpec[] = [
  { name: 'help', type: 'boolean', alias: 'h', group: 'run', description: 'Print this help' },
  { name: 'version', type: 'boolean', group: 'run', description: 'Print the version' },
];

const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** A run flag's value from an options object (Yeoman may hand options over camel-cased). */
export const flag = (options: Record<string, unknown>, name: string) => Boolean(options[name] ?? options[camel(name)]);

/** An option Yeoman's parser saw more than once arrives as a list: one value, or a refusal when they differ. */
function single(option: string, value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const values = [...new Set(value.map(String))];
  if (values.length > 1)
    throw new UserError(`--${option}: given twice, as ${values.map((v) => quoted(v)).join(' and ')}; give it once`);
  return value[0];
}

/** Raw option values keyed by answer, from an options object keyed by option name. */
export function answerOptions(options: Record<string, unknown>): Partial<Record<AnswerKey, string>> {
  const out: Partial<Record<AnswerKey, string>> = {};
  for (const field of FIELDS) {
    let value = single(field.option, options[field.option] ?? options[field.key]);
    // Yeoman's own parser reads `--no-buildkit` as `buildkit: false`.
    if (field.option.startsWith('no-') && value === undefined) {
      const positive = options[field.option.slice(3)];
      if (positive === true || positive === false) value = !positive;
    }
    if (value === undefined || value === null) continue;
    if (field.flag) {
      // Absent is not "false": only a given flag (or its negation) overrides a stored answer.
      if (value === true || value === false) out[field.key] = String(value);
    } else if (value === true || value === false) {
      out[field.key] = ''; // `--port` with no value: let the field's parser refuse it
    } else {
      out[field.key] = String(value);
    }
  }
  return out;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The accepted option closest to a misspelled one, if any is close. */
export function suggestOption(name: string): string | undefined {
  const names = [...FLAGS, ...INFO_FLAGS].flatMap((f) => [f.name, ...(f.negation ? [f.negation] : [])]);
  let best: { name: string; d: number } | undefined;
  for (const candidate of names) {
    const d = candidate.startsWith(name) && name.length >= 3 ? 1 : distance(name, candidate);
    if (d <= Math.max(1, Math.floor(candidate.length / 4)) + 1 && (!best || d < best.d)) best = { name: candidate, d };
  }
  return best && `--${best.name}`;
}

/**
 * The command line → options keyed by option name (`--no-compose` gives `compose: false`).
 * Strict: an unknown option, a missing value or a stray word is a UserError naming it.
 */
export function parseCommandLine(argv: string[], command: string): Record<string, string | boolean> {
  const specs = [...FLAGS, ...INFO_FLAGS];
  const seeHelp = `see ${command} --help`;
  const out: Record<string, string | boolean> = {};
  /** How each option was first given (`--no-compose`, `--port 8001`), for a repeat that disagrees. */
  const given: Record<string, string> = {};
  const set = (spec: FlagSpec, value: string | boolean, as: string) => {
    if (spec.name in out && out[spec.name] !== value) {
      throw new UserError(`--${spec.name}: given twice, as ${given[spec.name]} and ${as}; give it once`);
    }
    out[spec.name] = value;
    given[spec.name] ??= as;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-' || arg === '--') {
      throw new UserError(`${quoted(arg)}: unexpected argument; this command takes options only (${seeHelp})`);
    }
    const long = arg.startsWith('--');
    const eq = long ? arg.indexOf('=') : -1;
    const name = long ? arg.slice(2, eq === -1 ? undefined : eq) : arg.slice(1);
    let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    const spec = specs.find((f) => (long ? f.name === name || f.negation === name : f.alias === name));
    if (!spec) {
      const suggestion = long ? suggestOption(name) : undefined;
      throw new UserError(`${arg}: unknown option${suggestion ? `; did you mean ${suggestion}?` : ''} (${seeHelp})`);
    }
    if (spec.type === 'boolean') {
      if (value !== undefined) throw new UserError(`--${spec.name}: takes no value; give --${name} alone`);
      set(spec, name !== spec.negation, arg);
      continue;
    }
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new UserError(`--${spec.name}: needs a value (${seeHelp})`);
      i++;
    }
    set(spec, value, `--${spec.name} ${quoted(value)}`);
  }
  return out;
}

/** Words wrapped to `width` columns. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Help fits the terminal: its width, but never under 60 nor over 80 columns. */
export function helpWidth(columns?: number): number {
  return Math.min(80, Math.max(60, Math.floor(columns || Number(process.env.COLUMNS) || 80)));
}

const NAME_COLUMN = 28;

function optionLines(spec: FlagSpec, width: number): string[] {
  const names = [`${spec.alias ? `-${spec.alias}, ` : '    '}--${spec.name}${spec.value ? ` ${spec.value}` : ''}`];
  const undo =
    spec.negation && !spec.name.startsWith('no-')
      ? ` (--${spec.negation} turns it off)`
      : spec.negation
        ? ` (--${spec.negation} undoes it)`
        : '';
  const description = wrap(spec.description + undo, width - NAME_COLUMN);
  const lines: string[] = [];
  for (let i = 0; i < Math.max(description.length, 1); i++) {
    const left = i === 0 ? `  ${names[0]}` : '';
    lines.push(`${left.padEnd(NAME_COLUMN)}${description[i] ?? ''}`.trimEnd());
  }
  // A name too long for its column gets a line of its own.
  if (names[0].length + 2 >= NAME_COLUMN)
    lines.splice(0, 1, `  ${names[0]}`, `${''.padEnd(NAME_COLUMN)}${description[0]}`);
  return lines;
}

/** An example command, continued with ` \` on lines of its own when it is wider than the help. */
function exampleLines(command: string, width: number): string[] {
  const lines = wrap(command, width - 8);
  return lines.map((line, i) => `${i ? '      ' : '  '}${line}${i < lines.length - 1 ? ' \\' : ''}`);
}

/** --help for `python-docker` or `yo python-docker`, wrapped to `width` columns (60–80). */
export function helpText(command: string, width = 80): string {
  const example = (line: string, what: string) => [
    ...exampleLines(`${command}${line}`, width),
    ...wrap(what, width - 6).map((l) => `      ${l}`),
  ];
  return [
    `Usage: ${command} [options]`,
    '',
    ...wrap(
      'Writes a Dockerfile, .dockerignore and README.Docker.md (and, asked or with --compose, a compose.yaml) ' +
        'for the Python project in the current folder, plus a requirements.txt stub when it has no dependency file. ' +
        'It reads the project first and asks only what it cannot tell. ' +
        'Run it again after upgrading: your edits are merged, not lost.',
      width,
    ),
    '',
    ...wrap(
      'Answers (read from the project when it tells; else asked, or the default). ' +
        'A given answer stays; auto (--port auto) follows the project again:',
      width,
    ),
    ...FLAGS.filter((f) => f.group === 'answer').flatMap((f) => optionLines(f, width)),
    '',
    'Run:',
    ...[...FLAGS.filter((f) => f.group === 'run'), ...INFO_FLAGS].flatMap((f) => optionLines(f, width)),
    '',
    'Examples:',
    ...example('', 'Ask what the project does not tell, then write the files'),
    ...example(
      " --yes --framework flask --entrypoint 'app:create_app()'",
      'No questions: a Flask app factory, everything else detected or default',
    ),
    ...example(' --port 9000 --dry-run', 'Show the diff a changed answer would make; write nothing'),
    ...example(' --yes --compose --verify', 'Also write compose.yaml, then build the image and check it starts'),
    '',
  ].join('\n');
}
