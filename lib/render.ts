/**
 * Rendering: answers and a few project facts in, `{path: content}` out.
 * Pure apart from reading the ejs templates; no Yeoman, no writes.
 */
import ejs from 'ejs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from './answers.js';
import { FRAMEWORK_SPECS } from './frameworks.js';
import { templatesDir } from './package-root.js';
import { debianCodename, generatorVersion, versions } from './versions.js';

/** What rendering needs to know about the project beyond the answers. */
export interface ProjectFacts {
  /** How dependencies install: from requirements files, or `pip install .` from pyproject.toml. */
  install: 'requirements' | 'pyproject';
  /** requirements.txt and the files it includes with -r/-c, bind-mounted for the install step. */
  requirementsFiles: string[];
  /** Write a requirements.txt stub (the project has no dependency file). */
  writeRequirementsStub: boolean;
  /** The folder holding the entrypoint's top module, put on PYTHONPATH (`src` for a src layout). */
  sourceRoot?: string;
}

export type RenderedFiles = Record<string, string>;

/** Written once, when missing; from then on the user's file, never regenerated or merged. */
export const STUB_FILES = new Set(['requirements.txt']);

/** The app's UID and GID (docker init uses 10001 too). */
export const APP_UID = 10001;

const templateCache = new Map<string, ejs.TemplateFunction>();

function template(name: string, dir = templatesDir): ejs.TemplateFunction {
  const key = join(dir, name);
  let fn = templateCache.get(key);
  if (!fn) {
    // Docker files are not HTML: no entity escaping. Values are made safe where they are built.
    fn = ejs.compile(readFileSync(key, 'utf8'), { filename: name, escape: String });
    templateCache.set(key, fn);
  }
  return fn;
}

/** Exec-form JSON array as Dockerfiles write it: ["a", "b"]. */
export function execForm(argv: string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
}

/**
 * A value for `LABEL key="…"`: quotes and backslashes escaped, and `$` too,
 * since the builder expands variables inside double quotes.
 */
export function labelValue(text: string): string {
  return text.replace(/[\\"$]/g, (c) => `\\${c}`);
}

/** Python's urllib, since slim images have no curl; any answer below 500 is healthy. */
export function healthcheckCommand(port: number, path: string): string[] {
  const code =
    'import sys, urllib.request as r; ' +
    // Turn HTTP error statuses into plain responses so a 404 root still counts as alive.
    "o = r.build_opener(type('K', (r.HTTPErrorProcessor,), {'http_response': lambda s, q, p: p})); " +
    `sys.exit(o.open('http://127.0.0.1:${port}${path}', timeout=4).status >= 500)`;
  return ['python', '-c', code];
}

/** `**\/NAME` patterns from the seed's list that a project may use as source folders. */
const SEED_FOLDER_PATTERNS = ['**/bin', '**/obj', '**/charts'];

/** The first path segment the CMD needs (`app` for app/main.py or app.main:api). */
function entrypointRoot(answers: Answers): string {
  const entry = answers.entrypoint;
  return entry.endsWith('.py') ? entry.split('/')[0] : entry.split(/[.:]/)[0];
}

export interface RenderOptions {
  /** Another template set (tests render with an older one to simulate an upgrade). */
  templatesDir?: string;
  /** The generator version named in the files' headers. */
  version?: string;
}

export function renderFiles(answers: Answers, facts: ProjectFacts, options: RenderOptions = {}): RenderedFiles {
  const templates = options.templatesDir ?? templatesDir;
  const spec = FRAMEWORK_SPECS[answers.framework];
  const needed = entrypointRoot(answers);
  const version = options.version ?? generatorVersion;
  const context = {
    generatorVersion: version,
    frameworkLabel: spec.label,
    pythonVersion: answers.pythonVersion,
    debian: debianCodename(answers.pythonVersion),
    maintainer: answers.maintainer === undefined ? undefined : labelValue(answers.maintainer),
    uid: APP_UID,
    install: facts.install,
    sourceRoot: facts.sourceRoot,
    requirementsFiles: facts.requirementsFiles,
    web: spec.web,
    port: answers.port,
    healthPath: spec.healthPath,
    healthcheck: spec.web ? execForm(healthcheckCommand(answers.port!, spec.healthPath!)) : '',
    command: execForm(spec.command(answers.entrypoint, answers.port)),
    // Never ignore a folder the CMD loads from.
    buildOutput: SEED_FOLDER_PATTERNS.filter((p) => p !== `**/${needed}`),
    // pyproject.toml may name its readme and license file; the build backend reads them.
    docs: facts.install === 'pyproject' ? [] : ['LICENSE', 'README.md'],
  };
  const files: RenderedFiles = {
    Dockerfile: template('Dockerfile.ejs', templates)(context),
    '.dockerignore': template('dockerignore.ejs', templates)(context),
  };
  if (facts.writeRequirementsStub) {
    files['requirements.txt'] = template('requirements.txt.ejs', templates)({
      generatorVersion: version,
      packages: spec.stubPackages.map((name) => versions.requirements[name]),
    });
  }
  return files;
}
