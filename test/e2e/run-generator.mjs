// `yo python-docker ARGS…` in a process of its own, as yo runs it (yo itself refuses to run as root,
// and the Docker socket here is root's): the generator through yeoman-environment.
import { fileURLToPath } from 'node:url';
import { createEnv } from 'yeoman-environment';

const env = createEnv();
env.register(fileURLToPath(new URL('../../dist/generators/app/index.js', import.meta.url)), { namespace: 'python-docker:app' });
await env.run(['python-docker:app', ...process.argv.slice(2)]);
