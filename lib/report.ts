/**
 * The words a run prints, the same under both front-ends: what was detected
 * and taken, each file once with what happened to it, what stops the image
 * from starting, and what to do next.
 */
import { join } from 'node:path';
import { AUTO, FIELDS, type AnswerKey, type Resolved, type Source } from './answers.js';
import type { Detection } from './detect/detect-project.js';
import { frameworkPlugin } from './frameworks/index.js';
import type { Generation } from './generate.js';
import type { HostPort } from './host-port.js';
import type { FilePlan } from './regenerate.js';
import { TARGET_LIMIT, readRegularFile } from './safe-files.js';
import { oneLine } from './terminal-text.js';
import type { BuildProgress } from './verify/engine-names.js';

/**
 * "Detected:" and the answers read from the project, with where each came from (and, when a
 * re-run follows the project, what it was); undefined when there are none.
 */
export function detectedBlock(
  detection: Detection,
  shown: (typeof FIELDS)[number][],
  was: Partial<Record<AnswerKey, unknown>> = {},
): string | undefined {
  if (!shown.length && !detection.notes.length) return undefined;
  const before = (key: AnswerKey) =>
    was[key] !== undefined && String(was[key]) !== String(detection.answers[key]) ? `; was ${String(was[key])}` : '';
  return [
    'Detected:',
    ...shown.map(
      (f) =>
        `  ${f.option.padEnd(15)} ${String(detection.answers[f.key])} (${detection.sources[f.key]}${before(f.key)})`,
    ),
    ...detection.notes.map((n) => `  ${n}`),
  ]
    .map((line) => oneLine(line))
    .join('\n');
}

/**
 * "framework  NAME (default)" lines for the answers of these sources; a pinned stored answer
 * the project now contradicts says so, and how to follow the project.
 */
export function answerLines(
  resolved: Resolved,
  detection: Detection,
  sources: Source[],
  pinned: Partial<Record<AnswerKey, string>> = {},
): string[] {
  const lines: string[] = [];
  for (const field of FIELDS) {
    const source = resolved.sources[field.key];
    const value = resolved.answers[field.key];
    if (!source || !sources.includes(source) || value === undefined) continue;
    if (field.flag && value === false) continue; // an option left off is not news
    if ('quietValue' in field && value === field.quietValue && source !== 'option') continue;
    let from =
      source === 'detected' ? detection.sources[field.key] : source === 'stored' ? 'from .yo-rc.json' : 'default';
    const says = detection.answers[field.key];
    if (source === 'stored' && pinned[field.key] && says !== undefined && String(says) !== String(value)) {
      from +=
        `, ${pinned[field.key]}; the project says ${String(says)} (${detection.sources[field.key]}): ` +
        `--${field.option} ${AUTO} follows it`;
    }
    lines.push(`  ${field.option.padEnd(15)} ${String(value)} (${from})`);
  }
  return lines;
}

const lineCount = (n: number) => `${n} line${n === 1 ? '' : 's'}`;

/** "kept 3 lines of yours", "kept your deletion of 1 line", or both. */
function keptEdits(changed: number, removed: number): string {
  const parts = [
    changed ? `${lineCount(changed)} of yours` : '',
    removed ? `your deletion of ${lineCount(removed)}` : '',
  ];
  return `kept ${parts.filter(Boolean).join(' and ') || 'your edit'}`;
}

const STATUS_NOTES: Partial<Record<FilePlan['status'], (f: FilePlan) => string>> = {
  merged: (f) => ` (${keptEdits(f.userLines ?? 0, f.userRemoved ?? 0)})`,
  conflict: (f) =>
    f.unresolved
      ? ' (still has <<<<<<< markers: resolve them, then run again)'
      : ' (your edit and the new version change the same lines: resolve the <<<<<<< markers)',
  updated: (f) => (f.backup ? ` (your version is saved as ${f.backup.path})` : f.reason ? ` (${f.reason})` : ''),
  kept: (f) =>
    f.newIsUsers
      ? ` (yours was not written by the generator, nor was ${f.target}.new: neither was touched)`
      : ` (yours was not written by the generator; the new version is in ${f.write!.path})`,
  deleted: () => ' (you deleted it, so it stays deleted; --force brings it back)',
  skipped: (f) => ` (${f.reason})`,
};

/** Each file once, with what happened to it; then what stops the image from starting. */
export function summaryLines(generation: Generation): string[] {
  const lines = [
    'Files:',
    ...generation.files.map((f) => `  ${f.status.padEnd(9)} ${f.target}${STATUS_NOTES[f.status]?.(f) ?? ''}`),
    ...generation.notes.map((note) => `  ${oneLine(note)}`),
  ];
  if (generation.notReady.length) {
    lines.push('Will not start yet:', ...generation.notReady.map((problem) => `  ${problem}`));
  }
  return lines;
}

const IN_USE: FilePlan['status'][] = ['created', 'updated', 'merged', 'unchanged'];

/** What happened after the files were written, for "Next:". */
export interface Outcome {
  /** What to fix first, from --verify's first ✖ (or why it could not verify). */
  fixFirst?: string;
  /** The host port to publish, when the app's own is taken on this machine. */
  hostPort?: HostPort;
  /** The Dockerfile keeps a `# syntax=` line whose frontend cannot be fetched here. */
  frontendUnreachable?: boolean;
}

type Checked = { name: string; ok: boolean; detail?: string };

/** --verify's first ✖ as the step to take before anything else. */
export function fixFirst(checks: Checked[], exitCode: number): string | undefined {
  if (exitCode === 0) return undefined;
  const failed = checks.find((c) => !c.ok);
  if (!failed) return 'make a container engine answer here (see above), then run again with --verify';
  const what: [RegExp, string][] = [
    [/^builds/, 'make the build pass (the build log is named above)'],
    [/^answers on port/, 'make the app answer its health path with a status below 400 (what came back is above)'],
    [/^healthcheck/, 'make the HEALTHCHECK pass (what it said is above)'],
    [/^starts/, 'make the app start (what it printed is above)'],
    [/^runs as/, 'make the image run as a non-root user'],
  ];
  const step = what.find(([re]) => re.test(failed.name))?.[1] ?? `fix "${failed.name}" (see above)`;
  return `${step}, then run again with --verify`;
}

/** What to do now: first whatever the run left for the user, then the command that starts it and where it answers. */
export function nextLines(generation: Generation, outcome: Outcome = {}): string[] {
  const { answers, imageName: name } = generation;
  const file = (target: string) => generation.files.find((f) => f.target === target);
  const first: string[] = [];
  for (const f of generation.files) {
    if (f.status === 'conflict') first.push(`resolve the <<<<<<< markers in ${f.target}`);
    if (f.status === 'kept' && f.write)
      first.push(`compare ${f.write!.path} with your ${f.target} and merge what you want into ${f.target}`);
    if (f.status === 'deleted' && f.target === 'Dockerfile')
      first.push('write the Dockerfile again (you deleted it): run again with --force');
  }
  if (generation.notReady.length) first.push('fix what "Will not start yet" lists');
  if (outcome.frontendUnreachable) {
    const why = 'whose frontend cannot be fetched here';
    first.push(`drop the Dockerfile's \`# syntax=\` line, ${why}: run again with --syntax-line=no`);
  }
  if (outcome.fixFirst) first.push(outcome.fixFirst);
  const web = frameworkPlugin(answers.framework).web;
  const compose = answers.compose && IN_USE.includes(file('compose.yaml')?.status ?? 'deleted');
  // compose.yaml takes the host port from APP_PORT: a taken port is swapped on the command line.
  const hostPort = outcome.hostPort?.taken ? outcome.hostPort.port : answers.port;
  const start = compose
    ? [`${hostPort !== answers.port ? `APP_PORT=${hostPort} ` : ''}docker compose up --build`]
    : [`docker build -t ${name} .`, `docker run --rm ${web ? `-p ${hostPort}:${answers.port} ` : ''}${name}`];
  const lines = ['Next:', ...first.map((step) => `  ${step}, then`), ...start.map((command) => `  ${command}`)];
  // Where it answers only when nothing is known to stop it from answering there.
  const stopped = outcome.fixFirst || outcome.frontendUnreachable || generation.notReady.length;
  if (web && !stopped) lines.push(`  It answers on http://localhost:${hostPort}`);
  const readme = file('README.Docker.md');
  if (readme && IN_USE.includes(readme.status))
    lines.push('  README.Docker.md says how to develop in the container, change Python and regenerate');
  return lines;
}

/** `--dry-run`: a unified diff per file that would change (disk → planned content). */
export async function dryRunDiff(dir: string, generation: Generation): Promise<string> {
  const patches: string[] = [];
  for (const write of generation.files.flatMap((f) => (f.write ? [f.write] : []))) {
    const before = readRegularFile(join(dir, write.path), { limit: TARGET_LIMIT, name: write.path });
    if (before === write.content) continue; // a rewrite to the same bytes changes nothing
    // Loaded only when something would change (start-up: README, Performance).
    const { createTwoFilesPatch } = await import('diff');
    patches.push(
      createTwoFilesPatch(
        before !== undefined ? `a/${write.path}` : '/dev/null',
        `b/${write.path}`,
        before ?? '',
        write.content,
        '',
        '',
        { context: 3 },
      ),
    );
  }
  return patches.join('');
}

/** Build steps as they come: one rewritten line in a terminal, one line per step elsewhere. */
export function stepPrinter(write: (text: string) => void, terminal: boolean): (progress: BuildProgress) => void {
  let last = '';
  return ({ step, of, text }) => {
    const line = `  step ${step}/${of}: ${text.length > 70 ? `${text.slice(0, 69)}…` : text}`;
    if (line === last) return;
    last = line;
    write(terminal ? `\r\x1b[K${line}` : `${line}\n`);
  };
}
