/**
 * The `# syntax=` probe's pure parts: which daemon's socket it asks for which environment and docker config
 * (only where the CLI would use that Unix socket), and which of the daemon's registry errors mean "cannot
 * fetch"; then its answers over a stand-in daemon's socket.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { DEFAULT_SOCKET, dockerSocket, readDockerConfig } from '../../lib/verify/docker-api.js';
import { probeOverSocket, registryUnreachable } from '../../lib/verify/frontend.js';
import { type DaemonAnswers, fakeDockerDaemon, OFFLINE_DISTRIBUTION } from '../helpers/fake-docker-daemon.js';
import { makeProject } from '../helpers/project.js';

describe('which socket', () => {
  it("the default one, or DOCKER_HOST's unix:// path", () => {
    expect(dockerSocket({}, undefined, 'linux')).toBe(DEFAULT_SOCKET);
    expect(dockerSocket({ DOCKER_HOST: '', DOCKER_CONTEXT: '' }, undefined, 'linux')).toBe(DEFAULT_SOCKET);
    expect(dockerSocket({ DOCKER_CONTEXT: 'default' }, '{"currentContext":"default"}', 'darwin')).toBe(DEFAULT_SOCKET);
    expect(dockerSocket({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, undefined, 'linux')).toBe(
      '/run/user/1000/docker.sock',
    );
    // A config that names no context, or that the CLI cannot read either.
    expect(dockerSocket({}, '{"auths":{},"credsStore":"pass"}', 'linux')).toBe(DEFAULT_SOCKET);
    expect(dockerSocket({}, '{not json', 'linux')).toBe(DEFAULT_SOCKET);
    expect(dockerSocket({}, 'null', 'linux')).toBe(DEFAULT_SOCKET);
  });

  it('none where the CLI goes elsewhere: a remote host, a context, a named pipe', () => {
    for (const host of ['tcp://10.0.0.5:2376', 'ssh://me@box', 'npipe:////./pipe/docker_engine', 'unix://', 'fd://'])
      expect(dockerSocket({ DOCKER_HOST: host }, undefined, 'linux'), host).toBeUndefined();
    expect(dockerSocket({ DOCKER_CONTEXT: 'rootless' }, undefined, 'linux')).toBeUndefined();
    expect(dockerSocket({}, '{"currentContext":"desktop-linux"}', 'linux')).toBeUndefined();
    expect(dockerSocket({ DOCKER_HOST: 'unix:///var/run/docker.sock' }, '{"currentContext":"colima"}')).toBeUndefined();
    expect(dockerSocket({}, undefined, 'win32')).toBeUndefined();
  });

  it("reads DOCKER_CONFIG's config.json, else none", () => {
    const dir = makeProject({ 'config.json': '{"currentContext":"rootless"}' });
    expect(readDockerConfig({ DOCKER_CONFIG: dir })).toBe('{"currentContext":"rootless"}');
    expect(readDockerConfig({ DOCKER_CONFIG: makeProject() })).toBeUndefined();
  });
});

describe("the daemon's registry errors", () => {
  it('a network failure: unreachable, in its last words, as the CLI says them', () => {
    expect(registryUnreachable(OFFLINE_DISTRIBUTION.message)).toBe('no such host');
    expect(
      registryUnreachable('Get "https://registry-1.docker.io/v2/": dial tcp 54.236.113.205:443: i/o timeout'),
    ).toBe('i/o timeout');
    expect(
      registryUnreachable(
        'Get "https://registry-1.docker.io/v2/": dial tcp 10.1.1.1:443: connect: network is unreachable',
      ),
    ).toBe('network is unreachable');
  });

  it('anything else: left to the CLI', () => {
    expect(registryUnreachable('')).toBeUndefined();
    expect(registryUnreachable('errors:\ndenied: requested access to the resource is denied\n')).toBeUndefined();
    expect(
      registryUnreachable('toomanyrequests: You have reached your unauthenticated pull rate limit.'),
    ).toBeUndefined();
  });
});

describe('over the socket', () => {
  const ask = async (answers: DaemonAnswers) => {
    const daemon = await fakeDockerDaemon(answers);
    onTestFinished(() => daemon.close());
    return probeOverSocket(daemon.host.slice('unix://'.length), 3000);
  };

  it("Docker's answers", async () => {
    expect(await ask({})).toEqual({
      unreachable: 'Docker cannot fetch its frontend, docker/dockerfile:1 (no such host)',
    });
    expect(await ask({ distribution: { status: 200, body: {} } })).toEqual({});
    expect(await ask({ image: { status: 200, body: {} } })).toEqual({});
    expect(await ask({ server: 'Libpod/5.4.2 (linux)' })).toEqual({});
    expect(await probeOverSocket(`${makeProject()}/docker.sock`, 3000)).toEqual({});
  });

  it('what it does not know: undefined, the CLI asked', async () => {
    expect(await ask({ distribution: { status: 500, body: { message: 'something unrelated' } } })).toBeUndefined();
    expect(await ask({ distribution: { status: 401, body: { message: 'unauthorized' } } })).toBeUndefined();
    expect(await ask({ image: { status: 500, body: { message: 'layer does not exist' } } })).toBeUndefined();
    expect(await ask({ server: '' })).toBeUndefined();
    const daemon = await fakeDockerDaemon({ distribution: 'hang' });
    onTestFinished(() => daemon.close());
    expect(await probeOverSocket(daemon.host.slice('unix://'.length), 200)).toBeUndefined();
  });
});
