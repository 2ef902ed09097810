/**
 * A port where the code states one. (Finding the app itself is each framework plugin's findEntrypoint,
 * in lib/frameworks/.)
 */

/**
 * A port in a `.run(…, port=N)` call (an app's own app.run, uvicorn.run): one pass over
 * the text, whatever it holds (a regex with `[^)]*` was quadratic on repeated `.run(`).
 */
export function portInCode(text: string): number | undefined {
  const tokens = /\.run[ \t]*\(|\)|\bport[ \t]*=[ \t]*(\d{1,5})\b/g;
  let open = false;
  for (let m = tokens.exec(text); m; m = tokens.exec(text)) {
    if (m[0] === ')') open = false;
    else if (m[1] === undefined) open = true;
    else if (open) return Number(m[1]);
  }
  return undefined;
}
