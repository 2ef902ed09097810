/**
 * .yo-rc.json: where Yeoman keeps each generator's settings, under its package
 * name. A run reads it once and hands the object to the plan, which adds its record.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from './answers.js';
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
}

/** The whole .yo-rc.json (other generators' settings included); {} when there is none. */
export function readYoRc(dir: string): Record<string, unknown> {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) return {};
  try {
    const data = JSON.parse(readFileSync(path, 'utf8'));
    if (data && typeof data === 'object' && !Array.isArray(data)) return data;
  } catch {
    // fall through to the error below
  }
  throw new UserError(`${CONFIG_FILE}: not a JSON object; fix or delete it and run again`);
}

export function storedConfig(yoRc: Record<string, unknown>): StoredConfig | undefined {
  return yoRc[CONFIG_KEY] as StoredConfig | undefined;
}
