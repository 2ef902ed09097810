/** Temporary project folders and the two front-ends run against them. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import helpers from 'yeoman-test';
import type PythonDockerGenerator from '../../generators/app/index.js';
import { repoRoot } from './dockerfile.js';

export const CLI = join(repoRoot, 'bin', 'python-docker.js');
export const GENERATOR = join(repoRoot, 'dist', 'generators', 'app', 'index.js');

export function makeProject(files: Record<string, string> = {}, prefix = 'project-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Every file below dir, path → content. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The standalone command, with no terminal (stdin closed), as in CI. */
export function runCli(cwd: string, args: string[]) {
  return execa('node', [CLI, ...args], { cwd, reject: false, stdin: 'ignore' });
}

/** yo python-docker through yeoman-test, typed with the generator's own options. */
export function runGenerator() {
  return helpers.run<PythonDockerGenerator>(GENERATOR);
}
