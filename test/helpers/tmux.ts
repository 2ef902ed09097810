/** tmux for the terminal tests: whether it is installed, and one call to it. */
import { execFileSync } from 'node:child_process';

export const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

export const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
