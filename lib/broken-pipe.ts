let installed = false;
let closed = false;

/**
 * A reader that goes away (`| head`, `| true`) must neither print an EPIPE stack
 * nor stop the run part-way: the run finishes (its files are written whole or not
 * at all), prints nothing more, and ends non-zero with one line on stderr.
 */
export function finishOnBrokenPipe(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // After the first EPIPE the stream is destroyed: later writes report that instead.
      if (error.code !== 'EPIPE' && !(closed && error.code === 'ERR_STREAM_DESTROYED')) throw error;
      closed = true;
    });
  }
  // The pipe's error arrives a tick after the write that met it: settle the exit status last.
  process.once('exit', () => {
    if (!closed) return;
    if (!process.stderr.destroyed) {
      process.stderr.write('python-docker: the output was closed before everything was printed (the run itself finished); read all of it, or redirect it to a file\n');
    }
    process.exitCode ||= 1;
  });
}
