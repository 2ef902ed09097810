/**
 * What the generated .dockerignore keeps out of the build context, checked with
 * @balena/dockerignore (a port of Docker's own matcher): secrets, local databases
 * and the generator's record are excluded; the app's sources and what packaging reads are kept.
 */
import dockerignoreModule, { type Ignore } from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../lib/answers.js';
import { collisions, withExceptions } from '../../lib/dockerignore-rules.js';
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
  dockerignore().add(
    renderFiles(answers, pipFacts({ installsProject, install: installsProject ? 'pyproject' : 'requirements' }))[
      '.dockerignore'
    ],
  );

const EXCLUDED = [
  'id_rsa',
  'id_rsa.pub',
  'id_ed25519',
  'deploy/id_ecdsa',
  '.ssh/id_rsa',
  '.ssh/config',
  '.aws/credentials',
  '.aws/config',
  '.azure/accessTokens.json',
  '.config/gcloud/application_default_credentials.json',
  '.kube/config',
  '.docker/config.json',
  '.git-credentials',
  '.netrc',
  '.npmrc',
  '.pypirc',
  '.pgpass',
  '.envrc',
  '.env',
  '.env.production',
  'prod.env',
  'config/prod.env',
  'secrets/db_password.txt',
  'app/secrets/token',
  'credentials.json',
  'config/credentials.json',
  'service-account.json',
  'service-account-prod.json',
  'client_secret.json',
  'client_secret_1234.apps.googleusercontent.com.json',
  'cert.p12',
  'keystore.pfx',
  'release.jks',
  'server.pem',
  'server.key',
  'terraform.tfstate',
  'terraform.tfstate.backup',
  'infra/terraform.tfstate',
  '.terraform/providers/x',
  'db.sqlite3',
  'app.db',
  'data/app.db',
  'data/local.sqlite',
  'instance/app.sqlite3',
  'data/app.db-journal',
  'db.sqlite3-journal',
  '.yo-rc.json',
  // Cluster and cloud credentials, deploy keys, tokens, secrets files.
  'kubeconfig',
  'kubeconfig.yaml',
  'deploy/kubeconfig.yml',
  'gcp-service-account.json',
  'myproj-firebase-adminsdk-abc12-0123456789.json',
  'application_default_credentials.json',
  'deploy_key',
  'deploy_key.pub',
  '.vault-token',
  '.boto',
  '.s3cfg',
  '.htpasswd',
  'secrets.json',
  'secrets.yaml',
  'config/secrets.yml',
  '.secrets.toml',
  // Caches, notebooks' checkpoints, build output, coverage, editor swap and backup files, celery beat's state.
  '.cache/pip/x',
  '.hypothesis/examples/x',
  'notebooks/.ipynb_checkpoints/a-checkpoint.ipynb',
  'build/lib/shop/main.py',
  'dist/shop-0.1.0.tar.gz',
  'coverage.xml',
  '.coverage.host.1234.567',
  'app/.main.py.swp',
  'app/.main.py.swo',
  'app/main.py~',
  'app/.#main.py',
  'app/#main.py#',
  'app/main.py.bak',
  'celerybeat-schedule',
  'celerybeat-schedule.db',
  'celerybeat.pid',
];

/** Each framework's local secret and instance files: never in the build context. */
const FRAMEWORK_LOCAL_FILES: Record<Answers['framework'], string[]> = {
  streamlit: ['.streamlit/secrets.toml', '.streamlit/credentials.toml', 'dashboard/.streamlit/secrets.toml'],
  flask: [
    'instance/config.py',
    'instance/app.sqlite',
    'instance/settings.cfg',
    'flask_session/2029f5d1b3',
    'src/shop/instance/config.py',
    '.env',
  ],
  django: ['local_settings.py', 'mysite/local_settings.py', 'db.sqlite3', '.env'],
  fastapi: ['.env', '.env.local', 'app.db'],
  none: ['.env', 'celerybeat-schedule', 'jobs.db'],
};

const KEPT = [
  'app/main.py',
  'app/__init__.py',
  'app/routers/items.py',
  'app/settings.py',
  'app/secret_santa.py',
  'app/security/keys.py',
  'requirements.txt',
  'static/app.js',
  'templates/index.html',
  'migrations/0001_initial.py',
  'app/environment.py',
  'config/settings.toml',
  'data/seed.json',
  'pyproject.toml',
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

  it.each(Object.entries(FRAMEWORK_LOCAL_FILES))(
    "%s: the framework's local secrets and instance files are excluded",
    (framework, paths) => {
      const rules = dockerignore().add(
        renderFiles({ ...answers, framework: framework as Answers['framework'] }, pipFacts())['.dockerignore'],
      );
      for (const path of paths) expect(rules.ignores(path), path).toBe(true);
    },
  );

  it('virtualenvs by their usual names are excluded before any is found', () => {
    for (const path of [
      '.venv/pyvenv.cfg',
      'venv/bin/python',
      'env/pyvenv.cfg',
      'ENV/pyvenv.cfg',
      'services/api/.venv/pyvenv.cfg',
    ]) {
      expect(matcher().ignores(path), path).toBe(true);
    }
  });

  it('README.md is kept when pip installs the project (its pyproject.toml may name it as the readme)', () => {
    expect(matcher(true).ignores('README.md')).toBe(false);
    expect(matcher(true).ignores('src/app/README.md')).toBe(false);
  });
});

describe('rules that would exclude a file the image needs', () => {
  const text = renderFiles(answers, pipFacts())['.dockerignore'];
  const keep = [
    'app.py',
    'pkg/sub/m.py',
    'charts/x.py',
    'a/bin/y.py',
    'a/Dockerfile_tools.py',
    'build/z.py',
    'q/.#lock.py',
    'venv/x.py',
    'a/.venv/b.py',
    'deep/er/secrets/v.py',
    'requirements/base.txt',
    'README.md',
    'src/shop/main.py',
  ];

  it("finds the same files as asking Docker's matcher about each, and names the rule", () => {
    const all = dockerignore().add(text);
    const found = collisions(text, keep);
    const byRule = new Map(found.rules.map((c) => [c.rule, [c.file, c.kept]]));
    for (const file of keep.filter((f) => all.ignores(f))) {
      expect(
        found.rules.some(({ rule }) => dockerignore().add(rule).ignores(file)),
        file,
      ).toBe(true);
    }
    expect(byRule.get('**/charts')).toEqual(['charts/x.py', 'charts']);
    expect(byRule.get('**/bin')).toEqual(['a/bin/y.py', 'a/bin']);
    expect(byRule.get('**/Dockerfile*')).toEqual(['a/Dockerfile_tools.py', 'a/Dockerfile_tools.py']);
    expect(byRule.get('build')).toEqual(['build/z.py', 'build']);
    expect(byRule.get('**/.#*')).toEqual(['q/.#lock.py', 'q/.#lock.py']);
    expect(byRule.get('**/secrets')).toEqual(['deep/er/secrets/v.py', 'deep/er/secrets']);
    expect(found.rules.map((c) => c.file).some((f) => ['app.py', 'pkg/sub/m.py', 'src/shop/main.py'].includes(f))).toBe(
      false,
    );
    // With the exceptions, every file is kept, and the rules still exclude their other matches.
    const rest = dockerignore().add(withExceptions(text, found.kept));
    for (const file of keep) expect(rest.ignores(file), file).toBe(false);
    for (const file of ['deploy/charts/x', 'bin/tool', 'Dockerfile.prod', 'secrets/token'])
      expect(rest.ignores(file), file).toBe(true);
  });
});
