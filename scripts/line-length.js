#!/usr/bin/env node
// The formatter wraps code at 120 columns but leaves long strings and comments alone: this catches those in lib/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 120;
const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['lib', 'generators'];
const long = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.ts')) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (line.length > LIMIT) long.push(`${path}:${i + 1}: ${line.length} characters`);
        });
    }
  }
};
roots.forEach(walk);
if (long.length) {
  console.error(`${long.length} lines over ${LIMIT} characters:\n${long.join('\n')}`);
  process.exit(1);
}
