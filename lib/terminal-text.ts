/**
 * Text from the project's files on its way to the terminal: control characters (escape
 * sequences, carriage returns, newlines) written as visible escapes, and the whole
 * shortened, so a file can neither drive the terminal nor flood it.
 */

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators and bidi overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/**
 * Control characters written as visible escapes (`\\n`, `\\e`, `\\u{7}`):
 * a value never breaks its line or drives the terminal.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** A value read from a file, for a message: one line, escaped, at most `max` characters. */
export function shown(value: string, max = 80): string {
  return shorten(escapeControls(value.slice(0, max * 4)), max);
}

/** A whole message line (warning, note) as printed: escaped, one line, at most `max` characters. */
export function oneLine(message: string, max = 1000): string {
  return shorten(escapeControls(message.slice(0, max * 4)), max);
}

/** Whether a name holds a character no generated file can carry (a control character or separator). */
export function hasControl(text: string): boolean {
  return new RegExp(CONTROL.source).test(text);
}
