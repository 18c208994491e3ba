import { WardError } from '../../rules/runtime/errors';

/**
 * A small JSONC reader for ward.config.json: `//` and `/* *\/` comments and trailing commas are allowed, as in
 * tsconfig.json, so `ward init` can write a commented starting file. Comments inside strings (URLs such as
 * `https://...`) are kept, because the scanner tracks string state.
 */

/** The file is not valid JSON after comments are removed; `message` names the line. */
export class JsoncSyntaxError extends WardError {}

/** Removes comments and trailing commas, keeping line breaks so JSON errors point at the right line. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += next ?? '';
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i += 1;
    } else if (c === '"') {
      inString = true;
      out += c;
      i += 1;
    } else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (c === '/' && next === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] === '\n') out += '\n';
        i += 1;
      }
      i += 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return removeTrailingCommas(out);
}

function removeTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i += 1;
      } else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j += 1;
      if (text[j] === '}' || text[j] === ']') continue;
    }
    out += c;
  }
  return out;
}

/**
 * Parses JSON with comments.
 * @throws JsoncSyntaxError with the line of the problem when the text is not valid.
 */
export function parseJsonc(text: string, source = 'input'): unknown {
  const stripped = stripJsonComments(text);
  try {
    return JSON.parse(stripped);
  } catch (err) {
    const pos = /position (\d+)/.exec(err instanceof Error ? err.message : '');
    const line = pos ? stripped.slice(0, Number(pos[1])).split('\n').length : undefined;
    const where = line ? `${source}:${line}` : source;
    throw new JsoncSyntaxError(`${where}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, {
      cause: err,
    });
  }
}
