/**
 * The second hostile pass over what both front-ends promise about files: root honours
 * mode bits and leaves the folder owner's files theirs, a re-run with nothing to change
 * rewrites nothing, a file another user owns in a sticky folder is found before writing,
 * --dry-run fails on a conflict, the walk says when it was cut short, and system folders
 * are refused. Cases needing another user run the command as `nobody` (setpriv) when the
 * suite runs as root, and are skipped otherwise.
 */
import { chmodSync, chownSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { FRONT_ENDS, STACK_FRAME, runFrontEnd, suiteFor, type FrontEnd } from '../helpers/front-ends.js';
import { CLI, GENERATOR, makeProject, readTree } from '../helpers/project.js';
import { generateAsOldVersion } from '../helpers/upgrade.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const names = (dir: string) => readdirSync(dir).sort();
const root = process.getuid?.() === 0;
const NOBODY = 65534;

function refusedWith(run: { exitCode?: number; all?: string }, message: string) {
  expect(run.exitCode, run.all).toBe(1);
  expect(run.all).not.toMatch(STACK_FRAME);
  const lines = (run.all ?? '').split('\n').filter((l) => l.startsWith('python-docker: '));
  expect(lines).toEqual([expect.stringContaining(message)]);
}

/** Either front-end in a process of its own, as the user `nobody`. */
async function asNobody(frontEnd: FrontEnd, cwd: string, args: string[], home = cwd) {
  const command = frontEnd === 'yo' ? [join(repoRoot, 'test', 'helpers', 'run-yo.mjs'), GENERATOR] : [CLI];
  const run = await execa(
    'setpriv',
    [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'node', ...command, ...args],
    {
      cwd,
      reject: false,
      stdin: 'ignore',
      all: true,
      env: { HOME: home },
      timeout: 60_000,
    },
  );
  return { exitCode: run.exitCode, all: run.all ?? '' };
}

/** Each file's inode and modification time: a rewrite changes both. */
const stamps = (dir: string) =>
  Object.fromEntries(names(dir).map((n) => [n, `${statSync(join(dir, n)).ino}:${statSync(join(dir, n)).mtimeMs}`]));

for (const frontEnd of FRONT_ENDS)
  suiteFor(frontEnd)(`${frontEnd}: the second hostile pass`, () => {
    it('a 0444 Dockerfile and a 0555 folder are refused, for root as for everyone; nothing written', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      expect((await runFrontEnd(frontEnd, dir, ['--yes'])).exitCode).toBe(0);
      const before = readTree(dir);
      chmodSync(join(dir, 'Dockerfile'), 0o444);
      refusedWith(
        await runFrontEnd(frontEnd, dir, ['--port', '9001']),
        'Dockerfile is read-only; make it writable (chmod u+w Dockerfile) and run again. Nothing was changed',
      );
      expect(readTree(dir)).toEqual(before);
      chmodSync(join(dir, 'Dockerfile'), 0o644);
      chmodSync(dir, 0o555);
      try {
        refusedWith(
          await runFrontEnd(frontEnd, dir, ['--port', '9001']),
          'the project folder is read-only, so Dockerfile cannot be written there',
        );
        expect(readTree(dir)).toEqual(before);
        expect(names(dir)).toEqual(Object.keys(before).sort()); // no lock, no temporary file
      } finally {
        chmodSync(dir, 0o755);
      }
    });

    it('killed just after the first rename: .yo-rc.json, renamed last, still has the old record; the next run finishes the job', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      expect((await runFrontEnd(frontEnd, dir, ['--yes'])).exitCode).toBe(0);
      const killed = await runFrontEnd(frontEnd, dir, ['--port', '9001'], {
        fault: 'renameSync:SIGKILL:Dockerfile',
        ownProcess: true,
      });
      expect(killed.signal).toBe('SIGKILL');
      expect(read(dir, 'Dockerfile')).toContain('EXPOSE 9001');
      expect(read(dir, 'README.Docker.md')).not.toContain('9001');
      const next = await runFrontEnd(frontEnd, dir, ['--port', '9001']);
      expect(next.exitCode, next.all).toBe(0);
      expect(read(dir, 'README.Docker.md')).toContain('9001');
    });

    it('a re-run with nothing to change rewrites nothing, .yo-rc.json included', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      expect((await runFrontEnd(frontEnd, dir, ['--yes'])).exitCode).toBe(0);
      const before = stamps(dir);
      await new Promise((r) => setTimeout(r, 20));
      const again = await runFrontEnd(frontEnd, dir, []);
      expect(again.exitCode, again.all).toBe(0);
      expect(stamps(dir)).toEqual(before);
    });

    it.runIf(root)('as root in a folder someone else owns, every file written is theirs (user and group)', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n', 'requirements.txt': 'fastapi\nuvicorn\n' });
      for (const path of [dir, join(dir, 'main.py'), join(dir, 'requirements.txt')]) chownSync(path, NOBODY, NOBODY);
      expect((await runFrontEnd(frontEnd, dir, ['--yes'])).exitCode).toBe(0);
      expect((await runFrontEnd(frontEnd, dir, ['--port', '9001'])).exitCode).toBe(0); // replaced files too
      for (const name of names(dir))
        expect([name, statSync(join(dir, name)).uid, statSync(join(dir, name)).gid]).toEqual([name, NOBODY, NOBODY]);
    });

    it.runIf(root)("another user's Dockerfile in a sticky folder is found before anything is written", async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      expect((await runFrontEnd(frontEnd, dir, ['--yes'])).exitCode).toBe(0);
      // As in /tmp: everyone may add files, only a file's owner may replace it. README.Docker.md is nobody's.
      chmodSync(dir, 0o1777);
      for (const name of names(dir)) chmodSync(join(dir, name), 0o666);
      chownSync(join(dir, 'README.Docker.md'), NOBODY, NOBODY);
      const before = readTree(dir);
      const run = await asNobody(frontEnd, dir, ['--port', '9001']);
      refusedWith(run, 'belongs to another user and the project folder has the sticky bit, so it cannot be replaced');
      expect(readTree(dir)).toEqual(before);
      expect(names(dir)).toEqual(Object.keys(before).sort());
    });

    it('--dry-run with an unresolved conflict says so and exits 1; with a new one too', async () => {
      const dir = makeProject({ 'main.py': 'app = None\n' });
      await generateAsOldVersion(dir);
      writeFileSync(
        join(dir, 'Dockerfile'),
        read(dir, 'Dockerfile').replace('    --timeout=5s \\\n', '    --timeout=10s \\\n'),
      );
      const fresh = await runFrontEnd(frontEnd, dir, ['--dry-run']);
      expect(fresh.exitCode, fresh.all).toBe(1);
      expect(fresh.all).toContain(
        'conflict: Dockerfile would get <<<<<<< markers where your edit and the new version disagree',
      );
      expect((await runFrontEnd(frontEnd, dir, [])).exitCode).toBe(1);
      const markers = read(dir, 'Dockerfile');
      const dry = await runFrontEnd(frontEnd, dir, ['--dry-run']);
      expect(dry.exitCode, dry.all).toBe(1);
      expect(dry.all).toContain('conflict: Dockerfile still has <<<<<<< markers; resolve them, then run again');
      expect(dry.all).not.toContain('Nothing would change');
      expect(read(dir, 'Dockerfile')).toBe(markers);
    });

    it.runIf(root)(
      'a subfolder the user cannot list is named; a project folder they cannot list is refused',
      async () => {
        const dir = makeProject({
          'requirements.txt': 'flask\n',
          'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
          'private/x.py': '',
        });
        chmodSync(dir, 0o777);
        chmodSync(join(dir, 'private'), 0o700);
        const run = await asNobody(frontEnd, dir, ['--yes', '--dry-run']);
        expect(run.all).toContain(
          'warning: private/ could not be listed (permission denied), so detection may have missed what it holds',
        );
        const unlistable = join(dir, 'locked');
        mkdirSync(unlistable, 0o333);
        chmodSync(unlistable, 0o333);
        refusedWith(
          await asNobody(frontEnd, unlistable, ['--yes', '--dry-run'], dir),
          `cannot list the project folder ${unlistable}: permission denied`,
        );
        // The home folder is listed first, to see whether it is a project: one line there too.
        refusedWith(
          await asNobody(frontEnd, unlistable, ['--yes', '--dry-run']),
          `cannot list your home folder ${unlistable}: permission denied`,
        );
      },
    );

    it.each(['/usr', '/etc', '/usr/share'])('%s, a system folder, is refused like / and $HOME', async (folder) => {
      const run = await runFrontEnd(frontEnd, folder, ['--yes', '--dry-run'], { ownProcess: true });
      refusedWith(run, `refusing to write Docker files in ${folder}, a system folder`);
    });
  });
