/**
 * Django's release steps: `migrate` and `collectstatic`. Static files are collected at build only when
 * the settings show it is safe: STATIC_ROOT set, and importable with no environment beyond a throwaway
 * SECRET_KEY. Also warns of settings that are wrong in a container. Reads files; runs nothing.
 */
import type { Answers } from '../answers.js';
import { entrypointFile } from '../project/modules.js';
import { findManagePy, manageRoot, settingsFiles } from './django-settings.js';
import type { ProjectTree } from '../project/project-tree.js';
import type { ReleaseSteps } from '../release-steps.js';
import { shown } from '../terminal-text.js';

/**
 * A settings module's file: `config.settings.production` → config/settings/production.py
 * (or its package's __init__.py).
 */
function moduleFile(tree: ProjectTree, base: string, module: string): string | undefined {
  const path = base + module.replace(/\./g, '/');
  return [`${path}.py`, `${path}/__init__.py`].find((f) => tree.has(f));
}

/** The settings module the server loads: the one the WSGI/ASGI file names, else manage.py's. */
function serverSettingsModule(tree: ProjectTree, managePy: string, entrypoint: string): string | undefined {
  const names = (file: string | undefined) =>
    /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/.exec((file && tree.read(file)) || '')?.[1];
  return names(entrypointFile(tree, entrypoint, 'django')) ?? names(managePy);
}

/**
 * The settings lines the server runs, in order: its settings module with every `from .base import *`
 * (relative or absolute) expanded where it stands. A development module beside it (local.py) is not read.
 */
function loadedSettingsLines(
  tree: ProjectTree,
  managePy: string,
  entrypoint: string,
): { file: string; line: string }[] {
  const base = manageRoot(managePy);
  const module = serverSettingsModule(tree, managePy, entrypoint);
  const out: { file: string; line: string }[] = [];
  const seen = new Set<string>();
  const visit = (module: string) => {
    const file = moduleFile(tree, base, module);
    if (!file || seen.has(file)) return;
    seen.add(file);
    const pkg = file.endsWith('/__init__.py') ? module : module.split('.').slice(0, -1).join('.');
    for (const line of (tree.read(file) ?? '').split('\n')) {
      const star = /^from\s+(\.*)([\w.]*)\s+import\s+\*/.exec(line);
      if (star) {
        const up = pkg.split('.').slice(0, Math.max(0, pkg.split('.').length - (star[1].length - 1)));
        visit(star[1] ? [...up, star[2]].filter(Boolean).join('.') : star[2]);
      } else out.push({ file, line });
    }
  };
  if (module) visit(module);
  return out;
}

/** Settings a container must not hard-code, and how to read them from the environment instead: the value that wins. */
function settingsWarnings(lines: { file: string; line: string }[]): string[] {
  const warnings: string[] = [];
  const last = (name: string) => lines.filter(({ line }) => new RegExp(`^${name}\\s*=`).test(line)).at(-1);
  const debug = last('DEBUG');
  if (debug && /^DEBUG\s*=\s*True\b/.test(debug.line)) {
    warnings.push(
      `${debug.file} sets DEBUG = True: the image would show Django's debug pages (settings, tracebacks) to anyone; ` +
        'read it from the environment: DEBUG = os.environ.get("DJANGO_DEBUG") == "1"',
    );
  }
  const hosts = last('ALLOWED_HOSTS');
  if (hosts && /^ALLOWED_HOSTS\s*=\s*\[\s*\]/.test(hosts.line)) {
    warnings.push(
      `${hosts.file} sets ALLOWED_HOSTS = []: with DEBUG off Django answers 400 to every request; ` +
        'read it from the environment: ' +
        'ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(","), ' +
        'and set DJANGO_ALLOWED_HOSTS where it runs',
    );
  }
  return warnings;
}

/** Environment variables the settings cannot load without (a KeyError or ImproperlyConfigured at import). */
function requiredEnvironment(text: string): Set<string> {
  const vars = new Set<string>();
  const add = (re: RegExp, ok: (m: RegExpMatchArray) => boolean = () => true) => {
    for (const m of text.matchAll(re)) if (ok(m)) vars.add(m[1]);
  };
  // os.environ["X"], read (not assigned).
  add(/\benviron\[\s*['"](\w+)['"]\s*\](?!\s*=[^=])/g);
  // os.getenv("X").split(…) or int(os.environ.get("X")): None where a string is needed.
  add(/\b(?:getenv|environ\.get)\(\s*['"](\w+)['"]\s*\)\s*\./g);
  add(/\b(?:int|float|bool|json\.loads)\(\s*os\.(?:getenv|environ\.get)\(\s*['"](\w+)['"]\s*\)\s*\)/g);
  // django-environ's env("X") / env.str("X") and python-decouple's config("X"), without a default.
  if (/^\s*(?:import environ|from environ import)/m.test(text)) {
    add(/\benv(?:\.\w+)?\(\s*['"](\w+)['"]([^)\n]*)\)/g, (m) => !/default\s*=/.test(m[2]));
    if (/\benv\.db(?:_url)?\(\s*\)/.test(text)) vars.add('DATABASE_URL');
  }
  if (/^\s*from decouple import/m.test(text))
    add(/\bconfig\(\s*['"](\w+)['"]([^)\n]*)\)/g, (m) => !/default\s*=/.test(m[2]));
  return vars;
}

/** Collect static files at build, or say why not. */
type StaticSteps = Pick<ReleaseSteps, 'collectStatic' | 'noCollectStatic' | 'staticRoot'>;

function collectStatic(files: { file: string; text: string }[]): StaticSteps {
  if (!files.length) return { noCollectStatic: 'the settings module manage.py names was not found' };
  const all = files.map((f) => f.text).join('\n');
  const where = files.map((f) => f.file).join(', ');
  if (!all.includes('django.contrib.staticfiles'))
    return { noCollectStatic: `django.contrib.staticfiles is not in INSTALLED_APPS (${where})` };
  const root = /^STATIC_ROOT\s*=\s*(.+)$/m.exec(all)?.[1].trim();
  if (!root || root === 'None')
    return { noCollectStatic: `STATIC_ROOT is not set (${where}), so Django has nowhere to collect them to` };
  if (/^['"]\/(?!app\/)/.test(root)) {
    return {
      noCollectStatic: `STATIC_ROOT is ${shown(root)}, outside the app's folder, where the app user cannot write`,
    };
  }
  const set = { staticRoot: true } as const;
  if (/\bopen\(|\.read_text\(/.test(all)) {
    return { ...set, noCollectStatic: `the settings read a file when they load (${where})` };
  }
  const secretLine = /^SECRET_KEY\s*=(.*)$/m.exec(all)?.[1] ?? '';
  const secretKeyVar = /\b(?:environ|getenv|env|config)\b/.test(secretLine)
    ? /['"](\w+)['"]/.exec(secretLine)?.[1]
    : undefined;
  const needed = [...requiredEnvironment(all)].filter((v) => v !== secretKeyVar).sort();
  if (needed.length) {
    const need = `the settings need ${needed.join(', ')} from the environment to load (${where})`;
    return { ...set, noCollectStatic: `${need}, which the build does not have` };
  }
  return { ...set, collectStatic: secretKeyVar ? { secretKeyVar } : {} };
}

export function djangoReleaseSteps(tree: ProjectTree, answers: Answers, sourceRoot: string | undefined): ReleaseSteps {
  const managePy = findManagePy(tree, sourceRoot);
  if (!managePy) return { noCollectStatic: 'there is no manage.py' };
  const files = settingsFiles(tree, managePy).flatMap((file) => {
    const text = tree.read(file);
    return text === undefined ? [] : [{ file, text }];
  });
  const warnings = settingsWarnings(loadedSettingsLines(tree, managePy, answers.entrypoint));
  return { managePy, ...collectStatic(files), ...(warnings.length ? { warnings } : {}) };
}
