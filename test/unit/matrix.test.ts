/**
 * Every framework × Python version × maintainer set/unset renders a Dockerfile
 * that parses, has no dockerfile-utils diagnostics (every setting at error)
 * and no tally findings (every rule selected, fail-level style).
 */
import { describe, expect, it } from 'vitest';
import { resolveAnswers, type Answers } from '../../lib/answers.js';
import { FRAMEWORKS } from '../../lib/frameworks.js';
import { answerOptions } from '../../lib/front-end.js';
import { renderFiles, type ProjectFacts } from '../../lib/render.js';
import { PYTHON_VERSIONS, debianCodename } from '../../lib/versions.js';
import { instructions, parseDockerfile, tallyAvailable, tallyFindings, utilsDiagnostics } from '../helpers/dockerfile.js';

const MAINTAINERS = [undefined, 'Jane "JD" Doe \\ <jane@example.com> $HOME'];
const FACTS: ProjectFacts[] = [
  { install: 'requirements', requirementsFiles: ['requirements.txt'], writeRequirementsStub: true },
  { install: 'pyproject', requirementsFiles: [], writeRequirementsStub: false, sourceRoot: 'src' },
];

interface Case {
  name: string;
  answers: Answers;
  facts: ProjectFacts;
  dockerfile: string;
}

async function buildCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const framework of FRAMEWORKS) {
    for (const version of PYTHON_VERSIONS) {
      for (const maintainer of MAINTAINERS) {
        for (const facts of FACTS) {
          const { answers } = await resolveAnswers({
            options: answerOptions({ framework, 'python-version': version, ...(maintainer ? { maintainer } : {}) }),
          });
          const name = `${framework}-${version}-${maintainer ? 'maintainer' : 'anonymous'}-${facts.install}.Dockerfile`;
          cases.push({ name, answers, facts, dockerfile: renderFiles(answers, facts).Dockerfile });
        }
      }
    }
  }
  return cases;
}

const cases = await buildCases();

describe('template matrix', () => {
  it(`covers ${FRAMEWORKS.length} frameworks × ${PYTHON_VERSIONS.length} Python versions × maintainer set/unset × 2 install modes`, () => {
    expect(cases).toHaveLength(FRAMEWORKS.length * PYTHON_VERSIONS.length * MAINTAINERS.length * FACTS.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s parses and has no dockerfile-utils diagnostics', (_name, c) => {
    const parsed = parseDockerfile(c.dockerfile);
    expect(parsed.getFROMs()).toHaveLength(1);
    expect(parsed.getFROMs()[0].getImageName()).toBe('python');
    expect(parsed.getFROMs()[0].getImageTag()).toBe(`\${PYTHON_VERSION}-slim-${debianCodename(c.answers.pythonVersion)}`);
    const keywords = instructions(c.dockerfile).map((i) => i.keyword);
    expect(keywords.includes('LABEL')).toBe(c.answers.maintainer !== undefined);
    expect(keywords.includes('EXPOSE')).toBe(c.answers.framework !== 'none');
    const healthcheck = instructions(c.dockerfile).find((i) => i.keyword === 'HEALTHCHECK')!.args;
    expect(healthcheck === 'NONE').toBe(c.answers.framework === 'none');
    expect(utilsDiagnostics(c.dockerfile)).toEqual([]);
  });

  it.skipIf(!tallyAvailable && !process.env.CI)('tally finds nothing in any of them', () => {
    const findings = tallyFindings(Object.fromEntries(cases.map((c) => [c.name, c.dockerfile])));
    expect(findings).toEqual([]);
  });
});
