/**
 * Three-way merge of a generated file: the render the user started from
 * (base), the file as the user left it (ours) and the new render (theirs).
 */
import { nodeDiff3 } from './lazy-dependencies.js';

export interface MergeOutcome {
  content: string;
  conflict: boolean;
  /** Lines the user added or changed relative to the base, kept in the result. */
  userLines: number;
  /** Lines the user deleted from the base (beyond those changed), still deleted in the result. */
  userRemoved: number;
}

const lines = (text: string) => text.split('\n');

/** How many lines of `ours` are not in `base` (added or changed), and how many of `base` were deleted outright. */
export function changedLines(base: string, ours: string): { changed: number; removed: number } {
  let changed = 0;
  let removed = 0;
  const { diffComm } = nodeDiff3();
  for (const block of diffComm(lines(base), lines(ours))) {
    const added = block.buffer2?.length ?? 0;
    changed += added;
    removed += Math.max(0, (block.buffer1?.length ?? 0) - added);
  }
  return { changed, removed };
}

/**
 * Merges line by line. Where both sides changed the same lines, writes git-style
 * conflict markers with both versions, so nothing is lost and nothing is silently wrong.
 */
export function mergeThreeWay(base: string, ours: string, theirs: string, theirsLabel: string): MergeOutcome {
  const out: string[] = [];
  let conflict = false;
  const { diff3Merge } = nodeDiff3();
  for (const region of diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true })) {
    if (region.ok) {
      out.push(...region.ok);
    } else if (region.conflict) {
      conflict = true;
      out.push('<<<<<<< your version', ...region.conflict.a, '=======', ...region.conflict.b, `>>>>>>> ${theirsLabel}`);
    }
  }
  const content = out.join('\n');
  const mine = conflict ? { changed: 0, removed: 0 } : changedLines(base, ours);
  return { content, conflict, userLines: mine.changed, userRemoved: mine.removed };
}
