/** pip: its signals and files; its builder stage (compilers only) is templates/dockerfile/builder-pip.ejs. */
import type { PackageManagerSpec } from './plugin.js';
import { join } from 'node:path';
import { REQUIREMENTS_CANDIDATES } from '../project/requirements.js';

/** `index-url` from a pip.conf's [global] or [install] section. */
function pipConfIndex(text: string | undefined): string | undefined {
  let section = '';
  let found: string | undefined;
  for (const line of (text ?? '').split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) section = header[1].trim();
    const value = /^\s*index[-_]url\s*[=:]\s*(\S+)/.exec(line)?.[1];
    if (value && (section === 'global' || section === 'install')) found = value;
  }
  return found;
}

export const pip: PackageManagerSpec = {
  id: 'pip',
  label: 'pip',
  dependencyFiles: [...REQUIREMENTS_CANDIDATES, 'pyproject.toml'],
  cacheDir: '/root/.cache/pip',
  compilesBytecode: "pip's default",
  declares: 'requirements.txt',
  installLabel: 'dependencies installed by pip',
  signal: (files, pyproject, claimed) => {
    const requirements = REQUIREMENTS_CANDIDATES.find((p) => files.has(p));
    if (requirements) return { source: requirements };
    if (pyproject && !claimed) return { source: 'pyproject.toml (no lock file: pip install .)' };
    return undefined;
  },
  installsProject: () => false,
  indexUrls: ({ env, home, config, readText }) => {
    const pipConfs = [env.PIP_CONFIG_FILE, join(config, 'pip', 'pip.conf'), join(home, '.pip', 'pip.conf')];
    pipConfs.push('/etc/pip.conf');
    const pipConf = pipConfs
      .filter((p): p is string => Boolean(p))
      .map((p) => ({ p, url: pipConfIndex(readText(p)) }))
      .find((c) => c.url);
    return [
      [env.PIP_INDEX_URL, 'PIP_INDEX_URL'],
      [pipConf?.url, pipConf?.p ?? 'pip.conf'],
    ];
  },
};
