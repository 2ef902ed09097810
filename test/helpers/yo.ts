/** The Yeoman generator run through yeoman-test, on the real terminal adapter with no terminal (as under CI), its output captured. */
import { PassThrough } from 'node:stream';
import { QueuedAdapter, TerminalAdapter } from '@yeoman/adapter';
import type { RunContext } from 'yeoman-test';

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return () => chunks.join('');
}

export async function noTerminal(context: RunContext<any>) {
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const result = await context.withEnvironment((env) => {
    (env as { adapter: unknown }).adapter = new QueuedAdapter({
      adapter: new TerminalAdapter({ stdin, stdout, stderr } as unknown as ConstructorParameters<
        typeof TerminalAdapter
      >[0]),
    });
  });
  return { result, stdout: out(), stderr: err() };
}
