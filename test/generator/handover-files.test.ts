/**
 * compose.yaml (valid for the Compose Specification across the framework
 * matrix) and README.Docker.md, specific to the project; and --verify with
 * no engine at all.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../../lib/answers.js';
import { FRAMEWORKS } from '../../lib/frameworks/index.js';
import { answerOptions } from '../../lib/options.js';
import { renderFiles, type ProjectFacts } from '../../lib/render.js';
import { repoRoot } from '../helpers/dockerfile.js';
import { pipFacts } from '../helpers/facts.js';
import { CLI, makeProject, readTree, runCli, runGenerator } from '../helpers/project.js';

const schema = JSON.parse(readFileSync(join(repoRoot, 'test', 'data', 'compose-spec.json'), 'utf8'));
// The schema is draft-07 but names it by an https URL ajv does not register: skip meta-validation.
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
// ajv-formats is CommonJS: its function is the default export's default.
formats.default(ajv);
const validCompose = ajv.compile(schema);

const FACTS = pipFacts();

describe('compose.yaml', () => {
  const cases = FRAMEWORKS.flatMap((framework) =>
    [false, true].flatMap((hasEnvFile) =>
      (['requirements', 'uv', 'pyproject'] as const).map((install) => ({ framework, hasEnvFile, install })),
    ),
  );

  it.each(cases)(
    '$framework, .env: $hasEnvFile, $install: valid for the Compose Specification',
    async ({ framework, hasEnvFile, install }) => {
      const { answers } = await resolveAnswers({ options: answerOptions({ framework, compose: true }) });
      const facts: ProjectFacts = {
        ...FACTS,
        install,
        hasEnvFile,
        dependencyFiles:
          install === 'uv' ? ['pyproject.toml', 'uv.lock'] : install === 'pyproject' ? [] : ['requirements.txt'],
      };
      const compose = parseYaml(renderFiles(answers, facts)['compose.yaml']);
      expect(validCompose(compose), JSON.stringify(validCompose.errors, null, 2)).toBe(true);
      const app = compose.services.app;
      expect(app.init).toBe(true);
      expect(app.build.context).toBe('.');
      if (framework === 'none') expect(app.ports).toBeUndefined();
      // The host port from APP_PORT, the app's own by default: still valid for the schema above.
      else expect(app.ports).toEqual([`\${APP_PORT:-${answers.port}}:${answers.port}`]);
      expect(app.env_file).toEqual(hasEnvFile ? ['.env'] : undefined);
      const watch = app.develop.watch;
      expect(watch[0]).toMatchObject({ action: 'sync+restart', path: '.', target: '/app' });
      const rebuild = watch
        .filter((w: { action: string }) => w.action === 'rebuild')
        .map((w: { path: string }) => w.path);
      expect(rebuild).toContain('Dockerfile');
      expect(rebuild).toEqual(
        expect.arrayContaining(facts.dependencyFiles.length ? facts.dependencyFiles : ['pyproject.toml']),
      );
    },
  );

  it('is written with --compose, never copies .env into the image, and only names .env when it exists', async () => {
    const withEnv = makeProject({
      '.env': 'SECRET=1\n',
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const run = await runCli(withEnv, ['--yes', '--compose']);
    // With compose.yaml written, it is what starts the app.
    expect(run.stdout).toMatch(/^Next:\n {2}docker compose up --build$/m);
    expect(run.stdout).not.toContain('docker build -t');
    const tree = readTree(withEnv);
    expect(tree['compose.yaml']).toContain('env_file:\n      - .env');
    // UID alone: `docker compose watch` cannot sync into a container whose user is "uid:gid".
    expect(tree['compose.yaml']).toMatch(/^ {4}user: "10001"$/m);
    expect(tree['.dockerignore']).toMatch(/^\*\*\/\.env$/m);
    const without = makeProject();
    await runCli(without, ['--yes']);
    expect(readTree(without)['compose.yaml']).toBeUndefined(); // off unless asked, when nothing is asked
  });

  it('in an interactive run it is offered, yes by default', async () => {
    const dir = makeProject();
    const result = await runGenerator().cd(dir).withOptions({ force: false });
    const question = result.askedQuestions.find((q) => q.name === 'compose');
    expect(question).toBeDefined();
    expect(readTree(dir)['compose.yaml']).toContain('services:');
  });
});

describe('README.Docker.md', () => {
  it('is specific to the project', async () => {
    const dir = makeProject(
      { 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': 'from fastapi import FastAPI\napi = FastAPI()\n' },
      'shop-',
    );
    await runCli(dir, ['--yes', '--compose', '--port', '9000', '--python-version', '3.12']);
    const readme = readTree(dir)['README.Docker.md'];
    const name = dir.split('/').at(-1)!.toLowerCase();
    expect(readme).toContain(`docker build -t ${name} .`);
    expect(readme).toContain(`docker run --rm -p 9000:9000 ${name}`);
    expect(readme).toContain('FastAPI project\n(Python 3.12, dependencies installed by pip)');
    expect(readme).toContain('docker compose watch');
    expect(readme).toContain('docker build --build-arg PYTHON_VERSION=3.13');
    expect(readme).toContain('UID and GID 10001');
    expect(readme).toContain('`/app` and to its home `/home/app`');
    expect(readme).toContain('npx generator-python-docker');
    for (const file of ['Dockerfile', '.dockerignore', 'compose.yaml', 'README.Docker.md', '.yo-rc.json'])
      expect(readme).toContain(`| \`${file}\` |`);
  });

  it('a worker: no port, no compose section when there is no compose.yaml', async () => {
    const dir = makeProject({ 'worker.py': 'print(1)\n' });
    await runCli(dir, ['--yes', '--framework', 'none', '--entrypoint', 'worker.py']);
    const readme = readTree(dir)['README.Docker.md'];
    expect(readme).toMatch(/docker run --rm [\w.-]+\n/);
    expect(readme).not.toContain('compose');
  });
});

describe('--verify without any engine', () => {
  it('says so plainly and how to install one; the files are still written; exit 2 (could not verify), no stack', async () => {
    // A PATH with node and nothing else: no docker, podman or buildah.
    const bin = makeProject({}, 'bin-');
    mkdirSync(join(bin, 'bin'));
    symlinkSync(process.execPath, join(bin, 'bin', 'node'));
    const dir = makeProject();
    const run = await execa(join(bin, 'bin', 'node'), [CLI, '--yes', '--verify'], {
      cwd: dir,
      reject: false,
      env: { PATH: join(bin, 'bin') },
      extendEnv: false,
      stdin: 'ignore',
    });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain('Cannot verify: no container engine found (tried docker, podman and buildah).');
    expect(run.stdout).toContain('Install Docker');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(Object.keys(readTree(dir))).toContain('Dockerfile');
  });

  it('refuses an unknown --engine before writing anything', async () => {
    const dir = makeProject();
    const run = await runCli(dir, ['--yes', '--verify', '--engine', 'lxc']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('python-docker: --engine: "lxc" is not supported; expected one of docker, podman, buildah');
    expect(readTree(dir)).toEqual({});
  });
});

describe('a project with its own Compose file', () => {
  const FLASK = {
    'requirements.txt': 'flask\ngunicorn\n',
    'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
  };
  /** The ```yaml block README.Docker.md says to add. */
  const snippet = (readme: string) => parseYaml(/```yaml\n([\s\S]*?)```/.exec(readme)![1]);

  it('whose service builds this folder: no compose.yaml, and README.Docker.md says what to add under that service', async () => {
    const theirs =
      'services:\n  web:\n    build: .\n    ports: ["8000:8000"]\n    depends_on: [db]\n  db:\n    image: postgres:16\n';
    const dir = makeProject({ ...FLASK, 'docker-compose.yml': theirs });
    const run = await runCli(dir, ['--yes', '--compose']);
    expect(run.exitCode).toBe(0);
    const tree = readTree(dir);
    expect(Object.keys(tree).filter((f) => f.includes('compose'))).toEqual(['docker-compose.yml']);
    expect(tree['docker-compose.yml']).toBe(theirs);
    expect(run.stdout).toContain(
      "skipped   compose.yaml (docker-compose.yml is the project's: README.Docker.md shows what to add to it)",
    );
    const readme = tree['README.Docker.md'];
    expect(readme).toContain('## Your `docker-compose.yml`');
    expect(readme).toContain('add\nunder `web`:');
    const add = snippet(readme);
    expect(Object.keys(add.services)).toEqual(['web']);
    expect(add.services.web.build).toBeUndefined(); // theirs builds already
    expect(add.services.web.develop.watch[0]).toMatchObject({ action: 'sync+restart', target: '/app' });
    // Added to theirs, it is still a valid Compose file.
    const merged = parseYaml(theirs);
    Object.assign(merged.services.web, add.services.web);
    expect(validCompose(merged), JSON.stringify(validCompose.errors)).toBe(true);
  });

  it.each(['compose.yaml', 'docker-compose.prod.yml', 'compose.dev.yml', 'docker-compose-local.yaml'])(
    '%s (a -f variant too): the whole service to add, under a free name; the file is never touched',
    async (file) => {
      const theirs = 'services:\n  app:\n    image: redis:7\n';
      const dir = makeProject({ ...FLASK, [file]: theirs });
      const run = await runCli(dir, ['--yes', '--compose']);
      expect(run.exitCode).toBe(0);
      const tree = readTree(dir);
      expect(tree[file]).toBe(theirs);
      expect(Object.keys(tree).filter((f) => /compose/.test(f) && f !== file)).toEqual([]);
      const add = snippet(tree['README.Docker.md']);
      expect(Object.keys(add.services)).toEqual(['python-app']); // `app` is theirs
      expect(add.services['python-app']).toMatchObject({
        build: { context: '.' },
        init: true,
        ports: ['${APP_PORT:-8000}:8000'],
      });
      const merged = parseYaml(theirs);
      Object.assign(merged.services, add.services);
      expect(validCompose(merged), JSON.stringify(validCompose.errors)).toBe(true);
    },
  );

  it('is not asked about in an interactive run, and says why among the detected answers', async () => {
    const dir = makeProject({ ...FLASK, 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n' });
    const result = await runGenerator().cd(dir).withOptions({ force: false });
    expect(result.askedQuestions.find((q) => q.name === 'compose')).toBeUndefined();
    expect(readTree(dir)['compose.yaml']).toBeUndefined();
    const run = await runCli(makeProject({ ...FLASK, 'docker-compose.yml': 'services: {}\n' }), ['--yes']);
    expect(run.stdout).toContain("compose         false (docker-compose.yml is the project's own)");
  });

  it("the compose.yaml an earlier run wrote is still the generator's, updated on a re-run", async () => {
    const dir = makeProject(FLASK);
    await runCli(dir, ['--yes', '--compose']);
    const run = await runCli(dir, ['--port', '9000']);
    expect(run.stdout).toContain('updated   compose.yaml');
    expect(readTree(dir)['compose.yaml']).toContain('"${APP_PORT:-9000}:9000"');
  });

  it.each(['compose.override.yaml', 'docker-compose.override.yml'])(
    '%s beside no base file is an override: compose.yaml is still written, its tags parse quietly',
    async (name) => {
      const override = 'services:\n  app:\n    ports: !reset []\n    environment: !override\n      DEBUG: "1"\n';
      const dir = makeProject({ ...FLASK, [name]: override });
      const run = await runCli(dir, ['--yes', '--compose']);
      expect(run.stdout).toContain('created   compose.yaml');
      expect(run.stderr).not.toMatch(/YAMLWarning|Unresolved tag/);
      expect(readTree(dir)[name]).toBe(override);
    },
  );
});
