/**
 * Pinned requirements checked against the user's package index: a small PEP 691 index served by
 * the test itself (and a PEP 503 HTML one, and one that never answers). Nothing here leaves the host.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectProject } from '../../lib/detect/detect-project.js';
import { checkPins, userIndex } from '../../lib/project/index-check.js';
import { ProjectTree } from '../../lib/project/project-tree.js';
import { CLI, makeProject } from '../helpers/project.js';

const FILES: Record<string, string[]> = {
  fastbin: [
    'fastbin-1.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    'fastbin-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    'fastbin-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    'fastbin-1.0.tar.gz',
    // Another version's wheel: not the pinned one, so it must not count.
    'fastbin-2.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
  ],
  flask: ['flask-3.0.0-py3-none-any.whl', 'flask-3.0.0.tar.gz'],
};

interface Seen {
  url: string;
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

function serve(
  handler: (name: string, json: boolean) => { type: string; body: string } | undefined,
  seen: Seen[] = [],
): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      const name = /^\/simple\/([^/]+)\/$/.exec(req.url ?? '')?.[1] ?? '';
      const answer = handler(name, /application\/vnd\.pypi\.simple\.v1\+json/.test(req.headers.accept ?? ''));
      if (!answer) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': answer.type }).end(answer.body);
    });
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`, seen }),
    ),
  );
}

const pep691 = (name: string) =>
  FILES[name] && {
    type: 'application/vnd.pypi.simple.v1+json',
    body: JSON.stringify({
      meta: { 'api-version': '1.1' },
      name,
      files: FILES[name].map((filename) => ({ filename, url: `../../files/${filename}`, hashes: {} })),
    }),
  };
const pep503 = (name: string) =>
  FILES[name] && {
    type: 'text/html',
    body: `<!DOCTYPE html><html><body>${FILES[name].map((f) => `<a href="../../files/${f}#sha256=00">${f}</a><br/>`).join('\n')}</body></html>`,
  };

const REQUIREMENTS = 'flask==3.0.0\nfastbin==1.0 ; python_version >= "3.9"\nrequests>=2\n';
let json: Awaited<ReturnType<typeof serve>>;
let html: Awaited<ReturnType<typeof serve>>;
let silent: Server;
let silentUrl: string;
const home = makeProject({}, 'home-');

beforeAll(async () => {
  json = await serve((name) => pep691(name));
  html = await serve((name) => pep503(name));
  silent = createServer(() => {}); // accepts, never answers
  await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/simple/`;
});
afterAll(() => {
  json.server.close();
  html.server.close();
  silent.closeAllConnections();
  silent.close();
});

describe('pinned requirements checked against the index', () => {
  it('PEP 691 JSON: the pins narrow the Python as a lock does; only the package names are sent', async () => {
    const tree = new ProjectTree(makeProject({ 'requirements.txt': REQUIREMENTS, 'main.py': 'print(1)\n' }));
    const check = await checkPins(tree, { env: { PIP_INDEX_URL: json.url }, home });
    expect(check.warning).toBeUndefined();
    expect(check.packages?.packages.map((p) => [p.name, p.wheels.length, p.hasSdist])).toEqual([
      ['fastbin', 3, true],
      ['flask', 1, true],
    ]);
    const detection = detectProject(tree.root, { tree, indexed: check.packages });
    expect(detection.answers.pythonVersion).toBe('3.12');
    expect(detection.sources.pythonVersion).toBe('requirements.txt pins: fastbin 1.0 has wheels up to 3.12');
    expect(json.seen.map((s) => `${s.method} ${s.url} ${s.body}`).sort()).toEqual([
      'GET /simple/fastbin/ ',
      'GET /simple/flask/ ',
    ]);
    expect(json.seen[0].headers.accept).toContain('application/vnd.pypi.simple.v1+json');
  });

  it('PEP 503 HTML when the index has no JSON', async () => {
    const tree = new ProjectTree(makeProject({ 'requirements.txt': REQUIREMENTS }));
    const check = await checkPins(tree, { env: { UV_INDEX_URL: html.url }, home });
    expect(check.packages?.packages.find((p) => p.name === 'fastbin')?.wheels).toHaveLength(3);
  });

  it("an index that never answers: one line, within the time limit, and the run's Python is not narrowed", async () => {
    const tree = new ProjectTree(makeProject({ 'requirements.txt': REQUIREMENTS }));
    const started = Date.now();
    const check = await checkPins(tree, { env: { PIP_INDEX_URL: silentUrl }, home });
    expect(Date.now() - started).toBeLessThan(3500);
    expect(check.packages).toBeUndefined();
    expect(check.warning).toBe(
      `the pins in requirements.txt were not checked against ${new URL(silentUrl).host} (PIP_INDEX_URL): no answer within 3 s; their wheels do not narrow the Python version (--offline skips this check)`,
    );
  });

  it("the index the user's tools use: the file's --index-url, PIP_INDEX_URL, pip.conf, UV_INDEX_URL, uv.toml, Poetry's source; else PyPI", () => {
    const pipConf = makeProject(
      { '.config/pip/pip.conf': '[global]\nindex-url = https://pip.example/simple\n' },
      'home-',
    );
    const tree = (files: Record<string, string>) =>
      new ProjectTree(makeProject({ 'requirements.txt': 'flask==3.0.0\n', ...files }));
    expect(
      userIndex(tree({}), 'https://file.example/simple', { PIP_INDEX_URL: 'https://env.example/simple' }, home).url,
    ).toBe('https://file.example/simple');
    expect(userIndex(tree({}), undefined, { PIP_INDEX_URL: 'https://env.example/simple' }, pipConf).url).toBe(
      'https://env.example/simple',
    );
    expect(userIndex(tree({}), undefined, {}, pipConf).url).toBe('https://pip.example/simple');
    expect(userIndex(tree({}), undefined, { UV_INDEX_URL: 'https://uv.example/simple' }, home).url).toBe(
      'https://uv.example/simple',
    );
    expect(
      userIndex(
        tree({ 'uv.toml': '[[index]]\nname = "corp"\nurl = "https://uvtoml.example/simple"\ndefault = true\n' }),
        undefined,
        {},
        home,
      ).url,
    ).toBe('https://uvtoml.example/simple');
    const poetry =
      '[tool.poetry]\nname = "x"\n\n[[tool.poetry.source]]\nname = "corp"\nurl = "https://poetry.example/simple/"\npriority = "primary"\n';
    expect(userIndex(tree({ 'pyproject.toml': poetry }), undefined, {}, home).url).toBe(
      'https://poetry.example/simple/',
    );
    expect(userIndex(tree({}), undefined, {}, home)).toEqual({
      url: 'https://pypi.org/simple/',
      from: 'the public index',
    });
  });

  it('the run: pins narrow the Python through the user index; --offline asks nothing', async () => {
    const seen: Seen[] = [];
    const index = await serve((name) => pep691(name), seen);
    try {
      const env = {
        PIP_INDEX_URL: index.url,
        PYTHON_DOCKER_OFFLINE: '',
        HOME: home,
        XDG_CONFIG_HOME: `${home}/.config`,
      };
      const dir = makeProject({
        'requirements.txt': 'fastapi\nuvicorn\nfastbin==1.0\n',
        'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      });
      const run = await execa('node', [CLI, '--yes', '--dry-run'], { cwd: dir, reject: false, stdin: 'ignore', env });
      expect(run.stdout).toMatch(
        /python-version +3\.12 \(requirements\.txt pins: fastbin 1\.0 has wheels up to 3\.12\)/,
      );
      expect(seen.map((s) => s.url)).toEqual(['/simple/fastbin/']);
      const offline = await execa('node', [CLI, '--yes', '--dry-run', '--offline'], {
        cwd: dir,
        reject: false,
        stdin: 'ignore',
        env,
      });
      expect(offline.exitCode).toBe(0);
      expect(offline.stdout).not.toContain('requirements.txt pins');
      expect(seen).toHaveLength(1);
    } finally {
      index.server.close();
    }
  });
});
