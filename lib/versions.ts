import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LockedManager } from './package-managers/index.js';
import { packageRoot, templatesDir } from './package-root.js';

/** templates/versions.json: image tags and pinned versions, kept in one data file. */
interface VersionData {
  python: {
    default: string;
    images: Record<string, { debian: string; status: 'maintained' | 'end-of-life' }>;
  };
  requirements: Record<string, string>;
  /** The pinned version of each package manager's tool (the default of its builder's version build arg). */
  tools: Record<LockedManager, string>;
  /** Distribution → `name[extra]` requirements that install it too. */
  providedBy: Record<string, string[]>;
}

export const versions: VersionData = JSON.parse(readFileSync(join(templatesDir, 'versions.json'), 'utf8'));

/** A package that compiles C code in the image: Debian headers to build it, libraries per Debian release to run it. */
export interface BuildDependency {
  /** PyPI has manylinux x86_64 wheels: it compiles only where none fits the Python. */
  linuxWheels: boolean;
  build: string[];
  runtime: Record<string, string[]>;
}

/** templates/build-dependencies.json: one row per package that compiles, and the packages whose build needs Rust. */
export const buildDependencies: { packages: Record<string, BuildDependency>; rust: { names: string[] } } = JSON.parse(
  readFileSync(join(templatesDir, 'build-dependencies.json'), 'utf8'),
);

export const generatorVersion: string = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version;

export const DEFAULT_PYTHON = versions.python.default;
export const PYTHON_VERSIONS = Object.keys(versions.python.images);
export const MAINTAINED_PYTHON = PYTHON_VERSIONS.filter((v) => versions.python.images[v].status === 'maintained');

/** `python:3.14-slim-trixie` is published; the codename pins the OS under the app. */
export function debianCodename(pythonVersion: string): string {
  const image = versions.python.images[pythonVersion];
  if (!image) throw new Error(`no image data for Python ${pythonVersion}`);
  return image.debian;
}

export function isEndOfLife(pythonVersion: string): boolean {
  return versions.python.images[pythonVersion]?.status === 'end-of-life';
}
