/**
 * The package as users get it: `npm pack`, installed globally with yo 7 into a
 * temporary prefix, then `yo python-docker --yes …` run as a non-root user (yo
 * refuses root), and the standalone command run npx-style from the tarball.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { makeProject, readTree, runCli } from '../helpers/project.js';

const USER = 'python-docker-e2e';
let tarball: string;
let prefix: string;
let npmCache: string;

/** npm settings of this machine that the other user cannot read from root's npmrc (a registry CA, say). */
const npmSettings: Record<string, string> = {};

/** Runs a command as the unprivileged user (when we are root; runuser keeps the environment) with the prefix's yo first on PATH. */
function asUser(cwd: string, command: string, args: string[]) {
  const env = {
    ...npmSettings,
    HOME: process.getuid?.() === 0 ? `/home/${USER}` : (process.env.HOME ?? tmpdir()),
    PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
    npm_config_prefix: prefix,
    npm_config_cache: npmCache,
    npm_config_fetch_retries: '1',
    npm_config_update_notifier: 'false',
    NO_UPDATE_NOTIFIER: '1',
  };
  const [file, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', USER, '--', command, ...args]] : [command, args];
  return execa(file, argv, { cwd, reject: false, all: true, stdin: 'ignore', env, timeout: 300_000 });
}

/** A copy of an example app, in a folder named after it (the image name), owned by the unprivileged user. */
async function project(app: string): Promise<string> {
  const parent = makeProject({}, `client-${app}-`);
  const dir = join(parent, app);
  cpSync(join(repoRoot, 'test', 'fixtures', 'apps', app), dir, { recursive: true });
  for (const d of [parent, dir]) chmodSync(d, 0o755);
  if (process.getuid?.() === 0) await execa('chown', ['-R', USER, dir]);
  return dir;
}

beforeAll(async () => {
  // With npm_config_prefix moved, npm would stop reading the machine's global npmrc: carry its settings over.
  for (const key of ['cafile', 'registry', 'strict-ssl', 'proxy', 'https-proxy']) {
    const value = (await execa('npm', ['config', 'get', key], { reject: false })).stdout.trim();
    if (value && value !== 'null' && value !== 'undefined') npmSettings[`npm_config_${key.replace(/-/g, '_')}`] = value;
  }
  if (process.getuid?.() === 0) {
    const exists = await execa('id', ['-u', USER], { reject: false });
    if (exists.exitCode !== 0) await execa('useradd', ['--create-home', '--shell', '/bin/sh', USER]);
  }
  const packDir = mkdtempSync(join(tmpdir(), 'pack-'));
  const packed = await execa('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: repoRoot });
  tarball = join(packDir, packed.stdout.trim().split('\n').at(-1)!);
  prefix = mkdtempSync(join(tmpdir(), 'prefix-'));
  npmCache = mkdtempSync(join(tmpdir(), 'npm-cache-'));
  await execa('npm', [
    'install',
    '-g',
    '--prefix',
    prefix,
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    tarball,
    'yo@7',
  ]);
  for (const dir of [packDir, prefix, npmCache]) chmodSync(dir, 0o755);
  chmodSync(tarball, 0o644);
  if (process.getuid?.() === 0) await execa('chown', ['-R', USER, npmCache]);
});

describe('the published package', () => {
  it('the tarball holds dist/, templates/, bin/ and the README, and no tests', async () => {
    const { stdout } = await execa('tar', ['-tzf', tarball]);
    const files = stdout.split('\n');
    expect(files).toContain('package/dist/generators/app/index.js');
    expect(files).toContain('package/templates/Dockerfile.ejs');
    expect(files).toContain('package/bin/python-docker.js');
    expect(files).toContain('package/README.md');
    expect(files.some((f) => f.startsWith('package/test/') || f.startsWith('package/lib/'))).toBe(false);
  });

  it('yo python-docker --yes … as a non-root user writes the same files as the standalone command', async () => {
    const dir = await project('flask');
    const args = ['--yes', '--framework', 'flask', '--entrypoint', 'app:create_app()', '--maintainer', 'Jane "JD" Doe'];
    const yo = await asUser(dir, 'yo', ['python-docker', ...args]);
    expect(yo.exitCode, yo.all).toBe(0);
    expect(yo.all).toContain('docker build -t');
    const tree = readTree(dir);
    expect(tree['requirements.txt']).toBe('flask\ngunicorn\n'); // untouched
    const reference = await project('flask');
    await runCli(reference, args);
    expect(tree).toEqual(readTree(reference));
  });

  it('re-running yo with no terminal on existing, edited files never aborts in the conflicter', async () => {
    const dir = await project('fastapi');
    expect((await asUser(dir, 'yo', ['python-docker', '--yes'])).exitCode).toBe(0);
    const path = join(dir, 'Dockerfile');
    const edited = readFileSync(path, 'utf8').replace(
      'WORKDIR /app\n',
      'WORKDIR /app\n\nRUN mkdir -p /var/lib/app-data\n',
    );
    writeFileSync(path, edited); // an existing file keeps its owner
    const again = await asUser(dir, 'yo', ['python-docker', '--port', '9000']);
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toContain('merged    Dockerfile');
    expect(again.all).not.toContain('force closed');
    const dockerfile = readFileSync(path, 'utf8');
    expect(dockerfile).toContain('RUN mkdir -p /var/lib/app-data');
    expect(dockerfile).toContain('EXPOSE 9000');
  });

  it('yo python-docker --help lists every option', async () => {
    const help = await asUser(await project('flask'), 'yo', ['python-docker', '--help']);
    expect(help.exitCode).toBe(0);
    for (const option of ['--python-version', '--framework', '--port', '--entrypoint', '--maintainer', '--yes'])
      expect(help.all).toContain(option);
  });

  it('yo python-docker with bad input: one line, exit 1, nothing written', async () => {
    const dir = await project('flask');
    const before = readTree(dir);
    const yo = await asUser(dir, 'yo', ['python-docker', '--yes', '--port', '70000']);
    expect(yo.exitCode).toBe(1);
    expect(yo.all).toContain('python-docker: --port: "70000" is not a port; expected a whole number from 1 to 65535');
    expect(yo.all).not.toMatch(/\n\s+at /); // no stack trace
    expect(readTree(dir)).toEqual(before);
  });

  it('npx-style: the standalone command straight from the tarball', async () => {
    const dir = await project('fastapi');
    const npx = await asUser(dir, 'npm', ['exec', '--yes', `--package=${tarball}`, '--', 'python-docker', '--yes']);
    expect(npx.exitCode, npx.all).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain(
      'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]',
    );
  });
});
