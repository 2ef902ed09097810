/**
 * The packages a run may not need, loaded at first use rather than with the command:
 * a project without a pyproject.toml never loads the TOML parser, a re-run with nothing
 * to merge never loads the 3-way merge, a run that asks Docker nothing never loads
 * node:http. Each has a CommonJS build that require() loads on every supported Node
 * (an import() would start Node's ES module loader in the CommonJS command).
 * scripts/bundle.js keeps them out of the bundle.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const net = (): typeof import('node:net') => load('node:net');
export const http = (): typeof import('node:http') => load('node:http');
export const smolToml = (): typeof import('smol-toml') => load('smol-toml');
export const nodeDiff3 = (): typeof import('node-diff3') => load('node-diff3');
export const ejs = (): typeof import('ejs') => load('ejs');
export const gitignore = (): typeof import('ignore') => load('ignore');
// Its export is the factory itself (the types describe an ES module's default).
export const dockerignore = (): typeof import('@balena/dockerignore').default => load('@balena/dockerignore');
