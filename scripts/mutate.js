#!/usr/bin/env node
// Mutation check: do the fast tests fail when a behaviour breaks?
// Each entry of test/mutations/*.json is one single-line breakage:
//   {"file", "find" (occurs exactly once), "replace", "tests": [fast test files], "guards"}
// For each, in a scratch copy of the repository: apply it, build, run the named tests.
// A breakage the tests still pass with "survived": a test is missing or cannot fail.
//
//   node scripts/mutate.js                 every list
//   node scripts/mutate.js safety verify   test/mutations/safety.json and verify.json
//   node scripts/mutate.js --grep dockerignore   entries whose file or guards match
//   node scripts/mutate.js --check         only that each entry's "find" occurs once (npm run lint runs it)
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const listDir = join(root, 'test', 'mutations');
const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? new RegExp(args.splice(grepAt, 2)[1], 'i') : undefined;
const checkAt = args.indexOf('--check');
const checkOnly = checkAt >= 0 && args.splice(checkAt, 1).length > 0;
const areas = args.length
  ? args
  : readdirSync(listDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));

const entries = areas.flatMap((area) => {
  const path = join(listDir, `${area}.json`);
  if (!existsSync(path)) throw new Error(`no mutation list ${path}`);
  return JSON.parse(readFileSync(path, 'utf8')).map((m) => ({ ...m, area }));
});
const selected = grep ? entries.filter((m) => grep.test(m.file) || grep.test(m.guards)) : entries;

const occurrences = (m) => {
  const path = join(root, m.file);
  return existsSync(path) ? readFileSync(path, 'utf8').split(m.find).length - 1 : 0;
};
if (checkOnly) {
  const stale = selected.filter((m) => occurrences(m) !== 1);
  for (const m of stale)
    console.log(`stale: "find" occurs ${occurrences(m)} times: ${m.area}: ${m.guards} (${m.file})`);
  console.log(`${selected.length - stale.length} of ${selected.length} breakages apply`);
  process.exit(stale.length ? 1 : 0);
}

// The scratch copy: every file git knows of (tracked or new, not ignored), with node_modules and .tools linked.
const scratch = mkdtempSync(join(tmpdir(), 'python-docker-mutate-'));
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter(Boolean);
for (const file of files) {
  if (!existsSync(join(root, file))) continue; // deleted in the working tree
  if (file === 'node_modules' || file === '.tools') continue; // a symlink in a worktree, linked below
  mkdirSync(dirname(join(scratch, file)), { recursive: true });
  cpSync(join(root, file), join(scratch, file));
}
for (const linked of ['node_modules', '.tools'])
  if (existsSync(join(root, linked))) symlinkSync(join(root, linked), join(scratch, linked));

const run = (command, argv) =>
  spawnSync(command, argv, {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, CI: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
// tsc, then the bundles the front-ends run (scripts/bundle.js): a breakage must reach them too.
const build = () => {
  const compiled = run(process.execPath, [
    join(scratch, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    'tsconfig.json',
  ]);
  return compiled.status === 0 ? run(process.execPath, [join(scratch, 'scripts', 'bundle.js')]) : compiled;
};

const results = [];
const record = (label, outcome) => {
  results.push({ label, outcome });
  process.stdout.write(`${outcome.padEnd(8)} ${label}\n`);
};
try {
  if (build().status !== 0) throw new Error('the unmodified copy does not build');
  let distStale = false; // dist/ was built from a breakage since restored
  for (const m of selected) {
    const path = join(scratch, m.file);
    const original = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    const count = original === undefined ? 0 : original.split(m.find).length - 1;
    const label = `${m.area}: ${m.guards} (${m.file})`;
    if (count !== 1) {
      record(label, `stale: "find" occurs ${count} times`);
      continue;
    }
    const compiledSource = m.file.endsWith('.ts') || m.file === 'scripts/bundle.js';
    writeFileSync(
      path,
      original.replace(m.find, () => m.replace),
    );
    try {
      if (compiledSource || distStale) {
        const compiled = build();
        distStale = compiledSource;
        if (compiled.status !== 0) {
          record(label, 'killed by the compiler (make the breakage type-correct)');
          continue;
        }
      }
      const tested = run(process.execPath, [
        join(scratch, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--project',
        'unit',
        ...m.tests,
      ]);
      const ran = /Tests\s+.*\d+ (passed|failed)/.test(tested.stdout);
      record(
        label,
        tested.status !== 0 && ran
          ? 'killed'
          : tested.status !== 0
            ? `error: ${(tested.stderr || tested.stdout).trim().split('\n')[0]}`
            : 'SURVIVED',
      );
    } finally {
      writeFileSync(path, original);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const bad = results.filter((r) => r.outcome !== 'killed');
console.log(`\n${results.length - bad.length} of ${results.length} breakages killed by the fast tests`);
for (const r of bad) console.log(`  ${r.outcome}: ${r.label}`);
process.exitCode = bad.length ? 1 : 0;
