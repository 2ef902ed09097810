/** Both front-ends take the same options, refuse the same mistakes, print the same help and report to stdout. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createEnv } from 'yeoman-environment';
import { FLAGS, INFO_FLAGS } from '../../lib/options.js';
import { repoRoot } from '../helpers/dockerfile.js';
import { CLI, GENERATOR, makeProject, readTree, runCli, runGenerator } from '../helpers/project.js';
import { noTerminal } from '../helpers/yo.js';

const RUN_YO = join(repoRoot, 'test', 'helpers', 'run-yo.mjs');

async function yoHelp(): Promise<string> {
  const env = createEnv();
  env.register(GENERATOR, { namespace: 'python-docker:app' });
  const generator = await env.create('python-docker:app', { generatorArgs: [], generatorOptions: { help: true } });
  return (generator as unknown as { help(): string }).help();
}

/** yo as users type it: the words after `yo python-docker`, with no terminal. */
const viaYo = (dir: string, args: string[]) =>
  noTerminal(runGenerator().cd(dir).withOptions({ force: false }).withArguments(args));

describe('--help', () => {
  it.each([
    ['python-docker', async () => (await runCli(makeProject(), ['--help'])).stdout],
    ['yo python-docker', yoHelp],
  ])('%s: every option on a line of its own, -h, examples, within 80 columns', async (command, help) => {
    const text = await help();
    const lines = text.split('\n');
    expect(lines[0]).toBe(`Usage: ${command} [options]`);
    for (const flag of [...FLAGS, ...INFO_FLAGS]) {
      const starts = lines.filter((l) =>
        new RegExp(`^\\s+(-${flag.alias}, )?--${flag.name}( [A-Z.]+)?(\\s|$)`).test(l),
      );
      expect(starts, `--${flag.name}`).toHaveLength(1);
    }
    expect(lines.filter((l) => /^\s+-h, --help\s/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^\s+--no-buildkit\s/.test(l))).toHaveLength(1);
    expect(text).toContain(`Examples:\n  ${command}\n`);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    // Yeoman's own options do nothing here: not offered.
    for (const yeomans of ['--skip-cache', '--skip-install', '--force-install', '--ask-answered'])
      expect(text).not.toContain(yeomans);
  });
});

describe('--help fits the terminal', () => {
  it.each([60, 66, 100])('COLUMNS=%i: both front-ends wrap to it, never under 60 nor over 80', async (columns) => {
    const cli = (
      await execa('node', [CLI, '--help'], { cwd: makeProject(), env: { COLUMNS: String(columns) }, stdin: 'ignore' })
    ).stdout;
    const saved = process.env.COLUMNS;
    process.env.COLUMNS = String(columns);
    const yo = await yoHelp().finally(() =>
      saved === undefined ? delete process.env.COLUMNS : (process.env.COLUMNS = saved),
    );
    for (const text of [cli, yo]) {
      expect(Math.max(...text.split('\n').map((l) => [...l].length))).toBe(Math.min(80, columns));
      // Every option is still there, and an example too long for a line continues with a backslash.
      for (const flag of [...FLAGS, ...INFO_FLAGS])
        expect(text).toMatch(new RegExp(`^\\s+(-${flag.alias}, )?--${flag.name}\\b`, 'm'));
    }
    if (columns === 60) expect(cli).toContain("--entrypoint \\\n      'app:create_app()'\n");
  });

  it('--force is described as it behaves: edited files are saved as .orig first', async () => {
    const text = (await runCli(makeProject(), ['--help'])).stdout.replace(/\s+/g, ' ');
    expect(text).toContain(
      '--force Take the new render of every file wholesale; a file you edited is saved first as FILE.orig',
    );
  });
});

describe('both front-ends accept and refuse the same options', () => {
  it.each([
    [['--yes', '--prot', '9000'], '--prot: unknown option; did you mean --port?'],
    [['--yes', '--framwork', 'flask'], '--framwork: unknown option; did you mean --framework?'],
    [['--yes', '--port'], '--port: needs a value'],
    [
      ['--yes', '--port', '8001', '--port', '8002'],
      '--port: given twice, as --port "8001" and --port "8002"; give it once',
    ],
    [
      ['--yes', '--framework', 'flask', '--framework=django'],
      '--framework: given twice, as --framework "flask" and --framework "django"',
    ],
    [['--yes', '--compose', '--no-compose'], '--compose: given twice, as --compose and --no-compose; give it once'],
    [['--yes', '--no-buildkit', '--buildkit'], '--no-buildkit: given twice, as --no-buildkit and --buildkit'],
    [['--yes', '--port', '80\n01'], '--port: "80\\n01" is not a port'],
    [['--yes', '--framework', 'flask\u001b[2J'], '--framework: "flask\\e[2J" is not supported'],
    [['--yes', 'extra'], '"extra": unexpected argument'],
  ])('%j: refused by both, one line, non-zero, nothing written', async (args, message) => {
    const cliDir = makeProject();
    const cli = await runCli(cliDir, args);
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr).toContain(`python-docker: ${message}`);
    expect(cli.stderr.split('\n')).toHaveLength(1);
    expect(readTree(cliDir)).toEqual({});
    const yoDir = makeProject();
    try {
      const yo = await viaYo(yoDir, args);
      expect(process.exitCode).toBe(1);
      expect(yo.stderr.trim()).toContain(`python-docker: ${message}`);
      expect(yo.stderr.trim().split('\n')).toHaveLength(1);
      expect(yo.stdout).toBe('');
      expect(readTree(yoDir)).toEqual({});
    } finally {
      process.exitCode = 0;
    }
  });

  it.each([
    ['--no-compose'],
    ['--compose'],
    ['--no-build-deps'],
    ['--buildkit'],
    ['--no-buildkit'],
    ['-y'],
    ['--port', '8001', '--port=8001'],
  ])('%s: accepted by both', async (...option) => {
    const args = ['--yes', ...option];
    const cli = await runCli(makeProject(), args);
    expect(cli.exitCode, cli.stderr).toBe(0);
    try {
      await viaYo(makeProject(), args);
      expect(process.exitCode ?? 0).toBe(0);
    } finally {
      process.exitCode = 0;
    }
  });

  it("an option Yeoman's own parser saw twice (a list) is refused under yo when the values differ", async () => {
    const dir = makeProject();
    try {
      const yo = await noTerminal(
        runGenerator()
          .cd(dir)
          .withOptions({ force: false, yes: true, port: ['8001', '8002'] }),
      );
      expect(process.exitCode).toBe(1);
      expect(yo.stderr.trim()).toBe('python-docker: --port: given twice, as "8001" and "8002"; give it once');
      expect(readTree(dir)).toEqual({});
    } finally {
      process.exitCode = 0;
    }
  });

  it("Yeoman's standard options are accepted under yo and do nothing; the standalone command, which has no yo, refuses them", async () => {
    const args = ['--yes', '--skip-install', '--skip-cache', '--force-install'];
    try {
      const yo = await viaYo(makeProject(), args);
      expect(process.exitCode ?? 0, yo.stderr).toBe(0);
    } finally {
      process.exitCode = 0;
    }
    const cli = await runCli(makeProject(), args);
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr).toBe('python-docker: --skip-install: unknown option (see python-docker --help)');
  });

  it('--version prints the version and runs nothing, under both', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    const cliDir = makeProject();
    const cli = await runCli(cliDir, ['--version']);
    expect(cli.stdout).toBe(version);
    const yoDir = makeProject();
    const yo = await viaYo(yoDir, ['--version']);
    expect(yo.stdout).toBe(`${version}\n`);
    expect(readTree(cliDir)).toEqual({});
    expect(readTree(yoDir)).toEqual({});
  });
});

describe('the report', () => {
  it('goes to stdout under both front-ends, each file once', async () => {
    const args = ['--yes', '--framework', 'flask', '--entrypoint', 'app:app'];
    const cli = await runCli(makeProject({ 'requirements.txt': 'flask\ngunicorn\n' }), args);
    const yo = await viaYo(makeProject({ 'requirements.txt': 'flask\ngunicorn\n' }), args);
    for (const run of [cli, yo]) {
      expect(run.stdout).toContain('Files:\n  created   Dockerfile\n');
      expect(run.stdout.match(/Dockerfile\n/g)).toHaveLength(1);
      expect(run.stdout).toContain('Next:\n');
    }
    const strip = (text: string) => text.replace(/-p \d+:8000 \S+|-t \S+/g, '');
    expect(strip(yo.stdout)).toBe(strip(`${cli.stdout}\n`));
  });
});

describe('Node.js versions', () => {
  /** The standalone command as if on another Node.js version. */
  const asNode = (version: string, args: string[]) =>
    execa(
      'node',
      [
        '--import',
        `data:text/javascript,Object.defineProperty(process, "versions", { value: { ...process.versions, node: "${version}" } })`,
        CLI,
        ...args,
      ],
      {
        cwd: makeProject(),
        reject: false,
        stdin: 'ignore',
      },
    );

  it('the standalone command refuses one older than package.json engines, in one line', async () => {
    const engines = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).engines.node as string;
    const [major, minor] = /^>=(\d+)\.(\d+)$/.exec(engines)!.slice(1).map(Number);
    const older = await asNode(`${major}.${minor - 1}.0`, ['--yes']);
    expect(older.exitCode).toBe(1);
    expect(older.stderr).toBe(
      `python-docker: Node.js ${major}.${minor - 1}.0 is too old; it needs ${major}.${minor} or newer (https://nodejs.org)`,
    );
    expect(older.stdout).toBe('');
    const oldest = await asNode('18.20.8', ['--version']);
    expect(oldest.stderr.split('\n')).toHaveLength(1);
    expect((await asNode(`${major}.${minor}.0`, ['--version'])).exitCode).toBe(0);
  });
});

describe('pipes and signals', () => {
  it.each(['true', 'head -1'])(
    'a reader that goes away early (| %s): exit 0, nothing on stderr, the files written whole',
    async (reader) => {
      const dir = makeProject();
      const piped = await execa('bash', ['-c', `set -o pipefail; node ${JSON.stringify(CLI)} --yes | ${reader}`], {
        cwd: dir,
        reject: false,
        stdin: 'ignore',
      });
      expect(piped.exitCode, piped.stderr).toBe(0);
      expect(piped.stderr).toBe('');
      expect(readTree(dir)).toHaveProperty('Dockerfile');
      const help = await execa('bash', ['-c', `set -o pipefail; node ${JSON.stringify(CLI)} --help | ${reader}`], {
        cwd: dir,
        reject: false,
        stdin: 'ignore',
      });
      expect([help.exitCode, help.stderr]).toEqual([0, '']);
    },
  );

  it('yo python-docker | head -1: exit 0, nothing on stderr', async () => {
    const dir = makeProject();
    const run = await execa(
      'bash',
      ['-c', `set -o pipefail; node ${JSON.stringify(RUN_YO)} ${JSON.stringify(GENERATOR)} --yes | head -1`],
      {
        cwd: dir,
        reject: false,
        stdin: 'ignore',
      },
    );
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    expect(readTree(dir)).toHaveProperty('Dockerfile');
  });
});
