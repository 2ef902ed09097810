/**
 * Host virtualenvs (any folder holding pyvenv.cfg) and the image: multi-stage
 * images keep their own in /opt/venv, outside /app, so no project folder can
 * overwrite it; .dockerignore keeps the host's out of the build. A kept
 * .dockerignore that lets one through is named in a warning.
 */
import { dockerignoreLiteral, dockerignoreMatcher } from './dockerignore-rules.js';
import type { FilePlan } from './regenerate.js';
import { VENV_DIR, type ProjectFacts } from './render.js';
import { shown } from './terminal-text.js';

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
  const notes = multiStage
    ? [`the image's virtualenv is ${VENV_DIR}, outside /app: no folder of the project can overwrite it`]
    : [];
  const matcher = dockerignoreMatcher(effectiveDockerignore(dockerignorePlan, dockerignoreOnDisk));
  // Asked of the file that marks it: Docker's matcher takes paths without a trailing slash.
  const letThrough = venvs.filter((v) => !matcher.ignores(`${v}/pyvenv.cfg`));
  const kept = venvs.filter((v) => !letThrough.includes(v));
  const names = kept.map((v) => `${shown(v, 60)}/`).join(', ');
  if (kept.length)
    notes.push(
      `host virtualenv${kept.length > 1 ? 's' : ''} ${names} ` +
        `stay${kept.length > 1 ? '' : 's'} out of the build (.dockerignore)`,
    );
  const warnings = letThrough.map(
    (v) =>
      `.dockerignore does not exclude the virtualenv ${shown(v, 60)}/: ` +
      `it is sent with every build and copied into the image as /app/${shown(v, 60)}` +
      (multiStage ? ` (it cannot replace the image's own, in ${VENV_DIR})` : '') +
      `; add a line "${shown(dockerignoreLiteral(v), 60)}/" to .dockerignore`,
  );
  return { notes, warnings };
}
