let installed = false;

/**
 * A reader that goes away (`| head -1`, `| true`) must neither print an EPIPE stack
 * nor stop the run part-way: the run finishes (its files are written whole or not
 * at all), prints nothing more, and exits with the run's own status, as a reader that
 * took only what it wanted (`head -1`) expects.
 */
export function finishOnBrokenPipe(): void {
  if (installed) return;
  installed = true;
  let closed = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // After the first EPIPE the stream is destroyed: later writes report that instead.
      if (error.code !== 'EPIPE' && !(closed && error.code === 'ERR_STREAM_DESTROYED')) throw error;
      closed = true;
    });
  }
}
