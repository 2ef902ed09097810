/**
 * lib/safe-files.ts on its own: the folder's lock when the disk is full or the lock
 * is garbage, a rename that fails late (every file put back), the system's folders.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, acquireLock, fsOps, isSystemFolder, writeFilesAtomically } from '../../lib/safe-files.js';
import { makeProject } from '../helpers/project.js';

const saved = { ...fsOps };
afterEach(() => Object.assign(fsOps, saved));

/** Makes calls of one fsOps function fail with `code` when `when` says so. */
function failing<K extends keyof typeof fsOps>(call: K, code: string, when: (...args: any[]) => boolean) {
  const original = saved[call] as (...args: any[]) => any;
  (fsOps as any)[call] = (...args: any[]) => {
    if (when(...args)) throw Object.assign(new Error(`${code}: simulated`), { code });
    return original(...args);
  };
}

describe('the folder lock', () => {
  it('a full disk while writing the lock: one line about the lock, and no empty lock left behind', () => {
    const dir = makeProject({ 'main.py': 'app = None\n' });
    failing('writeSync', 'ENOSPC', () => true);
    expect(() => acquireLock(dir, 0)).toThrow(
      /^cannot take the folder's lock \(\.python-docker\.lock\): no space left on the device; free some space and run again\. Nothing was changed$/,
    );
    expect(readdirSync(dir)).toEqual(['main.py']);
  });

  it('a lock that cannot be removed after that is named, never "Nothing was changed"', () => {
    const dir = makeProject();
    failing('writeSync', 'ENOSPC', () => true);
    failing('unlinkSync', 'EIO', () => true);
    expect(() => acquireLock(dir, 0)).toThrow(
      /Nothing else was changed; delete \.python-docker\.lock, which could not be removed$/,
    );
  });

  it('a garbage lock (100 bytes, no pid) is taken over like a stale one; a fresh one is waited for, in words about a lock', () => {
    const dir = makeProject();
    const lock = join(dir, LOCK_FILE);
    writeFileSync(lock, 'x'.repeat(100));
    utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const held = acquireLock(dir, 0);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    held.release();
    writeFileSync(lock, '\u0000'.repeat(100_000)); // just written, by whom is unknown: waited for
    expect(() => acquireLock(dir, 0)).toThrow(
      /^another python-docker run \(pid \?\) is working in this folder; wait for it to finish and run again \(or delete \.python-docker\.lock if no such run is left\)$/,
    );
  });
});

describe('every file whole, or none', () => {
  it('a rename that fails late puts back every file already replaced, removes new ones, leaves no temporary file', () => {
    const dir = makeProject({ Dockerfile: 'old Dockerfile\n', '.yo-rc.json': '{}\n' });
    failing('renameSync', 'EPERM', (_from: string, to: string) => to.endsWith('.yo-rc.json'));
    expect(() =>
      writeFilesAtomically(dir, [
        { path: 'Dockerfile', content: 'new Dockerfile\n' },
        { path: 'README.Docker.md', content: 'new\n' },
        { path: '.yo-rc.json', content: '{"new": 1}\n' },
      ]),
    ).toThrow(/^cannot write \.yo-rc\.json: operation not permitted; .+\. Nothing was changed$/);
    expect(readdirSync(dir).sort()).toEqual(['.yo-rc.json', 'Dockerfile']);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('old Dockerfile\n');
    expect(readFileSync(join(dir, '.yo-rc.json'), 'utf8')).toBe('{}\n');
  });

  it('an append-only file (chattr +a) that even root cannot replace: the files before it are put back', () => {
    const dir = makeProject({ Dockerfile: 'old Dockerfile\n', 'README.Docker.md': 'old readme\n' });
    try {
      execFileSync('chattr', ['+a', join(dir, 'README.Docker.md')], { stdio: 'ignore' });
    } catch {
      return; // no chattr, or a file system without attributes: the simulated failure above covers it
    }
    try {
      expect(() =>
        writeFilesAtomically(dir, [
          { path: 'Dockerfile', content: 'new Dockerfile\n' },
          { path: 'README.Docker.md', content: 'new readme\n' },
        ]),
      ).toThrow(/^cannot write README\.Docker\.md: operation not permitted; .+\. Nothing was changed$/);
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('old Dockerfile\n');
      expect(readdirSync(dir).sort()).toEqual(['Dockerfile', 'README.Docker.md']);
    } finally {
      execFileSync('chattr', ['-a', join(dir, 'README.Docker.md')]);
    }
  });

  it('a file put back keeps its mode and its bytes (not UTF-8 too)', () => {
    const dir = makeProject();
    const old = Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xff, 0xfe, 0x0a]);
    writeFileSync(join(dir, 'Dockerfile'), old);
    execFileSync('chmod', ['0640', join(dir, 'Dockerfile')]);
    failing('renameSync', 'EIO', (_from: string, to: string) => to.endsWith('README.Docker.md'));
    expect(() =>
      writeFilesAtomically(dir, [
        { path: 'Dockerfile', content: 'new\n' },
        { path: 'README.Docker.md', content: 'new\n' },
      ]),
    ).toThrow(/Nothing was changed$/);
    expect(statSync(join(dir, 'Dockerfile')).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(dir, 'Dockerfile'))).toEqual(old);
    expect(existsSync(join(dir, 'README.Docker.md'))).toBe(false);
  });
});

describe('system folders', () => {
  it.each(['/usr', '/etc', '/var', '/usr/lib', '/usr/share/doc', '/etc/nginx', '/proc/1', '/var/lib/docker'])(
    '%s is one',
    (path) => {
      expect(isSystemFolder(path)).toBe(true);
    },
  );
  it.each(['/usr/src/app', '/var/www/site', '/srv/app', '/opt/app', '/home/me/shop', '/tmp/x', '/usr2'])(
    '%s is not',
    (path) => {
      expect(isSystemFolder(path)).toBe(false);
    },
  );
});
