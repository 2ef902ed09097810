// The Yeoman front-end in a process of its own, as `yo python-docker …` runs it
// (yeoman-environment, the terminal adapter) but without yo's refusal to run as root.
// Usage: node run-yo.mjs <generator path> [options…]
import { createEnv } from 'yeoman-environment';

const [generator, ...args] = process.argv.slice(2);
const env = createEnv({ cwd: process.cwd() });
env.register(generator, { namespace: 'python-docker:app' });
await env.run(['python-docker:app', ...args]);
