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
  /** merged: how many lines the user deleted stay deleted. */
  userRemoved?: number;
  /** skipped: why it was not written. */
  reason?: string;
  /** --force: the user's version it replaces, saved first (`Dockerfile.orig`). */
  backup?: { path: string; content: string };
  /** conflict: the markers are an earlier run's (or git's), still unresolved; nothing new was written. */
  unresolved?: boolean;
  /** kept: `<target>.new` is the user's own file too, so the new render was not written. */
  newIsUsers?: boolean;
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
  /** Reads a file beside the target (`Dockerfile.new`, `Dockerfile.orig`); undefined when absent. */
  readBeside?: (path: string) => string | undefined;
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

/** A file whose every line ends in CRLF (an editor's choice, or git's autocrlf). */
const isCrlf = (text: string) => text.includes('\r\n') && !/(^|[^\r])\n/.test(text);

/** Conflict markers left in a file (by an earlier run, or by git): such a file is never taken as settled. */
export const hasConflictMarkers = (text: string) =>
  /^<{7}( |$)/m.test(text) && /^={7}$/m.test(text) && /^>{7}( |$)/m.test(text);

/** The first of `<target>.orig`, `.orig.1`, … that is free or already holds `content`. */
function backupPath(target: string, content: string, readBeside: (path: string) => string | undefined): string {
  for (let i = 0; ; i++) {
    const path = i ? `${target}.orig.${i}` : `${target}.orig`;
    const there = readBeside(path);
    if (there === undefined || there === content) return path;
  }
}

export async function planFile(state: FileState, options: RegenerateOptions): Promise<FilePlan> {
  const { target, rendered } = state;
  const readBeside = state.readBeside ?? (() => undefined);
  // The user's line endings win: compare and merge in LF, write back as the file has them.
  const crlf = state.disk !== undefined && isCrlf(state.disk);
  const disk = crlf ? state.disk!.replace(/\r\n/g, '\n') : state.disk;
  let base = state.base;
  // `mv Dockerfile.new Dockerfile`: the user took the offered render (maybe edited since), so it is the merge base.
  if (
    base === undefined &&
    state.offered !== undefined &&
    disk !== undefined &&
    (disk === state.offered || disk.includes(GENERATED_MARK))
  ) {
    base = state.offered;
  }
  const write = (content: string) => ({ path: target, content: crlf ? content.replace(/\n/g, '\r\n') : content });

  if (disk === undefined) {
    // Generated before and deleted since: the user's choice stands (--force brings it back).
    if (base !== undefined && !options.force) return { target, status: 'deleted', base: rendered };
    return { target, status: 'created', write: write(rendered), base: rendered };
  }
  if (disk === rendered) return { target, status: 'unchanged', base: rendered };
  if (options.force) {
    // Edits are dropped, never lost: the replaced version is saved beside the file first.
    if (base !== undefined && disk === base)
      return { target, status: 'updated', write: write(rendered), base: rendered };
    const backup = { path: backupPath(target, state.disk!, readBeside), content: state.disk! };
    return { target, status: 'updated', write: write(rendered), base: rendered, backup };
  }

  if (base === undefined) {
    // The user's own file, from before the generator ran: never overwritten without asking.
    const resolution = options.resolve ? await options.resolve(target) : 'new';
    if (resolution === 'overwrite') return { target, status: 'updated', write: write(rendered), base: rendered };
    const newPath = `${target}.new`;
    const there = readBeside(newPath);
    // A .new the generator did not write (nor offered last time) is the user's work in progress: never overwritten.
    if (there !== undefined && there !== rendered && there !== state.offered)
      return { target, status: 'kept', newIsUsers: true };
    return { target, status: 'kept', write: { path: newPath, content: rendered } };
  }
  // Markers from an earlier run (or git) still in the file: it is not settled until they are gone.
  if (hasConflictMarkers(disk)) return { target, status: 'conflict', base, unresolved: true };
  if (disk === base) return { target, status: 'updated', write: write(rendered), base: rendered };
  // Edited by the user since the last run.
  if (rendered === base) return { target, status: 'unchanged', base: rendered };
  const merged = mergeThreeWay(base, disk, rendered, options.theirsLabel);
  if (merged.conflict) return { target, status: 'conflict', write: write(merged.content), base: rendered };
  if (merged.content === disk) return { target, status: 'unchanged', base: rendered };
  return {
    target,
    status: 'merged',
    write: write(merged.content),
    base: rendered,
    userLines: merged.userLines,
    userRemoved: merged.userRemoved,
  };
}
