/**
 * Wheel coverage of the packages the image installs decides the Python; what compiles gets its
 * Debian packages (build-dependencies.json) for the image's Debian release; pinned Pythons are
 * kept with a warning. Lock fixtures follow published lock files' structure and file names.
 */
import { describe, expect, it } from 'vitest';
import { detectProject } from '../../lib/detect/detect-project.js';
import { ProjectTree } from '../../lib/project/project-tree.js';
import { fitFor, lockedPackages, markerAllows, wheelMinors } from '../../lib/project/wheels.js';
import { scanProject } from '../../lib/project-files.js';
import { renderFiles } from '../../lib/render.js';
import type { Answers } from '../../lib/answers.js';
import { FASTAPI_ANSWERS } from '../helpers/facts.js';
import { fixtureCopy } from '../helpers/fixtures.js';
import { makeProject } from '../helpers/project.js';

const flask: Answers = { ...FASTAPI_ANSWERS, framework: 'flask', entrypoint: 'app:app', packageManager: 'poetry' };
const H = `sha256:${'0'.repeat(64)}`;

describe('wheel coverage decides the default Python', () => {
  it('uv.lock: the runtime closure (not the dev group) has wheels up to 3.13, and the detected line names the package', () => {
    const detection = detectProject(fixtureCopy('real', 'uv-pydantic-core-cp313'));
    expect(detection.answers.pythonVersion).toBe('3.13');
    expect(detection.sources.pythonVersion).toBe(
      'pyproject.toml >=3.11; uv.lock: pydantic-core 2.33.2 has wheels up to 3.13 (and 1 more)',
    );
    expect(detection.warnings).toEqual([]);
    const names = lockedPackages(detection.tree)!.packages.map((p) => p.name);
    // uvicorn[standard] brings uvloop; pytest and pyyaml are the dev group's; colorama is Windows-only.
    expect(names).toContain('uvloop');
    expect(names).not.toContain('pyyaml');
    expect(names).not.toContain('pytest');
    const colorama = lockedPackages(detection.tree)!.packages.find((p) => p.name === 'colorama');
    expect(colorama?.on?.size ?? 0).toBe(0);
  });

  it('poetry.lock format 1 ([metadata.files], category): main only; lxml decides 3.11, python-ldap (sdist only) does not narrow', () => {
    const detection = detectProject(fixtureCopy('real', 'poetry1-ldap-lxml'));
    expect(detection.answers.pythonVersion).toBe('3.11');
    expect(detection.sources.pythonVersion).toBe(
      'pyproject.toml ^3.10; poetry.lock: lxml 4.9.2 has wheels up to 3.11 (and 1 more)',
    );
    expect(detection.warnings).toEqual([]);
  });

  it('poetry.lock format 2: files per package; groups other than main do not count', () => {
    const pkg = (name: string, group: string, tags: string[]) =>
      `[[package]]\nname = "${name}"\nversion = "1.0"\ndescription = ""\noptional = false\npython-versions = ">=3.9"\ngroups = ["${group}"]\nfiles = [\n${tags
        .map(
          (t) => `    {file = "${name}-1.0-${t}-${t}-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "${H}"},`,
        )
        .join('\n')}\n    {file = "${name}-1.0.tar.gz", hash = "${H}"},\n]\n`;
    const dir = makeProject({
      'pyproject.toml':
        '[project]\nname = "x"\nversion = "0"\nrequires-python = ">=3.10"\ndependencies = ["fastapi", "fastbin"]\n',
      'poetry.lock': `${pkg('fastbin', 'main', ['cp310', 'cp311', 'cp312'])}\n${pkg('devbin', 'dev', ['cp310'])}\n[metadata]\nlock-version = "2.1"\npython-versions = ">=3.10"\ncontent-hash = "0"\n`,
    });
    expect(detectProject(dir).sources.pythonVersion).toBe(
      'pyproject.toml >=3.10; poetry.lock: fastbin 1.0 has wheels up to 3.12',
    );
  });

  it.each([
    ['poetry', 'poetry.lock'],
    ['pdm', 'pdm.lock'],
  ])(
    '%s: a lock the real tool wrote (scripts/lock-fixture.sh): the dev group is not what the image installs',
    (manager, lock) => {
      const locked = lockedPackages(new ProjectTree(fixtureCopy('managers', manager)))!;
      expect(locked.source).toBe(lock);
      const names = locked.packages.map((p) => p.name);
      expect(names).not.toContain('pytest');
      expect(names).toContain(manager === 'poetry' ? 'fastapi' : 'flask');
      expect(locked.packages.every((p) => p.wheels.length > 0)).toBe(true);
    },
  );

  it('pdm.lock before lock_version 4.3: files in [metadata.files] under "name version"; non-default groups do not count', () => {
    const dir = makeProject({
      'pyproject.toml': '[project]\nname = "x"\nversion = "0"\nrequires-python = ">=3.9"\ndependencies = ["fastbin"]\n',
      'pdm.lock': [
        '[[package]]\nname = "fastbin"\nversion = "2.0"\nrequires_python = ">=3.9"\nsummary = ""\n',
        '[[package]]\nname = "devbin"\nversion = "1.0"\ngroups = ["dev"]\nsummary = ""\nfiles = [\n    {file = "devbin-1.0-cp39-cp39-manylinux1_x86_64.whl", hash = "x"},\n]\n',
        '[metadata]\nlock_version = "4.2"\ngroups = ["default", "dev"]\n\n[metadata.files]\n"fastbin 2.0" = [',
        '    {url = "https://files.pythonhosted.org/packages/03/e7/fastbin-2.0-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "x"},',
        '    {url = "https://files.pythonhosted.org/packages/03/e8/fastbin-2.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "x"},',
        ']\n',
      ].join('\n'),
    });
    expect(detectProject(dir).answers.pythonVersion).toBe('3.11');
  });

  it('wheel tags: cpXY, abi3 from its minimum, py3-none-any and py3-none-manylinux; never musllinux, other machines, free-threaded', () => {
    expect(wheelMinors('x-1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')).toEqual(['3.12']);
    expect(wheelMinors('x-1-cp311-abi3-manylinux_2_28_x86_64.whl')).toEqual(['3.11', '3.12', '3.13', '3.14', '3.15']);
    expect(wheelMinors('x-1-py3-none-any.whl')).toBe('all');
    expect(wheelMinors('ruff-0.15.5-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')).toBe('all');
    expect(wheelMinors('x-1-cp312-cp312-musllinux_1_1_x86_64.whl')).toBeUndefined();
    expect(wheelMinors('x-1-cp312-cp312-manylinux_2_17_aarch64.whl')).toBeUndefined();
    expect(wheelMinors('x-1-cp313-cp313t-manylinux_2_17_x86_64.whl')).toEqual([]);
  });

  it('environment markers: the Python, Linux x86_64 CPython; and/or/parentheses', () => {
    expect(markerAllows("python_full_version < '3.13'", '3.12')).toBe(true);
    expect(markerAllows("python_full_version < '3.13'", '3.13')).toBe(false);
    expect(markerAllows("sys_platform == 'win32'", '3.13')).toBe(false);
    expect(markerAllows("platform_python_implementation != 'PyPy' and sys_platform != 'win32'", '3.13')).toBe(true);
    expect(
      markerAllows("(sys_platform == 'darwin' or python_version >= '3.12') and platform_machine == 'x86_64'", '3.11'),
    ).toBe(false);
    expect(
      markerAllows("(sys_platform == 'darwin' or python_version >= '3.12') and platform_machine == 'x86_64'", '3.12'),
    ).toBe(true);
  });

  it('a pure-Python sdist narrows nothing', () => {
    expect(fitFor({ name: 'old', version: '1', wheels: [], hasSdist: true }, '3.14')).toBe('sdist-only');
    const dir = makeProject({ 'requirements.txt': 'old @ https://example.com/old-1.0.tar.gz\n' });
    expect(detectProject(dir).sources.pythonVersion).toBeUndefined();
  });
});

describe('a pinned Python is kept, with what compiles for it', () => {
  it('names the packages that compile, the newest Python that avoids it, and the Rust builds that cannot succeed', () => {
    const dir = fixtureCopy('real', 'uv-pydantic-core-cp313', { '.python-version': '3.14\n' });
    const detection = detectProject(dir);
    expect(detection.answers.pythonVersion).toBe('3.14');
    const scan = scanProject(detection.tree, {
      ...FASTAPI_ANSWERS,
      entrypoint: 'orders_api.main:app',
      packageManager: 'uv',
    });
    expect(scan.warnings).toEqual([
      'Python 3.14: pydantic-core 2.33.2, uvloop 0.21.0 (uv.lock) have no wheel for it and will compile from source; 3.13 is the newest Python with wheels for all of them (--python-version 3.13)',
      'pydantic-core 2.33.2 needs Rust to build, which the image does not have: the dependency step will fail on Python 3.14',
      'uvloop compiles C code, and its Debian packages are not known: the builder stage has the compilers only; add the headers it needs to its apt-get line',
    ]);
    expect(scan.facts.buildPackages).toEqual(['build-essential']);
  });

  it('lxml built from source on a Python it has no wheel for gets its headers, and its libraries at run time', () => {
    const tree = new ProjectTree(fixtureCopy('real', 'poetry1-ldap-lxml'));
    const scan = scanProject(tree, { ...flask, pythonVersion: '3.13' });
    expect(scan.facts.buildPackages).toEqual([
      'build-essential',
      'libldap2-dev',
      'libsasl2-dev',
      'libxml2-dev',
      'libxslt1-dev',
    ]);
    expect(scan.facts.runtimePackages).toEqual(['libldap2', 'libsasl2-2', 'libxml2', 'libxslt1.1']);
    expect(scan.warnings[0]).toBe(
      'Python 3.13: lxml 4.9.2, markupsafe 2.1.2 (poetry.lock) have no wheel for it and will compile from source; 3.11 is the newest Python with wheels for all of them (--python-version 3.11)',
    );
  });
});

describe('packages that compile get what they need, for the Debian release in the FROM line', () => {
  it('python-ldap (sdist only): compiler stage with its headers; the LDAP libraries in the final stage; nothing for lxml, which has a wheel', () => {
    const tree = new ProjectTree(fixtureCopy('real', 'poetry1-ldap-lxml'));
    const scan = scanProject(tree, { ...flask, pythonVersion: '3.11' });
    expect(scan.warnings).toEqual([]);
    expect(scan.facts.buildPackages).toEqual(['build-essential', 'libldap2-dev', 'libsasl2-dev']);
    expect(scan.facts.runtimePackages).toEqual(['libldap2', 'libsasl2-2']);
    const dockerfile = renderFiles({ ...flask, pythonVersion: '3.11' }, scan.facts).Dockerfile;
    const [builder, final] = dockerfile.split(/^# Official slim image/m);
    expect(builder).toContain('apt-get install -y --no-install-recommends build-essential libldap2-dev libsasl2-dev');
    expect(final).toContain('apt-get install -y --no-install-recommends libldap2 libsasl2-2');
    expect(final).not.toContain('build-essential');
    // Python 3.10's image is Debian bookworm, where the library has another name.
    expect(scanProject(tree, { ...flask, pythonVersion: '3.10' }).facts.runtimePackages).toEqual([
      'libldap-2.5-0',
      'libsasl2-2',
    ]);
  });

  it('declared without a lock: a package with no Linux wheels compiles; one with wheels does not; no compiler stage otherwise', () => {
    const scan = (requirements: string) =>
      scanProject(new ProjectTree(makeProject({ 'requirements.txt': requirements })), FASTAPI_ANSWERS).facts;
    expect(scan('fastapi\npsycopg2==2.9.10\n').buildPackages).toEqual(['build-essential', 'libpq-dev']);
    expect(scan('fastapi\nmysqlclient\n').runtimePackages).toEqual(['libmariadb3']);
    expect(scan('fastapi\nlxml\npillow\n').buildPackages).toEqual([]);
    expect(scan('fastapi\npsycopg2-binary\n').buildPackages).toEqual([]);
  });

  it('a locked package that compiles and is not in the table gets the compilers and a warning naming it', () => {
    const dir = makeProject({
      'pyproject.toml':
        '[project]\nname = "x"\nversion = "0"\nrequires-python = ">=3.10"\ndependencies = ["fastbin"]\n',
      'pdm.lock': `[[package]]\nname = "fastbin"\nversion = "1.0"\ngroups = ["default"]\nfiles = [\n    {file = "fastbin-1.0-cp310-cp310-manylinux_2_17_x86_64.whl", hash = "${H}"},\n    {file = "fastbin-1.0.tar.gz", hash = "${H}"},\n]\n`,
    });
    const scan = scanProject(new ProjectTree(dir), {
      ...FASTAPI_ANSWERS,
      pythonVersion: '3.12',
      packageManager: 'pdm',
    });
    expect(scan.facts.buildPackages).toEqual(['build-essential']);
    expect(scan.warnings).toContain(
      'fastbin compiles C code, and its Debian packages are not known: the builder stage has the compilers only; add the headers it needs to its apt-get line',
    );
  });
});

describe("the project's own Dockerfile states its Python in image names that carry it", () => {
  it.each([
    [
      'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim AS builder\n',
      '3.12',
      'Dockerfile (FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim)',
    ],
    [
      'FROM mcr.microsoft.com/devcontainers/python:3.11\n',
      '3.11',
      'Dockerfile (FROM mcr.microsoft.com/devcontainers/python:3.11)',
    ],
    [
      'FROM mcr.microsoft.com/devcontainers/python:1-3.10-bookworm\n',
      '3.10',
      'Dockerfile (FROM mcr.microsoft.com/devcontainers/python:1-3.10-bookworm)',
    ],
    [
      'FROM ghcr.io/astral-sh/uv:0.7 AS uv\nFROM docker.io/library/python:3.13-slim\n',
      '3.13',
      'Dockerfile (FROM python:3.13)',
    ],
  ])('%s', (dockerfile, version, source) => {
    const detection = detectProject(
      makeProject({ Dockerfile: dockerfile, 'main.py': 'print(1)\n', 'requirements.txt': 'rich\n' }),
    );
    expect(detection.answers.pythonVersion).toBe(version);
    expect(detection.sources.pythonVersion).toBe(source);
  });
});
