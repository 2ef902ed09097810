/**
 * The standalone command in a real terminal (tmux): arrow keys and typed
 * answers, a refused answer asked again, the closing questions; and a re-run
 * in the configured project that asks nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/dockerfile.js';
import { CLI, GENERATOR, makeProject, readTree } from '../helpers/project.js';
import { hasTmux, tmux } from '../helpers/tmux.js';

if (!hasTmux) console.warn('e2e: terminal test skipped: tmux is not installed');

const SESSION = `python-docker-${process.pid}`;
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);

/** Waits until the screen shows the text (the prompt is there), then types. */
async function when(text: string, ...keys: string[][]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!screen().includes(text)) {
    if (Date.now() > deadline) throw new Error(`never saw "${text}" on the screen:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const k of keys) {
    tmux('send-keys', '-t', SESSION, ...k);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Runs a command line in the project, in a terminal 160 columns wide; the screen ends with EXIT=<code>. */
function start(dir: string, command = `node ${CLI}`): void {
  // The tmux server may be older than this test: the `# syntax=` probe is turned off here, not inherited (next-steps.test.ts has it on).
  tmux(
    'new-session',
    '-d',
    '-s',
    SESSION,
    '-x',
    '160',
    '-y',
    '50',
    `cd ${dir} && export PYTHON_DOCKER_FRONTEND_PROBE=off && ${command}; echo EXIT=$?; sleep 120`,
  );
}

/** The Yeoman front-end as yo runs it (yeoman-environment, the terminal adapter), without yo's refusal of root. */
const YO = `node ${join(repoRoot, 'test', 'helpers', 'run-yo.mjs')} ${GENERATOR}`;

afterEach(() => {
  try {
    tmux('kill-session', '-t', SESSION);
  } catch {
    // already gone
  }
});

describe.skipIf(!hasTmux)('python-docker in a terminal', () => {
  it('asks what it cannot tell, refuses a bad answer and asks again, then writes', async () => {
    const dir = makeProject({}, 'terminal-');
    start(dir);
    await when('? Python version', ['Down'], ['Enter']); // 3.15 → 3.14 → one down: 3.13
    await when('? Framework', ['Down'], ['Enter']); // Flask
    await when('? Port the app listens on', ['-l', '70000'], ['Enter']);
    await when(
      'expected a whole number from 1 to 65535',
      ['BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace'],
      ['-l', '5000'],
      ['Enter'],
    );
    await when('? Entrypoint', ['Enter']);
    await when('? Maintainer', ['-l', 'Jane "JD" Doe'], ['Enter']);
    await when('? Write a compose.yaml', ['Enter']); // yes by default
    await when('? Build and test the image', ['Enter']); // no by default
    await when('EXIT=0');
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG PYTHON_VERSION=3.13');
    expect(dockerfile).toContain('LABEL maintainer="Jane \\"JD\\" Doe"');
    expect(dockerfile).toContain('CMD ["gunicorn", "--bind", "0.0.0.0:5000", "--access-logfile", "-", "app:app"]');
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toContain('"${APP_PORT:-5000}:5000"');

    // Run again: the project is configured, so nothing is asked.
    tmux('kill-session', '-t', SESSION);
    start(dir);
    await when('EXIT=0');
    expect(screen()).not.toContain('? ');
    expect(screen()).toContain('unchanged Dockerfile');
  });

  it('`| tee log` still asks: stdin is the terminal', async () => {
    const dir = makeProject({}, 'terminal-tee-');
    start(dir, `node ${CLI} | tee log`);
    await when('? Python version', ['C-c']);
    await when('EXIT=');
  });

  it.each([
    ['python-docker', `node ${CLI}`],
    ['yo python-docker', YO],
  ])('Ctrl-C at a question under %s: exit 130, no error report, nothing written', async (_, command) => {
    const dir = makeProject({}, 'terminal-sigint-');
    start(dir, command);
    await when('? Python version', ['C-c']);
    await when('EXIT=130');
    expect(screen()).not.toMatch(/error|Error/);
    expect(readTree(dir)).toEqual({});
  });
});
