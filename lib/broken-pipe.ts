let installed = false;

/** A reader that goes away (`| head`, `| true`) ends the run quietly, as other commands do, not with an EPIPE stack. */
export function endQuietlyOnBrokenPipe(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
}
