/**
 * .yo-rc.json: where Yeoman keeps each generator's settings, under its package
 * name. A run reads it once and hands the object to the plan, which adds its record.
 */
import { join } from 'node:path';
import type { AnswerKey, Answers } from './answers.js';
import { CONFIG_LIMIT, readRegularFile } from './safe-files.js';
import { UserError } from './user-error.js';

export const CONFIG_FILE = '.yo-rc.json';
export const CONFIG_KEY = 'generator-python-docker';

/** What a run records in .yo-rc.json for the next one. */
export interface StoredConfig {
  version?: string;
  answers?: Partial<Answers>;
  /** Each generated file as last rendered: the base of the next run's 3-way merge. */
  files?: Record<string, string>;
  /** Renders written beside the user's own file (`Dockerfile.new`): the base once the user adopts one. */
  offered?: Record<string, string>;
  /** Answers detected or defaulted, not given by the user: a re-run takes what detection finds then. */
  detected?: AnswerKey[];
  /** Why each other answer is pinned ("given as --port", "chosen at a prompt"), for --reconfigure and the report. */
  pinned?: Partial<Record<AnswerKey, string>>;
}

/**
 * The whole .yo-rc.json (other generators' settings included); {} when there is none.
 * A regular file only, size-limited.
 */
export function readYoRc(dir: string): Record<string, unknown> {
  const text = readRegularFile(join(dir, CONFIG_FILE), { limit: CONFIG_LIMIT, name: CONFIG_FILE });
  if (text === undefined) return {};
  // UTF-16 (PowerShell's `>` writes it): NUL bytes, or its byte-order mark read as UTF-8.
  if (text.startsWith('\ufffd\ufffd') || text.includes('\0'))
    throw new UserError(`${CONFIG_FILE}: not UTF-8 (UTF-16?); save it as UTF-8 and run again`);
  let data: unknown;
  try {
    // A byte-order mark (some Windows editors write one) is not part of the JSON.
    data = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new UserError(`${CONFIG_FILE}: not valid JSON (${(error as Error).message}); fix or delete it and run again`);
  }
  if (!isRecord(data)) throw new UserError(`${CONFIG_FILE}: not a JSON object; fix or delete it and run again`);
  const problem = storedConfigProblem(data[CONFIG_KEY]);
  if (problem) throw new UserError(`${CONFIG_FILE}: "${CONFIG_KEY}"${problem}; fix or delete it and run again`);
  return data;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value);

/** What is wrong with our entry (hand-edited, or another tool's), if anything: later code takes its shape on trust. */
function storedConfigProblem(entry: unknown): string | undefined {
  if (entry === undefined) return undefined;
  if (!isRecord(entry)) return ' is not an object';
  if (entry.version !== undefined && typeof entry.version !== 'string') return '.version is not a string';
  if (
    entry.detected !== undefined &&
    !(Array.isArray(entry.detected) && entry.detected.every((k) => typeof k === 'string'))
  ) {
    return '.detected is not a list of answer names';
  }
  for (const key of ['answers', 'files', 'offered', 'pinned'] as const) {
    const value = entry[key];
    if (value === undefined) continue;
    if (!isRecord(value)) return `.${key} is not an object`;
    for (const [name, item] of Object.entries(value)) {
      const ok =
        key === 'answers'
          ? ['string', 'number', 'boolean'].includes(typeof item) || item === null
          : typeof item === 'string';
      if (!ok) return `.${key}.${JSON.stringify(name)} is not ${key === 'answers' ? 'a plain value' : 'text'}`;
    }
  }
  return undefined;
}

export function storedConfig(yoRc: Record<string, unknown>): StoredConfig | undefined {
  return yoRc[CONFIG_KEY] as StoredConfig | undefined;
}
