/** Run commands as words, shared by the readers of Procfiles, Dockerfiles and Compose files. */

/** Shell-like words: quotes removed, no expansion. One pass, slicing (no per-character concatenation). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const SPACE = ' \t\r\n';
  let parts: string[] = [];
  let inWord = false;
  for (let i = 0; i < line.length; ) {
    const c = line[i];
    if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1);
      const stop = end < 0 ? line.length : end;
      parts.push(line.slice(i + 1, stop));
      inWord = true;
      i = stop + 1;
    } else if (SPACE.includes(c)) {
      if (inWord) words.push(parts.join(''));
      parts = [];
      inWord = false;
      i++;
    } else {
      let j = i;
      while (j < line.length && !SPACE.includes(line[j]) && line[j] !== '"' && line[j] !== "'") j++;
      parts.push(line.slice(i, j));
      inWord = true;
      i = j;
    }
  }
  if (inWord) words.push(parts.join(''));
  return words;
}

/** A command longer than this is not one a person wrote to start a server. */
export const MAX_COMMAND = 8_192;
