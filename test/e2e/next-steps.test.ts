/**
 * "Next:" followed literally, in a real terminal (tmux) on a real, offline Docker
 * Engine (../shared/dockerbox): the run asks its questions (each answered with its
 * default), says the `# syntax=` frontend cannot be fetched and drops the line,
 * and every command "Next:" prints then runs as printed — `docker compose up
 * --build` included — to a healthy container answering where "Next:" said.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { hostPortFree } from '../../lib/host-port.js';
import { repoRoot } from '../helpers/dockerfile.js';
import { CLI, makeProject, readTree } from '../helpers/project.js';
import { hasTmux, tmux } from '../helpers/tmux.js';
import { dockerEngine, waitForHealth, waitForHttp } from './engine.js';

const SESSION = `verify-next-${process.pid}`;
/** The whole pane, its scrollback included, wrapped lines joined. */
const transcript = (target = SESSION) => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', target);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a command line in the project in a terminal (the frontend probe on, as for users); the pane ends with EXIT=<code>. */
function start(dir: string, command: string): void {
  tmux(
    'new-session',
    '-d',
    '-s',
    SESSION,
    '-x',
    '200',
    '-y',
    '60',
    `cd ${dir} && PYTHON_DOCKER_FRONTEND_PROBE= ${command}; echo EXIT=$?; sleep 900`,
  );
}

/** Answers every question with its default (Enter), or as `answers` says, until the command ends; its exit code. */
async function answerUntilDone(answers: Record<string, string> = {}, seconds = 600): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const screen = transcript();
    const exit = /^EXIT=(\d+)$/m.exec(screen);
    if (exit) return Number(exit[1]);
    if (Date.now() > deadline) throw new Error(`the run did not end:\n${screen}`);
    const open = screen.split('\n').find((l) => l.startsWith('? '));
    if (open) {
      const key = Object.keys(answers).find((q) => open.includes(q));
      if (key) tmux('send-keys', '-t', SESSION, '-l', answers[key]);
      tmux('send-keys', '-t', SESSION, 'Enter');
      await sleep(400);
    }
    await sleep(200);
  }
}

/** The lines under "Next:", without their indent. */
function nextSteps(text: string): string[] {
  const lines = text.split('\n');
  const at = lines.lastIndexOf('Next:');
  const steps: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (!line.startsWith('  ')) break;
    steps.push(line.trim());
  }
  return steps;
}

async function freeHostPort(from: number): Promise<number> {
  for (let port = from; port < from + 50; port++) if (await hostPortFree(port)) return port;
  throw new Error(`no free port from ${from}`);
}

afterEach(() => {
  try {
    tmux('kill-session', '-t', SESSION);
  } catch {
    // already gone
  }
});

const CASES = [
  { name: 'FastAPI', fixture: 'apps/fastapi', port: 24100, verify: true },
  { name: 'Flask with a factory and a Procfile', fixture: 'real/flask-procfile', port: 24200, verify: false },
  { name: 'Django', fixture: 'apps/django', port: 24300, verify: false },
];

describe.skipIf(!hasTmux || !dockerEngine)('"Next:" followed literally on dockerbox (offline)', () => {
  it.each(CASES)('$name: every step printed works, to a healthy container', async ({ fixture, port: from, verify }) => {
    const port = await freeHostPort(from);
    const dir = makeProject({}, 'verify-next-');
    cpSync(join(repoRoot, 'test', 'fixtures', fixture), dir, { recursive: true });
    start(dir, `node ${CLI} --port ${port}`);
    const exitCode = await answerUntilDone({ 'Build and test the image': verify ? 'y' : '' });
    const run = transcript();
    // TRANSCRIPT_DIR=… keeps what the terminal showed (the README's first-run transcript is one).
    if (process.env.TRANSCRIPT_DIR)
      writeFileSync(join(process.env.TRANSCRIPT_DIR, `${fixture.replace('/', '-')}.txt`), run);
    expect(exitCode, run).toBe(0);
    // Offline: said in one line, asked, and dropped.
    expect(run).toMatch(
      /^The Dockerfile's `# syntax=` line would fail every build here: Docker cannot fetch its frontend, docker\/dockerfile:1 \(.+\)\.$/m,
    );
    expect(readTree(dir).Dockerfile).not.toContain('# syntax=');
    if (verify) {
      expect(run).toMatch(/^✔ healthcheck passes — docker reports healthy$/m);
      expect(run).not.toMatch(/log: \//);
    }

    const steps = nextSteps(run);
    expect(
      steps.filter((s) => s.endsWith(', then')),
      run,
    ).toEqual([]);
    const commands = steps.filter((s) => /^(APP_PORT=\d+ )?docker /.test(s));
    expect(commands, run).toEqual(['docker compose up --build']);
    const url = /^It answers on (http:\/\/localhost:\d+)$/m.exec(steps.join('\n'))?.[1];
    expect(url, run).toBe(`http://localhost:${port}`);

    // The command as printed, in a terminal of its own; the container it starts must become healthy.
    const compose = (...args: string[]) =>
      execa('docker', ['compose', ...args], { cwd: dir, reject: false, all: true, stdin: 'ignore' });
    try {
      tmux('new-window', '-t', SESSION, '-n', 'up', `cd ${dir} && ${commands[0]}; echo EXIT=$?; sleep 900`);
      const status = await waitForHttp(url!.replace('localhost', '127.0.0.1'), 300);
      expect(status, transcript(`${SESSION}:up`)).toBeGreaterThan(0);
      expect(status).toBeLessThan(500);
      const container = (await compose('ps', '-q', 'app')).stdout.trim();
      expect(await waitForHealth(container), transcript(`${SESSION}:up`)).toBe('healthy');
    } finally {
      await compose('down', '--rmi', 'all', '--volumes', '--remove-orphans');
    }
  });
});
