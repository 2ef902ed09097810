/**
 * yeoman-test's TestAdapter gives its prompt module `Duplex.from(async () => {})` as output: a sink whose
 * function returns at once. Since Node 24 a write after that errors with AbortError, and nothing listens:
 * the run passes but the test process reports unhandled errors. Such sinks (functions that take no
 * source) get a listener for that error; every other stream is left as it is.
 */
import { Duplex } from 'node:stream';

const from = Duplex.from.bind(Duplex);
Duplex.from = ((body: unknown) => {
  const stream = from(body as never);
  if (typeof body === 'function' && body.length === 0) {
    stream.on('error', (error: Error) => {
      if (error.name !== 'AbortError') throw error;
    });
  }
  return stream;
}) as typeof Duplex.from;
