/**
 * Upgrading and reconfiguring a project with the user's own edits in the
 * generated files: an honest upgrade (files from an older template set, edited
 * as a user would, then a run with the current templates).
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, readTree, runCli, runGenerator } from '../helpers/project.js';
import { withEngine } from '../helpers/engine-on-path.js';
import { noTerminal } from '../helpers/yo.js';
import { OLD_VERSION, START_PERIOD_LINE, USER_LINE, addUserLine, generateAsOldVersion } from '../helpers/upgrade.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const edit = (dir: string, file: string, change: (text: string) => string) =>
  writeFileSync(join(dir, file), change(read(dir, file)));
const stored = (dir: string) => JSON.parse(read(dir, '.yo-rc.json'))['generator-python-docker'];

async function upgradedProject(options: Record<string, string> = {}) {
  const dir = makeProject({ 'main.py': 'app = None\n' });
  await generateAsOldVersion(dir, options);
  expect(read(dir, 'Dockerfile')).not.toContain(START_PERIOD_LINE);
  expect(stored(dir).version).toBe(OLD_VERSION);
  return dir;
}

describe('upgrade to new templates', () => {
  it("keeps the user's line, applies the template change, updates untouched files silently", async () => {
    const dir = await upgradedProject();
    edit(dir, 'Dockerfile', addUserLine);
    const oldIgnore = read(dir, '.dockerignore');

    const run = await runCli(dir, []);
    expect(run.exitCode, run.stderr).toBe(0);
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain(USER_LINE);
    expect(dockerfile).toContain(START_PERIOD_LINE);
    expect(dockerfile).not.toContain(OLD_VERSION);
    expect(read(dir, '.dockerignore')).not.toBe(oldIgnore); // its header names the new version
    expect(read(dir, '.dockerignore')).not.toContain(OLD_VERSION);
    expect(run.stdout).toContain('merged    Dockerfile (kept 3 lines of yours)');
    expect(run.stdout).toContain('updated   .dockerignore');
    expect(run.stdout).not.toContain('No terminal'); // a configured project asks nothing anyway
    expect(run.stdout).toContain('python-version  3.14 (from .yo-rc.json)');
    // The next merge base is the new render, not the merged file.
    expect(stored(dir).files.Dockerfile).toContain(START_PERIOD_LINE);
    expect(stored(dir).files.Dockerfile).not.toContain(USER_LINE);
    expect(stored(dir).version).not.toBe(OLD_VERSION);
  });

  it('a deleted line is an edit kept, and the summary says so (not "kept 0 lines")', async () => {
    const DROPPED = '# Exec form: the server is PID 1 and receives SIGTERM from `docker stop`.\n';
    const dir = await upgradedProject();
    expect(read(dir, 'Dockerfile')).toContain(DROPPED);
    edit(dir, 'Dockerfile', (text) => text.replace(DROPPED, ''));
    const run = await runCli(dir, []);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(read(dir, 'Dockerfile')).not.toContain(DROPPED);
    expect(read(dir, 'Dockerfile')).toContain(START_PERIOD_LINE);
    expect(run.stdout).toContain('merged    Dockerfile (kept your deletion of 1 line)\n');

    const both = await upgradedProject();
    edit(both, 'Dockerfile', (text) => addUserLine(text.replace(DROPPED, '')));
    expect((await runCli(both, [])).stdout).toContain(
      'merged    Dockerfile (kept 3 lines of yours and your deletion of 1 line)\n',
    );
  });

  it('a second identical run changes nothing: byte-identical, exit 0, no prompt', async () => {
    const dir = await upgradedProject();
    edit(dir, 'Dockerfile', addUserLine);
    await runCli(dir, []);
    const after = readTree(dir);
    const again = await runCli(dir, []);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('unchanged Dockerfile');
    expect(readTree(dir)).toEqual(after);

    // The same through yo, where a terminal would be: still no question.
    const yo = await runGenerator().cd(dir).withOptions({ force: false });
    expect(yo.askedQuestions).toEqual([]);
    expect(readTree(dir)).toEqual(after);
  });

  it('overlapping edits are written with conflict markers and the run exits non-zero', async () => {
    const dir = await upgradedProject();
    // The template adds --start-period right after --timeout; the user changes --timeout.
    edit(dir, 'Dockerfile', (t) => t.replace('    --timeout=5s \\\n', '    --timeout=10s \\\n'));
    const run = await runCli(dir, []);
    expect(run.exitCode).toBe(1);
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain(
      `<<<<<<< your version\n    --timeout=10s \\\n=======\n    --timeout=5s \\\n${START_PERIOD_LINE}`,
    );
    expect(dockerfile).toMatch(/>>>>>>> generator-python-docker \d+\.\d+\.\d+\n/);
    expect(run.stdout).toContain('conflict  Dockerfile');
    expect(run.stderr).toContain('conflict: Dockerfile has <<<<<<< markers');
  });

  it('under yo, a conflict sets a non-zero exit code too', async () => {
    const dir = await upgradedProject();
    edit(dir, 'Dockerfile', (t) => t.replace('    --timeout=5s \\\n', '    --timeout=10s \\\n'));
    try {
      await runGenerator().cd(dir).withOptions({ force: false, yes: true });
      expect(process.exitCode).toBe(1);
      expect(read(dir, 'Dockerfile')).toContain('<<<<<<< your version');
    } finally {
      process.exitCode = 0;
    }
  });
});

describe('reconfigure', () => {
  it('--port 9000 on an edited Dockerfile changes the port lines and keeps the edit', async () => {
    const dir = makeProject();
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    edit(dir, 'Dockerfile', addUserLine);
    const run = await runCli(dir, ['--port', '9000']);
    expect(run.exitCode, run.stderr).toBe(0);
    const dockerfile = read(dir, 'Dockerfile');
    expect(dockerfile).toContain(USER_LINE);
    expect(dockerfile).toContain('EXPOSE 9000');
    expect(dockerfile).toContain('"--port", "9000"]');
    expect(dockerfile).toContain("'http://127.0.0.1:9000/'");
    expect(dockerfile).not.toMatch(/8000/);
    expect(stored(dir).answers.port).toBe(9000);
  });

  it('a configured project asks nothing; --reconfigure asks again with the stored answers as defaults', async () => {
    const dir = makeProject();
    await runCli(dir, ['--yes', '--framework', 'flask', '--port', '5000']);
    const quiet = await runGenerator().cd(dir).withOptions({ force: false });
    expect(quiet.askedQuestions).toEqual([]);

    const asked = await withEngine('docker', () =>
      runGenerator().cd(dir).withOptions({ force: false, reconfigure: true }),
    );
    expect(asked.askedQuestions.map((q) => q.name)).toEqual([
      'pythonVersion',
      'framework',
      'port',
      'entrypoint',
      'maintainer',
      'packageManager',
      'compose',
      'verify',
    ]);
    // Unanswered questions took their defaults: the stored answers.
    expect(stored(dir).answers).toMatchObject({ framework: 'flask', port: 5000 });
  });
});

describe('files the user removed or wrote', () => {
  it('a deleted file stays deleted, and the run says so; --force brings it back', async () => {
    const dir = makeProject();
    await runCli(dir, ['--yes']);
    rmSync(join(dir, '.dockerignore'));
    const run = await runCli(dir, []);
    expect(run.exitCode).toBe(0);
    expect(existsSync(join(dir, '.dockerignore'))).toBe(false);
    expect(run.stdout).toContain(
      'deleted   .dockerignore (you deleted it, so it stays deleted; --force brings it back)',
    );
    await runCli(dir, ['--force']);
    expect(existsSync(join(dir, '.dockerignore'))).toBe(true);
  });

  it('a Dockerfile written before the generator ran is kept, with the render beside it as Dockerfile.new', async () => {
    const dir = makeProject({ Dockerfile: 'FROM python:3.12\n' });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(0);
    expect(read(dir, 'Dockerfile')).toBe('FROM python:3.12\n');
    expect(read(dir, 'Dockerfile.new')).toContain('# syntax=docker/dockerfile:1');
    expect(run.stdout).toContain(
      'kept      Dockerfile (yours was not written by the generator; the new version is in Dockerfile.new)',
    );
    // Not recorded as a merge base: the next run keeps it again instead of merging into it.
    expect(stored(dir).files.Dockerfile).toBeUndefined();
    await runCli(dir, []);
    expect(read(dir, 'Dockerfile')).toBe('FROM python:3.12\n');
  });

  it("Dockerfile.new renamed over the user's Dockerfile is the generator's from then on, even with a changed answer", async () => {
    const dir = makeProject({ Dockerfile: 'FROM python:3.12\n' });
    await runCli(dir, ['--yes']);
    renameSync(join(dir, 'Dockerfile.new'), join(dir, 'Dockerfile'));
    const run = await runCli(dir, ['--port', '9000']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('updated   Dockerfile');
    expect(read(dir, 'Dockerfile')).toContain('EXPOSE 9000');
    expect(existsSync(join(dir, 'Dockerfile.new'))).toBe(false);
    expect(stored(dir).files.Dockerfile).toBe(read(dir, 'Dockerfile'));
    expect(stored(dir).offered).toBeUndefined();
  });

  it('an adopted Dockerfile.new edited before the re-run is merged, keeping the edit', async () => {
    const dir = makeProject({ Dockerfile: 'FROM python:3.12\n' });
    await runCli(dir, ['--yes']);
    renameSync(join(dir, 'Dockerfile.new'), join(dir, 'Dockerfile'));
    edit(dir, 'Dockerfile', addUserLine);
    const run = await runCli(dir, ['--port', '9000']);
    expect(run.stdout).toContain('merged    Dockerfile');
    expect(read(dir, 'Dockerfile')).toContain(USER_LINE);
    expect(read(dir, 'Dockerfile')).toContain('EXPOSE 9000');
  });

  it('--force takes the new render wholesale', async () => {
    const dir = await upgradedProject();
    edit(dir, 'Dockerfile', addUserLine);
    const run = await runCli(dir, ['--force']);
    expect(run.exitCode).toBe(0);
    expect(read(dir, 'Dockerfile')).not.toContain(USER_LINE);
    expect(read(dir, 'Dockerfile')).toContain(START_PERIOD_LINE);
  });
});

describe('--dry-run', () => {
  it('prints the unified diff of what would change and writes nothing', async () => {
    const dir = await upgradedProject();
    edit(dir, 'Dockerfile', addUserLine);
    const before = readTree(dir);
    const run = await runCli(dir, ['--dry-run', '--port', '9000']);
    expect(run.exitCode).toBe(0);
    expect(readTree(dir)).toEqual(before);
    expect(run.stdout).toContain('--- a/Dockerfile');
    expect(run.stdout).toContain('+++ b/Dockerfile');
    expect(run.stdout).toContain(`+${START_PERIOD_LINE}`);
    expect(run.stdout).toContain('-EXPOSE 8000');
    expect(run.stdout).toContain('+EXPOSE 9000');
    expect(run.stdout).not.toContain(`-${USER_LINE}`); // the user's line survives
    expect(run.stdout).toContain('(dry run: nothing was written)');
  });

  it('prints no empty sections: a file rewritten to the same bytes is not in the diff', async () => {
    const dir = makeProject({ Dockerfile: 'FROM python:3.12\n' });
    await runCli(dir, ['--yes']); // Dockerfile kept, Dockerfile.new written
    const run = await runCli(dir, ['--dry-run']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toContain('Dockerfile.new');
    expect(run.stdout).not.toContain('===');
    expect(run.stdout).toContain('Nothing would change.');
  });

  it('through yo as well', async () => {
    const dir = await upgradedProject();
    const before = readTree(dir);
    // As typed after `yo python-docker`: Yeoman's own dry-run (its conflicter's) never sees the option.
    const { stdout } = await noTerminal(
      runGenerator().cd(dir).withOptions({ force: false }).withArguments(['--dry-run', '--port', '9000']),
    );
    expect(readTree(dir)).toEqual(before);
    expect(stdout).toContain('+EXPOSE 9000');
    expect(stdout).toContain('(dry run: nothing was written)');
  });
});
