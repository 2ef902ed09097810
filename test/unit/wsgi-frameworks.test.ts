/**
 * Falcon, Pyramid, Bottle, Dash and Gradio: from fixtures in the shapes their public projects have
 * (test/fixtures/detect/<name>-…; Pyramid's is the e2e's, test/fixtures/apps/), the framework, entrypoint, port, health path, CMD and ENV lines;
 * run commands that name their servers; the missing server added; Pyramid's ini entrypoint and its refusals.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../../lib/answers.js';
import { detectProject } from '../../lib/detect/detect-project.js';
import { answerOptions } from '../../lib/options.js';
import { renderFiles } from '../../lib/render.js';
import { instructionTexts, tallyAvailable, tallyFindings, utilsDiagnostics } from '../helpers/dockerfile.js';
import { pipFacts } from '../helpers/facts.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { makeProject, readTree, runCli } from '../helpers/project.js';

/** Detection, then the Dockerfile the detected answers render. */
async function generated(dir: string) {
  const detection = detectProject(dir);
  const { answers } = await resolveAnswers({ options: answerOptions({}), detected: detection.answers });
  const dockerfile = renderFiles(answers, pipFacts()).Dockerfile;
  const cmd = JSON.parse(/^CMD (.*)$/m.exec(dockerfile)![1]) as string[];
  return { detection, answers, dockerfile, cmd };
}

interface Expected {
  framework: string;
  entrypoint: string;
  entrypointSource: string;
  port: number;
  healthPath: string;
  cmd: string[];
  env?: string[];
}

const CASES: Record<string, Expected> = {
  'apps/wsgi-pyramid-cookiecutter': {
    framework: 'pyramid',
    entrypoint: 'production.ini',
    entrypointSource: 'production.ini ([app:main]',
    // [server:main] listen = *:6544 (the fixture's, to tell it from the default 6543).
    port: 6544,
    healthPath: '/health',
    cmd: ['gunicorn', '--bind', '0.0.0.0:6544', '--access-logfile', '-', '--paste', 'production.ini'],
  },
  'detect/falcon-resources': {
    framework: 'falcon',
    entrypoint: 'look.app:create_app()',
    entrypointSource: 'app factory create_app() in look/app.py',
    port: 8000,
    healthPath: '/health',
    cmd: ['gunicorn', '--bind', '0.0.0.0:8000', '--access-logfile', '-', 'look.app:create_app()'],
  },
  'detect/bottle-script': {
    framework: 'bottle',
    // `app = application = bottle.default_app()`: the first name.
    entrypoint: 'app:app',
    entrypointSource: 'default_app(…) assigned to app in app.py',
    port: 8000,
    healthPath: '/healthz',
    cmd: ['gunicorn', '--bind', '0.0.0.0:8000', '--access-logfile', '-', 'app:app'],
  },
  'detect/dash-multipage': {
    framework: 'dash',
    entrypoint: 'app:server',
    entrypointSource: 'server = app.server, Dash(…) assigned to app in app.py',
    port: 8050,
    healthPath: '/',
    cmd: ['gunicorn', '--bind', '0.0.0.0:8050', '--access-logfile', '-', 'app:server'],
  },
  'detect/gradio-blocks': {
    framework: 'gradio',
    entrypoint: 'app.py',
    entrypointSource: 'app.py imports gradio and calls .launch()',
    port: 7860,
    healthPath: '/',
    cmd: ['python', 'app.py'],
    env: ['GRADIO_SERVER_NAME=0.0.0.0', 'GRADIO_SERVER_PORT=7860'],
  },
};

describe('WSGI frameworks and data apps from real shapes', () => {
  it.each(Object.entries(CASES))('%s', async (name, expected) => {
    const [set, fixture] = name.split('/') as [string, string];
    const { detection, answers, dockerfile, cmd } = await generated(fixtureCopy(set, fixture));
    expect(detection.answers.framework).toBe(expected.framework);
    expect(detection.answers.entrypoint).toBe(expected.entrypoint);
    expect(detection.sources.entrypoint).toContain(expected.entrypointSource);
    expect(answers.port).toBe(expected.port);
    expect(answers.healthPath ?? '/').toBe(expected.healthPath);
    expect(cmd).toEqual(expected.cmd);
    expect(dockerfile).toContain(`EXPOSE ${expected.port}\n`);
    expect(dockerfile).toContain(`127.0.0.1:${expected.port}${expected.healthPath}'`);
    const env = instructionTexts(dockerfile, 'ENV').join('\n');
    for (const line of expected.env ?? []) expect(env).toContain(`    ${line} \\`);
    if (!expected.env) expect(env).not.toContain('GRADIO');
    expect(detection.notes.filter((n) => n.startsWith('found'))).toEqual([]);
    // Dash and Gradio are never built (the offline index has neither): their Dockerfiles are linted here.
    expect(utilsDiagnostics(dockerfile)).toEqual([]);
    if (tallyAvailable) expect(tallyFindings({ [`${fixture}.Dockerfile`]: dockerfile })).toEqual([]);
  });

  it('Gradio: GRADIO_SERVER_PORT follows the port answer', async () => {
    const { answers } = await resolveAnswers({ options: answerOptions({ framework: 'gradio', port: '7861' }) });
    const env = instructionTexts(renderFiles(answers, pipFacts()).Dockerfile, 'ENV')[0];
    expect(env).toContain('    GRADIO_SERVER_PORT=7861 \\');
  });

  it('Dash without `server = app.server`: the entrypoint names the line to add, and does not load', async () => {
    const dir = makeProject({
      'requirements.txt': 'dash\n',
      'app.py': 'from dash import Dash, html\n\napp = Dash(__name__)\napp.layout = html.Div("hi")\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(0);
    // gunicorn refuses `app:app.server` (an attribute path): never written.
    expect(readTree(dir).Dockerfile).toContain('"app:server"]');
    expect(run.stdout + run.stderr).toContain('gunicorn needs `server = app.server` there');
    expect(run.stdout + run.stderr).toContain('cannot load: app.py has no server');
  });

  it('Falcon: falcon.asgi.App runs behind uvicorn, falcon.API (before 3.0) behind gunicorn', async () => {
    const asgi = await generated(
      makeProject({ 'requirements.txt': 'falcon\n', 'app.py': 'import falcon.asgi\n\napp = falcon.asgi.App()\n' }),
    );
    expect(asgi.answers.framework).toBe('falcon-asgi');
    expect(asgi.cmd).toEqual(['uvicorn', 'app:app', '--host', '0.0.0.0', '--port', '8000']);
    const imported = await generated(
      makeProject({ 'requirements.txt': 'falcon\n', 'api.py': 'from falcon.asgi import App\n\napi = App()\n' }),
    );
    expect(imported.answers).toMatchObject({ framework: 'falcon-asgi', entrypoint: 'api:api' });
    const legacy = await generated(
      makeProject({ 'requirements.txt': 'falcon<3\n', 'app.py': 'import falcon\n\napi = falcon.API()\n' }),
    );
    expect(legacy.answers).toMatchObject({ framework: 'falcon', entrypoint: 'app:api' });
    expect(legacy.cmd.at(-1)).toBe('app:api');
  });

  it('Pyramid as a script: a module-level `app = config.make_wsgi_app()`, port 6543', async () => {
    const { answers, cmd } = await generated(
      makeProject({
        'requirements.txt': 'pyramid\n',
        'hello.py':
          'from pyramid.config import Configurator\n\nwith Configurator() as config:\n' +
          "    config.add_route('ping', '/ping')\n    config.scan()\napp = config.make_wsgi_app()\n",
      }),
    );
    expect(answers).toMatchObject({ framework: 'pyramid', entrypoint: 'hello:app', port: 6543, healthPath: '/ping' });
    expect(cmd).toEqual(['gunicorn', '--bind', '0.0.0.0:6543', '--access-logfile', '-', 'hello:app']);
  });

  it("Pyramid's main(global_config, **settings) alone is no entrypoint: gunicorn would call it without arguments", () => {
    const dir = fixtureCopy('apps', 'wsgi-pyramid-cookiecutter');
    rmSync(join(dir, 'production.ini'));
    const detection = detectProject(dir);
    expect(detection.answers.framework).toBe('pyramid');
    expect(detection.answers.entrypoint).toBeUndefined();
  });

  it('Falcon with no app found yet is the WSGI flavour', () => {
    const detection = detectProject(makeProject({ 'requirements.txt': 'falcon\n', 'app.py': 'import falcon\n' }));
    expect(detection.answers.framework).toBe('falcon');
  });
});

describe('run commands naming their servers', () => {
  const cookiecutter = (procfile: string) => fixtureCopy('apps', 'wsgi-pyramid-cookiecutter', { Procfile: procfile });

  it.each([
    ['web: pserve production.ini', 'production.ini', undefined],
    ['web: gunicorn --paste production.ini --workers 3', 'production.ini', undefined],
    ['web: waitress-serve --listen=*:8080 --call myproject:main', 'myproject:main()', 8080],
  ])('Pyramid: %s', (procfile, entrypoint, port) => {
    const detection = detectProject(cookiecutter(`${procfile}\n`));
    expect(detection.answers).toMatchObject({ framework: 'pyramid', entrypoint });
    expect(detection.sources.entrypoint).toBe(procfile.replace('web:', 'Procfile web:'));
    if (port) expect(detection.answers.port).toBe(port);
  });

  it('gunicorn --paste: the ini is the app, and --paste is the CMD’s own, not a carried option', async () => {
    const dir = cookiecutter('web: gunicorn --paste production.ini --workers 3\n');
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('not carried over');
    const cmd = JSON.parse(/^CMD (.*)$/m.exec(readTree(dir).Dockerfile)![1]);
    expect(cmd).toEqual([
      ...['gunicorn', '--bind', '0.0.0.0:6544', '--access-logfile', '-', '--workers', '3'],
      ...['--paste', 'production.ini'],
    ]);
  });

  it('Dash on a Flask server of its own, Flask declared too: Dash, its server the entrypoint', () => {
    const detection = detectProject(
      makeProject({
        'requirements.txt': 'dash\nflask\n',
        'app.py':
          'from dash import Dash, html\nfrom flask import Flask\n\nserver = Flask(__name__)\n' +
          'app = Dash(__name__, server=server)\napp.layout = html.Div("hi")\n',
      }),
    );
    expect(detection.answers).toMatchObject({ framework: 'dash', entrypoint: 'app:server' });
  });

  it('Dash: web: gunicorn app:server', () => {
    const dir = fixtureCopy('detect', 'dash-multipage', {
      Procfile: 'web: gunicorn app:server --bind 0.0.0.0:$PORT\n',
    });
    const detection = detectProject(dir);
    expect(detection.answers).toMatchObject({ framework: 'dash', entrypoint: 'app:server' });
    expect(detection.sources.entrypoint).toContain('Procfile');
  });

  it('Gradio: web: python app.py', () => {
    const dir = fixtureCopy('detect', 'gradio-blocks', { Procfile: 'web: python app.py\n' });
    expect(detectProject(dir).sources.entrypoint).toBe('Procfile web: python app.py');
  });
});

describe('the missing server, added', () => {
  it('Pyramid cookiecutter (pyproject.toml): gunicorn joins [project].dependencies', async () => {
    const dir = fixtureCopy('apps', 'wsgi-pyramid-cookiecutter');
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    const pyproject = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
    expect(pyproject).toMatch(/dependencies = \[\n {4}"gunicorn>=[^"]+",\n {4}"plaster_pastedeploy",/);
  });

  it.each([
    ['bottle-script', 'bottle==0.13.2\n'],
    ['dash-multipage', undefined],
  ])('%s: requirements.txt gets gunicorn when it lacks it', async (name, before) => {
    const dir = fixtureCopy('detect', name);
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    const requirements = readFileSync(join(dir, 'requirements.txt'), 'utf8');
    if (before) expect(requirements).toMatch(new RegExp(`^${before}gunicorn>=`));
    expect(requirements.match(/^gunicorn/gm)).toHaveLength(1);
  });

  it('a new project gets a stub with the framework and its server', async () => {
    for (const [framework, packages] of [
      ['falcon', ['falcon>=', 'gunicorn>=']],
      ['pyramid', ['pyramid>=', 'gunicorn>=']],
      ['gradio', ['gradio>=']],
    ] as const) {
      const dir = makeProject();
      expect((await runCli(dir, ['--yes', '--framework', framework])).exitCode).toBe(0);
      const stub = readTree(dir)['requirements.txt'];
      for (const pkg of packages) expect(stub).toContain(pkg);
    }
  });
});

describe("Pyramid's ini entrypoint", () => {
  it.each([
    ['pyramid', 'production.ini', undefined],
    ['pyramid', 'deploy/production.ini', undefined],
    ['pyramid', '../production.ini', '"../production.ini" is not an entrypoint for Pyramid; expected a PasteDeploy'],
    ['pyramid', '/etc/production.ini', '"/etc/production.ini" is not an entrypoint for Pyramid'],
    ['flask', 'production.ini', '"production.ini" is not an entrypoint for Flask'],
    ['falcon', 'production.ini', '"production.ini" is not an entrypoint for Falcon'],
  ])('%s --entrypoint %s', async (framework, entrypoint, refusal) => {
    const options = answerOptions({ framework, entrypoint });
    if (!refusal) {
      expect((await resolveAnswers({ options })).answers.entrypoint).toBe(entrypoint);
      return;
    }
    await expect(resolveAnswers({ options })).rejects.toThrow(refusal);
  });

  it("an ini's `use = egg:myproject` with nothing to install the project by: it will not start, said before Next", async () => {
    const dir = fixtureCopy('apps', 'wsgi-pyramid-cookiecutter');
    rmSync(join(dir, 'pyproject.toml'));
    writeFileSync(join(dir, 'requirements.txt'), 'pyramid\nplaster_pastedeploy\ngunicorn\n');
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'Will not start yet:\n  the entrypoint production.ini (production.ini ([app:main], read by gunicorn --paste)) ' +
        'cannot load: production.ini\'s "use = egg:myproject" loads the installed distribution myproject, and nothing ' +
        'installs it (no pyproject.toml or setup.py); add one naming it, or write "use = call:module:main"\n',
    );
    // With its pyproject.toml (the cookiecutter's), pip installs it: nothing to say.
    const installed = await runCli(fixtureCopy('apps', 'wsgi-pyramid-cookiecutter'), ['--yes']);
    expect(installed.stdout).not.toContain('Will not start yet');
  });

  it('a refused entrypoint is one line on the command line', async () => {
    const run = await runCli(makeProject(), ['--yes', '--framework', 'flask', '--entrypoint', 'production.ini']);
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('"production.ini" is not an entrypoint for Flask');
  });
});
