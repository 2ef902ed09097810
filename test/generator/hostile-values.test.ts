/**
 * Values from the project on their way into generated files and onto the terminal.
 * A Django folder named like a shell command reaches the Dockerfile in exec form and
 * README.Docker.md shell-quoted (the README line, run by a real shell, passes it as one
 * word and runs nothing else); a name no file can carry is refused in one line; text
 * read from runtime.txt or a Procfile reaches the terminal escaped and one line long.
 * (test/e2e/hostile-names.test.ts builds these on Docker.)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { shown, oneLine } from '../../lib/terminal-text.js';
import { instructions } from '../helpers/dockerfile.js';
import { makeProject, runCli } from '../helpers/project.js';

const MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";
const SETTINGS =
  "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\nINSTALLED_APPS = ['django.contrib.staticfiles']\nSTATIC_ROOT = 'static'\n";

/** A Django project with manage.py and its package inside `folder`. */
function django(folder: string, extra: Record<string, string> = {}) {
  return makeProject({
    'requirements.txt': 'django\ngunicorn\n',
    [`${folder}/manage.py`]: MANAGE,
    [`${folder}/mysite/__init__.py`]: '',
    [`${folder}/mysite/wsgi.py`]: 'application = None\n',
    [`${folder}/mysite/settings.py`]: SETTINGS,
    ...extra,
  });
}

/** README.Docker.md's `docker … migrate` line, run by sh in the project folder with `docker` printing its arguments. */
async function pasteMigrate(dir: string): Promise<string[]> {
  const readme = readFileSync(join(dir, 'README.Docker.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.startsWith('docker ') && l.endsWith(' migrate'))!;
  const ran = await execa('sh', ['-c', `docker() { printf '%s\\n' "$@"; }\n${line}`], { cwd: dir });
  return ran.stdout.split('\n');
}

describe('a Django folder name reaches the generated files as data, never as a command', () => {
  it.each(['x;touch${IFS}PWNED;y', 'my project', "it's $(touch PWNED) `x`".replace(/`/g, ''), 'dëv $HOME'])(
    '%s',
    async (folder) => {
      const dir = django(folder);
      const run = await runCli(dir, ['--yes']);
      expect(run.exitCode, run.stderr).toBe(0);
      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      const collect = instructions(dockerfile).find((i) => i.keyword === 'RUN' && i.args.includes('collectstatic'))!;
      // Exec form: the argv is the JSON array, with the path as one element.
      expect(JSON.parse(collect.args)).toEqual([
        'env',
        'DJANGO_SECRET_KEY=build-only-not-a-secret',
        'python',
        `${folder}/manage.py`,
        'collectstatic',
        '--noinput',
      ]);
      // The ENV value is one double-quoted word with $ escaped (the builder expands it otherwise).
      const env = instructions(dockerfile).find((i) => i.keyword === 'ENV')!.args;
      expect(env).toContain(`PYTHONPATH="/app/${folder.replace(/[\\"$]/g, (c) => `\\${c}`)}"`);
      const argv = await pasteMigrate(dir);
      expect(argv.slice(-3)).toEqual(['python', `${folder}/manage.py`, 'migrate']);
      expect(readdirSync(dir)).not.toContain('PWNED');
    },
  );

  it('a plain folder name stays unquoted', async () => {
    const dir = django('backend');
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('    PYTHONPATH=/app/backend \\\n');
    expect(readFileSync(join(dir, 'README.Docker.md'), 'utf8')).toContain(' python backend/manage.py migrate\n');
  });

  it.each([
    ['a\nb', 'a control character'],
    ['a\u001b[2Jb', 'a control character'],
    ['a:b', 'a colon, which splits PYTHONPATH'],
    ['a`id`b', 'a backtick'],
  ])('%j is refused in one line, nothing written', async (folder, why) => {
    const dir = django(folder);
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(why);
    expect(run.stderr).not.toContain('\u001b');
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(false);
  });

  it("manage.py in a folder of its own, the package at the root: manage.py's path is checked too", async () => {
    const dir = makeProject({
      'requirements.txt': 'django\ngunicorn\n',
      'a\tb/manage.py': MANAGE,
      'mysite/__init__.py': '',
      'mysite/wsgi.py': 'application = None\n',
    });
    const run = await runCli(dir, ['--yes', '--entrypoint', 'mysite']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('manage.py, "a\\tb/manage.py", has a control character');
  });

  it('a Procfile release line with control characters is not carried into README.Docker.md, and the run says so', async () => {
    const dir = django('backend', { Procfile: 'release: echo \u001b]0;owned\u0007 done\n' });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'Procfile release: "echo \\e]0;owned\\u{7} done" holds a control character: README.Docker.md does not show it',
    );
    expect(readFileSync(join(dir, 'README.Docker.md'), 'utf8')).not.toContain('\u001b');
  });
});

describe('text from project files reaches the terminal escaped, one line each', () => {
  const app = { 'requirements.txt': 'flask\ngunicorn\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' };
  const noControls = (text: string) => expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);

  it('runtime.txt with escape sequences: shown escaped, in one warning line', async () => {
    const dir = makeProject({ ...app, 'runtime.txt': '\u001b]0;PWNED\u0007\u001b[2J\r\n3.12\n' });
    const run = await runCli(dir, ['--yes']);
    noControls(run.stdout + run.stderr);
    expect(run.stderr).toContain('warning: runtime.txt states Python "\\e]0;PWNED\\u{7}\\e[2J\\r\\n3.12", which');
  });

  it('any warning quoting a file is escaped as it is printed (a local path in requirements.txt)', async () => {
    const dir = makeProject({ ...app, 'requirements.txt': 'flask\ngunicorn\n./\u001b[2Jlib\n' });
    const run = await runCli(dir, ['--yes']);
    noControls(run.stdout + run.stderr);
    expect(run.stderr).toContain('warning: requirements.txt installs the local path ./\\e[2Jlib, which');
  });

  it('runtime.txt of 64 KB of random bytes: one short warning line', async () => {
    const dir = makeProject(app);
    writeFileSync(join(dir, 'runtime.txt'), randomBytes(65536));
    const run = await runCli(dir, ['--yes']);
    noControls(run.stdout + run.stderr);
    const lines = run.stderr.split('\n').filter((l) => l.includes('runtime.txt'));
    expect(lines).toHaveLength(1);
    expect(lines[0].length).toBeLessThan(300);
    expect(run.stderr.split('\n').length).toBeLessThan(5);
  });

  it('a 3 MB Procfile line is shortened; its escape sequences are escaped', async () => {
    const dir = makeProject({
      ...app,
      Procfile: `web: gunicorn app:app \u001b[2J${'A'.repeat(3_000_000)}\nrelease: ${'B'.repeat(3_000_000)}\n`,
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode, run.stderr).toBe(0);
    noControls(run.stdout + run.stderr);
    expect(run.stdout.length + run.stderr.length).toBeLessThan(5000);
    expect(run.stdout).toMatch(/Procfile web: gunicorn app:app \\e\[2JA+…\n/);
    expect(run.stderr).toContain('is over 1000 characters: README.Docker.md does not show it');
    expect(readFileSync(join(dir, 'README.Docker.md'), 'utf8').length).toBeLessThan(10_000);
  });

  it('shown and oneLine: controls escaped, separators and bidi overrides too, cut with an ellipsis', () => {
    expect(shown('a\u2028b\u202ec\u0085d')).toBe('a\\u{2028}b\\u{202e}c\\u{85}d');
    expect(shown('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(oneLine('ok\nnext')).toBe('ok\\nnext');
  });
});

describe('other project values that reach README.Docker.md', () => {
  it('a Compose service name Compose itself would refuse is refused in one line', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'docker-compose.yml': 'services:\n  "web\\n```sh\\nrm -rf ~\\n```":\n    build: .\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(
      'docker-compose.yml: service "web\\n```sh\\nrm -rf ~\\n```" is not a name Compose accepts',
    );
    expect(existsSync(join(dir, 'README.Docker.md'))).toBe(false);
  });

  it("STATIC_ROOT's text reaches README.Docker.md without its control characters", async () => {
    const dir = django('backend');
    writeFileSync(
      join(dir, 'backend/mysite/settings.py'),
      `${SETTINGS.replace("STATIC_ROOT = 'static'", "STATIC_ROOT = '/srv/\u001b[2Jstatic'")}`,
    );
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    const readme = readFileSync(join(dir, 'README.Docker.md'), 'utf8');
    expect(readme).toContain("STATIC_ROOT is '/srv/\\e[2Jstatic', outside the app's folder");
    expect(readme).not.toContain('\u001b');
  });
});

describe('a refusal quoting a project file', () => {
  it('an -r include with an escape sequence is refused in one line, escaped', async () => {
    const dir = makeProject({
      'requirements.txt': '-r \u001b[2Jbase,x.txt\nflask\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('requirements.txt: includes "\\e[2Jbase,x.txt"');
    expect(run.stderr).not.toContain('\u001b');
  });

  it.each([
    ['a name the image build refuses', `${'x'.repeat(3000)}$y.txt`, 'requirements.txt: includes "xxx'],
    [
      'a missing file (a name longer than the system allows)',
      `${'x'.repeat(3000)}.txt`,
      'requirements.txt: includes xxx',
    ],
  ])('an -r include thousands of characters long, %s: one short line, no stack', async (_what, name, start) => {
    const dir = makeProject({
      'requirements.txt': `-r ${name}\nflask\n`,
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(start);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.length).toBeLessThan(400);
  });
});
