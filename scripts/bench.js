#!/usr/bin/env node
// `npm run bench`: measures the generator and the images it produces, side by side
// in one run on one machine, and prints a markdown table (also written as JSON to
// bench-results/ for comparison between commits). Quote the ratios, not the times.
//
//   BENCH_REPEATS=N   runs per timing (default 10 for the generator, 3 for builds)
//   BENCH_ENGINE=buildah  build images with buildbox even when a Docker engine answers
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  appendFileSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { detectProject } from '../dist/lib/detect/detect-project.js';
import { checkPins } from '../dist/lib/project/index-check.js';
import { ProjectTree } from '../dist/lib/project/project-tree.js';

const root = new URL('..', import.meta.url).pathname;
const CLI = join(root, 'bin', 'python-docker.js');
const BUILDBOX = process.env.BUILDBOX_DIR ?? join(root, '..', 'shared', 'buildbox');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 10);
const BUILD_REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const results = {
  date: new Date().toISOString(),
  commit: git('rev-parse', '--short', 'HEAD'),
  node: process.version,
  rows: [],
};

function git(...args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms) => (ms < 100 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(3)} s`);
const mb = (bytes) => (bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`);
function timed(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
function row(section, metric, value, target = '', ok = undefined) {
  results.rows.push({ section, metric, value, target, ok });
  console.error(`  ${section}: ${metric} = ${value}`);
}

// ---------------------------------------------------------------- generator speed
const APP = join(root, 'test', 'fixtures', 'apps', 'fastapi');

function generatorSpeed() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gen-'));
  cpSync(APP, dir, { recursive: true });
  const generated = ['Dockerfile', '.dockerignore', '.yo-rc.json', 'README.Docker.md'];
  const cli = (args) => timed(() => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, stdio: 'ignore' }));
  const t = { first: [], rerun: [], dry: [], node: [] };
  // Paired: each round runs the three and `node -e 0` back to back, so load on the machine falls on all alike.
  for (let i = 0; i < REPEATS; i++) {
    for (const f of generated) rmSync(join(dir, f), { force: true });
    t.first.push(cli(['--yes']));
    t.node.push(timed(() => spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' })));
    t.rerun.push(cli(['--yes']));
    t.dry.push(cli(['--yes', '--dry-run']));
  }
  const node = median(t.node);
  row('generator', 'node -e 0, for reference (median)', seconds(node));
  for (const [key, label, target] of [
    ['first', 'python-docker --yes, first run on a new project', 2],
    ['rerun', 'python-docker --yes, re-run with nothing to change', 1.5],
    ['dry', 'python-docker --yes --dry-run', 1.5],
  ]) {
    const ratio = median(t[key]) / node;
    row(
      'generator',
      `${label} (median)`,
      `${seconds(median(t[key]))} = ${ratio.toFixed(2)}× node -e 0`,
      `≤ ${target}×`,
      ratio <= target,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * `yo python-docker --yes` against `yo --version`: time to the first line of output and to exit. yo is
 * this package's dev dependency, finding the generator through a node_modules link; as root, yo drops
 * to an unprivileged user, so the project and HOME are made writable for it.
 */
function yoSpeed() {
  const yo = join(root, 'node_modules', 'yo', 'lib', 'cli.js');
  if (!existsSync(yo)) return row('generator', 'yo python-docker', 'skipped: yo is not installed (npm ci)');
  const parent = mkdtempSync(join(tmpdir(), 'bench-yo-'));
  mkdirSync(join(parent, 'node_modules'));
  symlinkSync(root, join(parent, 'node_modules', 'generator-python-docker'));
  const dir = join(parent, 'app');
  cpSync(APP, dir, { recursive: true });
  mkdirSync(join(parent, 'home'));
  for (const d of [parent, dir, join(parent, 'home')]) chmodSync(d, 0o1777);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o666);
  const env = {
    ...process.env,
    HOME: join(parent, 'home'),
    NO_UPDATE_NOTIFIER: '1',
    npm_config_update_notifier: 'false',
  };
  /** Milliseconds to the first byte of output and to exit. */
  const timedRun = (args) =>
    new Promise((resolve) => {
      const started = process.hrtime.bigint();
      const since = () => Number(process.hrtime.bigint() - started) / 1e6;
      let first;
      const child = spawn(process.execPath, [yo, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const mark = () => (first ??= since());
      child.stdout.on('data', mark);
      child.stderr.on('data', mark);
      child.on('close', (code) => resolve({ first, exit: since(), code }));
    });
  return (async () => {
    const t = { version: [], versionFirst: [], run: [], runFirst: [] };
    for (let i = 0; i < Math.min(REPEATS, 5); i++) {
      const v = await timedRun(['--version']);
      const r = await timedRun(['python-docker', '--yes', '--no-insight']);
      if (r.code !== 0) return row('generator', 'yo python-docker --yes', `skipped: yo exited ${r.code}`);
      t.version.push(v.exit);
      t.versionFirst.push(v.first);
      t.run.push(r.exit);
      t.runFirst.push(r.first);
    }
    const [run, version] = [median(t.run), median(t.version)];
    row(
      'generator',
      'yo --version: first line; exit (median)',
      `${seconds(median(t.versionFirst))}; ${seconds(version)}`,
    );
    row(
      'generator',
      'yo python-docker --yes, re-run: first line; exit (median)',
      `${seconds(median(t.runFirst))}; ${seconds(run)} = ${(run / version).toFixed(2)}× yo --version`,
    );
    rmSync(parent, { recursive: true, force: true });
  })();
}

// ---------------------------------------------------------------- large tree
/** A project with a 200 MB .venv, a deep node_modules and a .git: made once, kept in /tmp. */
function largeTree() {
  const dir = join(tmpdir(), 'python-docker-bench-large-tree');
  if (existsSync(join(dir, '.done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  cpSync(APP, dir, { recursive: true });
  const chunk = Buffer.alloc(10_000, 1);
  for (let p = 0; p < 200; p++) {
    const pkg = join(dir, '.venv', 'lib', 'python3.12', 'site-packages', `pkg${p}`);
    mkdirSync(pkg, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(pkg, `mod${f}.py`), chunk); // 200 × 100 × 10 kB = 200 MB
  }
  writeFileSync(join(dir, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
  mkdirSync(join(dir, '.venv', 'lib', 'python3.12', 'site-packages', 'asgiref'), { recursive: true });
  writeFileSync(join(dir, '.venv', 'lib', 'python3.12', 'site-packages', 'asgiref', 'wsgi.py'), 'application = None\n');
  for (let m = 0; m < 300; m++) {
    let path = join(dir, 'node_modules', `m${m}`);
    for (let depth = 0; depth < 8; depth++) path = join(path, 'node_modules', `d${depth}`);
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'index.js'), 'module.exports = 1;\n');
  }
  for (let o = 0; o < 2000; o++) {
    const objects = join(dir, '.git', 'objects', (o % 256).toString(16).padStart(2, '0'));
    mkdirSync(objects, { recursive: true });
    writeFileSync(join(objects, `obj${o}`), chunk);
  }
  writeFileSync(join(dir, '.done'), '');
  return dir;
}

function treeBytes(dir, keep = () => true) {
  let total = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      const rel = relative(dir, path);
      if (!keep(rel)) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) total += statSync(path).size;
    }
  };
  walk(dir);
  return total;
}

function detectionSpeed(dir) {
  const runs = [];
  let detection;
  for (let i = 0; i < REPEATS; i++) runs.push(timed(() => (detection = detectProject(dir))));
  const m = median(runs);
  row(
    'detection',
    `detect on a project with a ${mb(treeBytes(join(dir, '.venv')))} .venv, deep node_modules and .git (median)`,
    seconds(m),
    '< 0.3 s',
    m < 300,
  );
  row(
    'detection',
    'entrypoint found (not the .venv wsgi.py)',
    detection.answers.entrypoint ?? 'none',
    'main:app',
    detection.answers.entrypoint === 'main:app',
  );
}

/**
 * Every scan is linear: 1 MB files built to make a backtracking pattern quadratic (repeated
 * `.run(` with no `)` in the app's file, whitespace and repeated options in the Procfile,
 * .flaskenv, compose file and requirements). A quadratic scan takes minutes here.
 */
function hostileFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-hostile-'));
  const mib = (unit) => unit.repeat(Math.ceil(1_048_576 / unit.length));
  writeFileSync(join(dir, 'requirements.txt'), `flask\ngunicorn\n${mib(' \n')}`);
  writeFileSync(join(dir, 'app.py'), `from flask import Flask\napp = Flask(__name__)\n${mib('app.run(')}`);
  writeFileSync(join(dir, 'Procfile'), `web: gunicorn app:app ${mib('--bind=')}`);
  writeFileSync(join(dir, '.flaskenv'), mib(' \n\t'));
  writeFileSync(join(dir, 'compose.yaml'), `services:\n  app:\n    command: ${mib(' ')}x\n`);
  writeFileSync(join(dir, 'Dockerfile'), `FROM python:3.12-slim\nCMD ${mib('[')}\n`);
  const runs = [];
  let detection;
  for (let i = 0; i < Math.min(REPEATS, 5); i++) runs.push(timed(() => (detection = detectProject(dir))));
  const m = median(runs);
  row('detection', 'detect with six 1 MB files made to be slow to scan (median)', seconds(m), '< 0.5 s', m < 500);
  row(
    'detection',
    'entrypoint found among them',
    detection.answers.entrypoint ?? 'none',
    'app:app',
    detection.answers.entrypoint === 'app:app',
  );
  rmSync(dir, { recursive: true, force: true });
}

function buildContext(dir) {
  const all = treeBytes(dir);
  spawnSync(process.execPath, [CLI, '--yes'], { cwd: dir, stdio: 'ignore' });
  const kept = contextBytes(dir);
  row('build context', 'bytes sent without a .dockerignore', mb(all));
  row('build context', 'bytes sent with ours', mb(kept), 'the app only', kept < 1e6);
  row('build context', 'ratio', `${(all / kept).toFixed(0)}× smaller`);
}

// ---------------------------------------------------------------- images
const NAIVE = `FROM python:3.14-slim-trixie
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
`;
/** The seed article's sample, adapted only to this app: requirements before WORKDIR, COPY then chown -R. */
const SEED = `FROM python:3.14-slim-trixie
LABEL maintainer="bench@example.com"
EXPOSE 8000
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
COPY requirements.txt .
RUN python -m pip install --no-cache-dir --upgrade -r requirements.txt
WORKDIR /app
COPY . /app
RUN adduser -u 5678 --disabled-password --gecos "" appuser && chown -R appuser /app
USER appuser
CMD ["uvicorn", "main:app", "--host", "0.0.0.0"]
`;
/**
 * The shape \`docker init\` writes for Python, from its documented behaviour: requirements.txt
 * bind-mounted into a cached pip install, a non-root user with no home (/nonexistent),
 * \`COPY . .\` after USER but without --chown (the files stay root's), a shell-form CMD;
 * and its .dockerignore.
 */
const DOCKER_INIT = `ARG PYTHON_VERSION=3.14
FROM python:\${PYTHON_VERSION}-slim
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
WORKDIR /app
ARG UID=10001
RUN adduser \\
    --disabled-password \\
    --gecos "" \\
    --home "/nonexistent" \\
    --shell "/sbin/nologin" \\
    --no-create-home \\
    --uid "\${UID}" \\
    appuser
RUN --mount=type=cache,target=/root/.cache/pip \\
    --mount=type=bind,source=requirements.txt,target=requirements.txt \\
    python -m pip install -r requirements.txt
USER appuser
COPY . .
EXPOSE 8000
CMD python3 -m uvicorn main:app --host=0.0.0.0 --port=8000
`;
const DOCKER_INIT_IGNORE = [
  '**/.DS_Store',
  '**/__pycache__',
  '**/.venv',
  '**/.classpath',
  '**/.dockerignore',
  '**/.env',
  '**/.git',
  '**/.gitignore',
  '**/.project',
  '**/.settings',
  '**/.toolstarget',
  '**/.vs',
  '**/.vscode',
  '**/*.*proj.user',
  '**/*.dbmdl',
  '**/*.jfm',
  '**/bin',
  '**/charts',
  '**/docker-compose*',
  '**/compose.y*ml',
  '**/Dockerfile*',
  '**/node_modules',
  '**/npm-debug.log',
  '**/obj',
  '**/secrets.dev.yaml',
  '**/values.dev.yaml',
  'LICENSE',
  'README.md',
].join('\n');
const SEED_IGNORE = [
  '**/__pycache__',
  '**/*venv',
  '**/.git',
  '**/.gitignore',
  '**/.vscode',
  '**/Dockerfile*',
  '**/.dockerignore',
  '*.db',
  'README.md',
].join('\n');

/** The example app with a 20 MB static asset, and what a real checkout also has: a local .venv and .git. */
function imageProject(variant) {
  const dir = mkdtempSync(join(tmpdir(), `bench-image-${variant.split(' ')[0]}-`));
  cpSync(APP, dir, { recursive: true });
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static', 'asset.bin'), randomBytes(20 * 1024 * 1024)); // 20 MB that no compression hides
  mkdirSync(join(dir, '.venv', 'lib'), { recursive: true });
  writeFileSync(join(dir, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
  writeFileSync(join(dir, '.venv', 'lib', 'site-packages.bin'), randomBytes(30 * 1024 * 1024));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'packfile'), randomBytes(5 * 1024 * 1024));
  if (variant === 'ours') spawnSync(process.execPath, [CLI, '--yes'], { cwd: dir, stdio: 'ignore' });
  if (variant === 'naive') writeFileSync(join(dir, 'Dockerfile'), NAIVE);
  if (variant === 'seed (chown -R)') {
    writeFileSync(join(dir, 'Dockerfile'), SEED);
    writeFileSync(join(dir, '.dockerignore'), SEED_IGNORE);
  }
  if (variant === 'docker init shape') {
    writeFileSync(join(dir, 'Dockerfile'), DOCKER_INIT);
    writeFileSync(join(dir, '.dockerignore'), DOCKER_INIT_IGNORE);
  }
  return dir;
}

// ---------------------------------------------------------------- engines: Docker (BuildKit) when one answers, else buildbox
const dockerAnswers = () => {
  const r = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 && r.stdout.trim() !== '';
};

const buildboxEngine = {
  name: 'buildah (buildbox)',
  base: 'localhost/buildbox/python:standin',
  build(dir, tag, extra) {
    const r = spawnSync(join(BUILDBOX, 'build'), [dir, tag, ...extra], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return { ok: r.status === 0, log: r.stdout + r.stderr };
  },
  /** Steps that ran rather than came from the cache, by their instruction keyword. */
  reran(log) {
    const lines = log.split('\n');
    const ran = [];
    lines.forEach((line, i) => {
      const m = /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: (\w+)/.exec(line);
      if (!m || m[1] === 'FROM') return;
      const next = lines.slice(i + 1).find((l) => l.startsWith('-->') || /STEP \d+\/\d+/.test(l)) ?? '';
      if (!next.startsWith('--> Using cache') && m[1] !== 'ARG') ran.push(m[1]);
    });
    return ran;
  },
  imageBytes(tag) {
    const info = JSON.parse(
      execFileSync('buildah', ['inspect', '--type', 'image', tag], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
    );
    const layers = JSON.parse(info.Manifest).layers.map((l) => l.size);
    // Ours: base, the user, the dependencies, the app.
    return { total: layers.reduce((a, b) => a + b, 0), layers: layers.length, deps: layers[2] };
  },
  remove(tag) {
    spawnSync('buildah', ['rmi', '-f', tag], { stdio: 'ignore' });
  },
};

const dockerEngine = {
  name: 'Docker (BuildKit)',
  base: 'python:3.14-slim-trixie',
  build(dir, tag, extra) {
    // Without the # syntax= line, on stdin: BuildKit's built-in frontend, no registry needed.
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8').replace(/^# syntax=.*\n/, '');
    const r = spawnSync('docker', ['build', ...extra, '-t', tag, '-f', '-', dir], {
      input: dockerfile,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' },
    });
    return { ok: r.status === 0, log: r.stdout + r.stderr };
  },
  /** "#7 [3/5] RUN …" with no "#7 CACHED" later: it ran. */
  reran(log) {
    const lines = log.split('\n');
    const ran = [];
    for (const line of lines) {
      const m = /^(#\d+) \[(?:[\w.-]+ )?\d+\/\d+\] (\w+)/.exec(line);
      if (!m || m[2] === 'FROM' || ran.some((r) => r.id === m[1])) continue;
      if (!lines.includes(`${m[1]} CACHED`)) ran.push({ id: m[1], keyword: m[2] });
    }
    return ran.map((r) => r.keyword);
  },
  imageBytes(tag) {
    const history = execFileSync(
      'docker',
      ['history', '--no-trunc', '--human=false', '--format', '{{.Size}}\t{{.CreatedBy}}', tag],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .map((l) => {
        const [size, ...by] = l.split('\t');
        return { size: Number(size), by: by.join('\t') };
      });
    return {
      total: history.reduce((a, h) => a + h.size, 0),
      layers: history.filter((h) => h.size > 0).length,
      deps: history.find((h) => /pip install/.test(h.by))?.size ?? 0,
    };
  },
  remove(tag) {
    spawnSync('docker', ['rmi', '-f', tag], { stdio: 'ignore' });
  },
};

function build(engine, dir, tag, extra = []) {
  let log = '';
  const ms = timed(() => {
    const r = engine.build(dir, tag, extra);
    log = r.log;
    if (!r.ok) throw new Error(`build of ${tag} failed:\n${log.slice(-2000)}`);
  });
  return { ms, log };
}

/** Bytes of the build context the project's .dockerignore lets through. */
function contextBytes(dir) {
  const ig = dockerignore({ ignorecase: false }).add(readFileSync(join(dir, '.dockerignore'), 'utf8').split('\n'));
  return treeBytes(dir, (rel) => !ig.ignores(rel));
}

async function images(engine) {
  row('images', 'engine', engine.name);
  const base = engine.imageBytes(engine.base);
  const variants = {};
  for (const variant of ['ours', 'docker init shape', 'naive', 'seed (chown -R)']) {
    const dir = imageProject(variant);
    const tag = `python-docker-bench-${variant.split(' ')[0]}:latest`;
    const cold = [];
    for (let i = 0; i < BUILD_REPEATS; i++) cold.push(build(engine, dir, tag, ['--no-cache']).ms);
    const size = engine.imageBytes(tag);
    const sourceEdits = [];
    let sourceRan = [];
    for (let i = 0; i < BUILD_REPEATS; i++) {
      appendFileSync(join(dir, 'main.py'), `\n# edit ${i}\n`);
      const b = build(engine, dir, tag);
      sourceEdits.push(b.ms);
      sourceRan = engine.reran(b.log);
    }
    const reqEdits = [];
    for (let i = 0; i < BUILD_REPEATS; i++) {
      appendFileSync(join(dir, 'requirements.txt'), `# edit ${i}\n`);
      reqEdits.push(build(engine, dir, tag).ms);
    }
    const context = variant === 'naive' ? treeBytes(dir) : contextBytes(dir);
    // docker run → first HTTP 200 and → `healthy` (Docker only: buildbox has no health scheduler).
    const start =
      engine === dockerEngine ? (await startMedians({ [variant]: { tag, port: 8000 } }, BUILD_REPEATS))[variant] : {};
    variants[variant] = {
      size,
      context,
      cold: median(cold),
      source: median(sourceEdits),
      sourceRan,
      requirements: median(reqEdits),
      start,
    };
    engine.remove(tag);
    rmSync(dir, { recursive: true, force: true });
  }
  const ours = variants.ours;
  // Nothing twice: over base = deps + app.
  const depsBytes = ours.size.deps;
  for (const [variant, v] of Object.entries(variants)) {
    const over = v.size.total - base.total;
    row(`image: ${variant}`, 'image size', mb(v.size.total));
    row(`image: ${variant}`, 'build context sent', mb(v.context));
    const budget = depsBytes + v.context;
    row(
      `image: ${variant}`,
      'bytes over the base image',
      `${mb(over)} (deps ${mb(depsBytes)} + app ${mb(v.context)} = ${mb(budget)})`,
      variant === 'ours' ? 'no more than deps + app' : '',
      variant === 'ours' ? over <= budget + 100_000 : undefined,
    );
    row(`image: ${variant}`, 'layers', String(v.size.layers));
    row(`image: ${variant}`, 'cold build (median)', seconds(v.cold));
    row(
      `image: ${variant}`,
      'rebuild after an app-source edit (median); steps re-run',
      `${seconds(v.source)}; ${v.sourceRan.join(', ') || 'none'}`,
      variant === 'ours' ? 'only the source COPY and later' : '',
      variant === 'ours' ? !v.sourceRan.includes('RUN') : undefined,
    );
    row(`image: ${variant}`, 'rebuild after a requirements edit (median)', seconds(v.requirements));
    if (engine === dockerEngine) {
      row(
        `image: ${variant}`,
        'docker run → first HTTP 200 (median)',
        v.start.answered === undefined
          ? `none in 45 s (last answer: HTTP ${v.start.status || 'none'})`
          : seconds(v.start.answered),
      );
      row(
        `image: ${variant}`,
        'docker run → healthy (median)',
        v.start.healthy === undefined ? 'never: no HEALTHCHECK' : seconds(v.start.healthy),
      );
    }
  }
  const oursOver = ours.size.total - base.total;
  for (const other of ['docker init shape', 'naive', 'seed (chown -R)']) {
    const over = variants[other].size.total - base.total;
    row(
      'images compared',
      `ours vs ${other}: bytes over base`,
      `${(over / oursOver).toFixed(2)}× more in ${other}`,
      other.startsWith('seed') ? 'ours no larger' : '',
      other.startsWith('seed') ? ours.size.total <= variants[other].size.total : undefined,
    );
    row(
      'images compared',
      `ours vs ${other}: rebuild after a source edit`,
      `${(variants[other].source / ours.source).toFixed(1)}× slower in ${other}`,
    );
    row(
      'images compared',
      `ours vs ${other}: rebuild after a dependency edit`,
      `${(variants[other].requirements / ours.requirements).toFixed(2)}× ours in ${other}`,
    );
    if (engine !== dockerEngine) continue;
    const { answered, healthy } = variants[other].start;
    row(
      'images compared',
      `ours vs ${other}: docker run → first HTTP 200`,
      answered === undefined
        ? `ours ${seconds(ours.start.answered)}; ${other} never (HTTP ${variants[other].start.status || 'none'})`
        : `${(answered / ours.start.answered).toFixed(2)}× ours in ${other}`,
    );
    row(
      'images compared',
      `ours vs ${other}: docker run → healthy`,
      healthy === undefined
        ? `ours ${seconds(ours.start.healthy)}; ${other} never (no HEALTHCHECK)`
        : `${(healthy / ours.start.healthy).toFixed(2)}× ours in ${other}`,
    );
  }
}

/** Packages pip installed in the steps that re-ran (its "Successfully installed a-1 b-2" lines). */
function packagesInstalled(log) {
  return log.split('\n').flatMap((l) => /Successfully installed (.+)$/.exec(l)?.[1].trim().split(/\s+/) ?? []);
}

/**
 * A `pip install .` project (pyproject.toml, no lock): a source edit with our Dockerfile, whose
 * [project].dependencies install in a layer of their own first, against the same Dockerfile
 * without that layer (one step installs the project and its dependencies together).
 */
function pyprojectRebuild(engine) {
  const variants = {};
  for (const variant of ['ours', 'one install step']) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-pyproject-'));
    cpSync(join(root, 'test', 'fixtures', 'apps', 'pyproject'), dir, { recursive: true });
    spawnSync(process.execPath, [CLI, '--yes'], { cwd: dir, stdio: 'ignore' });
    if (variant !== 'ours') {
      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      const without = dockerfile.replace(/# Its \[project\]\.dependencies first[\s\S]*?\n\n/, '');
      if (without === dockerfile) throw new Error('bench: no dependencies-first layer to take out of the Dockerfile');
      writeFileSync(join(dir, 'Dockerfile'), without);
    }
    const tag = `python-docker-bench-pyproject-${variant.split(' ')[0]}:latest`;
    build(engine, dir, tag, ['--no-cache']);
    const edits = [];
    let installed = [];
    for (let i = 0; i < BUILD_REPEATS; i++) {
      appendFileSync(join(dir, 'src', 'shop', 'main.py'), `\n# edit ${i}\n`);
      const b = build(engine, dir, tag);
      edits.push(b.ms);
      installed = packagesInstalled(b.log);
    }
    variants[variant] = { source: median(edits), installed };
    engine.remove(tag);
    rmSync(dir, { recursive: true, force: true });
  }
  for (const [variant, v] of Object.entries(variants)) {
    row(
      `pip install . project: ${variant}`,
      'rebuild after a source edit (median); packages installed again',
      `${seconds(v.source)}; ${v.installed.length} (${v.installed.join(' ') || 'none'})`,
      variant === 'ours' ? 'only the project itself' : '',
      variant === 'ours' ? v.installed.every((p) => p.startsWith('shop-')) : undefined,
    );
  }
  row(
    'pip install . project',
    'ours vs one install step: rebuild after a source edit',
    `${(variants['one install step'].source / variants.ours.source).toFixed(1)}× slower in one step`,
  );
}

// ---------------------------------------------------------------- pinned requirements against an index
/** A PEP 691 index of 100 packages in a process of its own (spawnSync would block one in this process). */
async function pinCheck() {
  const server = `
    const files = (n) => [3.10, 3.11, 3.12, 3.13].map((m) => n + '-1.0-cp3' + String(m).split('.')[1] + '-cp3' + String(m).split('.')[1] + '-manylinux_2_17_x86_64.whl');
    const s = require('node:http').createServer((q, r) => {
      const name = (/^\\/simple\\/([^/]+)\\/$/.exec(q.url) || [])[1];
      if (!name) return r.writeHead(404).end();
      r.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
      r.end(JSON.stringify({ meta: { 'api-version': '1.1' }, name, files: [...files(name), name + '-1.0.tar.gz'].map((filename) => ({ filename, url: filename, hashes: {} })) }));
    });
    s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;
  const child = spawn(process.execPath, ['-e', server], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((done) => child.stdout.once('data', (d) => done(Number(String(d).trim()))));
  const env = { ...process.env, PIP_INDEX_URL: `http://127.0.0.1:${port}/simple/`, PYTHON_DOCKER_OFFLINE: '' };
  const dir = mkdtempSync(join(tmpdir(), 'bench-pins-'));
  cpSync(APP, dir, { recursive: true });
  writeFileSync(
    join(dir, 'requirements.txt'),
    `fastapi\nuvicorn\n${Array.from({ length: 100 }, (_, i) => `pkg${i}==1.0`).join('\n')}\n`,
  );
  const checks = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = process.hrtime.bigint();
    await checkPins(new ProjectTree(dir), { env });
    checks.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  row(
    'pins',
    '100 pinned requirements checked against a local PEP 691 index (median)',
    seconds(median(checks)),
    '< 3 s',
    median(checks) < 3000,
  );
  row('pins', 'pins checked per second', `${Math.round(100 / (median(checks) / 1000))}`);
  const run = (args) =>
    new Promise((done) => {
      const start = process.hrtime.bigint();
      execFile(process.execPath, [CLI, '--yes', '--dry-run', ...args], { cwd: dir, env }, () =>
        done(Number(process.hrtime.bigint() - start) / 1e6),
      );
    });
  const online = [];
  const offline = [];
  for (let i = 0; i < Math.min(REPEATS, 5); i++) {
    online.push(await run([]));
    offline.push(await run(['--offline']));
  }
  row('pins', 'python-docker --yes --dry-run, 100 pins checked (median)', seconds(median(online)));
  row('pins', 'the same with --offline (median)', seconds(median(offline)));
  child.kill();
}

// ---------------------------------------------------------------- start: docker run → first HTTP 200 → healthy
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let benchContainers = 0;

/**
 * Starts the image (Docker: the engine's own health scheduler, no run-time override) and times, from the
 * `docker run`, its first HTTP 200 on / and its `healthy` status (undefined: none within the limit, or no
 * HEALTHCHECK); `status` is the last answer (an app that cannot write its working directory answers 500).
 */
async function startTimes(tag, port, limitMs = 45_000) {
  const name = `python-docker-bench-start-${process.pid}-${++benchContainers}`;
  const started = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - started) / 1e6;
  execFileSync('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1::${port}`, tag], { stdio: 'ignore' });
  try {
    const hostPort = execFileSync('docker', ['port', name, `${port}/tcp`], { encoding: 'utf8' })
      .split('\n')[0]
      .split(':')
      .at(-1);
    let answered;
    let status = 0;
    while (answered === undefined && since() < limitMs) {
      status = await fetch(`http://127.0.0.1:${hostPort}/`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) answered = since();
      else await sleep(20);
    }
    const health = () =>
      execFileSync('docker', ['inspect', '--format', '{{if .State.Health}}{{.State.Health.Status}}{{end}}', name], {
        encoding: 'utf8',
      }).trim();
    let healthy;
    if (health() !== '') {
      while (healthy === undefined && since() < limitMs) {
        if (health() === 'healthy') healthy = since();
        else await sleep(50);
      }
    }
    return { answered, healthy, status };
  } finally {
    spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  }
}

/** Medians over runs of startTimes, alternating the images so that load on the machine falls on each alike. */
async function startMedians(images, runs) {
  const times = Object.fromEntries(Object.keys(images).map((k) => [k, { answered: [], healthy: [], status: 0 }]));
  // fetch's timeout timer does not keep Node running: this does, while a request hangs.
  const keepAlive = setInterval(() => undefined, 1000);
  for (let i = 0; i < runs; i++) {
    for (const [key, { tag, port }] of Object.entries(images)) {
      const t = await startTimes(tag, port);
      if (t.answered !== undefined) times[key].answered.push(t.answered);
      if (t.healthy !== undefined) times[key].healthy.push(t.healthy);
      times[key].status = t.status;
    }
  }
  clearInterval(keepAlive);
  const m = (xs) => (xs.length === runs ? median(xs) : undefined);
  return Object.fromEntries(
    Object.entries(times).map(([k, t]) => [k, { answered: m(t.answered), healthy: m(t.healthy), status: t.status }]),
  );
}

/** The Dockerfile's pip installs without bytecode (pip compiles it by default, as ours is). */
const withoutDependencyBytecode = (dockerfile) =>
  dockerfile.replaceAll('python -m pip install ', 'python -m pip install --no-compile ');
/** The app's own modules compiled at build too, right after its COPY. */
const withAppBytecode = (dockerfile) =>
  dockerfile.replace(/^(COPY --chown=\S+ \. \.\n)/m, '$1\nRUN python -m compileall -q .\n');

/** Per framework: `docker run` to first HTTP 200 with and without bytecode compiled at build, and its bytes. */
async function coldStart() {
  const variants = {
    ours: (d) => d,
    'no dependency bytecode': withoutDependencyBytecode,
    'app bytecode too': withAppBytecode,
  };
  for (const app of ['fastapi', 'flask', 'django']) {
    const dir = mkdtempSync(join(tmpdir(), `bench-cold-${app}-`));
    cpSync(join(root, 'test', 'fixtures', 'apps', app), dir, { recursive: true });
    spawnSync(process.execPath, [CLI, '--yes'], { cwd: dir, stdio: 'ignore' });
    const rendered = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const images = {};
    for (const [variant, change] of Object.entries(variants)) {
      const changed = change(rendered);
      if (changed === rendered && variant !== 'ours')
        throw new Error(`bench: the ${variant} change found nothing to change in the ${app} Dockerfile`);
      writeFileSync(join(dir, 'Dockerfile'), changed);
      const tag = `python-docker-bench-cold-${app}-${variant.split(' ')[0]}:latest`;
      build(dockerEngine, dir, tag);
      images[variant] = { tag, port: 8000, bytes: dockerEngine.imageBytes(tag).total };
    }
    const times = await startMedians(images, BUILD_REPEATS * 2);
    const ours = times.ours.answered;
    for (const [variant, { bytes, tag }] of Object.entries(images)) {
      const t = times[variant].answered;
      const vs =
        variant === 'ours'
          ? ''
          : ` (${(t / ours).toFixed(2)}× ours; ${bytes >= images.ours.bytes ? '+' : '−'}${mb(Math.abs(bytes - images.ours.bytes))})`;
      row(
        `cold start: ${app}`,
        `${variant}: docker run → first HTTP 200 (median); image`,
        `${seconds(t)}; ${mb(bytes)}${vs}`,
      );
      dockerEngine.remove(tag);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- main
// BENCH_ONLY=generator,detection,pins,images,cold-start runs those sections alone.
const only = process.env.BENCH_ONLY?.split(',');
const want = (section) => !only || only.includes(section);
console.error('python-docker benchmark');
if (want('generator')) {
  generatorSpeed();
  await yoSpeed();
}
if (want('detection')) {
  const tree = largeTree();
  detectionSpeed(tree);
  hostileFiles();
  buildContext(tree);
}
if (want('pins')) await pinCheck();
const buildbox =
  existsSync(join(BUILDBOX, 'build')) &&
  spawnSync('buildah', ['inspect', '--type', 'image', 'localhost/buildbox/python:standin'], { stdio: 'ignore' })
    .status === 0;
const docker = process.env.BENCH_ENGINE !== 'buildah' && dockerAnswers();
if (want('images')) {
  if (docker) {
    await images(dockerEngine);
    pyprojectRebuild(dockerEngine);
  } else if (buildbox) {
    await images(buildboxEngine);
    pyprojectRebuild(buildboxEngine);
    row(
      'images',
      'skipped',
      'docker run → first HTTP 200 and → healthy: they need Docker (buildbox has no health scheduler)',
    );
  } else
    row(
      'images',
      'skipped',
      `no Docker engine answers and no buildbox is set up at ${BUILDBOX} (run ../shared/dockerbox/setup); generator figures above still hold`,
    );
}
if (want('cold-start')) {
  if (docker) await coldStart();
  else
    row(
      'cold start',
      'skipped',
      'no Docker engine answers (run ../shared/dockerbox/setup): docker run → first HTTP 200 needs one',
    );
}

const table = [
  `Benchmark of ${results.commit} on ${results.date.slice(0, 10)}, Node ${results.node}, ${REPEATS} runs per generator timing, ${BUILD_REPEATS} per build`,
  '',
  '| section | metric | value | target | |',
  '| --- | --- | --- | --- | --- |',
  ...results.rows.map(
    (r) =>
      `| ${r.section} | ${r.metric} | ${r.value} | ${r.target} | ${r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED'} |`,
  ),
].join('\n');
console.log(table);
mkdirSync(join(root, 'bench-results'), { recursive: true });
const out = join(root, 'bench-results', `${results.date.replace(/[:.]/g, '-')}-${results.commit}.json`);
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n(JSON: ${relative(root, out)})`);
