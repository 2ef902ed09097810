/**
 * The walk's ignore rules answer as git does (the `ignore` package asked about every rule),
 * while compiling only the rules a path may match.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { IgnoreRules, ruleSpellings } from '../../lib/project/ignore-rules.js';
import { renderFiles } from '../../lib/render.js';
import { FASTAPI_ANSWERS, pipFacts } from '../helpers/facts.js';

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

describe('the walk’s ignore rules', () => {
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
