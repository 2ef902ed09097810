/**
 * Host virtualenvs (any folder holding pyvenv.cfg) and the image: multi-stage
 * images keep their own in /opt/venv, outside /app, so no project folder can
 * overwrite it; .dockerignore keeps the host's out of the build. A kept
 * .dockerignore that lets one through is named in a warning.
 */
import ignore from 'ignore';
import type { FilePlan } from './regenerate.js';
import { VENV_DIR, type ProjectFacts } from './render.js';

/** Docker's .dockerignore anchors every pattern at the context root; gitignore (the `ignore` package) does so only with a slash. */
function dockerignoreMatcher(text: string) {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const pattern = (negated ? l.slice(1) : l).replace(/^\/+/, '');
      const anchored = pattern.replace(/\/+$/, '').includes('/') ? pattern : `/${pattern}`;
      return `${negated ? '!' : ''}${anchored}`;
    });
  return ignore({ ignorecase: false }).add(lines);
}

/** The .dockerignore the next build reads: what this run writes there, else what is on disk. */
function effectiveDockerignore(plan: FilePlan | undefined, disk: string | undefined): string {
  if (plan?.write?.path === '.dockerignore') return plan.write.content;
  return disk ?? '';
}

export function virtualenvReport(
  facts: Pick<ProjectFacts, 'virtualenvs' | 'install' | 'buildPackages'>,
  dockerignorePlan: FilePlan | undefined,
  dockerignoreOnDisk: string | undefined,
): { notes: string[]; warnings: string[] } {
  const venvs = facts.virtualenvs ?? [];
  const multiStage = !['requirements', 'pyproject'].includes(facts.install) || facts.buildPackages.length > 0;
  if (!venvs.length) return { notes: [], warnings: [] };
  const notes = multiStage ? [`the image's virtualenv is ${VENV_DIR}, outside /app: no folder of the project can overwrite it`] : [];
  const matcher = dockerignoreMatcher(effectiveDockerignore(dockerignorePlan, dockerignoreOnDisk));
  const letThrough = venvs.filter((v) => !matcher.ignores(`${v}/`));
  const kept = venvs.filter((v) => !letThrough.includes(v));
  if (kept.length) notes.push(`host virtualenv${kept.length > 1 ? 's' : ''} ${kept.map((v) => `${v}/`).join(', ')} stay${kept.length > 1 ? '' : 's'} out of the build (.dockerignore)`);
  const warnings = letThrough.map(
    (v) =>
      `.dockerignore does not exclude the virtualenv ${v}/: it is sent with every build and copied into the image as /app/${v}` +
      (multiStage ? ` (it cannot replace the image's own, in ${VENV_DIR})` : '') +
      `; add a line "${v}/" to .dockerignore`,
  );
  return { notes, warnings };
}
