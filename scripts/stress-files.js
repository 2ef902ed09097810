#!/usr/bin/env node
// The file promises under stress, outside the test suite's single cases (after `npm run build`):
//
//   node scripts/stress-files.js [--kills N] [--rounds N]
//
// Kills: runs `python-docker --port P` on a generated project with a user edit, and sends SIGKILL
// at a random moment of the run, or (every other time) mid-write or just after a rename; every file must then hold what it held before the run or what
// an uninterrupted run (made first in a copy) writes, and the next run must finish cleanly
// (exit 0, no temporary file or lock left, the same run again changing nothing).
// Rounds: 2 to 4 runs at once with different ports; each must exit 0, the Dockerfile must be
// one of theirs, with no conflict markers, and the same run again must change nothing.
// Prints a summary; exits 1 on the first broken promise, naming it.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const CLI = join(root, 'bin', 'python-docker.js');
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const KILLS = arg('--kills', 40);
const PRELOAD = join(root, 'test', 'helpers', 'fault-preload.mjs');
const TARGETS = ['Dockerfile', '.dockerignore', 'README.Docker.md', '.yo-rc.json'];
const ROUNDS = arg('--rounds', 10);

const run = (cwd, args) =>
  spawnSync('node', [CLI, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const snapshot = (dir) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );

function fail(message) {
  console.error(`BROKEN: ${message}`);
  process.exit(1);
}

/** The project after a run that finished: no leftovers, no markers, and the same run again would change nothing. */
function settled(dir, what, port) {
  const left = readdirSync(dir).filter((n) => n.endsWith('.python-docker-tmp') || n === '.python-docker.lock');
  if (left.length) fail(`${what}: left ${left.join(', ')}`);
  const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  if (dockerfile.includes('<<<<<<<')) fail(`${what}: conflict markers in the Dockerfile`);
  const again = run(dir, ['--port', port, '--dry-run']);
  if (again.status !== 0 || !again.stdout.includes('Nothing would change.'))
    fail(`${what}: the same run again would change files:\n${again.stdout}${again.stderr}`);
}

function project() {
  const dir = mkdtempSync(join(tmpdir(), 'stress-files-'));
  writeFileSync(join(dir, 'main.py'), 'from fastapi import FastAPI\napp = FastAPI()\n');
  writeFileSync(join(dir, 'requirements.txt'), 'fastapi\nuvicorn\n');
  if (run(dir, ['--yes']).status !== 0) fail('the first run failed');
  const path = join(dir, 'Dockerfile');
  writeFileSync(
    path,
    readFileSync(path, 'utf8').replace('WORKDIR /app\n', 'WORKDIR /app\n\n# Added by the user.\nRUN echo kept\n'),
  );
  return dir;
}

async function kills() {
  const dir = project();
  const outcomes = { before: 0, between: 0, after: 0 };
  for (let i = 0; i < KILLS; i++) {
    const port = String(9000 + (i % 7));
    const before = snapshot(dir);
    // What an uninterrupted run from this very state writes, and how long it takes.
    // The same folder name: the image name, in README.Docker.md and the record, comes from it.
    const referenceParent = mkdtempSync(join(tmpdir(), 'stress-files-ref-'));
    const reference = join(referenceParent, basename(dir));
    cpSync(dir, reference, { recursive: true });
    const started = Date.now();
    if (run(reference, ['--port', port]).status !== 0) fail(`the reference run ${i} failed`);
    const took = Date.now() - started;
    const after = snapshot(reference);
    rmSync(referenceParent, { recursive: true, force: true });

    // Every other kill lands in the write phase for sure: killed by its own hand mid-write or just after a
    // rename (test/helpers/fault-preload.mjs); the rest at a random moment, late in the run.
    const fault =
      i % 2 ? `${i % 4 === 1 ? 'writeSync' : 'renameSync'}:SIGKILL:${TARGETS[(i >> 2) % TARGETS.length]}` : undefined;
    const preload = fault ? ['--import', PRELOAD] : [];
    const child = spawn('node', [...preload, CLI, '--port', port], {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, PYTHON_DOCKER_FAULT: fault ?? '' },
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), fault ? 30_000 : took * (0.5 + Math.random() * 0.6));
    await exited;
    clearTimeout(timer);

    const now = snapshot(dir);
    let changed = 0;
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (name.endsWith('.python-docker-tmp') || name === '.python-docker.lock') continue;
      if (now[name] !== before[name] && now[name] !== after[name])
        fail(`kill ${i}: ${name} is neither as it was nor as the run writes it`);
      if (now[name] !== before[name]) changed++;
    }
    outcomes[changed === 0 ? 'before' : now['.yo-rc.json'] === after['.yo-rc.json'] ? 'after' : 'between']++;
    const next = run(dir, ['--port', port]);
    if (next.status !== 0) fail(`the run after kill ${i} exited ${next.status}: ${next.stderr.trim()}`);
    settled(dir, `after kill ${i}`, port);
    if (!readFileSync(join(dir, 'Dockerfile'), 'utf8').includes('RUN echo kept'))
      fail(`after kill ${i}: the user's edit was lost`);
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `kills: ${KILLS} SIGKILLs; ${outcomes.before} before any file changed, ${outcomes.between} between the first rename and .yo-rc.json's, ${outcomes.after} after; every file old or new, every next run clean`,
  );
}

async function rounds() {
  const dir = project();
  for (let i = 0; i < ROUNDS; i++) {
    const ports = Array.from({ length: 2 + (i % 3) }, (_, k) => String(9100 + k + 10 * (i % 5)));
    const runs = await Promise.all(
      ports.map(
        (port) =>
          new Promise((resolve) => {
            const child = spawn('node', [CLI, '--port', port], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            child.stderr.on('data', (d) => (stderr += d));
            child.on('exit', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    for (const r of runs) if (r.code !== 0) fail(`round ${i}: a run exited ${r.code}: ${r.stderr.trim()}`);
    const exposed = /^EXPOSE (\d+)$/m.exec(readFileSync(join(dir, 'Dockerfile'), 'utf8'))?.[1];
    if (!ports.includes(exposed)) fail(`round ${i}: the Dockerfile exposes ${exposed}, none of ${ports.join(', ')}`);
    settled(dir, `round ${i}`, exposed);
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `rounds: ${ROUNDS} rounds of 2 to 4 runs at once; each ended with one run's Dockerfile, settled, no markers, nothing left over`,
  );
}

await kills();
await rounds();
