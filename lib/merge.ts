/**
 * Three-way merge of a generated file: the render the user started from
 * (base), the file as the user left it (ours) and the new render (theirs).
 */
import { diff3Merge, diffComm } from 'node-diff3';

export interface MergeOutcome {
  content: string;
  conflict: boolean;
  /** Lines the user added or changed relative to the base, kept in the result. */
  userLines: number;
}

const lines = (text: string) => text.split('\n');

/** How many lines of `ours` are not in `base` (added or changed by the user). */
export function changedLines(base: string, ours: string): number {
  return diffComm(lines(base), lines(ours)).reduce((n, block) => n + (block.buffer2?.length ?? 0), 0);
}

/**
 * Merges line by line. Where both sides changed the same lines, writes git-style
 * conflict markers with both versions, so nothing is lost and nothing is silently wrong.
 */
export function mergeThreeWay(base: string, ours: string, theirs: string, theirsLabel: string): MergeOutcome {
  const out: string[] = [];
  let conflict = false;
  for (const region of diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true })) {
    if (region.ok) {
      out.push(...region.ok);
    } else if (region.conflict) {
      conflict = true;
      out.push('<<<<<<< your version', ...region.conflict.a, '=======', ...region.conflict.b, `>>>>>>> ${theirsLabel}`);
    }
  }
  const content = out.join('\n');
  return { content, conflict, userLines: conflict ? 0 : changedLines(base, ours) };
}
