import { describe, expect, it } from 'vitest';
import { includePath, parseRequirements, provides } from '../../lib/project/requirements.js';

describe('parseRequirements', () => {
  const text = [
    '# web',
    'Flask-Cors>=4  # not flask',
    'Django[argon2] ~= 5.2 ; python_version >= "3.10"',
    'gunicorn==23.0.0 \\',
    '    --hash=sha256:abc',
    'uvicorn[standard]',
    'mypkg @ https://example.com/mypkg-1.0.tar.gz',
    '-r requirements/base.txt',
    '--constraint=constraints.txt',
    '--index-url https://pypi.example/simple',
    '-e .',
    './libs/local',
    '',
  ].join('\n');
  const parsed = parseRequirements(text);

  it('reads names (normalised), extras and markers properly', () => {
    expect([...parsed.packages.keys()]).toEqual(['flask-cors', 'django', 'gunicorn', 'uvicorn', 'mypkg']);
    expect(parsed.packages.get('django')).toEqual(new Set(['argon2']));
    expect(parsed.packages.has('flask')).toBe(false); // flask-cors is not Flask
  });

  it('collects includes and local paths', () => {
    expect(parsed.includes).toEqual(['requirements/base.txt', 'constraints.txt']);
    expect(parsed.localPaths).toEqual(['.', './libs/local']);
  });

  it('fastapi[standard] provides uvicorn', () => {
    expect(provides(parseRequirements('fastapi[standard]').packages, 'uvicorn')).toBe(true);
    expect(provides(parseRequirements('fastapi').packages, 'uvicorn')).toBe(false);
  });

  it('resolves include paths relative to the including file, inside the project only', () => {
    expect(includePath('requirements/prod.txt', 'base.txt')).toBe('requirements/base.txt');
    expect(includePath('requirements.txt', '../shared.txt')).toBeUndefined();
    expect(includePath('requirements.txt', '/etc/reqs.txt')).toBeUndefined();
  });
});
