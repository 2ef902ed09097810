/** Simulating an upgrade: a run with an older template set, as a user of version 0.0.9 had it. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { resolveAnswers } from '../../lib/answers.js';
import { answerOptions } from '../../lib/options.js';
import { filesToWrite, planGeneration } from '../../lib/generate.js';
import { repoRoot } from './dockerfile.js';

export const OLD_VERSION = '0.0.9';
/** The known difference: the old HEALTHCHECK had no start period. */
export const START_PERIOD_LINE = '    --start-period=30s \\';

/** The current templates less the HEALTHCHECK's --start-period line. */
export function oldTemplates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'templates-old-'));
  cpSync(join(repoRoot, 'templates'), dir, { recursive: true });
  const path = join(dir, 'Dockerfile.ejs');
  const current = readFileSync(path, 'utf8');
  const old = current.replace(`${START_PERIOD_LINE}\n`, '');
  expect(old, 'the known difference must still apply to the current templates').not.toBe(current);
  writeFileSync(path, old);
  return dir;
}

/** Generates into dir as version 0.0.9 would have, with the given options, and writes the files. */
export async function generateAsOldVersion(dir: string, options: Record<string, string> = {}): Promise<void> {
  const { answers } = await resolveAnswers({ options: answerOptions(options) });
  const generation = await planGeneration(dir, answers, { templatesDir: oldTemplates(), version: OLD_VERSION });
  for (const write of filesToWrite(generation)) {
    mkdirSync(dirname(join(dir, write.path)), { recursive: true });
    writeFileSync(join(dir, write.path), write.content);
  }
}

/** A user's edit: one apt-get line after WORKDIR, far from anything the templates change. */
export const USER_LINE =
  'RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*';

export function addUserLine(dockerfile: string, line = USER_LINE): string {
  const edited = dockerfile.replace('WORKDIR /app\n', `WORKDIR /app\n\n# Added by the user.\n${line}\n`);
  expect(edited).not.toBe(dockerfile);
  return edited;
}
