import { describe, expect, it } from 'vitest';
import type { Answers } from '../../lib/answers.js';
import { renderFiles, labelValue } from '../../lib/render.js';
import { FASTAPI_ANSWERS, pipFacts } from '../helpers/facts.js';
import { execArgv, instructionTexts, instructions, parseDockerfile } from '../helpers/dockerfile.js';

const REQS = pipFacts();
const STUB = pipFacts({ writeRequirementsStub: true });
const base = FASTAPI_ANSWERS;
const dockerfile = (answers: Partial<Answers>, facts = REQS) => renderFiles({ ...base, ...answers }, facts).Dockerfile;
const keywords = (content: string) => instructions(content).map((i) => i.keyword);

describe('Dockerfile', () => {
  it('FastAPI, as a snapshot', () => {
    // Rendered as a fixed version, so a release does not change the snapshot.
    const content = renderFiles({ ...base, maintainer: 'Jane Doe <jane@example.com>' }, REQS, {
      version: '0.0.0-snapshot',
    }).Dockerfile;
    expect(content).toMatchSnapshot();
  });

  it.each([
    [
      { framework: 'fastapi', entrypoint: 'app.main:api', port: 8000 },
      ['uvicorn', 'app.main:api', '--host', '0.0.0.0', '--port', '8000'],
    ],
    [
      { framework: 'fastapi', entrypoint: 'main:create_app()', port: 8080 },
      ['uvicorn', '--factory', 'main:create_app', '--host', '0.0.0.0', '--port', '8080'],
    ],
    [
      { framework: 'flask', entrypoint: 'app:app', port: 8000 },
      ['gunicorn', '--bind', '0.0.0.0:8000', '--access-logfile', '-', 'app:app'],
    ],
    [
      { framework: 'flask', entrypoint: 'web:create_app()', port: 5000 },
      ['gunicorn', '--bind', '0.0.0.0:5000', '--access-logfile', '-', 'web:create_app()'],
    ],
    [
      { framework: 'django', entrypoint: 'mysite', port: 8000 },
      ['gunicorn', '--bind', '0.0.0.0:8000', '--access-logfile', '-', 'mysite.wsgi'],
    ],
    [
      { framework: 'django', entrypoint: 'config.wsgi:application', port: 8000 },
      ['gunicorn', '--bind', '0.0.0.0:8000', '--access-logfile', '-', 'config.wsgi:application'],
    ],
    [
      { framework: 'streamlit', entrypoint: 'app.py', port: 8501 },
      [
        'streamlit',
        'run',
        'app.py',
        '--server.port',
        '8501',
        '--server.address',
        '0.0.0.0',
        '--server.headless',
        'true',
      ],
    ],
    [{ framework: 'none', entrypoint: 'worker.py', port: undefined }, ['python', 'worker.py']],
    [{ framework: 'none', entrypoint: 'jobs.worker', port: undefined }, ['python', '-m', 'jobs.worker']],
    [
      { framework: 'none', entrypoint: 'mytool.cli:main', port: undefined },
      ['python', '-c', 'import sys; from mytool.cli import main; sys.exit(main())'],
    ],
  ] as [Partial<Answers>, string[]][])('CMD for %o is the production server in exec form', (answers, argv) => {
    expect(execArgv(dockerfile(answers), 'CMD')).toEqual(argv);
  });

  it('web apps get EXPOSE and a urllib HEALTHCHECK on their port and health path', () => {
    const content = dockerfile({ framework: 'streamlit', entrypoint: 'app.py', port: 8501 });
    expect(instructions(content).find((i) => i.keyword === 'EXPOSE')!.args).toBe('8501');
    const check = execArgv(content, 'HEALTHCHECK')!;
    expect(check.slice(0, 2)).toEqual(['python', '-c']);
    expect(check[2]).toContain("'http://127.0.0.1:8501/_stcore/health'");
    expect(check[2]).toContain('>= 500');
  });

  it('the HEALTHCHECK probes the --health-path answer, and the comment names it', () => {
    const content = dockerfile({ framework: 'django', entrypoint: 'mysite', healthPath: '/healthz/' });
    expect(execArgv(content, 'HEALTHCHECK')![2]).toContain("'http://127.0.0.1:8000/healthz/'");
    expect(content).toContain('answers below 500 on /healthz/');
  });

  it('a plain script gets no EXPOSE and no HTTP healthcheck (HEALTHCHECK NONE says so)', () => {
    const content = dockerfile({ framework: 'none', entrypoint: 'worker.py', port: undefined });
    expect(keywords(content)).not.toContain('EXPOSE');
    expect(instructions(content).filter((i) => i.keyword === 'HEALTHCHECK')).toEqual([
      { keyword: 'HEALTHCHECK', args: 'NONE' },
    ]);
  });

  it('comments read as English: "the compilers stay", and a worker is a process, not a server', () => {
    const compilers = dockerfile(
      {},
      pipFacts({ buildPackages: ['build-essential', 'libpq-dev'], runtimePackages: ['libpq5'] }),
    );
    expect(compilers).toContain(
      '# The runtime stage gets the virtualenv and the source; the compilers stay in the builder.',
    );
    const both = dockerfile(
      { packageManager: 'uv' },
      pipFacts({ install: 'uv', dependencyFiles: ['pyproject.toml', 'uv.lock'], buildPackages: ['build-essential'] }),
    );
    expect(both).toContain('; uv and the compilers stay in the builder.');
    const uv = dockerfile(
      { packageManager: 'uv' },
      pipFacts({ install: 'uv', dependencyFiles: ['pyproject.toml', 'uv.lock'] }),
    );
    expect(uv).toContain('; uv stays in the builder.');
    const worker = dockerfile({ framework: 'none', entrypoint: 'worker.py', port: undefined });
    expect(worker).toContain('# Exec form: the process is PID 1');
    expect(worker).not.toContain('server');
    expect(dockerfile({})).toContain('# Exec form: the server is PID 1');
  });

  it('the base image is python:<version>-slim-<codename>, fed by ARG PYTHON_VERSION', () => {
    const content = dockerfile({ pythonVersion: '3.9' });
    expect(content).toMatch(/^# syntax=docker\/dockerfile:1\n/);
    const ins = instructions(content);
    expect(ins[0]).toEqual({ keyword: 'ARG', args: 'PYTHON_VERSION=3.9' });
    expect(ins[1]).toEqual({ keyword: 'FROM', args: 'python:${PYTHON_VERSION}-slim-bookworm' });
    expect(instructions(dockerfile({ pythonVersion: '3.15' }))[1].args).toBe('python:${PYTHON_VERSION}-slim-trixie');
  });

  it('WORKDIR comes before anything is copied, dependencies before source, USER numeric and last but metadata', () => {
    const ins = keywords(dockerfile({}));
    expect(ins).toEqual([
      'ARG',
      'FROM',
      'ENV',
      'WORKDIR',
      'RUN',
      'RUN',
      'COPY',
      'USER',
      'EXPOSE',
      'HEALTHCHECK',
      'CMD',
    ]);
    const all = instructions(dockerfile({}));
    expect(all.find((i) => i.keyword === 'USER')!.args).toBe('10001:10001');
    const install = instructionTexts(dockerfile({}), 'RUN')[1];
    expect(install).toContain('python -m pip install -r requirements.txt');
    expect(install).toContain('--mount=type=cache,target=/root/.cache/pip');
    expect(install).toContain('--mount=type=bind,source=requirements.txt,target=requirements.txt');
    expect(install).not.toContain('--no-cache-dir'); // one or the other, never both
    expect(instructionTexts(dockerfile({}), 'COPY')).toEqual(['COPY --chown=10001:10001 . .']);
  });

  it('ENV in KEY=value form, no DEBUG', () => {
    const env = instructions(dockerfile({})).find((i) => i.keyword === 'ENV')!.args;
    expect(env).toContain('PYTHONDONTWRITEBYTECODE=1');
    expect(env).toContain('PYTHONUNBUFFERED=1');
    expect(env).not.toContain('DEBUG');
  });

  it('the user has a home and owns the working directory (no chown -R)', () => {
    const run = instructions(dockerfile({})).find((i) => i.keyword === 'RUN')!.args;
    expect(run).toContain('--uid 10001');
    expect(run).toContain('--create-home --home-dir /home/app');
    expect(run).toContain('chown 10001:10001 /app');
    expect(run).not.toContain('chown -R');
  });

  it('binds every requirements file the install reads', () => {
    const content = dockerfile({}, { ...REQS, dependencyFiles: ['requirements.txt', 'requirements/base.txt'] });
    expect(content).toContain('--mount=type=bind,source=requirements/base.txt,target=requirements/base.txt');
  });

  it('puts a source root (src layout, nested Django) on PYTHONPATH', () => {
    expect(dockerfile({ entrypoint: 'shop.main:api' }, { ...REQS, sourceRoot: 'src' })).toContain(
      '    PYTHONPATH=/app/src \\\n',
    );
    expect(dockerfile({})).not.toContain('PYTHONPATH');
  });

  it('installs the main requirements file when it is not requirements.txt', () => {
    const content = dockerfile(
      {},
      { ...REQS, dependencyFiles: ['requirements/production.txt', 'requirements/base.txt'] },
    );
    expect(content).toContain('python -m pip install -r requirements/production.txt');
  });

  it('installs a pyproject project with its sources visible to the build backend', () => {
    const files = renderFiles(base, { ...REQS, install: 'pyproject', dependencyFiles: [], installsProject: true });
    expect(files.Dockerfile).toContain('python -m pip install /tmp/project');
    expect(files['.dockerignore']).not.toMatch(/^README\.md$/m);
    expect(files['.dockerignore']).not.toMatch(/^LICENSE$/m);
    expect(files['requirements.txt']).toBeUndefined();
  });
});

describe('LABEL maintainer', () => {
  it('only when a maintainer is given', () => {
    expect(keywords(dockerfile({}))).not.toContain('LABEL');
  });

  it.each(['Jane "JD" Doe', 'back\\slash \\', 'costs $HOME and ${PATH}', "it's fine", 'Zoë 李 <z@example.com>'])(
    '%s survives as one LABEL with its exact value',
    (maintainer) => {
      const content = dockerfile({ maintainer });
      const labels = parseDockerfile(content)
        .getInstructions()
        .filter((i) => i.getKeyword() === 'LABEL');
      expect(labels).toHaveLength(1);
      // The value stays inside its LABEL: no instruction added or lost, the LABEL right after FROM.
      const withLabel = keywords(content);
      expect(withLabel.filter((k) => k !== 'LABEL')).toEqual(keywords(dockerfile({})));
      expect(withLabel[withLabel.indexOf('FROM') + 1]).toBe('LABEL');
      // Undo the Dockerfile escaping the way the builder does.
      const raw = labels[0].getArgumentsContent()!;
      const value = raw.slice('maintainer="'.length, -1).replace(/\\(.)/g, '$1');
      expect(value).toBe(maintainer);
    },
  );

  it('escapes quote, backslash and dollar', () => {
    expect(labelValue('a"b\\c$d')).toBe('a\\"b\\\\c\\$d');
  });
});

describe('.dockerignore', () => {
  const ignore = renderFiles(base, REQS)['.dockerignore'];
  const lines = ignore.split('\n').filter((l) => l && !l.startsWith('#'));

  it("holds the seed's list (the floor)", () => {
    for (const entry of [
      '**/__pycache__',
      '**/*venv',
      '**/.env',
      '**/.git',
      '**/.gitignore',
      '**/.vscode',
      '**/node_modules',
      '**/Dockerfile*',
      '**/docker-compose*',
      '**/secrets.dev.yaml',
      '**/*.db',
      '.python-version',
      'LICENSE',
      'README.md',
      '**/bin',
      '**/charts',
    ]) {
      expect(lines).toContain(entry);
    }
  });

  it('never ignores what the Dockerfile copies or runs', () => {
    expect(lines).not.toContain('requirements.txt');
    expect(lines.some((l) => l.includes('*.py') && !l.includes('py[cod]'))).toBe(false);
    // Unlike the seed's **/compose*, it does not drop a module named composer.py.
    expect(lines).not.toContain('**/compose*');
    const binApp = renderFiles({ ...base, framework: 'none', entrypoint: 'bin/run.py', port: undefined }, REQS)[
      '.dockerignore'
    ];
    expect(binApp).not.toMatch(/^\*\*\/bin$/m);
  });
});

describe('requirements stub', () => {
  it.each([
    ['fastapi', ['fastapi>=', 'uvicorn[standard]>=']],
    ['flask', ['flask>=', 'gunicorn>=']],
    ['django', ['django>=', 'gunicorn>=']],
    ['streamlit', ['streamlit>=']],
  ] as const)('%s lists the framework and its server with version ranges', (framework, starts) => {
    const stub = renderFiles({ ...base, framework }, STUB)['requirements.txt'];
    const reqs = stub.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(reqs).toHaveLength(starts.length);
    reqs.forEach((line, i) => {
      expect(line.startsWith(starts[i])).toBe(true);
      expect(line).toMatch(/>=[\d.]+,<[\d.]+$/);
    });
  });

  it('a plain script gets a stub with no packages', () => {
    const stub = renderFiles({ ...base, framework: 'none', entrypoint: 'main.py', port: undefined }, STUB)[
      'requirements.txt'
    ];
    expect(stub.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([]);
  });

  it('is not rendered when the project has a dependency file', () => {
    expect(renderFiles(base, REQS)['requirements.txt']).toBeUndefined();
  });
});
