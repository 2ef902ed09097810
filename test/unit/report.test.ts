import { describe, expect, it } from 'vitest';
import type { Answers } from '../../lib/answers.js';
import type { Generation } from '../../lib/generate.js';
import type { FilePlan } from '../../lib/regenerate.js';
import { fixFirst, nextLines, summaryLines } from '../../lib/report.js';
import { createServer } from 'node:net';
import { chooseHostPort, hostPortFree } from '../../lib/host-port.js';
import { FASTAPI_ANSWERS } from '../helpers/facts.js';

const ANSWERS = FASTAPI_ANSWERS;

function generation(
  files: Partial<Record<string, FilePlan['status']>>,
  answers: Partial<Answers> = {},
  notReady: string[] = [],
): Generation {
  return {
    answers: { ...ANSWERS, ...answers },
    imageName: 'shop',
    files: Object.entries(files).map(([target, status]) => ({
      target,
      status: status!,
      write: status === 'kept' ? { path: `${target}.new`, content: '' } : { path: target, content: '' },
    })),
    config: { path: '.yo-rc.json', content: '{}' },
    conflicts: [],
    warnings: [],
    notes: [],
    notReady,
  };
}

describe('the closing report', () => {
  it('no compose.yaml: build and run, the URL, and README.Docker.md', () => {
    expect(nextLines(generation({ Dockerfile: 'created', 'README.Docker.md': 'created' }))).toEqual([
      'Next:',
      '  docker build -t shop .',
      '  docker run --rm -p 8000:8000 shop',
      '  It answers on http://localhost:8000',
      '  README.Docker.md says how to develop in the container, change Python and regenerate',
    ]);
  });

  it('compose.yaml written: docker compose up --build', () => {
    const lines = nextLines(
      generation({ Dockerfile: 'created', 'compose.yaml': 'created' }, { compose: true, port: 5000 }),
    );
    expect(lines.slice(1)).toEqual(['  docker compose up --build', '  It answers on http://localhost:5000']);
  });

  it('a worker: run, no port, no URL', () => {
    const lines = nextLines(
      generation({ Dockerfile: 'created' }, { framework: 'none', port: undefined, entrypoint: 'worker.py' }),
    );
    expect(lines).toEqual(['Next:', '  docker build -t shop .', '  docker run --rm shop']);
  });

  it('what the run left for the user comes first: markers, a .new file, a deleted Dockerfile, what will not start', () => {
    const lines = nextLines(
      generation({ Dockerfile: 'conflict', '.dockerignore': 'kept', 'compose.yaml': 'deleted' }, { compose: true }, [
        'main.py does not exist',
      ]),
    );
    expect(lines.slice(0, 4)).toEqual([
      'Next:',
      '  resolve the <<<<<<< markers in Dockerfile, then',
      '  compare .dockerignore.new with your .dockerignore and merge what you want into .dockerignore, then',
      '  fix what "Will not start yet" lists, then',
    ]);
    expect(lines[4]).toBe('  docker build -t shop .'); // compose.yaml was deleted: not offered
    expect(nextLines(generation({ Dockerfile: 'deleted' }))[1]).toBe(
      '  write the Dockerfile again (you deleted it): run again with --force, then',
    );
  });

  it('what will not start is listed with the files, before Next:', () => {
    expect(summaryLines(generation({ Dockerfile: 'created' }, {}, ['main.py does not exist']))).toEqual([
      'Files:',
      '  created   Dockerfile',
      'Will not start yet:',
      '  main.py does not exist',
    ]);
  });

  it('after a ✖ of --verify: what to fix first, never where it answers', () => {
    const fix = fixFirst(
      [
        { name: 'builds', ok: true, detail: '' },
        { name: 'answers on port 8000', ok: false, detail: 'HTTP 404 on http://127.0.0.1:1/: no URL pattern' },
      ],
      1,
    );
    const lines = nextLines(generation({ Dockerfile: 'created', 'compose.yaml': 'created' }, { compose: true }), {
      fixFirst: fix,
    });
    expect(lines).toEqual([
      'Next:',
      '  make the app answer its health path with a status below 400 (what came back is above), then run again with --verify, then',
      '  docker compose up --build',
    ]);
    expect(fixFirst([{ name: 'builds', ok: false, detail: '' }], 1)).toBe(
      'make the build pass (the build log is named above), then run again with --verify',
    );
    expect(fixFirst([], 2)).toMatch(/^make a container engine answer here/);
    expect(fixFirst([{ name: 'builds', ok: true, detail: '' }], 0)).toBeUndefined();
    // What will not start yet stops it from answering too.
    expect(nextLines(generation({ Dockerfile: 'created' }, {}, ['x'])).join('\n')).not.toContain('It answers on');
  });

  it('a taken host port: "Next:" publishes the free one named, through APP_PORT for compose.yaml', async () => {
    const hostPort = await chooseHostPort(8000, async (p) => p > 8001);
    expect(hostPort).toEqual({ port: 8002, taken: true });
    expect(await chooseHostPort(8000, async () => true)).toEqual({ port: 8000 });
    const compose = nextLines(generation({ Dockerfile: 'created', 'compose.yaml': 'created' }, { compose: true }), {
      hostPort,
    });
    expect(compose.slice(1)).toEqual([
      '  APP_PORT=8002 docker compose up --build',
      '  It answers on http://localhost:8002',
    ]);
    const plain = nextLines(generation({ Dockerfile: 'created' }), { hostPort });
    expect(plain.slice(1)).toEqual([
      '  docker build -t shop .',
      '  docker run --rm -p 8002:8000 shop',
      '  It answers on http://localhost:8002',
    ]);
  });

  it('a port something listens on, on any address (127.0.0.1, ::1), is taken; a closed one is free', async () => {
    for (const host of ['127.0.0.1', '::1']) {
      const server = createServer();
      const listening = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false)); // a machine without IPv6
        server.listen(0, host, () => resolve(true));
      });
      if (!listening) continue;
      const { port } = server.address() as { port: number };
      expect(await hostPortFree(port), host).toBe(false);
      await new Promise((resolve) => server.close(resolve));
      expect(await hostPortFree(port), host).toBe(true);
    }
  });
});
