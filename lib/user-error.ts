/**
 * A mistake the user can fix (bad option, bad answer, bad project file).
 * Front-ends print its message as one line and exit non-zero, never a stack.
 */

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters written as escapes (`\n`, `\u001b`): a value in a message never breaks its line or drives the terminal. */
export const escapeControl = (text: string) =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A value the user typed or a file holds, quoted for a message: escaped, and cut short when long. */
export function quoted(value: string, max = 80): string {
  const text = escapeControl(value);
  return `"${text.length > max ? `${text.slice(0, max - 1)}…` : text}"`;
}

export class UserError extends Error {
  /** yo exits with `error.code`; keep it numeric. */
  readonly code = 1;

  constructor(message: string) {
    // One line, whatever the values it quotes hold.
    super(escapeControl(message));
    this.name = 'UserError';
  }
}

/** `--port: "70000" is out of range; expected …` — the field first, then what is accepted. */
export function fieldError(option: string, message: string): UserError {
  return new UserError(`--${option}: ${message}`);
}
