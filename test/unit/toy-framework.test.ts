/**
 * Adding a framework is one plugin file and one registry line: a toy framework, declared here through the
 * FrameworkPlugin interface alone (registerFramework stands in for its line in lib/frameworks/index.ts),
 * is detected, rendered, accepted by --framework and listed in the refusal line, with no other file under
 * lib/ knowing it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../lib/cli.js';
import { detectProject } from '../../lib/detect/detect-project.js';
import { APP_RE, match } from '../../lib/frameworks/entrypoints.js';
import { findAppObject } from '../../lib/frameworks/finders.js';
import { FRAMEWORKS, type FrameworkPlugin, registerFramework } from '../../lib/frameworks/index.js';
import { execArgv, utilsDiagnostics } from '../helpers/dockerfile.js';
import { UserError } from '../../lib/user-error.js';
import { makeProject } from '../helpers/project.js';

const toyweb: FrameworkPlugin = {
  id: 'toyweb',
  label: 'ToyWeb',
  packages: ['toyweb'],
  web: true,
  defaultPort: 9000,
  defaultEntrypoint: 'app:app',
  entrypointShape: 'module:app',
  entrypointHelp: 'module:attribute such as app:app',
  stubPackages: [],
  healthPath: '/ping',
  parseEntrypoint: match(APP_RE),
  findEntrypoint: (tree) => findAppObject(tree, 'ToyApp', 'toyweb'),
  servers: ['toyserve'],
  command: (entry, port) => ['toyserve', entry, '--listen', `0.0.0.0:${port}`],
};

const PROJECT = {
  'requirements.txt': 'toyweb==1.2\n',
  'site/__init__.py': '',
  'site/server.py': 'from toyweb import ToyApp\n\nwebsite = ToyApp(name="shop")\n',
};

async function cli(dir: string, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let code: number;
  try {
    code = await run(argv, {
      cwd: dir,
      stdout: (l) => out.push(l),
      write: (t) => out.push(t),
      stderr: (l) => err.push(l),
      interactive: false,
    });
  } catch (error) {
    // What lib/cli.ts main() prints for a user's mistake: the one line, exit 1.
    if (!(error instanceof UserError)) throw error;
    err.push(error.message);
    code = 1;
  }
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('a framework added through the plugin interface alone', () => {
  beforeAll(() => registerFramework(toyweb));

  it('is registered before the fallback, which stays last', () => {
    expect(FRAMEWORKS.at(-2)).toBe('toyweb');
    expect(FRAMEWORKS.at(-1)).toBe('none');
  });

  it('is detected from its package and its app object, whatever the variable is called (the port is its default)', () => {
    const detection = detectProject(makeProject(PROJECT));
    expect(detection.answers.framework).toBe('toyweb');
    expect(detection.answers.entrypoint).toBe('site.server:website');
  });

  it('renders its CMD, port and health check, and the Dockerfile lints clean', async () => {
    const dir = makeProject(PROJECT);
    const result = await cli(dir, ['--yes', '--offline', '--python-version', '3.12']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(execArgv(dockerfile, 'CMD')).toEqual(['toyserve', 'site.server:website', '--listen', '0.0.0.0:9000']);
    expect(dockerfile).toMatch(/^EXPOSE 9000$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*127\.0\.0\.1:9000\/ping/);
    expect(utilsDiagnostics(dockerfile)).toEqual([]);
  });

  it('is accepted by --framework, and the refusal line of an unknown one lists it', async () => {
    const chosen = await cli(makeProject({ 'requirements.txt': 'requests\n', 'web.py': 'app = make()\n' }), [
      '--yes',
      '--offline',
      '--framework',
      'toyweb',
      '--entrypoint',
      'web:app',
    ]);
    expect(chosen.code).toBe(0);
    const dir = makeProject(PROJECT);
    const refused = await cli(dir, ['--yes', '--offline', '--framework', 'bogus']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(FRAMEWORKS.join(', '));
    expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toBe(PROJECT['requirements.txt']);
  });
});
