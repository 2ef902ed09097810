/**
 * A package manager is one plugin, one builder template and one pin: a toy manager added through the plugin
 * interface alone (registerPackageManager, a builder template in a copy of templates/) is detected from its
 * lock, declares the framework, states and narrows the Python, unwraps its `run` in a Procfile, and renders
 * its builder stage. The built-in plugins and their templates agree on the files and the cache they name.
 */
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { resolveAnswers } from '../../lib/answers.js';
import { detectProject, subprojects } from '../../lib/detect/detect-project.js';
import {
  dependencyFileNames,
  lockedSpec,
  PACKAGE_MANAGERS,
  packageManagerSpecs,
  registerPackageManager,
  type PackageManagerSpec,
} from '../../lib/package-managers/index.js';
import { lockSignal } from '../../lib/package-managers/signals.js';
import { templatesDir } from '../../lib/package-root.js';
import { scanProject } from '../../lib/project-files.js';
import { declaredDependencies } from '../../lib/project/dependencies.js';
import { packageOf } from '../../lib/project/locked-package.js';
import { lockedPackages } from '../../lib/project/wheels.js';
import { ProjectTree } from '../../lib/project/project-tree.js';
import { answerOptions } from '../../lib/options.js';
import { renderFiles } from '../../lib/render.js';
import { pipFacts } from '../helpers/facts.js';
import { makeProject } from '../helpers/project.js';

const toy: PackageManagerSpec = {
  id: 'toy',
  label: 'Toy',
  manifest: 'toy.toml',
  lock: 'toy.lock',
  dependencyFiles: ['toy.toml', 'toy.lock'],
  lockCommand: 'toy lock',
  addCommand: 'toy add',
  runPrefix: [['toy', 'run']],
  versionArg: 'TOY_VERSION',
  toolVersion: '1.2.3',
  cacheDir: '/root/.cache/toy',
  declares: 'toy.toml',
  installLabel: 'dependencies locked by Toy',
  signal: (files) => lockSignal(files, 'toy.lock', 'toy.toml'),
  installsProject: () => false,
  declared: (tree) =>
    Object.keys(tree.toml('toy.toml')?.dependencies ?? {}).map((name) => ({ name, source: 'toy.toml', extras: [] })),
  python: (tree) => {
    const range = tree.toml('toy.toml')?.python;
    return typeof range === 'string' ? [{ source: 'toy.toml', raw: range, range: true }] : [];
  },
  lockedPackages: (lock) =>
    ((lock.package ?? []) as Record<string, any>[]).map((p) => packageOf(p, p.wheels ?? [], false)),
};
registerPackageManager(toy);

/** The one template the toy needs, beside a copy of the real ones (it uses their shared pip-tool partial). */
function toyTemplates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'templates-'));
  cpSync(templatesDir, dir, { recursive: true });
  writeFileSync(
    join(dir, 'dockerfile', 'builder-toy.ejs'),
    [
      '# builder stage: Toy installs the locked dependencies into a virtualenv.',
      'FROM python:${PYTHON_VERSION}-slim-<%= debian %> AS builder',
      '',
      "<%- include('pip-tool.ejs', { tool: 'toy' }) -%>",
      '',
      'RUN python -m venv <%= venv %>',
      '',
      'WORKDIR /app',
      '',
      'COPY toy.toml toy.lock ./',
      '',
      'RUN toy sync --frozen',
      '',
    ].join('\n'),
  );
  return dir;
}

// orjson has wheels up to 3.12 and no sdist: the lock narrows `>=3.11` to 3.12.
const TOY_PROJECT = {
  'toy.toml': 'python = ">=3.11"\n\n[dependencies]\nflask = "*"\ngunicorn = "*"\norjson = "*"\n',
  'toy.lock': [
    '[[package]]',
    'name = "orjson"',
    'version = "3.10.0"',
    'wheels = ["orjson-3.10.0-cp311-cp311-manylinux_2_17_x86_64.whl", ' +
      '"orjson-3.10.0-cp312-cp312-manylinux_2_17_x86_64.whl"]',
    '',
  ].join('\n'),
  'shop/__init__.py': 'from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n',
  'wsgi.py': 'from shop import create_app\n\napplication = create_app()\n',
  Procfile: 'web: toy run gunicorn wsgi:application\n',
};

describe('a package manager added through the plugin interface alone', () => {
  it('is detected from its lock, with what its manifest declares and the Python its lock allows', () => {
    const detection = detectProject(makeProject(TOY_PROJECT));
    expect(detection.answers.packageManager).toBe('toy');
    expect(detection.sources.packageManager).toBe('toy.lock');
    expect(detection.sources.framework).toBe('flask in toy.toml');
    expect(detection.answers.pythonVersion).toBe('3.12');
    expect(detection.sources.pythonVersion).toMatch(
      /^toy\.toml >=3\.11; toy\.lock: orjson 3\.10\.0 has wheels up to 3\.12/,
    );
    // `toy run` is unwrapped like `poetry run`: the Procfile's app wins over the code's factory.
    expect(detection.answers.entrypoint).toBe('wsgi:application');
  });

  it('is an answer, scanned for its manifest and lock, and rendered from its own builder template', async () => {
    expect(PACKAGE_MANAGERS).toContain('toy');
    const dir = makeProject(TOY_PROJECT);
    const { answers } = await resolveAnswers({
      options: answerOptions({ framework: 'flask', 'package-manager': 'toy', entrypoint: 'wsgi:application' }),
    });
    const scan = scanProject(new ProjectTree(dir), answers);
    expect(scan.facts.install).toBe('toy');
    expect(scan.facts.dependencyFiles).toEqual(['toy.toml', 'toy.lock']);
    const dockerfile = renderFiles(answers, scan.facts, { templatesDir: toyTemplates() }).Dockerfile;
    expect(dockerfile).toContain('# The runtime stage gets the virtualenv and the source; Toy stays in the builder.');
    expect(dockerfile).toContain('ARG TOY_VERSION=1.2.3');
    expect(dockerfile).toMatch(
      /--mount=type=cache,target=\/root\/\.cache\/pip \\\n {4}python -m pip install "toy==\$\{TOY_VERSION\}"/,
    );
    expect(dockerfile).toContain('RUN toy sync --frozen');
    expect(dockerfile).toContain('COPY --from=builder /opt/venv /opt/venv');
  });

  it('is refused without its lock, told the command that makes it', async () => {
    const { answers } = await resolveAnswers({
      options: answerOptions({ framework: 'flask', 'package-manager': 'toy' }),
    });
    const tree = new ProjectTree(makeProject({ 'toy.toml': TOY_PROJECT['toy.toml'] }));
    expect(() => scanProject(tree, answers)).toThrow(
      'toy needs toy.lock, which the project does not have; run `toy lock`',
    );
  });

  it('has its files guarded like the others: a linked lock is refused', () => {
    expect(dependencyFileNames()).toContain('toy.lock');
    const dir = makeProject({ 'toy.toml': TOY_PROJECT['toy.toml'], 'elsewhere.lock': TOY_PROJECT['toy.lock'] });
    symlinkSync('elsewhere.lock', join(dir, 'toy.lock'));
    expect(() => detectProject(dir)).toThrow('toy.lock is a symbolic link');
  });
});

describe('one read of the project', () => {
  it('its manifest marks a Python project: a folder holding one in a subfolder names it', () => {
    const tree = new ProjectTree(makeProject({ 'shop/toy.toml': TOY_PROJECT['toy.toml'], 'README.md': '# shop\n' }));
    expect(subprojects(tree)).toEqual(['shop']);
  });

  it('detection and the scan share one parse of each file and one reading of the dependencies and the lock', async () => {
    const tree = new ProjectTree(makeProject(TOY_PROJECT));
    const parser = vi.fn((text: string) => text.length);
    expect(tree.parsed('Procfile', parser)).toBe(tree.parsed('Procfile', parser));
    expect(parser).toHaveBeenCalledTimes(1);
    const detection = detectProject(tree.root, { tree });
    expect(declaredDependencies(tree)).toBe(detection.declared);
    expect(lockedPackages(tree)).toBe(lockedPackages(tree));
    const { answers } = await resolveAnswers({
      options: answerOptions({ framework: 'flask', 'package-manager': 'toy', entrypoint: 'wsgi:application' }),
    });
    expect(scanProject(tree, answers).packages).toBe(detection.declared);
  });
});

describe('the built-in plugins and their builder templates', () => {
  const locked = packageManagerSpecs().filter((spec) => spec.lock && spec.id !== 'toy');

  it.each(locked.map((spec) => [spec.id]))(
    '%s: the template mounts (or copies) the manifest, lock and cache the plugin names',
    (id) => {
      const spec = lockedSpec(id);
      const template = readFileSync(join(templatesDir, 'dockerfile', `builder-${id}.ejs`), 'utf8');
      expect(template).toContain(`--mount=type=cache,target=${spec.cacheDir} \\`);
      for (const file of [spec.manifest, spec.lock])
        expect(template).toContain(`--mount=type=bind,source=${file},target=${file} \\`);
      expect(template).toContain(`COPY ${spec.manifest} ${spec.lock} ./`);
    },
  );

  it('the Dockerfile says what compiles the dependencies at install, where the manager does', async () => {
    const { answers } = await resolveAnswers({ options: answerOptions({ framework: 'fastapi' }) });
    const comment = (install: string) =>
      /bytecode is compiled once, when they install \(([^)]*)\)/.exec(
        renderFiles(answers, pipFacts({ install, dependencyFiles: [] })).Dockerfile,
      )?.[1];
    expect(comment('requirements')).toBe("pip's default");
    expect(comment('pipenv')).toBe("pip's default");
    expect(comment('uv')).toBe('UV_COMPILE_BYTECODE');
    expect(comment('poetry')).toBeUndefined();
    expect(comment('pdm')).toBeUndefined();
  });

  it('each renders its manifest and lock, with BuildKit and without', async () => {
    const { answers } = await resolveAnswers({ options: answerOptions({ framework: 'fastapi' }) });
    for (const spec of locked) {
      const facts = { ...pipFacts(), install: spec.id, dependencyFiles: [spec.manifest!, spec.lock!] };
      const dockerfile = renderFiles(answers, facts).Dockerfile;
      expect(dockerfile, spec.id).toContain(`--mount=type=bind,source=${spec.lock},target=${spec.lock}`);
      const plain = renderFiles(answers, { ...facts, buildkit: false }).Dockerfile;
      expect(plain, spec.id).toContain(`COPY ${spec.manifest} ${spec.lock} ./`);
      // A tool pip installs keeps pip's cache out of the image without BuildKit too.
      if (spec.id !== 'uv') expect(plain, spec.id).toContain(`RUN python -m pip install --no-cache-dir "${spec.id}==`);
    }
  });
});
