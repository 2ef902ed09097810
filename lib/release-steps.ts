/**
 * What a release runs besides the server: a Procfile's `release:` line, and the framework's own
 * steps (its plugin's releaseSteps: `migrate`, `collectstatic`). Reads files; runs nothing.
 */
import type { Answers } from './answers.js';
import { frameworkPlugin } from './frameworks/index.js';
import type { ProjectTree } from './project/project-tree.js';
import { procfileRelease } from './project/run-commands.js';

export interface ReleaseSteps {
  /** A manage.py-style tool, relative to the image's working directory: the README shows its migrate line. */
  managePy?: string;
  /**
   * Collect static files at build; `secretKeyVar` gets a throwaway value there
   * (the settings read it from the environment).
   */
  collectStatic?: { secretKeyVar?: string };
  /** Why static files are not collected at build. */
  noCollectStatic?: string;
  /** The static root is set, so `collectstatic` has somewhere to write (at build, or in the container). */
  staticRoot?: true;
  /** The Procfile's `release:` command. */
  procfileRelease?: string;
  /** Settings hard-coded in a way that is wrong in a container (DEBUG = True, ALLOWED_HOSTS = []). */
  warnings?: string[];
}

export function releaseSteps(tree: ProjectTree, answers: Answers, sourceRoot: string | undefined): ReleaseSteps {
  const steps: ReleaseSteps = {};
  const release = procfileRelease(tree);
  if (release) steps.procfileRelease = release;
  const own = frameworkPlugin(answers.framework).releaseSteps;
  return own ? { ...steps, ...own(tree, answers, sourceRoot) } : steps;
}
