/**
 * What the Yeoman generator and the standalone command share beyond the core:
 * their options (derived from the answers model) and how they word things.
 */
import { FIELDS, type AnswerKey, type Resolved, type Source } from './answers.js';

export interface FlagSpec {
  name: string;
  type: 'string' | 'boolean';
  alias?: string;
  description: string;
}

/** Every option either front-end accepts: one per answer, then the run's own flags. */
export const FLAGS: FlagSpec[] = [
  ...FIELDS.map((f) => ({ name: f.option, type: 'string' as const, description: f.description })),
  { name: 'yes', type: 'boolean', alias: 'y', description: 'Ask nothing: take detected, stored or default answers for what was not given' },
];

/** Raw option values keyed by answer, from an options object keyed by option name. */
export function answerOptions(options: Record<string, unknown>): Partial<Record<AnswerKey, string>> {
  const out: Partial<Record<AnswerKey, string>> = {};
  for (const field of FIELDS) {
    // Yeoman may hand an option over camel-cased (pythonVersion for --python-version).
    const value = options[field.option] ?? options[field.key];
    if (value !== undefined && value !== null && value !== true && value !== false) out[field.key] = String(value);
    else if (value === true) out[field.key] = ''; // `--port` with no value: let the parser refuse it
  }
  return out;
}

const SOURCE_WORDS: Partial<Record<Source, string>> = {
  stored: 'from .yo-rc.json',
  detected: 'detected',
  default: 'default',
};

/** "Using framework fastapi (default)" lines for answers nobody typed, in a run that asked nothing. */
export function unaskedLines(resolved: Resolved): string[] {
  const lines: string[] = [];
  for (const field of FIELDS) {
    const source = resolved.sources[field.key];
    const value = resolved.answers[field.key];
    if (!source || source === 'option' || source === 'prompt' || value === undefined) continue;
    lines.push(`  ${field.option.padEnd(15)} ${String(value)} (${SOURCE_WORDS[source]})`);
  }
  return lines;
}
