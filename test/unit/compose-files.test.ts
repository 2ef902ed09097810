import { describe, expect, it } from 'vitest';
import { projectCompose, projectComposeFiles } from '../../lib/project/compose-files.js';
import { makeProject } from '../helpers/project.js';

describe("the project's own Compose files", () => {
  it('are the names docker compose reads and their -f variants, default names first; ours are left out', () => {
    const names = [
      'docker-compose.override.yml',
      'compose.yml',
      'docker-compose.yml',
      'compose.dev.yaml',
      'docker-compose-prod.yaml',
      'composer.yaml',
      'compose.yaml.new',
      'my-compose.yml',
    ];
    const dir = makeProject(Object.fromEntries(names.map((n) => [n, 'services: {}\n'])));
    expect(projectComposeFiles(dir)).toEqual([
      'compose.yml',
      'docker-compose.yml',
      'compose.dev.yaml',
      'docker-compose-prod.yaml',
      'docker-compose.override.yml',
    ]);
    expect(projectComposeFiles(dir, ['compose.yml'])[0]).toBe('docker-compose.yml');
  });

  it('name the service that builds this folder (build: . or a context of . with the default Dockerfile)', async () => {
    const build = async (spec: string) =>
      (await projectCompose(makeProject({ 'docker-compose.yml': `services:\n  web:\n${spec}` })))?.buildingService;
    expect(await build('    build: .\n')).toBe('web');
    expect(await build('    build:\n      context: ./\n')).toBe('web');
    expect(await build('    build:\n      context: .\n      dockerfile: Dockerfile\n')).toBe('web');
    expect(await build('    build:\n      context: .\n      dockerfile: docker/Dockerfile.prod\n')).toBeUndefined();
    expect(await build('    build: ./frontend\n')).toBeUndefined();
    expect(await build('    image: nginx\n')).toBeUndefined();
    expect(await projectCompose(makeProject({ 'compose.yaml': '{ not: yaml: [' }))).toEqual({
      file: 'compose.yaml',
      serviceName: 'app',
    });
    expect(await projectCompose(makeProject())).toBeUndefined();
  });

  it("an override file beside no default file is not the project's own; beside one it is", () => {
    expect(
      projectComposeFiles(
        makeProject({ 'compose.override.yaml': 'services: {}\n', 'docker-compose.override.yml': 'services: {}\n' }),
      ),
    ).toEqual([]);
    expect(projectComposeFiles(makeProject({ 'compose.override.yaml': 'services: {}\n' }), ['compose.yaml'])).toEqual(
      [],
    );
    expect(
      projectComposeFiles(makeProject({ 'compose.yaml': 'services: {}\n', 'compose.override.yaml': 'services: {}\n' })),
    ).toEqual(['compose.yaml', 'compose.override.yaml']);
  });

  it("reads Compose's !reset and !override tags as their values, with no warning", async () => {
    const warnings: string[] = [];
    const warn = process.emitWarning;
    process.emitWarning = ((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning;
    try {
      const dir = makeProject({ 'compose.yaml': 'services:\n  web: !override\n    build: .\n    ports: !reset []\n' });
      expect((await projectCompose(dir))?.buildingService).toBe('web');
    } finally {
      process.emitWarning = warn;
    }
    expect(warnings).toEqual([]);
  });
});
