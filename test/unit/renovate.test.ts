/**
 * renovate.json's regex managers, applied to templates/versions.json the way Renovate
 * applies them (each matchString as a global regex over the file's text, named
 * groups for the fields, templates for the rest): they must find every tool pin and
 * the default Python image tag, with the values the file holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockedSpec, PACKAGE_MANAGERS, type LockedManager } from '../../lib/package-managers/index.js';
import { versions } from '../../lib/versions.js';
import { repoRoot } from '../helpers/dockerfile.js';

interface RegexManager {
  customType: string;
  managerFilePatterns?: string[];
  fileMatch?: string[];
  matchStrings: string[];
  depNameTemplate?: string;
  datasourceTemplate?: string;
  versioningTemplate?: string;
}

const config = JSON.parse(readFileSync(join(repoRoot, 'renovate.json'), 'utf8')) as { customManagers: RegexManager[] };
const VERSIONS_FILE = 'templates/versions.json';
const text = readFileSync(join(repoRoot, VERSIONS_FILE), 'utf8');

/** `/regex/` strings are regular expressions; anything else a glob (none used here). */
const patternMatches = (pattern: string, path: string) =>
  pattern.startsWith('/') ? new RegExp(pattern.slice(1, pattern.lastIndexOf('/'))).test(path) : pattern === path;

function extract(): { depName: string; currentValue: string; datasource: string; versioning?: string }[] {
  return config.customManagers
    .filter(
      (m) =>
        m.customType === 'regex' &&
        (m.managerFilePatterns ?? m.fileMatch ?? []).some((p) => patternMatches(p, VERSIONS_FILE)),
    )
    .flatMap((m) =>
      m.matchStrings.flatMap((s) =>
        [...text.matchAll(new RegExp(s, 'g'))].map((match) => ({
          depName: m.depNameTemplate ?? match.groups!.depName,
          currentValue: match.groups!.currentValue,
          datasource: m.datasourceTemplate ?? match.groups!.datasource,
          versioning: m.versioningTemplate,
        })),
      ),
    );
}

describe('renovate.json reads templates/versions.json', () => {
  const deps = extract();

  it('finds every pinned tool with the version the builders default to', () => {
    const locked = PACKAGE_MANAGERS.filter((m): m is LockedManager => m !== 'pip');
    const expected = locked.map((m) =>
      m === 'uv'
        ? { depName: 'ghcr.io/astral-sh/uv', currentValue: versions.tools.uv, datasource: 'docker' }
        : { depName: m, currentValue: versions.tools[m], datasource: 'pypi' },
    );
    expect(deps.filter((d) => d.depName !== 'python').map(({ versioning: _, ...d }) => d)).toEqual(
      expect.arrayContaining(expected),
    );
    expect(deps.filter((d) => d.depName !== 'python')).toHaveLength(locked.length);
    // The build arg each one feeds, so a bot's bump reaches the Dockerfiles.
    for (const m of locked) expect(lockedSpec(m).versionArg).toMatch(/^[A-Z]+_[A-Z]+$/);
  });

  it('finds the default Python image tag, with a versioning that reads it', () => {
    const python = deps.filter((d) => d.depName === 'python');
    expect(python).toEqual([
      {
        depName: 'python',
        currentValue: versions.python.default,
        datasource: 'docker',
        versioning: expect.stringMatching(/^regex:/),
      },
    ]);
    const versioning = new RegExp(python[0].versioning!.slice('regex:'.length));
    expect(versioning.exec(python[0].currentValue)?.groups).toMatchObject({ major: '3' });
  });
});
