import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { QueuedAdapter, TerminalAdapter } from '@yeoman/adapter';
import { describe, expect, it } from 'vitest';
import { renderFiles } from '../../lib/render.js';
import { pipFacts } from '../helpers/facts.js';
import { makeProject, readTree, runGenerator } from '../helpers/project.js';
import { withEngine } from '../helpers/engine-on-path.js';
import { noTerminal } from '../helpers/yo.js';

// yeoman-test passes force: true by default; a user starts without --force.
const run = (dir: string) => runGenerator().cd(dir).withOptions({ force: false });

/** What the generator printed with one log method (yeoman-test's log methods are node:test spies). */
function logged(result: { env: { adapter: { log: unknown } } }, method: 'writeln' | 'info'): string[] {
  const spy = (result.env.adapter.log as Record<string, { mock: { calls: { arguments: unknown[] }[] } }>)[method];
  return spy.mock.calls.map((c) => String(c.arguments[0]));
}

describe('yo python-docker (yeoman-test)', () => {
  it('--yes with options writes the rendered files and records the answers', async () => {
    const dir = makeProject();
    await run(dir).withOptions({
      yes: true,
      framework: 'flask',
      port: '5000',
      entrypoint: 'web:create_app()',
      maintainer: 'Jane "JD" Doe',
    });
    const tree = readTree(dir);
    const answers = {
      pythonVersion: '3.14',
      framework: 'flask' as const,
      port: 5000,
      healthPath: '/',
      entrypoint: 'web:create_app()',
      maintainer: 'Jane "JD" Doe',
      packageManager: 'pip' as const,
      buildDeps: false,
      noBuildkit: false,
      compose: false,
      syntaxLine: true,
    };
    const expected = renderFiles(
      answers,
      pipFacts({ writeRequirementsStub: true, imageName: dir.split('/').at(-1)!.toLowerCase() }),
    );
    expect(Object.keys(tree).sort()).toEqual([
      '.dockerignore',
      '.yo-rc.json',
      'Dockerfile',
      'README.Docker.md',
      'requirements.txt',
    ]);
    for (const [path, content] of Object.entries(expected)) expect(tree[path]).toBe(content);
    expect(JSON.parse(tree['.yo-rc.json'])['generator-python-docker'].answers).toEqual(answers);
  });

  it('asks the questions and uses the answers', async () => {
    const dir = makeProject();
    const result = await withEngine('docker', () =>
      run(dir).withAnswers({
        pythonVersion: '3.12',
        framework: 'streamlit',
        port: '8600',
        entrypoint: 'dash.py',
        maintainer: 'Ops <ops@example.com>',
      }),
    );
    expect(result.askedQuestions.map((q) => q.name)).toEqual([
      'pythonVersion',
      'framework',
      'port',
      'entrypoint',
      'maintainer',
      'compose',
      'verify',
    ]);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG PYTHON_VERSION=3.12');
    expect(dockerfile).toContain('CMD ["streamlit", "run", "dash.py", "--server.port", "8600"');
    expect(dockerfile).toContain('LABEL maintainer="Ops <ops@example.com>"');
  });

  it('does not ask what an option answered, nor the port of a worker', async () => {
    const result = await withEngine('docker', () =>
      run(makeProject())
        .withOptions({ framework: 'none', 'python-version': '3.13' })
        .withAnswers({ entrypoint: 'worker.py' }),
    );
    expect(result.askedQuestions.map((q) => q.name)).toEqual(['entrypoint', 'maintainer', 'compose', 'verify']);
  });

  it('does not offer to build the image where no engine answers', async () => {
    const result = await withEngine('none', () =>
      run(makeProject())
        .withOptions({ framework: 'none', 'python-version': '3.13' })
        .withAnswers({ entrypoint: 'worker.py' }),
    );
    expect(result.askedQuestions.map((q) => q.name)).toEqual(['entrypoint', 'maintainer', 'compose']);
  });

  it('--yes asks nothing', async () => {
    const result = await run(makeProject()).withOptions({ yes: true });
    expect(result.askedQuestions).toEqual([]);
  });

  it('with no terminal asks nothing and takes the defaults', async () => {
    const dir = makeProject();
    const stdin = Object.assign(new PassThrough(), { isTTY: false });
    const result = await run(dir).withEnvironment((env) => {
      // The real terminal adapter, on a stdin that is not a TTY (as under CI).
      (env as { adapter: unknown }).adapter = new QueuedAdapter({
        adapter: new TerminalAdapter({
          stdin: stdin as unknown as NodeJS.ReadStream,
          stdout: new PassThrough() as unknown as NodeJS.WriteStream,
        }),
      });
    });
    expect(result.askedQuestions).toEqual([]);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('CMD ["uvicorn", "main:app"');
  });

  it.each([
    [{ port: '70000' }, '--port: "70000" is not a port; expected a whole number from 1 to 65535'],
    [{ framework: 'rails' }, '--framework: "rails" is not supported'],
    [{ 'python-version': '3.7' }, '--python-version: 3.7 is not supported'],
    [{ entrypoint: 'main' }, '--entrypoint: "main" is not an entrypoint for FastAPI'],
    [{ maintainer: 'a\nRUN evil' }, '--maintainer: contains a newline'],
  ])('refuses %o with one line, a non-zero exit code, and writes nothing', async (options, message) => {
    const dir = makeProject();
    try {
      const result = await run(dir).withOptions({ yes: true, ...options });
      expect(process.exitCode).toBe(1);
      expect(logged(result, 'writeln').filter((l) => l.startsWith('python-docker: '))).toEqual([
        expect.stringContaining(message),
      ]);
      expect(readTree(dir)).toEqual({});
    } finally {
      process.exitCode = 0;
    }
  });

  it('leaves an existing requirements.txt byte for byte, and says the image will not start without the server', async () => {
    const mine = 'Flask==3.0.3\r\n# mine\r\nflask-cors'; // CRLF, no final newline
    const dir = makeProject({ 'requirements.txt': mine, 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' });
    const result = await noTerminal(run(dir).withOptions({ framework: 'flask' }));
    expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toBe(mine);
    expect(result.stdout).toContain(
      'Will not start yet:\n  requirements.txt does not list gunicorn, which the Flask image runs: add "gunicorn>=23.0,<25" to it',
    );
  });

  it('in a terminal, offers to add the missing server; declined, it says the image will not start', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const declined = await run(dir).withAnswers({ addServer: false, verify: false });
    expect(declined.askedQuestions.map((q) => q.name)).toContain('addServer');
    expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toBe('flask\n');
    expect(logged(declined, 'writeln').join('\n')).toContain('Will not start yet:');
    const accepted = await run(
      makeProject({ 'requirements.txt': 'flask\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' }),
    ).withAnswers({ addServer: true });
    expect(readFileSync(join(accepted.cwd, 'requirements.txt'), 'utf8')).toBe('flask\ngunicorn>=23.0,<25\n');
  });

  it('keeps a Dockerfile the user wrote and puts the new one beside it, without a prompt', async () => {
    const dir = makeProject({ Dockerfile: 'FROM python:3.12\n' });
    await run(dir).withOptions({ yes: true });
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM python:3.12\n');
    expect(existsSync(join(dir, 'Dockerfile.new'))).toBe(true);
  });

  it('in an interactive run, asks about a Dockerfile that differs and overwrites it when told to', async () => {
    const dir = makeProject({ Dockerfile: 'FROM python:3.12\n' });
    const result = await withEngine('docker', () =>
      run(dir).withAnswers({ resolution: 'overwrite' }).withOptions({
        framework: 'flask',
        'python-version': '3.14',
        port: '8000',
        entrypoint: 'app:app',
        maintainer: '',
      }),
    );
    expect(result.askedQuestions.map((q) => q.name)).toEqual(['compose', 'resolution', 'verify']);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('gunicorn');
    expect(existsSync(join(dir, 'Dockerfile.new'))).toBe(false);
  });

  it('a second identical run changes nothing', async () => {
    const dir = makeProject();
    await run(dir).withOptions({ yes: true, framework: 'django', entrypoint: 'config' });
    const first = readTree(dir);
    await run(dir).withOptions({ yes: true });
    expect(readTree(dir)).toEqual(first);
  });
});
