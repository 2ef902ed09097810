/** Static checks of rendered Dockerfiles: dockerfile-ast, dockerfile-utils and tally. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { ValidationSeverity, validate, type ValidatorSettings } from 'dockerfile-utils';

export const repoRoot = new URL('../..', import.meta.url).pathname;
export const TALLY = join(repoRoot, '.tools', 'tally', 'bin', 'tally');

export function parseDockerfile(content: string): Dockerfile {
  return DockerfileParser.parse(content);
}

/** Every dockerfile-utils setting at error. */
const STRICT: Required<ValidatorSettings> = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

export function utilsDiagnostics(content: string): string[] {
  return validate(content, STRICT).map((d) => `${d.range.start.line + 1}: ${d.message}`);
}

/** Instruction keyword and raw arguments, in order. */
export function instructions(content: string): { keyword: string; args: string }[] {
  return parseDockerfile(content)
    .getInstructions()
    .map((i) => ({ keyword: i.getKeyword(), args: i.getArgumentsContent() ?? '' }));
}

/** The exec-form argv of CMD, or of HEALTHCHECK's CMD (parsed as the JSON it must be). */
export function execArgv(content: string, keyword: 'CMD' | 'HEALTHCHECK'): string[] | undefined {
  const found = instructions(content)
    .filter((i) => i.keyword === keyword)
    .at(-1);
  if (!found) return undefined;
  const json = keyword === 'CMD' ? found.args : found.args.slice(found.args.indexOf('CMD') + 3);
  return JSON.parse(json.replace(/\\\n/g, ' '));
}

export interface TallyFinding {
  file: string;
  rule: string;
  severity: string;
  message: string;
  line?: number;
}

/** tally over many Dockerfiles in one process, with the repository's tally.toml (every rule on). */
export function tallyFindings(files: Record<string, string>): TallyFinding[] {
  const dir = mkdtempSync(join(tmpdir(), 'tally-'));
  const paths = Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  });
  let out: string;
  try {
    out = execFileSync(
      TALLY,
      ['lint', '--no-color', '--format', 'json', '-c', join(repoRoot, 'tally.toml'), ...paths],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    if (e.status !== 1 || !e.stdout) throw new Error(`tally failed (${e.status}): ${e.stderr}`);
    out = e.stdout;
  }
  const report = JSON.parse(out) as {
    files: {
      file: string;
      violations: { rule: string; severity: string; message: string; location?: { start?: { line?: number } } }[];
    }[];
  };
  return report.files.flatMap((f) =>
    f.violations.map((v) => ({
      file: f.file,
      rule: v.rule,
      severity: v.severity,
      message: v.message,
      line: v.location?.start?.line,
    })),
  );
}

export const tallyAvailable = existsSync(TALLY);

/** The full text of each instruction with this keyword, flags included (dockerfile-ast keeps flags out of the arguments). */
export function instructionTexts(content: string, keyword: string): string[] {
  const lines = content.split('\n');
  return parseDockerfile(content)
    .getInstructions()
    .filter((i) => i.getKeyword() === keyword)
    .map((i) => lines.slice(i.getRange().start.line, i.getRange().end.line + 1).join('\n'));
}

export interface Stage {
  from: string;
  name?: string;
  /** Each instruction's keyword and full text (flags included). */
  instructions: { keyword: string; text: string }[];
}

/** The Dockerfile's stages in order, each with its instructions. */
export function stages(content: string): Stage[] {
  const lines = content.split('\n');
  const out: Stage[] = [];
  for (const instruction of parseDockerfile(content).getInstructions()) {
    const keyword = instruction.getKeyword();
    const text = lines.slice(instruction.getRange().start.line, instruction.getRange().end.line + 1).join('\n');
    if (keyword === 'FROM') {
      const args = (instruction.getArgumentsContent() ?? '').split(/\s+/);
      out.push({ from: args[0], name: args[2], instructions: [] });
    } else if (out.length) {
      out.at(-1)!.instructions.push({ keyword, text });
    }
  }
  return out;
}
