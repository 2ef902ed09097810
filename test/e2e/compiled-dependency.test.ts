/**
 * A dependency that ships only an sdist with a C extension including a Debian -dev header
 * (written here: `python-ldap` 0.0.1, a few lines of C calling libldap, served from an index
 * this test runs on the Docker bridge). The generated Dockerfile gets the compiler stage with
 * the headers build-dependencies.json names, and the run-time library in the final stage; the
 * image builds, answers, turns healthy, and its final stage has no compiler.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runCli } from '../helpers/project.js';
import { dockerEngine, expectHealthy, withoutSyntaxLine } from './engine.js';

const SDIST = 'python_ldap-0.0.1';
const C_SOURCE = `#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <ldap.h>
#include <sasl/sasl.h>

/* The LDAP protocol version libldap starts a session with: proof that libldap loads at run time. */
static PyObject *protocol(PyObject *self, PyObject *args) {
    LDAP *ld = NULL;
    int version = 0;
    if (ldap_initialize(&ld, "ldap://localhost") != LDAP_SUCCESS) return PyErr_Format(PyExc_RuntimeError, "ldap_initialize failed");
    ldap_get_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
    ldap_unbind_ext(ld, NULL, NULL);
    return PyLong_FromLong(version + 0 * SASL_VERSION_MAJOR);
}

static PyMethodDef methods[] = {{"protocol", protocol, METH_NOARGS, "LDAP protocol version"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "ldapver", NULL, -1, methods};
PyMODINIT_FUNC PyInit_ldapver(void) { return PyModule_Create(&module); }
`;

// Ports and names of this test's own (the Docker host is shared).
const INDEX_PORT = 26_000 + (process.pid % 400);
const APP_PORT = 26_500 + (process.pid % 400);
const TAG = `wheels-e2e-ldap-${process.pid}:test`;
// The python:* stand-in has no Python headers (the official images do): a base with them, under a tag of our own.
const BASE = 'python:wheels-e2e-slim-trixie';

let index: Server | undefined;

beforeAll(async () => {
  if (!dockerEngine) return;
  const src = makeProject({}, 'wheels-sdist-');
  const pkg = join(src, SDIST);
  mkdirSync(pkg);
  writeFileSync(join(pkg, 'ldapver.c'), C_SOURCE);
  writeFileSync(
    join(pkg, 'setup.py'),
    'from setuptools import Extension, setup\n\nsetup(name="python-ldap", version="0.0.1", ext_modules=[Extension("ldapver", ["ldapver.c"], libraries=["ldap"])])\n',
  );
  writeFileSync(
    join(pkg, 'pyproject.toml'),
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
  );
  writeFileSync(join(pkg, 'PKG-INFO'), 'Metadata-Version: 2.1\nName: python-ldap\nVersion: 0.0.1\n');
  await execa('tar', ['czf', `${SDIST}.tar.gz`, SDIST], { cwd: src });
  const tarball = readFileSync(join(src, `${SDIST}.tar.gz`));
  // PEP 503: one project, one file.
  index = createServer((req, res) => {
    if (req.url === '/simple/python-ldap/')
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<html><body><a href="/files/${SDIST}.tar.gz">${SDIST}.tar.gz</a></body></html>`);
    else if (req.url === `/files/${SDIST}.tar.gz`)
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(tarball);
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => index!.listen(INDEX_PORT, '0.0.0.0', done));
  const base = await execa('docker', ['build', '--network', 'host', '-t', BASE, '-'], {
    input:
      'FROM python:3.13-slim-trixie\nRUN apt-get update && apt-get install -y --no-install-recommends libpython3.13-dev && rm -rf /var/lib/apt/lists/*\n',
    reject: false,
    all: true,
  });
  expect(base.exitCode, base.all).toBe(0);
});

afterAll(async () => {
  index?.close();
  if (!dockerEngine) return;
  await execa('docker', ['rmi', '-f', TAG, BASE], { reject: false });
});

describe.skipIf(!dockerEngine)('an sdist-only C extension with a Debian -dev header (docker)', () => {
  it('gets the compiler stage and its headers, builds, runs healthy, and the final stage has no compiler', async () => {
    const dir = makeProject(
      {
        'requirements.txt': `--extra-index-url http://172.17.0.1:${INDEX_PORT}/simple/\nfastapi\nuvicorn\npython-ldap==0.0.1\n`,
        'main.py':
          'import ldapver\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/")\ndef root() -> dict[str, int]:\n    return {"ldap_protocol": ldapver.protocol()}\n',
      },
      'wheels-e2e-ldap-',
    );
    const generated = await runCli(dir, ['--yes', '--port', String(APP_PORT)]);
    expect(generated.exitCode, generated.stderr).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const [builder, final] = dockerfile.split(/^# Official slim image/m);
    expect(builder).toContain('AS builder');
    expect(builder).toContain('--no-install-recommends build-essential libldap2-dev libsasl2-dev');
    expect(final).toContain('--no-install-recommends libldap2 libsasl2-2');
    expect(final).not.toContain('build-essential');

    // apt in both stages needs Debian's mirror: the build's containers use the host's network.
    const built = await execa(
      'docker',
      [
        'build',
        '--network',
        'host',
        '--build-arg',
        `PYTHON_VERSION=${BASE.split(':')[1].replace('-slim-trixie', '')}`,
        '-t',
        TAG,
        '-f',
        '-',
        dir,
      ],
      {
        input: withoutSyntaxLine(dockerfile),
        reject: false,
        all: true,
        env: { DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' },
      },
    );
    expect(built.exitCode, built.all?.slice(-4000)).toBe(0);
    expect(built.all).toMatch(/Building wheel for python-ldap/);

    const report = await dockerEngine!.runWeb(TAG, APP_PORT, '/');
    expectHealthy(dockerEngine!, report);
    const compilers = await execa(
      'docker',
      ['run', '--rm', '--entrypoint', 'sh', TAG, '-c', 'command -v gcc cc c++ make || echo none'],
      { reject: false },
    );
    expect(compilers.stdout.trim()).toBe('none');
    const answer = await execa(
      'docker',
      ['run', '--rm', '--entrypoint', 'python', TAG, '-c', 'import ldapver; print(ldapver.protocol())'],
      { reject: false, all: true },
    );
    expect(answer.stdout.trim(), answer.all).toMatch(/^[23]$/);
  });
});
