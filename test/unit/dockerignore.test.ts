/**
 * What the generated .dockerignore keeps out of the build context, checked with
 * @balena/dockerignore (a port of Docker's own matcher): secrets, local databases
 * and the generator's record are excluded; the app's sources and what packaging reads are kept.
 */
import dockerignoreModule, { type Ignore } from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../lib/answers.js';
import { renderFiles } from '../../lib/render.js';
import { pipFacts } from '../helpers/facts.js';

const answers: Answers = {
  pythonVersion: '3.14',
  framework: 'fastapi',
  port: 8000,
  entrypoint: 'app.main:app',
  packageManager: 'pip',
  buildDeps: false,
  noBuildkit: false,
  compose: false,
};
// A CommonJS module: its export is the factory (typed as an ES default export).
const dockerignore = dockerignoreModule as unknown as () => Ignore;
const matcher = (installsProject = false) =>
  dockerignore().add(renderFiles(answers, pipFacts({ installsProject, install: installsProject ? 'pyproject' : 'requirements' }))['.dockerignore']);

const EXCLUDED = [
  'id_rsa', 'id_rsa.pub', 'id_ed25519', 'deploy/id_ecdsa', '.ssh/id_rsa', '.ssh/config', '.aws/credentials', '.aws/config',
  '.azure/accessTokens.json', '.config/gcloud/application_default_credentials.json', '.kube/config',
  '.docker/config.json', '.git-credentials', '.netrc', '.npmrc', '.pypirc', '.pgpass', '.envrc',
  '.env', '.env.production', 'prod.env', 'config/prod.env', 'secrets/db_password.txt', 'app/secrets/token',
  'credentials.json', 'config/credentials.json', 'service-account.json', 'service-account-prod.json',
  'client_secret.json', 'client_secret_1234.apps.googleusercontent.com.json', 'cert.p12', 'keystore.pfx', 'release.jks',
  'server.pem', 'server.key', 'terraform.tfstate', 'terraform.tfstate.backup', 'infra/terraform.tfstate', '.terraform/providers/x',
  'db.sqlite3', 'app.db', 'data/app.db', 'data/local.sqlite', 'instance/app.sqlite3', 'data/app.db-journal', 'db.sqlite3-journal',
  '.yo-rc.json',
];

const KEPT = [
  'app/main.py', 'app/__init__.py', 'app/routers/items.py', 'app/settings.py', 'app/secret_santa.py', 'app/security/keys.py',
  'requirements.txt', 'static/app.js', 'templates/index.html', 'migrations/0001_initial.py', 'app/environment.py',
  'config/settings.toml', 'data/seed.json', 'pyproject.toml',
];

describe('.dockerignore keeps secrets out of the build context', () => {
  it.each(EXCLUDED)('%s is excluded', (path) => {
    expect(matcher().ignores(path)).toBe(true);
    expect(matcher(true).ignores(path)).toBe(true);
  });

  it.each(KEPT)("%s (the app's own) is kept", (path) => {
    expect(matcher().ignores(path)).toBe(false);
    expect(matcher(true).ignores(path)).toBe(false);
  });

  it('README.md is kept when pip installs the project (its pyproject.toml may name it as the readme)', () => {
    expect(matcher(true).ignores('README.md')).toBe(false);
    expect(matcher(true).ignores('src/app/README.md')).toBe(false);
  });
});
