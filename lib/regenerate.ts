/**
 * What a run does to each generated file, given the new render, the file on
 * disk and the render recorded by the last run (the merge base):
 * create, replace an untouched file, merge the user's edits, or leave it be.
 */
import { mergeThreeWay } from './merge.js';

export type FileStatus = 'created' | 'updated' | 'merged' | 'conflict' | 'unchanged' | 'kept' | 'deleted' | 'skipped';

/** For a file the user wrote before the generator ever ran: overwrite it, or keep it and write `<file>.new`. */
export type Resolution = 'overwrite' | 'new';

export interface FilePlan {
  /** The generated file this is about. */
  target: string;
  status: FileStatus;
  /** What goes to disk, if anything (`Dockerfile.new` when the user's own file is kept). */
  write?: { path: string; content: string };
  /** The render to record as the next run's merge base; undefined records none. */
  base?: string;
  /** merged: how many of the user's own lines the result keeps. */
  userLines?: number;
  /** skipped: why it was not written. */
  reason?: string;
}

export interface FileState {
  target: string;
  rendered: string;
  /** The file on disk now (undefined: absent). */
  disk?: string;
  /** The render the last run recorded (undefined: the generator never wrote this file). */
  base?: string;
  /** The render the last run wrote beside the user's own file (`Dockerfile.new`), if it did. */
  offered?: string;
}

/** The generator's name is in every file it renders, and in no file written before it ran. */
const GENERATED_MARK = 'generator-python-docker';

export interface RegenerateOptions {
  /** --force: take the new render wholesale. */
  force?: boolean;
  /** Asks about a file the user wrote themselves; without it, such files are kept and the render goes to `.new`. */
  resolve?: (target: string) => Promise<Resolution>;
  /** Names the new render in conflict markers. */
  theirsLabel: string;
}

export async function planFile(state: FileState, options: RegenerateOptions): Promise<FilePlan> {
  const { target, rendered, disk } = state;
  let base = state.base;
  // `mv Dockerfile.new Dockerfile`: the user took the offered render (maybe edited since), so it is the merge base.
  if (base === undefined && state.offered !== undefined && disk !== undefined && (disk === state.offered || disk.includes(GENERATED_MARK))) {
    base = state.offered;
  }
  const write = (content: string) => ({ path: target, content });

  if (disk === undefined) {
    // Generated before and deleted since: the user's choice stands (--force brings it back).
    if (base !== undefined && !options.force) return { target, status: 'deleted', base: rendered };
    return { target, status: 'created', write: write(rendered), base: rendered };
  }
  if (disk === rendered) return { target, status: 'unchanged', base: rendered };
  if (options.force) return { target, status: 'updated', write: write(rendered), base: rendered };

  if (base === undefined) {
    // The user's own file, from before the generator ran: never overwritten without asking.
    const resolution = options.resolve ? await options.resolve(target) : 'new';
    if (resolution === 'overwrite') return { target, status: 'updated', write: write(rendered), base: rendered };
    return { target, status: 'kept', write: { path: `${target}.new`, content: rendered } };
  }
  if (disk === base) return { target, status: 'updated', write: write(rendered), base: rendered };
  // Edited by the user since the last run.
  if (rendered === base) return { target, status: 'unchanged', base: rendered };
  const merged = mergeThreeWay(base, disk, rendered, options.theirsLabel);
  if (merged.conflict) return { target, status: 'conflict', write: write(merged.content), base: rendered };
  if (merged.content === disk) return { target, status: 'unchanged', base: rendered };
  return { target, status: 'merged', write: write(merged.content), base: rendered, userLines: merged.userLines };
}
