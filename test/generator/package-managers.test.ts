/**
 * uv, Poetry, Pipenv, PDM and pip-with-compilers projects get multi-stage
 * Dockerfiles their package managers' own docs would call correct. Checked
 * structurally (these tools cannot install here: no PyPI), against fixture
 * projects with lock files, generated with `--yes` alone.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { versions } from '../../lib/versions.js';
import { repoRoot, stages, type Stage } from '../helpers/dockerfile.js';
import { makeProject, runCli, runGenerator } from '../helpers/project.js';

const fixture = (path: string) => join(repoRoot, 'test', 'fixtures', path);

async function generate(path: string, args: string[] = []) {
  const dir = makeProject({}, 'pm-');
  cpSync(fixture(path), dir, { recursive: true });
  const run = await runCli(dir, ['--yes', ...args]);
  expect(run.exitCode, run.stderr).toBe(0);
  return { dir, run, dockerfile: readFileSync(join(dir, 'Dockerfile'), 'utf8') };
}

/** The RUN steps of a stage whose text matches. */
const runs = (stage: Stage, re: RegExp) => stage.instructions.filter((i) => i.keyword === 'RUN' && re.test(i.text));
/** Paths a RUN step bind-mounts from the build context. */
const bindSources = (text: string) => [...text.matchAll(/--mount=type=bind,source=([^,\s]+)/g)].map((m) => m[1]);
/** Instructions of a stage without comment lines. */
const code = (stage: Stage) => stage.instructions.map((i) => i.text.replace(/^#.*$/gm, '')).join('\n');

interface Case {
  fixture: string;
  manager: string;
  lockedStep: RegExp;
  flags: string[];
  files: string[];
  projectStep?: RegExp;
  tool: RegExp;
}

const CASES: Case[] = [
  {
    fixture: 'detect/uv-lock',
    manager: 'uv',
    lockedStep: /uv sync/,
    flags: ['--locked', '--no-install-project', '--no-dev'],
    files: ['pyproject.toml', 'uv.lock'],
    tool: new RegExp(
      `ARG UV_VERSION=${versions.tools.uv.replace(/\./g, '\\.')}\n\nFROM ghcr\\.io/astral-sh/uv:\\$\\{UV_VERSION\\} AS uv\n`,
    ),
  },
  {
    fixture: 'managers/uv-package',
    manager: 'uv',
    lockedStep: /uv sync --locked --no-install-project/,
    flags: ['--locked', '--no-install-project', '--no-dev'],
    files: ['pyproject.toml', 'uv.lock'],
    projectStep: /uv sync --locked --no-dev --no-editable/,
    tool: /FROM ghcr\.io\/astral-sh\/uv:\$\{UV_VERSION\} AS uv/,
  },
  {
    fixture: 'detect/poetry',
    manager: 'poetry',
    lockedStep: /poetry install/,
    flags: ['--only main', '--no-root'],
    files: ['pyproject.toml', 'poetry.lock'],
    tool: new RegExp(
      `ARG POETRY_VERSION=${versions.tools.poetry.replace(/\./g, '\\.')}\n[^]*pip install "poetry==\\$\\{POETRY_VERSION\\}"`,
    ),
  },
  {
    fixture: 'detect/pipenv',
    manager: 'pipenv',
    lockedStep: /pipenv sync/,
    flags: ['pipenv verify', 'pipenv sync'],
    files: ['Pipfile', 'Pipfile.lock'],
    tool: new RegExp(
      `ARG PIPENV_RELEASE=${versions.tools.pipenv.replace(/\./g, '\\.')}\n[^]*pip install "pipenv==\\$\\{PIPENV_RELEASE\\}"`,
    ),
  },
  {
    fixture: 'managers/pdm',
    manager: 'pdm',
    lockedStep: /pdm install --check --prod --no-editable --no-self/,
    flags: ['--check', '--prod', '--no-self'],
    files: ['pyproject.toml', 'pdm.lock'],
    projectStep: /pdm install --check --prod --no-editable$/m,
    tool: new RegExp(
      `ARG PDM_VERSION=${versions.tools.pdm.replace(/\./g, '\\.')}\n[^]*pip install "pdm==\\$\\{PDM_VERSION\\}"`,
    ),
  },
];

describe('lock-file package managers: builder and runtime stages', () => {
  it.each(CASES)('$fixture ($manager)', async (c) => {
    const { dockerfile, run } = await generate(c.fixture);
    expect(run.stdout).toContain(`package-manager ${c.manager}`);
    // uv's binary comes from a stage of its own (its official image); the rest is builder and runtime.
    const all = stages(dockerfile);
    if (c.manager === 'uv')
      expect(all.shift()).toMatchObject({ from: 'ghcr.io/astral-sh/uv:${UV_VERSION}', name: 'uv' });
    const [builder, runtime, ...more] = all;
    expect(more).toEqual([]);
    // Same Python image in both stages, so the virtualenv's interpreter path stays valid.
    expect(builder.name).toBe('builder');
    expect(builder.from).toBe(runtime.from);
    expect(runtime.from).toMatch(/^python:\$\{PYTHON_VERSION\}-slim-(trixie|bookworm)$/);

    // The package manager, pinned to an exact version that one build arg changes, in the builder only.
    expect(dockerfile).toMatch(c.tool);

    // The dependency step sees the manifest and the lock, nothing else: no COPY of the source before it.
    const [locked] = runs(builder, c.lockedStep);
    expect(locked, dockerfile).toBeDefined();
    expect(bindSources(locked.text).sort()).toEqual([...c.files].sort());
    const before = builder.instructions.slice(0, builder.instructions.indexOf(locked));
    expect(before.filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.text))).toEqual([]);
    for (const flag of c.flags) expect(locked.text).toContain(flag);
    expect(locked.text).not.toMatch(/--dev\b(?!-)|--with dev|--group dev|-G dev/);

    // The project itself only after its sources are copied.
    if (c.projectStep) {
      const [project] = runs(builder, c.projectStep);
      expect(project, dockerfile).toBeDefined();
      const copyIndex = builder.instructions.findIndex((i) => i.text === 'COPY . .');
      expect(copyIndex).toBeGreaterThan(builder.instructions.indexOf(locked));
      expect(builder.instructions.indexOf(project)).toBeGreaterThan(copyIndex);
    }

    // The runtime stage: the virtualenv and the source, no package manager.
    const runtimeCode = code(runtime);
    expect(runtimeCode).not.toMatch(/\b(uv|uvx|poetry|pipenv|pdm)\b/);
    expect(runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.text)).toEqual([
      'COPY --from=builder /opt/venv /opt/venv',
      'COPY --chown=10001:10001 . .',
    ]);
    expect(runtimeCode).toContain('PATH="/opt/venv/bin:$PATH"');
    expect(runtime.instructions.some((i) => i.keyword === 'RUN' && /pip install/.test(i.text))).toBe(false);
  });

  it('without BuildKit: the dependency step COPYs only the manifest and the lock', async () => {
    const { dockerfile } = await generate('detect/uv-lock', ['--no-buildkit']);
    expect(dockerfile).not.toContain('--mount=');
    const builder = stages(dockerfile).find((s) => s.name === 'builder')!;
    const copies = builder.instructions.filter((i) => i.keyword === 'COPY' && !i.text.includes('--from'));
    expect(copies[0].text).toBe('COPY pyproject.toml uv.lock ./');
    expect(dockerfile).toContain('UV_NO_CACHE=1');
  });

  it('a Poetry project with package-mode = false installs no root package', async () => {
    const { dockerfile } = await generate('detect/poetry');
    const [builder] = stages(dockerfile);
    expect(builder.instructions.map((i) => i.text)).not.toContain('COPY . .');
    expect(runs(builder, /poetry install/).map((r) => r.text.split('\n').at(-1)!.trim())).toEqual([
      'poetry install --only main --no-root',
    ]);
  });

  it('a stale or missing lock is refused with the command that makes one', async () => {
    const dir = makeProject({ 'pyproject.toml': '[project]\nname = "x"\nversion = "0"\n' });
    const run = await runCli(dir, ['--yes', '--package-manager', 'uv']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      'python-docker: --package-manager: uv needs uv.lock, which the project does not have; run `uv lock` or choose another package manager',
    );
  });

  it('a Pipfile without its lock: refused, naming the command that makes one', async () => {
    const dir = makeProject({}, 'pm-pipfile-');
    cpSync(fixture('detect/pipfile-without-lock'), dir, { recursive: true });
    const run = await runCli(dir, ['--yes']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe(''); // the refusal is all it prints
    expect(run.stderr).toBe(
      'python-docker: --package-manager: pipenv needs Pipfile.lock, which the project does not have; run `pipenv lock` or choose another package manager',
    );
  });

  it('several lock files, in a terminal: asks, with the first as the default', async () => {
    const dir = makeProject({}, 'pm-ask-');
    cpSync(fixture('detect/two-lock-files'), dir, { recursive: true });
    const defaults: Record<string, unknown> = {};
    const result = await runGenerator()
      .cd(dir)
      .withOptions({ force: false })
      .withAnswers(
        { packageManager: 'poetry' },
        {
          callback: (answer, { question }) => {
            defaults[String(question.name)] = question.default;
            return answer;
          },
        },
      );
    expect(result.askedQuestions.find((q) => q.name === 'packageManager')).toBeDefined();
    // The lock files' order (uv.lock first): the first is offered as the default, and the user's choice wins.
    expect(defaults.packageManager).toBe('uv');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('poetry install --only main');
  });

  it('several lock files: says which, takes the first with --yes', async () => {
    const { run, dockerfile } = await generate('detect/two-lock-files');
    expect(run.stdout).toContain(
      'found uv.lock (uv), poetry.lock (poetry), requirements.txt (pip): taking uv unless you choose another (--package-manager)',
    );
    expect(dockerfile).toContain('uv sync --locked');
    const pip = await generate('detect/two-lock-files', ['--package-manager', 'pip']);
    expect(pip.dockerfile).toContain('python -m pip install -r requirements.txt');
  });
});

describe('dependencies that compile C code', () => {
  it('pip + psycopg2: a builder with compilers and headers, a runtime with only libpq5', async () => {
    const { dockerfile } = await generate('managers/pip-psycopg2');
    const [builder, runtime] = stages(dockerfile);
    expect(builder.name).toBe('builder');
    const [apt] = runs(builder, /apt-get install/);
    expect(apt.text).toContain('apt-get install -y --no-install-recommends build-essential libpq-dev');
    expect(apt.text).toContain('--mount=type=cache,target=/var/lib/apt,');
    const [runtimeApt] = runs(runtime, /apt-get install/);
    expect(runtimeApt.text).toContain('--no-install-recommends libpq5');
    expect(code(runtime)).not.toMatch(/build-essential|-dev\b/);
    expect(runs(builder, /pip install -r requirements\.txt/)).toHaveLength(1);
  });

  it('without BuildKit, apt lists are removed in the same layer', async () => {
    const { dockerfile } = await generate('managers/pip-psycopg2', ['--no-buildkit']);
    const [builder] = stages(dockerfile);
    expect(runs(builder, /apt-get install/)[0].text).toMatch(
      /apt-get update[\s\\]+&& apt-get install -y --no-install-recommends build-essential libpq-dev[\s\\]+&& rm -rf \/var\/lib\/apt\/lists\/\*/,
    );
  });

  it('psycopg2-binary needs no compiler', async () => {
    const dir = makeProject({
      'requirements.txt': 'flask\ngunicorn\npsycopg2-binary\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    await runCli(dir, ['--yes']);
    expect(stages(readFileSync(join(dir, 'Dockerfile'), 'utf8'))).toHaveLength(1);
  });

  it('--build-deps adds the compiler stage on request', async () => {
    const { dockerfile } = await generate('detect/flask-app-factory', ['--build-deps']);
    const [builder, runtime] = stages(dockerfile);
    expect(runs(builder, /apt-get install/)[0].text).toContain('build-essential');
    expect(runs(runtime, /apt-get/)).toEqual([]);
  });

  it('PDM + psycopg2: compilers in the PDM builder too', async () => {
    const dir = makeProject({}, 'pm-pdm-');
    cpSync(fixture('managers/pdm'), dir, { recursive: true });
    const pyproject = join(dir, 'pyproject.toml');
    writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('"gunicorn"]', '"gunicorn", "psycopg2>=2.9"]'));
    expect((await runCli(dir, ['--yes'])).exitCode).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const [builder, runtime] = stages(dockerfile);
    expect(runs(builder, /apt-get install/)[0].text).toContain('libpq-dev');
    expect(runs(runtime, /apt-get install/)[0].text).toContain('libpq5');
  });
});

/**
 * uv cannot run here, so each flag and variable the uv builder uses is checked against
 * uv's own documentation (pages cited beside each; read for uv 0.13):
 *   CLI    https://docs.astral.sh/uv/reference/cli/#uv-sync
 *   ENV    https://docs.astral.sh/uv/reference/environment/
 *   DOCKER https://docs.astral.sh/uv/guides/integration/docker/
 *   PYDL   https://docs.astral.sh/uv/reference/settings/#python-downloads
 * A flag or variable added to the template without an entry here fails this test.
 */
const UV_DOCUMENTED: Record<string, string> = {
  // CLI: "Assert that the uv.lock will remain unchanged"; DOCKER: used for the intermediate layer.
  '--locked': 'CLI, DOCKER',
  // CLI: "Do not install the current project"; DOCKER "Intermediate layers".
  '--no-install-project': 'CLI, DOCKER',
  // CLI: "Disable the development dependency group" (an alias of --no-group dev).
  '--no-dev': 'CLI',
  // CLI: "Install any editable dependencies ... as non-editable"; DOCKER "Non-editable installs".
  '--no-editable': 'CLI, DOCKER',
  // ENV: "Equivalent to the --compile-bytecode command-line argument"; DOCKER "Compiling bytecode".
  UV_COMPILE_BYTECODE: 'ENV, DOCKER',
  // ENV: "Equivalent to the --link-mode command-line argument"; DOCKER "Caching" (copy: cache mount on another file system).
  UV_LINK_MODE: 'ENV, DOCKER',
  // ENV: "Equivalent to the python-downloads setting"; PYDL: values automatic, manual, never.
  UV_PYTHON_DOWNLOADS: 'ENV, PYDL',
  // ENV: "Specifies the path to the directory to use for a project virtual environment".
  UV_PROJECT_ENVIRONMENT: 'ENV',
  // ENV: "Equivalent to the --no-cache command-line argument"; DOCKER "Caching" (when the cache is not mounted).
  UV_NO_CACHE: 'ENV, DOCKER',
};

describe("uv's flags and variables are the ones its documentation names", () => {
  it.each([[[]], [['--no-buildkit']]])('uv builder %j', async (args) => {
    const { dockerfile } = await generate('managers/uv-package', args);
    const used = new Set(
      [...dockerfile.matchAll(/\buv sync((?: --[a-z-]+)+)/g)].flatMap((m) => m[1].trim().split(' ')),
    );
    // Variables uv reads (UV_VERSION is ours: a build arg, global, so no stage's environment has it).
    for (const m of dockerfile.matchAll(/^(?:ENV| {4}) *(UV_[A-Z_]+)=/gm)) used.add(m[1]);
    expect([...used].filter((u) => !(u in UV_DOCUMENTED))).toEqual([]);
    expect(used.has('--locked') && used.has('UV_PROJECT_ENVIRONMENT')).toBe(true);
    // Documented values: a boolean-style variable set to 1, link mode copy, downloads never.
    expect(dockerfile).toMatch(/UV_COMPILE_BYTECODE=1\b/);
    expect(dockerfile).toMatch(/UV_LINK_MODE=copy\b/);
    expect(dockerfile).toMatch(/UV_PYTHON_DOWNLOADS=never\b/);
    // DOCKER "Available images": the distroless image holds /uv and /uvx.
    expect(dockerfile).toContain('COPY --from=uv /uv /uvx /bin/');
  });
});
