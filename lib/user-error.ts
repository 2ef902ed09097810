/**
 * A mistake the user can fix (bad option, bad answer, bad project file).
 * Front-ends print its message as one line and exit non-zero, never a stack.
 */
export class UserError extends Error {
  /** yo exits with `error.code`; keep it numeric. */
  readonly code = 1;

  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** `--port: "70000" is out of range; expected …` — the field first, then what is accepted. */
export function fieldError(option: string, message: string): UserError {
  return new UserError(`--${option}: ${message}`);
}
