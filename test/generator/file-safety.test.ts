/**
 * What both front-ends promise about the user's files: every file written whole
 * or not at all, .yo-rc.json last, one line and a non-zero exit when the disk
 * says no; a conflict remembered until resolved; the user's Dockerfile.new, CRLF
 * endings and (with --force) replaced version never lost; one run at a time.
 *
 * The suite runs as root in CI, where a read-only file or folder does not stop a
 * write: those conditions are made with a file-size limit (`ulimit -f`, which binds
 * root too), a directory or FIFO in place of a file, or one failing call of the
 * core's writer (test/helpers/fault-preload.mjs).
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { FRONT_ENDS, STACK_FRAME, runFrontEnd, suiteFor, type FrontEnd } from '../helpers/front-ends.js';
import { CLI, makeProject, readTree } from '../helpers/project.js';
import { USER_LINE, addUserLine, generateAsOldVersion } from '../helpers/upgrade.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const edit = (dir: string, file: string, change: (text: string) => string) =>
  writeFileSync(join(dir, file), change(read(dir, file)));
const stored = (dir: string) => JSON.parse(read(dir, '.yo-rc.json'))['generator-python-docker'];
const names = (dir: string) => readdirSync(dir).sort();

/** A generated FastAPI project whose Dockerfile the user has edited. */
async function editedProject(frontEnd: FrontEnd): Promise<string> {
  const dir = makeProject({ 'main.py': 'app = None\n' });
  const first = await runFrontEnd(frontEnd, dir, ['--yes']);
  expect(first.exitCode, first.all).toBe(0);
  edit(dir, 'Dockerfile', addUserLine);
  return dir;
}

/** The one `python-docker: …` line a refused run prints, and no stack. */
function refusedWith(run: { exitCode?: number; all?: string }, message: string) {
  expect(run.exitCode, run.all).toBe(1);
  expect(run.all).not.toMatch(STACK_FRAME);
  const lines = (run.all ?? '').split('\n').filter((l) => l.startsWith('python-docker: '));
  expect(lines).toEqual([expect.stringContaining(message)]);
}

for (const frontEnd of FRONT_ENDS)
  suiteFor(frontEnd)(`${frontEnd}: every file whole or not at all`, () => {
    it('a file-size limit hit on .yo-rc.json (EFBIG, the last file) leaves every file as it was', async () => {
      const dir = await editedProject(frontEnd);
      const before = readTree(dir);
      // 4 kB: the Dockerfile and the others fit, .yo-rc.json (which holds them all) does not.
      const run = await runFrontEnd(frontEnd, dir, ['--port', '9001'], { fileSizeBlocks: 4 });
      refusedWith(run, 'cannot write .yo-rc.json: the file size limit was reached (ulimit -f)');
      expect(readTree(dir)).toEqual(before);
    });

    it.each([
      ['writeSync:ENOSPC:.yo-rc.json', 'cannot write .yo-rc.json: no space left on the device'],
      ['accessSync:EACCES:.yo-rc.json', '.yo-rc.json is read-only; make it writable'],
      ['accessSync:EROFS:Dockerfile', 'Dockerfile is read-only'],
      ['openSync:EACCES:README.Docker.md', 'cannot write README.Docker.md: permission denied'],
      ['fsyncSync:EIO:Dockerfile', 'cannot write Dockerfile: EIO'],
      // The first rename fails: .yo-rc.json, renamed last, still records what is on disk.
      ['renameSync:EIO:Dockerfile', 'cannot write Dockerfile: EIO'],
    ])('%s: one line, exit 1, no file touched', async (fault, message) => {
      const dir = await editedProject(frontEnd);
      const before = readTree(dir);
      const run = await runFrontEnd(frontEnd, dir, ['--port', '9001'], { fault });
      refusedWith(run, message);
      expect(readTree(dir)).toEqual(before);
    });

    it("a reader that goes away (EPIPE) does not stop the run part-way: files whole, nothing said, the run's own exit status", async () => {
      if (frontEnd === 'yo') return; // yo's own command line installs the same handler (lib/broken-pipe.ts); yeoman-test has no pipe
      const dir = makeProject({ 'main.py': 'app = None\n' });
      const child = execa('node', [CLI, '--yes'], { cwd: dir, reject: false, stdin: 'ignore', stderr: 'pipe' });
      child.stdout!.destroy(); // as `| head -0` does
      const run = await child;
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toBe('');
      expect(names(dir)).toEqual([
        '.dockerignore',
        '.yo-rc.json',
        'Dockerfile',
        'README.Docker.md',
        'main.py',
        'requirements.txt',
      ]);
      expect(stored(dir).files.Dockerfile).toBe(read(dir, 'Dockerfile'));
    });

    it('killed mid-write (SIGKILL), the files and their record stay as they were; the next run finishes the job', async () => {
      const dir = await editedProject(frontEnd);
      const before = readTree(dir);
      const killed = await runFrontEnd(frontEnd, dir, ['--port', '9001'], {
        fault: 'writeSync:SIGKILL:.yo-rc.json',
        ownProcess: true,
      });
      expect(killed.signal).toBe('SIGKILL');
      for (const [path, content] of Object.entries(before)) expect(read(dir, path), path).toBe(content);
      const next = await runFrontEnd(frontEnd, dir, ['--port', '9001']);
      expect(next.exitCode, next.all).toBe(0);
      expect(names(dir)).toEqual(Object.keys(before).sort()); // no temporary file, no lock left
      expect(read(dir, 'Dockerfile')).toContain('EXPOSE 9001');
      expect(read(dir, 'Dockerfile')).toContain(USER_LINE);
    });
  });

for (const frontEnd of FRONT_ENDS)
  suiteFor(frontEnd)(`${frontEnd}: re-runs never forget or overwrite`, () => {
    it('a conflict is remembered: every run says so and exits 1 until the markers are gone', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      await generateAsOldVersion(dir);
      edit(dir, 'Dockerfile', (t) => t.replace('    --timeout=5s \\\n', '    --timeout=10s \\\n'));
      expect((await runFrontEnd(frontEnd, dir, [])).exitCode).toBe(1);
      const withMarkers = read(dir, 'Dockerfile');
      expect(withMarkers).toContain('<<<<<<< your version');

      const again = await runFrontEnd(frontEnd, dir, []);
      expect(again.exitCode).toBe(1);
      expect(again.all).toContain('conflict  Dockerfile (still has <<<<<<< markers: resolve them, then run again)');
      expect(read(dir, 'Dockerfile')).toBe(withMarkers);

      // Resolved by taking both: the next run is settled.
      edit(dir, 'Dockerfile', (t) => t.replace(/^(<<<<<<<|=======|>>>>>>>).*\n/gm, ''));
      const resolved = await runFrontEnd(frontEnd, dir, []);
      expect(resolved.exitCode, resolved.all).toBe(0);
      expect(read(dir, 'Dockerfile')).toContain('--timeout=10s');
    });

    it('a Dockerfile.new the generator did not write is never overwritten; its own is updated', async () => {
      const dir = makeProject({
        'main.py': 'app = None\n',
        Dockerfile: 'FROM python:3.12\n',
        'Dockerfile.new': 'FROM python:3.13 # trying\n',
      });
      const run = await runFrontEnd(frontEnd, dir, ['--yes']);
      expect(run.exitCode, run.all).toBe(0);
      expect(read(dir, 'Dockerfile.new')).toBe('FROM python:3.13 # trying\n');
      expect(run.all).toContain("Dockerfile.new is not the generator's either, so the new Dockerfile was not written");

      rmSync(join(dir, 'Dockerfile.new'));
      await runFrontEnd(frontEnd, dir, []);
      expect(read(dir, 'Dockerfile.new')).toContain('EXPOSE 8000');
      const port = await runFrontEnd(frontEnd, dir, ['--port', '9001']);
      expect(port.exitCode, port.all).toBe(0);
      expect(read(dir, 'Dockerfile.new')).toContain('EXPOSE 9001'); // its own: replaced
      expect(read(dir, 'Dockerfile')).toBe('FROM python:3.12\n');
    });

    it('an unedited Dockerfile turned CRLF is updated, not conflicted, and stays CRLF; an edited one merges', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      await runFrontEnd(frontEnd, dir, ['--yes']);
      edit(dir, 'Dockerfile', (t) => t.replace(/\n/g, '\r\n'));
      const run = await runFrontEnd(frontEnd, dir, ['--port', '9001']);
      expect(run.exitCode, run.all).toBe(0);
      expect(run.all).toContain('updated   Dockerfile');
      const crlf = read(dir, 'Dockerfile');
      expect(crlf).toContain('EXPOSE 9001\r\n');
      expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');

      edit(dir, 'Dockerfile', (t) => addUserLine(t.replace(/\r\n/g, '\n')).replace(/\n/g, '\r\n'));
      const merged = await runFrontEnd(frontEnd, dir, ['--port', '9002']);
      expect(merged.exitCode, merged.all).toBe(0);
      expect(merged.all).toContain('merged    Dockerfile');
      expect(read(dir, 'Dockerfile')).toContain(`${USER_LINE}\r\n`);
      expect(read(dir, 'Dockerfile')).toContain('EXPOSE 9002\r\n');
    });

    it('--force keeps the replaced version as Dockerfile.orig (then .orig.1) and says so', async () => {
      const dir = await editedProject(frontEnd);
      const edited = read(dir, 'Dockerfile');
      const run = await runFrontEnd(frontEnd, dir, ['--force']);
      expect(run.exitCode, run.all).toBe(0);
      expect(run.all).toContain('updated   Dockerfile (your version is saved as Dockerfile.orig)');
      expect(read(dir, 'Dockerfile.orig')).toBe(edited);
      expect(read(dir, 'Dockerfile')).not.toContain(USER_LINE);

      edit(dir, 'Dockerfile', (t) => addUserLine(t, 'RUN echo second'));
      const second = read(dir, 'Dockerfile');
      await runFrontEnd(frontEnd, dir, ['--force']);
      expect(read(dir, 'Dockerfile.orig')).toBe(edited);
      expect(read(dir, 'Dockerfile.orig.1')).toBe(second);
    });

    it('waits while another run holds the folder, then runs', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      writeFileSync(join(dir, '.python-docker.lock'), `${process.pid}\n`); // a live holder: this test
      const run = runFrontEnd(frontEnd, dir, ['--yes'], { ownProcess: true });
      await new Promise((r) => setTimeout(r, 1500));
      expect(names(dir)).toEqual(['.python-docker.lock', 'main.py']);
      rmSync(join(dir, '.python-docker.lock'));
      const done = await run;
      expect(done.exitCode, done.all).toBe(0);
      expect(names(dir)).toContain('Dockerfile');
    });

    it('refuses in one line when the folder stays locked by a live run, and writes nothing', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      writeFileSync(join(dir, '.python-docker.lock'), `${process.pid}\n`); // a live holder: this test
      const run = await runFrontEnd(frontEnd, dir, ['--yes'], { env: { PYTHON_DOCKER_LOCK_WAIT: '0.3' } });
      refusedWith(run, `another python-docker run (pid ${process.pid}) is working in this folder`);
      expect(names(dir)).toEqual(['.python-docker.lock', 'main.py']);
    });

    it('two runs at once (--port 9001 and --port 9002) end with one of them, never with markers', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      await runFrontEnd(frontEnd, dir, ['--yes']);
      // Yeoman's start-up is slow; the lock's waiting is proven above: one round of yo is enough here.
      for (let round = 0; round < (frontEnd === 'yo' ? 1 : 3); round++) {
        const runs = await Promise.all(
          ['9001', '9002'].map((port) => runFrontEnd(frontEnd, dir, ['--port', port], { ownProcess: true })),
        );
        for (const run of runs) expect(run.exitCode, run.all).toBe(0);
        const dockerfile = read(dir, 'Dockerfile');
        expect(dockerfile).not.toContain('<<<<<<<');
        expect(stored(dir).files.Dockerfile).toBe(dockerfile); // the record matches the disk
      }
    });
  });
