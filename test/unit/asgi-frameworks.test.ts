/**
 * The ASGI frameworks (Starlette, Quart, Litestar, Sanic, aiohttp) and the generic `asgi` / `wsgi` choices:
 * detection from fixtures in the shapes public projects have (test/fixtures/detect), the CMD each runs,
 * its port and health path; aiohttp used only as an HTTP client is no web framework.
 */
import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../../lib/answers.js';
import { detectProject } from '../../lib/detect/detect-project.js';
import { declaredFrameworks, FRAMEWORKS, frameworkPlugin } from '../../lib/frameworks/index.js';
import { parseCommand, shellWords } from '../../lib/project/run-commands.js';
import { answerOptions } from '../../lib/options.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { makeProject } from '../helpers/project.js';

const detect = (name: string) => detectProject(fixtureCopy('detect', name));

interface Expected {
  answers: Record<string, unknown>;
  sources?: Record<string, string>;
  /** The CMD for the detected answers (the framework's default port when none is detected). */
  cmd?: string[];
  /** No health path detected: the HEALTHCHECK probes the plugin's default. */
  noHealthPath?: boolean;
}

const CASES: Record<string, Expected> = {
  'starlette-routes': {
    answers: { framework: 'starlette', entrypoint: 'app.main:application', healthPath: '/healthz' },
    sources: { entrypoint: 'Starlette(…) assigned to application in app/main.py', healthPath: 'app/main.py' },
    cmd: ['uvicorn', 'app.main:application', '--host', '0.0.0.0', '--port', '8000'],
  },
  'starlette-factory': {
    // src layout; Route("/health") in a list that app.py mounts under /api by name.
    answers: { framework: 'starlette', entrypoint: 'notes.app:create_app()', healthPath: '/api/health' },
    sources: { entrypoint: 'app factory create_app() in src/notes/app.py', healthPath: 'src/notes/routes.py' },
    cmd: ['uvicorn', '--factory', 'notes.app:create_app', '--host', '0.0.0.0', '--port', '8000'],
  },
  'quart-blueprint': {
    // The Procfile's hypercorn names the factory; /health is on a blueprint mounted at the root, /ping under /posts.
    answers: { framework: 'quart', entrypoint: 'blog:create_app()', healthPath: '/health' },
    sources: { entrypoint: 'Procfile web: hypercorn', healthPath: 'blog/health.py' },
    cmd: ['hypercorn', 'blog:create_app()', '--bind', '0.0.0.0:8000', '--access-logfile', '-'],
  },
  'quart-app': {
    // Lists flask too: Quart is more specific.
    answers: { framework: 'quart', entrypoint: 'app:app', healthPath: '/ping' },
    cmd: ['hypercorn', 'app:app', '--bind', '0.0.0.0:8000', '--access-logfile', '-'],
  },
  'litestar-src-py': {
    // The project: litestar[…] and litestar-granian, code under src/py/app as pyproject declares.
    answers: { framework: 'litestar', entrypoint: 'app.asgi:create_app()', healthPath: '/health' },
    sources: {
      framework: 'litestar in pyproject.toml',
      entrypoint: 'app factory create_app() in src/py/app/asgi.py',
      healthPath: 'src/py/app/domain/system/controllers.py',
    },
    cmd: ['uvicorn', '--factory', 'app.asgi:create_app', '--host', '0.0.0.0', '--port', '8000'],
  },
  'litestar-controller': {
    answers: { framework: 'litestar', entrypoint: 'app:app', healthPath: '/ops/healthz' },
    cmd: ['uvicorn', 'app:app', '--host', '0.0.0.0', '--port', '8000'],
  },
  'sanic-blueprint': {
    // The Procfile runs Sanic's own server on 9000; /healthz on a blueprint without a prefix.
    answers: { framework: 'sanic', entrypoint: 'shop.server:app', port: 9000, healthPath: '/healthz' },
    sources: { entrypoint: 'Procfile web: sanic shop.server:app', port: 'Procfile' },
    cmd: ['sanic', 'shop.server:app', '--host', '0.0.0.0', '--port', '9000'],
  },
  'sanic-factory': {
    answers: { framework: 'sanic', entrypoint: 'main:create_app()' },
    cmd: ['sanic', 'main:create_app', '--factory', '--host', '0.0.0.0', '--port', '8000'],
  },
  'aiohttp-factory': {
    // A coroutine factory: the aiohttp worker awaits it, so no `()`.
    answers: { framework: 'aiohttp', entrypoint: 'polls.main:init_app', healthPath: '/health' },
    sources: { entrypoint: 'Procfile web: gunicorn polls.main:init_app', healthPath: 'polls/views.py' },
    cmd: ['gunicorn', '--access-logfile', '-', '--worker-class', 'aiohttp.GunicornWebWorker', 'polls.main:init_app'],
  },
  'aiohttp-app': {
    answers: { framework: 'aiohttp', entrypoint: 'server:app', healthPath: '/healthz' },
    sources: { entrypoint: 'Application(…) assigned to app in server.py' },
    cmd: [
      'gunicorn',
      '--bind',
      '0.0.0.0:8080',
      '--access-logfile',
      '-',
      '--worker-class',
      'aiohttp.GunicornWebWorker',
      'server:app',
    ],
  },
  'aiohttp-sync-factory': {
    // A plain function: gunicorn calls `create_app()` itself.
    answers: { framework: 'aiohttp', entrypoint: 'app:create_app()', healthPath: '/ping' },
    sources: { healthPath: 'app.py' },
  },
  'aiohttp-client-bot': {
    answers: { framework: 'none', entrypoint: 'bot.py' },
    sources: { framework: 'no web framework' },
    cmd: ['python', 'bot.py'],
    noHealthPath: true,
  },
  'flask-with-aiohttp-client': { answers: { framework: 'flask', entrypoint: 'app:app' } },
};

describe('ASGI framework detection fixtures', () => {
  it.each(Object.entries(CASES))('%s', (name, expected) => {
    const detection = detect(name);
    expect(detection.answers).toMatchObject(expected.answers);
    for (const [key, source] of Object.entries(expected.sources ?? {}))
      expect(detection.sources[key as keyof typeof detection.sources]).toContain(source);
    if (expected.noHealthPath) expect(detection.answers.healthPath).toBeUndefined();
    if (expected.cmd) {
      const plugin = frameworkPlugin(detection.answers.framework!);
      const port = detection.answers.port ?? plugin.defaultPort;
      // The aiohttp Procfile binds $PORT, which gunicorn reads itself.
      const server = name === 'aiohttp-factory' ? { args: [], portFromEnv: true } : undefined;
      expect(plugin.command(detection.answers.entrypoint!, port, server)).toEqual(expected.cmd);
    }
  });

  it('aiohttp declared but never building a web.Application is no framework, and not among several either', () => {
    expect(detect('aiohttp-client-bot').notes.join('\n')).not.toContain('aiohttp');
    expect(detect('flask-with-aiohttp-client').notes).toEqual([]);
  });

  it('aiohttp whose app the code builds out of sight is still aiohttp when the Procfile runs its gunicorn worker', () => {
    const dir = makeProject({
      'requirements.txt': 'aiohttp\ngunicorn\nservicekit\n',
      Procfile: 'web: gunicorn service:app --worker-class aiohttp.GunicornWebWorker\n',
      'service.py': 'from servicekit import build\n\napp = build("orders")\n',
    });
    expect(detectProject(dir).answers).toMatchObject({ framework: 'aiohttp', entrypoint: 'service:app' });
  });

  it('an aiohttp coroutine factory found in the code is named without () (the worker awaits it)', () => {
    // The example app the e2e suite builds: no run command, only the code.
    const detection = detectProject(fixtureCopy('apps', 'aiohttp'));
    expect(detection.answers).toMatchObject({ framework: 'aiohttp', entrypoint: 'main:create_app' });
    expect(detection.sources.entrypoint).toBe('app factory create_app() in main.py');
  });

  it("Starlette's @app.route decorator names a health path too", () => {
    const dir = makeProject({
      'requirements.txt': 'starlette\nuvicorn\n',
      'server.py':
        'from starlette.applications import Starlette\nfrom starlette.responses import PlainTextResponse\n\n' +
        'app = Starlette()\n\n\n@app.route("/livez")\nasync def livez(request):\n    return PlainTextResponse("ok")\n',
    });
    expect(detectProject(dir).answers).toMatchObject({
      framework: 'starlette',
      entrypoint: 'server:app',
      healthPath: '/livez',
    });
  });

  it("Tornado's Application next to aiohttp's client is not an aiohttp app", () => {
    const dir = makeProject({
      'requirements.txt': 'tornado\naiohttp\n',
      'server.py':
        'import aiohttp\nimport tornado.web\nfrom tornado.web import Application\n\n' +
        'app = Application([])\n\nasync def fetch():\n    async with aiohttp.ClientSession() as s:\n        ...\n',
    });
    expect(detectProject(dir).answers.framework).toBe('none');
  });

  it('a Starlette project that lists FastAPI too is FastAPI (FastAPI builds on Starlette)', () => {
    const dir = makeProject({
      'requirements.txt': 'starlette\nfastapi\nuvicorn\n',
      'main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n',
    });
    expect(detectProject(dir).answers).toMatchObject({ framework: 'fastapi', entrypoint: 'main:app' });
  });

  it.each([
    ['starlette\nfastapi\n', 'fastapi'],
    ['flask\nquart\n', 'quart'],
    ['aiohttp\nsanic\n', 'sanic'],
  ])('with no app in the code yet, %j is the more specific: %s', (requirements, framework) => {
    const dir = makeProject({ 'requirements.txt': requirements, 'main.py': 'print("todo")\n' });
    expect(detectProject(dir).answers.framework).toBe(framework);
  });
});

describe('ports, servers and stub packages', () => {
  it.each([
    ['starlette', 8000, ['starlette', 'uvicorn']],
    ['quart', 8000, ['quart', 'hypercorn']],
    ['litestar', 8000, ['litestar', 'uvicorn']],
    ['sanic', 8000, ['sanic']],
    ['aiohttp', 8080, ['aiohttp', 'gunicorn']],
    ['asgi', 8000, ['uvicorn']],
    ['wsgi', 8000, ['gunicorn']],
  ])('%s: port %d, stub %j', (id, port, stub) => {
    const plugin = frameworkPlugin(id);
    expect(plugin.web).toBe(true);
    expect(plugin.defaultPort).toBe(port);
    expect(plugin.stubPackages).toEqual(stub);
  });

  it('--framework asgi and wsgi run any module:app with uvicorn and gunicorn', () => {
    expect(frameworkPlugin('asgi').command('service.entry:api', 8000)).toEqual([
      'uvicorn',
      'service.entry:api',
      '--host',
      '0.0.0.0',
      '--port',
      '8000',
    ]);
    expect(frameworkPlugin('asgi').command('service:build()', 8000).slice(0, 3)).toEqual([
      'uvicorn',
      '--factory',
      'service:build',
    ]);
    expect(frameworkPlugin('wsgi').command('legacy.wsgi:application', 8000)).toEqual([
      'gunicorn',
      '--bind',
      '0.0.0.0:8000',
      '--access-logfile',
      '-',
      'legacy.wsgi:application',
    ]);
  });

  it('asgi and wsgi are never detected from dependencies, but accepted as --framework with an entrypoint', async () => {
    for (const id of ['asgi', 'wsgi']) expect(frameworkPlugin(id).packages).toEqual([]);
    const dir = makeProject({
      'requirements.txt': 'uvicorn\ngunicorn\n',
      'main.py': 'async def app(scope, r, s): ...\n',
    });
    expect(detectProject(dir).answers.framework).toBe('none');
    const { answers } = await resolveAnswers({
      options: answerOptions({ framework: 'asgi', entrypoint: 'main:app' }),
    });
    expect(answers).toMatchObject({ framework: 'asgi', entrypoint: 'main:app', port: 8000 });
  });

  it('an aiohttp Procfile choosing its own worker class is not given a second one', () => {
    const cmd = frameworkPlugin('aiohttp').command('app:app', 8080, {
      args: ['--worker-class', 'aiohttp.GunicornUVLoopWebWorker'],
      portFromEnv: false,
    });
    expect(cmd.filter((w) => w === '--worker-class')).toHaveLength(1);
    expect(cmd).toContain('aiohttp.GunicornUVLoopWebWorker');
  });

  it('the refusal of an unknown --framework lists every registered framework', async () => {
    for (const id of ['starlette', 'quart', 'litestar', 'sanic', 'aiohttp', 'asgi', 'wsgi'])
      expect(FRAMEWORKS).toContain(id);
    await expect(resolveAnswers({ options: answerOptions({ framework: 'rails' }) })).rejects.toThrow(
      `expected one of ${FRAMEWORKS.join(', ')}`,
    );
  });

  it('more specific frameworks are tried first: FastAPI before Starlette, Quart before Flask, aiohttp after the others', () => {
    const tried = (...packages: string[]) =>
      declaredFrameworks(new Map(packages.map((p) => [p, true]))).map((p) => p.id);
    expect(tried('starlette', 'fastapi')).toEqual(['fastapi', 'starlette']);
    expect(tried('flask', 'quart')).toEqual(['quart', 'flask']);
    expect(tried('aiohttp', 'fastapi', 'quart', 'flask', 'django', 'starlette', 'litestar', 'sanic').at(-1)).toBe(
      'aiohttp',
    );
    expect(FRAMEWORKS.at(-1)).toBe('none');
  });
});

describe('run commands', () => {
  it('`sanic module:app` is a run command of its own (no subcommand), with its port', () => {
    expect(parseCommand(shellWords('sanic server:app --host 0.0.0.0 --port 9000 --workers 4'), 'Procfile')).toEqual(
      expect.objectContaining({ server: 'sanic', target: 'server:app', port: 9000 }),
    );
  });

  it('`hypercorn module:app` leads to the Quart app and its port', () => {
    const quart = makeProject({
      'requirements.txt': 'quart\n',
      Procfile: 'web: hypercorn asgi:application --bind 0.0.0.0:7000\n',
      'asgi.py': 'from quart import Quart\n\napplication = Quart(__name__)\n',
    });
    expect(detectProject(quart).answers).toMatchObject({
      framework: 'quart',
      entrypoint: 'asgi:application',
      port: 7000,
    });
  });
});
