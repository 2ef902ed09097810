import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { addToPyproject, addToRequirements } from '../../lib/missing-server.js';

const deps = (text: string) => (parse(text).project as { dependencies: string[] }).dependencies;

describe('adding the missing server to the project', () => {
  it("requirements.txt: appended in the file's own line endings, a missing last newline supplied", () => {
    expect(addToRequirements('flask\n', ['gunicorn>=23.0,<25'])).toBe('flask\ngunicorn>=23.0,<25\n');
    expect(addToRequirements('Flask==3.0.3\r\nflask-cors', ['gunicorn'])).toBe(
      'Flask==3.0.3\r\nflask-cors\r\ngunicorn\r\n',
    );
  });

  it.each([
    [
      'one line',
      '[project]\nname = "x"\ndependencies = ["flask>=3"]\n',
      '[project]\nname = "x"\ndependencies = ["gunicorn>=23.0,<25", "flask>=3"]\n',
    ],
    [
      'empty',
      '[project]\nname = "x"\ndependencies = []\n',
      '[project]\nname = "x"\ndependencies = ["gunicorn>=23.0,<25"]\n',
    ],
    [
      'multi-line',
      '[project]\nname = "x"\ndependencies = [\n  "flask>=3",\n]\n\n[tool.x]\ny = 1\n',
      '[project]\nname = "x"\ndependencies = [\n  "gunicorn>=23.0,<25",\n  "flask>=3",\n]\n\n[tool.x]\ny = 1\n',
    ],
    [
      'absent',
      '[project]\nname = "x"\n\n[build-system]\nrequires = []\n',
      '[project]\ndependencies = ["gunicorn>=23.0,<25"]\nname = "x"\n\n[build-system]\nrequires = []\n',
    ],
  ])('pyproject.toml, %s dependencies: the entry added, the layout kept', (_, before, after) => {
    const result = addToPyproject(before, ['gunicorn>=23.0,<25'])!;
    expect(result).toBe(after);
    expect(deps(result)).toContain('gunicorn>=23.0,<25');
  });

  it('pyproject.toml: left alone when the dependencies are dynamic or there is no [project] table', () => {
    expect(addToPyproject('[project]\nname = "x"\ndynamic = ["dependencies"]\n', ['gunicorn'])).toBeUndefined();
    expect(addToPyproject('[tool.poetry]\nname = "x"\n', ['gunicorn'])).toBeUndefined();
  });
});
