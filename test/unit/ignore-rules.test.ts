/**
 * The walk's ignore rules answer as git does (the `ignore` package asked about every rule),
 * while compiling only the rules a path may match.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { dockerignoreAsGitignore, IgnoreRules, ruleSpellings } from '../../lib/project/ignore-rules.js';
import { renderFiles } from '../../lib/render.js';
import { FASTAPI_ANSWERS, pipFacts } from '../helpers/facts.js';

// Docker's reading of a .dockerignore (@balena/dockerignore ports it), case-insensitive as the `ignore` package is.
const dockerignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;

// GitHub's Python.gitignore, in part, and rules in the shapes people write.
const GITIGNORE = `# Byte-compiled / optimized / DLL files
__pycache__/
*.py[cod]
*$py.class
*.so
.Python
build/
develop-eggs/
/dist/
lib/
lib64/
*.egg-info/
.installed.cfg
*.egg
MANIFEST
.env
.venv
env/
venv/
ENV/
/site
.mypy_cache/
docs/_build/
instance/
.webassets-cache
celerybeat-schedule
*.sage.py
data/**
!data/keep.py
src/**/generated/
tmp?/
[Ss]cratch/
notes[0-9].py
*.[!p]y
spaced\\ name.py
trailing   
CAPS.PY
`;

const PATHS = [
  'main.py',
  'app/',
  'app/main.py',
  'app/__pycache__/',
  'app/module.pyc',
  'app/module.pyx',
  'app/x$py.class',
  'build/',
  'src/build/',
  'dist/',
  'src/dist/',
  'lib/',
  'src/mylib/',
  'src/lib/',
  'pkg.egg-info/',
  '.venv/',
  'site/',
  'src/site/',
  'docs/',
  'docs/_build/',
  'instance/',
  'app/instance/',
  'data/',
  'data/keep.py',
  'data/other.py',
  'src/a/b/generated/',
  'src/generated/',
  'generated/',
  'tmp1/',
  'tmp/',
  'scratch/',
  'Scratch/',
  'notes3.py',
  'notesx.py',
  'app/thing.qy',
  'spaced name.py',
  'trailing',
  'caps.py',
  'sub/CAPS.py',
  'celerybeat-schedule/',
  'deep/er/still/main.py',
];

// A .dockerignore in the shapes people write (docker init's, hand-written ones): Docker reads each line from
// the context's root.
const DOCKERIGNORE = `# comment
 #not-a-comment
**/__pycache__
**/*.py[cod]
.git
.venv
venv/
build
/dist
./docs/_build/
tests/
src//old/
*.md
!README.md
**/node_modules
data/*
!data/keep.py
  experiments
src/**/generated
*.egg-info
notes*.py
! notes3.py
`;

const DOCKER_PATHS = [
  ...PATHS,
  '#not-a-comment',
  'README.md',
  'CHANGES.md',
  'docs/README.md',
  'tests/',
  'tests/test_app.py',
  'src/tests/',
  'experiments/',
  'src/experiments/',
  'src/old/',
  'old/',
  'x.egg-info/',
  'src/x.egg-info/',
  'web/node_modules/',
  'venv',
];

describe('the walk’s ignore rules', () => {
  it('read a .dockerignore as Docker does: each line from the context’s root (`build` is not `src/build`)', () => {
    for (const texts of [[DOCKERIGNORE], [DOCKERIGNORE, renderFiles(FASTAPI_ANSWERS, pipFacts())['.dockerignore']!]]) {
      const rules = new IgnoreRules(texts.map(dockerignoreAsGitignore));
      const docker = dockerignore().add(texts.join('\n'));
      for (const path of DOCKER_PATHS) expect(rules.ignores(path), path).toBe(docker.ignores(path.replace(/\/$/, '')));
    }
    const rules = new IgnoreRules([dockerignoreAsGitignore(DOCKERIGNORE)]);
    expect(rules.ignores('build/')).toBe(true);
    expect(rules.ignores('src/build/')).toBe(false);
  });

  it('answer as the ignore package does, for a .gitignore, the generated .dockerignore, and both', () => {
    const dockerignore = renderFiles(FASTAPI_ANSWERS, pipFacts())['.dockerignore']!;
    for (const texts of [[GITIGNORE], [dockerignore], [GITIGNORE, dockerignore]]) {
      const rules = new IgnoreRules(texts);
      const git = ignore().add(texts.join('\n'));
      for (const path of PATHS) expect(rules.ignores(path), path).toBe(git.ignores(path));
    }
  });

  it('past 32 distinct rule sets, compile every rule once and still answer alike', () => {
    const many = Array.from({ length: 40 }, (_, i) => `name${i}`);
    const rules = new IgnoreRules([many.join('\n')]);
    for (const name of many) expect(rules.ignores(`src/${name}/`), name).toBe(true);
    // Asked again once every rule is compiled together.
    for (const name of many) expect(rules.ignores(`lib/${name}/`), name).toBe(true);
    expect(rules.ignores('src/other/')).toBe(false);
  });

  it('a rule is asked about a path only when the path holds its text', () => {
    expect(ruleSpellings('**/*.py[cod]')).toEqual([['.pyc'], ['.pyo'], ['.pyd']]);
    expect(ruleSpellings('/dist/')).toEqual([['dist']]);
    expect(ruleSpellings('src/**/generated/')).toEqual([['src', '/generated']]);
    expect(ruleSpellings('*.[!p]y')).toEqual([['.', 'y']]);
    expect(ruleSpellings('!data/keep.py')).toEqual([['data/keep.py']]);
    expect(ruleSpellings('spaced\\ name.py')).toBeUndefined();
    expect(ruleSpellings('trailing ')).toBeUndefined();
  });

  it('the project’s .gitignore from a fixture keeps answering like git', () => {
    const text = readFileSync(join(import.meta.dirname, '../fixtures/detect/gitignored-folder/.gitignore'), 'utf8');
    const rules = new IgnoreRules([text]);
    const git = ignore().add(text);
    for (const path of PATHS) expect(rules.ignores(path), path).toBe(git.ignores(path));
  });
});
