#!/usr/bin/env node
// How much of the Dockerfile templates reads as the Dockerfile it produces. Each non-blank line of
// templates/Dockerfile.ejs and templates/dockerfile/*.ejs is literal Dockerfile text (no EJS), EJS control flow
// (nothing but tags: `<% if … %>`, `<%- include … %>`, `<%# … %>`), or EJS inside an instruction (text and a
// tag on one line). `--ref <commit>` measures the templates as they were at that commit; `--json` prints JSON.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const ref = args.includes('--ref') ? args[args.indexOf('--ref') + 1] : undefined;
const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8' });
const partials = ref
  ? git('ls-tree', '--name-only', `${ref}:templates/dockerfile`).split('\n')
  : readdirSync(join(root, 'templates', 'dockerfile'));
const files = [
  'templates/Dockerfile.ejs',
  ...partials
    .filter((f) => f.endsWith('.ejs'))
    .sort()
    .map((f) => `templates/dockerfile/${f}`),
];
const read = (file) => (ref ? git('show', `${ref}:${file}`) : readFileSync(join(root, file), 'utf8'));
const TAG = /<%[\s\S]*?%>/g;

function classify(text) {
  const counts = { literal: 0, control: 0, inline: 0 };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (!line.includes('<%')) counts.literal++;
    else if (line.replace(TAG, '').trim() === '') counts.control++;
    else counts.inline++;
  }
  return counts;
}

const rows = files.map((file) => ({ file: file.replace('templates/', ''), ...classify(read(file)) }));
const total = { literal: 0, control: 0, inline: 0 };
for (const r of rows) for (const k of Object.keys(total)) total[k] += r[k];
const share = (c) => `${Math.round((100 * c.literal) / (c.literal + c.control + c.inline))}%`;
if (args.includes('--json')) {
  console.log(JSON.stringify({ ref, files: rows, total, literalShare: share(total) }, null, 2));
} else {
  const row = (name, c) =>
    `${name.padEnd(30)} ${String(c.literal).padStart(4)} literal ${String(c.control).padStart(4)} control ` +
    `${String(c.inline).padStart(4)} inline  ${share(c)} literal`;
  for (const r of rows) console.log(row(r.file, r));
  console.log(row('total', total));
}
