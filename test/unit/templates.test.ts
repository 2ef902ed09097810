/**
 * The templates compiled at build time (dist/templates.cjs, lib/templates.ts) render exactly what ejs renders
 * from the files, and a run uses them.
 */
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../lib/frameworks/index.js';
import { templatesDir } from '../../lib/package-root.js';
import { renderFiles } from '../../lib/render.js';
import { compiledAtBuild } from '../../lib/templates.js';
import { FASTAPI_ANSWERS, pipFacts } from '../helpers/facts.js';

const names = readdirSync(templatesDir, { recursive: true })
  .map(String)
  .filter((name) => name.endsWith('.ejs'));

describe('templates compiled at build time', () => {
  it.each(names)('%s is compiled by the build, from its current text', (name) => {
    expect(compiledAtBuild(name)).toBe(true);
  });

  // The same templates in another folder are compiled by ejs at run time.
  const copy = mkdtempSync(join(tmpdir(), 'templates-'));
  cpSync(templatesDir, copy, { recursive: true });
  const variants = [
    ...FRAMEWORKS.map((framework) => ({ name: framework, answers: { framework }, facts: {} })),
    ...['uv', 'poetry', 'pdm', 'pipenv'].map((install) => ({
      name: install,
      answers: { packageManager: install, compose: true },
      facts: { install: install as 'uv', dependencyFiles: ['pyproject.toml'], buildPackages: ['libpq-dev'] },
    })),
    {
      name: 'no BuildKit, stub',
      answers: { noBuildkit: true },
      facts: { buildkit: false, writeRequirementsStub: true },
    },
  ];
  it.each(variants)('$name: renders what ejs renders from the files', ({ answers, facts }) => {
    const all = { ...FASTAPI_ANSWERS, ...answers } as typeof FASTAPI_ANSWERS;
    expect(renderFiles(all, pipFacts(facts))).toEqual(renderFiles(all, pipFacts(facts), { templatesDir: copy }));
  });
});
