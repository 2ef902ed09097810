import { describe, expect, it } from 'vitest';
import { FIELDS, resolveAnswers, storableAnswers, type Question } from '../../lib/answers.js';
import { answerOptions } from '../../lib/options.js';
import { UserError } from '../../lib/user-error.js';

const resolve = (options: Record<string, string>, extra = {}) =>
  resolveAnswers({ options: answerOptions(options), ...extra });

async function refusal(options: Record<string, string>): Promise<UserError> {
  const error = await resolve(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  const message = (error as UserError).message;
  expect(message).not.toContain('\n'); // one line
  return error as UserError;
}

describe('defaults', () => {
  it('fills every answer with nothing given', async () => {
    const { answers, sources } = await resolve({});
    expect(answers).toEqual({
      pythonVersion: '3.14',
      framework: 'fastapi',
      port: 8000,
      healthPath: '/',
      entrypoint: 'main:app',
      maintainer: undefined,
      packageManager: 'pip',
      buildDeps: false,
      noBuildkit: false,
      compose: false,
      offline: false,
      syntaxLine: true,
    });
    expect(sources.framework).toBe('default');
  });

  it.each([
    ['fastapi', 8000, 'main:app'],
    ['flask', 8000, 'app:app'],
    ['django', 8000, 'mysite'],
    ['streamlit', 8501, 'app.py'],
  ])('%s defaults to port %i and entrypoint %s', async (framework, port, entrypoint) => {
    const { answers } = await resolve({ framework });
    expect(answers.port).toBe(port);
    expect(answers.entrypoint).toBe(entrypoint);
  });

  it('a plain script has no port', async () => {
    const { answers } = await resolve({ framework: 'none' });
    expect(answers.port).toBeUndefined();
    expect(answers.entrypoint).toBe('main.py');
  });
});

describe('refusals name the option and what it accepts', () => {
  it.each([
    [{ port: '70000' }, '--port: "70000" is not a port; expected a whole number from 1 to 65535'],
    [{ port: '0' }, '--port: "0" is not a port'],
    [{ port: '80a' }, '--port: "80a" is not a port'],
    [{ port: '' }, '--port: "" is not a port'],
    [{ 'python-version': '3' }, '--python-version: "3" is not a Python version; expected major.minor from 3.8 to 3.15'],
    [{ 'python-version': '3.14.1' }, '--python-version: "3.14.1" is not a Python version'],
    [{ 'python-version': '3.7' }, '--python-version: 3.7 is not supported; expected major.minor from 3.8 to 3.15'],
    [{ 'python-version': '2.7' }, '--python-version: 2.7 is not supported'],
    [{ 'python-version': '3.16' }, '--python-version: 3.16 has no released python image yet'],
    [
      { framework: 'rails' },
      '--framework: "rails" is not supported; expected one of fastapi, flask, django, streamlit, falcon, falcon-asgi, pyramid, bottle, dash, gradio, none',
    ],
    [{ entrypoint: 'main.py' }, '--entrypoint: "main.py" is not an entrypoint for FastAPI; expected module:attribute'],
    [{ entrypoint: 'main:' }, '--entrypoint: "main:" is not an entrypoint for FastAPI'],
    [{ entrypoint: 'my-app:app' }, '--entrypoint: "my-app:app" is not an entrypoint for FastAPI'],
    [
      { framework: 'flask', entrypoint: 'app:app; rm -rf /' },
      '--entrypoint: "app:app; rm -rf /" is not an entrypoint for Flask',
    ],
    [{ framework: 'django', entrypoint: 'my site' }, '--entrypoint: "my site" is not an entrypoint for Django'],
    [
      { framework: 'streamlit', entrypoint: '../app.py' },
      '--entrypoint: "../app.py" is not an entrypoint for Streamlit',
    ],
    [
      { framework: 'streamlit', entrypoint: '/abs/app.py' },
      '--entrypoint: "/abs/app.py" is not an entrypoint for Streamlit',
    ],
    [{ framework: 'none', entrypoint: 'main.sh' }, '--entrypoint: "main.sh" is not an entrypoint for None'],
    [{ framework: 'none', entrypoint: 'a"b.py' }, '--entrypoint: "a"b.py" is not an entrypoint'],
    [{ maintainer: 'Jane\nRUN rm -rf /' }, '--maintainer: contains a newline or control character'],
    [{ maintainer: 'Jane\u0007' }, '--maintainer: contains a newline or control character'],
  ])('%o', async (options, message) => {
    expect((await refusal(options)).message).toContain(message);
  });
});

describe('accepted input', () => {
  it.each([
    ['fastapi', 'app.main:api'],
    ['fastapi', 'main:create_app()'],
    ['flask', 'app:create_app()'],
    ['flask', 'src.web.app:application'],
    ['django', 'config'],
    ['django', 'config.wsgi'],
    ['django', 'config.wsgi:application'],
    ['streamlit', 'src/dashboard.py'],
    ['none', 'worker.py'],
    ['none', 'jobs.worker'],
    ['none', 'scripts/run-job.py'],
    ['none', 'mytool.cli:main'],
  ])('%s entrypoint %s', async (framework, entrypoint) => {
    expect((await resolve({ framework, entrypoint })).answers.entrypoint).toBe(entrypoint);
  });

  it('flags: --build-deps and --no-buildkit turn on; absent, they stay off', async () => {
    expect((await resolve({})).answers).toMatchObject({ buildDeps: false, noBuildkit: false });
    const { answers } = await resolveAnswers({ options: answerOptions({ 'build-deps': true, 'no-buildkit': true }) });
    expect(answers).toMatchObject({ buildDeps: true, noBuildkit: true });
    // --offline holds for the run: never stored in .yo-rc.json.
    expect(storableAnswers({ ...answers, offline: true })).not.toHaveProperty('offline');
    // Yeoman hands `--no-buildkit` over as `buildkit: false`.
    expect((await resolveAnswers({ options: answerOptions({ buildkit: false }) })).answers.noBuildkit).toBe(true);
  });

  it('package managers', async () => {
    expect((await resolve({ 'package-manager': 'UV' })).answers.packageManager).toBe('uv');
    expect((await refusal({ 'package-manager': 'conda' })).message).toBe(
      '--package-manager: "conda" is not supported; expected one of pip, uv, poetry, pipenv, pdm',
    );
  });

  it('framework names are case-insensitive', async () => {
    expect((await resolve({ framework: 'FastAPI' })).answers.framework).toBe('fastapi');
  });

  it('keeps quotes and backslashes in the maintainer (the renderer escapes them)', async () => {
    const { answers } = await resolve({ maintainer: 'Jane "JD" Doe \\ <j@example.com>' });
    expect(answers.maintainer).toBe('Jane "JD" Doe \\ <j@example.com>');
  });

  it('an empty maintainer is no maintainer', async () => {
    expect((await resolve({ maintainer: '  ' })).answers.maintainer).toBeUndefined();
  });
});

describe('warnings', () => {
  it('a port below 1024 is accepted with a warning', async () => {
    const { answers, warnings } = await resolve({ port: '80' });
    expect(answers.port).toBe(80);
    expect(warnings).toEqual([expect.stringContaining('port 80 is below 1024')]);
  });

  it.each(['3.8', '3.9', '3.10'])('Python %s is accepted with an end-of-life warning', async (version) => {
    const { answers, warnings } = await resolve({ 'python-version': version });
    expect(answers.pythonVersion).toBe(version);
    expect(warnings).toEqual([expect.stringContaining(`Python ${version} is past its end of life`)]);
  });

  it.each(['3.11', '3.12', '3.13', '3.14', '3.15'])('Python %s is maintained: no warning', async (version) => {
    expect((await resolve({ 'python-version': version })).warnings).toEqual([]);
  });

  it('--port for a plain script is ignored with a warning', async () => {
    const { answers, warnings } = await resolve({ framework: 'none', port: '8000' });
    expect(answers.port).toBeUndefined();
    expect(warnings).toEqual(['--port ignored: it does not apply to framework none']);
  });
});

describe('precedence: option > stored > detected > default', () => {
  it('uses stored answers, and options over them', async () => {
    const stored = { pythonVersion: '3.12', framework: 'flask' as const, port: 5000, entrypoint: 'web:app' };
    const { answers, sources } = await resolve({ port: '9000' }, { stored });
    expect(answers).toMatchObject({ pythonVersion: '3.12', framework: 'flask', port: 9000, entrypoint: 'web:app' });
    expect(sources).toMatchObject({ pythonVersion: 'stored', port: 'option' });
  });

  it('drops a stored entrypoint and port made for another framework', async () => {
    const stored = { pythonVersion: '3.12', framework: 'flask' as const, port: 5000, entrypoint: 'web:app' };
    const { answers } = await resolve({ framework: 'streamlit' }, { stored });
    expect(answers).toMatchObject({ framework: 'streamlit', port: 8501, entrypoint: 'app.py' });
  });

  it('drops a detected entrypoint found for another framework, keeps what does not depend on it', async () => {
    const detected = { framework: 'none' as const, entrypoint: 'main.py', pythonVersion: '3.12' };
    const { answers } = await resolve({ framework: 'fastapi' }, { detected });
    expect(answers).toMatchObject({ framework: 'fastapi', entrypoint: 'main:app', pythonVersion: '3.12' });
    const stored = { framework: 'flask' as const, entrypoint: 'web:app', pythonVersion: '3.11' };
    expect((await resolve({ framework: 'django' }, { stored })).answers).toMatchObject({
      entrypoint: 'mysite',
      pythonVersion: '3.11',
    });
  });

  it('re-validates stored answers (a hand-edited .yo-rc.json), naming the file', async () => {
    await expect(resolve({}, { stored: { port: 99999 } })).rejects.toThrow(
      '.yo-rc.json: the stored answer "generator-python-docker".answers.port: "99999" is not a port; expected a whole number from 1 to 65535; fix or delete it there, or give --port',
    );
  });

  it('uses detected answers over defaults', async () => {
    const { answers, sources } = await resolve({}, { detected: { pythonVersion: '3.12' } });
    expect(answers.pythonVersion).toBe('3.12');
    expect(sources.pythonVersion).toBe('detected');
  });
});

describe('auto: an answer handed back to detection', () => {
  const stored = { pythonVersion: '3.11', port: 9000 };

  it('--python-version auto drops the stored answer and takes what the project says, without asking', async () => {
    const asked: string[] = [];
    const { answers, sources } = await resolveAnswers({
      options: answerOptions({ 'python-version': 'auto', port: 'AUTO' }),
      stored,
      detected: { pythonVersion: '3.13' },
      ask: async (q) => (asked.push(q.name), q.default),
    });
    expect([answers.pythonVersion, sources.pythonVersion]).toEqual(['3.13', 'detected']);
    // Nothing detected: the default, which follows the project from now on.
    expect([answers.port, sources.port]).toEqual([8000, 'default']);
    expect(asked).not.toContain('pythonVersion');
    expect(asked).not.toContain('port');
  });

  it.each(FIELDS.filter((f) => f.detectable).map((f) => [f.option]))('--%s auto is accepted', async (option) => {
    await expect(resolve({ [option]: 'auto' })).resolves.toBeDefined();
  });

  it('accepting the detected value at a prompt keeps it detected; choosing another pins it', async () => {
    const input = { options: {}, detected: { pythonVersion: '3.12' }, askKnown: true };
    const accepted = await resolveAnswers({ ...input, ask: async (q) => q.default });
    expect(accepted.sources.pythonVersion).toBe('detected');
    const chosen = await resolveAnswers({
      ...input,
      ask: async (q) => (q.name === 'pythonVersion' ? '3.13' : q.default),
    });
    expect(chosen.sources.pythonVersion).toBe('prompt');
  });
});

describe('questions', () => {
  it('asks in field order with per-framework defaults, skipping the port of a script', async () => {
    const asked: Question[] = [];
    const replies: Record<string, string> = {
      pythonVersion: '3.13',
      framework: 'streamlit',
      port: '',
      entrypoint: 'dash.py',
      maintainer: '',
    };
    await resolveAnswers({
      options: {},
      ask: async (q) => {
        asked.push(q);
        return replies[q.name] || q.default;
      },
    });
    expect(asked.map((q) => [q.name, q.kind, q.default])).toEqual([
      ['pythonVersion', 'select', '3.14'],
      ['framework', 'select', 'fastapi'],
      ['port', 'input', '8501'],
      ['entrypoint', 'input', 'app.py'],
      ['maintainer', 'input', ''],
      ['packageManager', 'select', 'pip'],
      ['compose', 'confirm', 'true'],
    ]);
    expect(asked[0].choices!.map((c) => c.value)).toEqual(['3.15', '3.14', '3.13', '3.12', '3.11']);

    const none: string[] = [];
    await resolveAnswers({
      options: answerOptions({ framework: 'none' }),
      ask: async (q) => (none.push(q.name), q.default),
    });
    expect(none).toEqual(['pythonVersion', 'entrypoint', 'maintainer', 'packageManager', 'compose']);
  });

  it('does not ask what an option answered', async () => {
    const asked: string[] = [];
    await resolveAnswers({
      options: answerOptions({ 'python-version': '3.12', port: '9000' }),
      ask: async (q) => (asked.push(q.name), q.default),
    });
    expect(asked).toEqual(['framework', 'entrypoint', 'maintainer', 'packageManager', 'compose']);
  });

  it('validate() returns the refusal so prompts can ask again', async () => {
    let port: Question | undefined;
    await resolveAnswers({ options: {}, ask: async (q) => ((port ??= q.name === 'port' ? q : undefined), q.default) });
    expect(port!.validate('8080')).toBe(true);
    expect(port!.validate('70000')).toContain('expected a whole number from 1 to 65535');
  });

  it('every field has an option and a one-line description', () => {
    for (const field of FIELDS) {
      expect(field.option).toMatch(/^[a-z-]+$/);
      expect(field.description).not.toContain('\n');
    }
  });
});

describe('--health-path', () => {
  it('defaults per framework, is taken from the option or detection, and applies to web apps only', async () => {
    expect((await resolve({})).answers.healthPath).toBe('/');
    expect((await resolve({ framework: 'streamlit' })).answers.healthPath).toBe('/_stcore/health');
    expect((await resolve({ 'health-path': '/healthz' })).answers.healthPath).toBe('/healthz');
    const detected = await resolve({}, { detected: { framework: 'flask', healthPath: '/api/health?full=0' } });
    expect(detected.answers.healthPath).toBe('/api/health?full=0');
    expect(detected.sources.healthPath).toBe('detected');
    const worker = await resolve({ framework: 'none', 'health-path': '/health' });
    expect(worker.answers.healthPath).toBeUndefined();
    expect(worker.warnings).toContain('--health-path ignored: it does not apply to framework none');
    // Found for another framework's app, it is no answer for this one.
    expect(
      (await resolve({ framework: 'streamlit' }, { detected: { framework: 'flask', healthPath: '/health' } })).answers
        .healthPath,
    ).toBe('/_stcore/health');
  });

  it.each(['health', '/he alth', "/x'); import os #", '/a"b', '/a\\b', '/$HOME', ''])(
    'refuses %j in one line naming the option',
    async (raw) => {
      expect((await refusal({ 'health-path': raw })).message).toMatch(
        /^--health-path: .* is not a URL path; expected one starting with \//,
      );
    },
  );
});
