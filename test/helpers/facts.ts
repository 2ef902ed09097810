/** Project facts for rendering tests: a pip project with requirements.txt, overridable. */
import type { ProjectFacts } from '../../lib/render.js';

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
