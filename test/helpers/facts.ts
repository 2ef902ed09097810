/** Project facts for rendering tests: a pip project with requirements.txt, overridable. */
import type { Answers } from '../../lib/answers.js';
import type { ProjectFacts } from '../../lib/render.js';

/** The answers of a default FastAPI run, for tests that vary one of them. */
export const FASTAPI_ANSWERS: Answers = {
  pythonVersion: '3.14',
  framework: 'fastapi',
  port: 8000,
  entrypoint: 'main:app',
  packageManager: 'pip',
  buildDeps: false,
  noBuildkit: false,
  compose: false,
};

export function pipFacts(overrides: Partial<ProjectFacts> = {}): ProjectFacts {
  return {
    install: 'requirements',
    dependencyFiles: ['requirements.txt'],
    installsProject: false,
    buildPackages: [],
    runtimePackages: [],
    buildkit: true,
    writeRequirementsStub: false,
    imageName: 'shop',
    hasEnvFile: false,
    ...overrides,
  };
}
