#!/usr/bin/env node
// `npm run example [-- APP]`: copies an example app (fastapi, flask, django, worker)
// into a temporary folder, runs `python-docker --yes` there with no terminal, and
// prints every file it wrote.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const apps = join(root, 'test', 'fixtures', 'apps');
const app = process.argv[2] ?? 'fastapi';
const args = {
  fastapi: ['--framework', 'fastapi', '--entrypoint', 'main:app'],
  flask: ['--framework', 'flask', '--entrypoint', 'app:create_app()'],
  django: ['--framework', 'django', '--entrypoint', 'mysite'],
  worker: ['--framework', 'none', '--entrypoint', 'worker.py'],
}[app];
if (!args) {
  console.error(`example: unknown app "${app}"; expected one of ${readdirSync(apps).join(', ')}`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), `python-docker-example-${app}-`));
cpSync(join(apps, app), dir, { recursive: true });
const before = new Set(readdirSync(dir));
console.log(`$ cd ${dir} && python-docker --yes ${args.join(' ')}\n`);
execFileSync(process.execPath, [join(root, 'bin', 'python-docker.js'), '--yes', ...args], {
  cwd: dir,
  stdio: ['ignore', 'inherit', 'inherit'],
});

// The generated files are the new ones at the top of the project.
for (const name of readdirSync(dir).filter((f) => !before.has(f) && statSync(join(dir, f)).isFile())) {
  console.log(`\n──── ${name} ${'─'.repeat(Math.max(0, 60 - name.length))}\n${readFileSync(join(dir, name), 'utf8')}`);
}
