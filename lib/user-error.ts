/**
 * A mistake the user can fix (bad option, bad answer, bad project file).
 * Front-ends print its message as one line and exit non-zero, never a stack.
 */
import { escapeControls, shown } from './terminal-text.js';

/** A value the user typed or a file holds, quoted for a message: escaped, and cut short when long. */
export function quoted(value: string, max = 80): string {
  return `"${shown(value, max)}"`;
}

export class UserError extends Error {
  /** yo exits with `error.code`; keep it numeric. */
  readonly code = 1;

  constructor(message: string) {
    // One line, whatever the values it quotes hold.
    super(escapeControls(message));
    this.name = 'UserError';
  }
}

/** `--port: "70000" is out of range; expected …` — the field first, then what is accepted. */
export function fieldError(option: string, message: string): UserError {
  return new UserError(`--${option}: ${message}`);
}
