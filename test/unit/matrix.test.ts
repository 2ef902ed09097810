/**
 * Every framework × Python version × maintainer set/unset renders a Dockerfile
 * that parses, has no dockerfile-utils diagnostics (every setting at error)
 * and no tally findings (every rule selected, fail-level style).
 */
import { describe, expect, it } from 'vitest';
import { resolveAnswers, type Answers } from '../../lib/answers.js';
import { FRAMEWORKS } from '../../lib/frameworks/index.js';
import { answerOptions } from '../../lib/options.js';
import { renderFiles, type ProjectFacts } from '../../lib/render.js';
import { PYTHON_VERSIONS, debianCodename } from '../../lib/versions.js';
import { pipFacts } from '../helpers/facts.js';
import {
  instructionTexts,
  instructions,
  parseDockerfile,
  tallyAvailable,
  tallyFindings,
  utilsDiagnostics,
} from '../helpers/dockerfile.js';

const MAINTAINERS = [undefined, 'Jane "JD" Doe \\ <jane@example.com> $HOME'];
const PIP = pipFacts({ writeRequirementsStub: true });
const COMPILERS = { buildPackages: ['build-essential', 'libpq-dev'], runtimePackages: ['libpq5'] };
/** Every framework × Python version × maintainer, for the two pip layouts. */
const FACTS: Record<string, ProjectFacts> = {
  requirements: PIP,
  pyproject: {
    ...PIP,
    install: 'pyproject',
    dependencyFiles: ['pyproject.toml'],
    installsProject: true,
    projectDependenciesFirst: true,
    writeRequirementsStub: false,
    sourceRoot: 'src',
    virtualenvs: ['.venv', 'env', 'py311'],
  },
};
/** Every framework × maintainer, for each other way of installing. */
const INSTALLS: Record<string, ProjectFacts> = {
  'requirements-compilers': { ...PIP, ...COMPILERS },
  'collectstatic-at-build': {
    ...PIP,
    release: { managePy: 'backend/manage.py', collectStatic: { secretKeyVar: 'DJANGO_SECRET_KEY' } },
  },
  'requirements-nobuildkit': {
    ...PIP,
    dependencyFiles: ['requirements.txt', 'requirements/base.txt'],
    buildkit: false,
  },
  'pyproject-compilers-nobuildkit': { ...FACTS.pyproject, ...COMPILERS, buildkit: false },
  uv: { ...PIP, install: 'uv', dependencyFiles: ['pyproject.toml', 'uv.lock'], installsProject: true },
  'uv-compilers-nobuildkit': {
    ...PIP,
    ...COMPILERS,
    install: 'uv',
    dependencyFiles: ['pyproject.toml', 'uv.lock'],
    installsProject: true,
    buildkit: false,
  },
  'poetry-no-package': { ...PIP, install: 'poetry', dependencyFiles: ['pyproject.toml', 'poetry.lock'] },
  'poetry-nobuildkit': {
    ...PIP,
    install: 'poetry',
    dependencyFiles: ['pyproject.toml', 'poetry.lock'],
    installsProject: true,
    buildkit: false,
  },
  pipenv: { ...PIP, install: 'pipenv', dependencyFiles: ['Pipfile', 'Pipfile.lock'] },
  'pipenv-nobuildkit': { ...PIP, install: 'pipenv', dependencyFiles: ['Pipfile', 'Pipfile.lock'], buildkit: false },
  'pdm-nobuildkit': {
    ...PIP,
    install: 'pdm',
    dependencyFiles: ['pyproject.toml', 'pdm.lock'],
    installsProject: true,
    buildkit: false,
  },
  'pdm-compilers': {
    ...PIP,
    ...COMPILERS,
    install: 'pdm',
    dependencyFiles: ['pyproject.toml', 'pdm.lock'],
    installsProject: true,
  },
};

interface Case {
  name: string;
  answers: Answers;
  facts: ProjectFacts;
  dockerfile: string;
}

async function buildCases(): Promise<Case[]> {
  const cases: Case[] = [];
  const add = async (
    framework: string,
    version: string,
    maintainer: string | undefined,
    mode: string,
    facts: ProjectFacts,
  ) => {
    const { answers } = await resolveAnswers({
      options: answerOptions({ framework, 'python-version': version, ...(maintainer ? { maintainer } : {}) }),
    });
    const name = `${framework}-${version}-${maintainer ? 'maintainer' : 'anonymous'}-${mode}.Dockerfile`;
    cases.push({ name, answers, facts, dockerfile: renderFiles(answers, facts).Dockerfile });
  };
  // A framework changes the runtime stage's tail (ENV, EXPOSE, HEALTHCHECK, CMD), the Python version its FROM
  // lines and Debian release: every framework with every install mode, every version with a web framework
  // and a worker (the full cross product was thousands of cases saying the same).
  const everyVersion = new Set(['fastapi', 'none']);
  for (const framework of FRAMEWORKS) {
    for (const maintainer of MAINTAINERS) {
      for (const version of everyVersion.has(framework) ? PYTHON_VERSIONS : ['3.14'])
        for (const [mode, facts] of Object.entries(FACTS)) await add(framework, version, maintainer, mode, facts);
      for (const [mode, facts] of Object.entries(INSTALLS)) await add(framework, '3.14', maintainer, mode, facts);
    }
  }
  return cases;
}

const cases = await buildCases();

describe('template matrix', () => {
  it('covers every framework, Python version, install mode and maintainer state, each rendering its own Dockerfile', () => {
    const modes = [...Object.keys(FACTS), ...Object.keys(INSTALLS)];
    for (const framework of FRAMEWORKS) expect(cases.some((c) => c.answers.framework === framework)).toBe(true);
    for (const version of PYTHON_VERSIONS) expect(cases.some((c) => c.answers.pythonVersion === version)).toBe(true);
    for (const mode of modes) expect(cases.some((c) => c.name.endsWith(`-${mode}.Dockerfile`))).toBe(true);
    // An answer or fact the templates ignored would render two cases alike.
    expect(new Set(cases.map((c) => c.dockerfile)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s parses and has no dockerfile-utils diagnostics', (_name, c) => {
    const parsed = parseDockerfile(c.dockerfile);
    const multiStage =
      c.facts.install !== 'requirements' && c.facts.install !== 'pyproject' ? true : c.facts.buildPackages.length > 0;
    // uv comes from a stage of its own: its official image, at the UV_VERSION build arg.
    const froms = parsed.getFROMs();
    const uv = c.facts.install === 'uv' ? froms.shift() : undefined;
    if (uv)
      expect(`${uv.getRegistry()}/${uv.getImageName()}:${uv.getImageTag()}`).toBe('ghcr.io/astral-sh/uv:${UV_VERSION}');
    expect(froms).toHaveLength(multiStage ? 2 : 1);
    for (const from of froms) {
      expect(from.getImageName()).toBe('python');
      expect(from.getImageTag()).toBe(`\${PYTHON_VERSION}-slim-${debianCodename(c.answers.pythonVersion)}`);
    }
    const keywords = instructions(c.dockerfile).map((i) => i.keyword);
    expect(keywords.includes('LABEL')).toBe(c.answers.maintainer !== undefined);
    expect(keywords.includes('EXPOSE')).toBe(c.answers.framework !== 'none');
    const healthcheck = instructions(c.dockerfile).find((i) => i.keyword === 'HEALTHCHECK')!.args;
    expect(healthcheck === 'NONE').toBe(c.answers.framework === 'none');
    expect(utilsDiagnostics(c.dockerfile)).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s keeps pip's download cache out of the image", (_name, c) => {
    const pipRuns = instructionTexts(c.dockerfile, 'RUN').filter((text) => /\bpip install\b/.test(text));
    for (const text of pipRuns) {
      // BuildKit: the cache lives in a cache mount. Without BuildKit there are no mounts: pip must not cache at all.
      if (c.facts.buildkit) expect(text).toMatch(/--mount=type=cache,target=\/root\/\.cache(\/pip)?\b/);
      else expect(text).toContain('--no-cache-dir');
    }
    if (!c.facts.buildkit) expect(c.dockerfile).not.toContain('--mount=');
  });

  // One tally process over every file: minutes on a loaded machine are slow, not wrong, so no tight timeout.
  it.skipIf(!tallyAvailable && !process.env.CI)(
    'tally finds nothing in any of them',
    () => {
      const findings = tallyFindings(Object.fromEntries(cases.map((c) => [c.name, c.dockerfile])));
      expect(findings).toEqual([]);
    },
    15 * 60_000,
  );
});
