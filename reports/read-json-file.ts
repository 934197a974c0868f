import { readFileSync } from 'node:fs';
import { HarnessError } from '../harness/errors';

/**
 * Reads and parses a JSON file, or throws one HarnessError naming the file, what is wrong with
 * it and `hint` (what to do): the CLI prints that as its one line before exiting 2.
 */
export function readJsonFile(path: string, what: string, hint: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(err));
    throw new HarnessError(`cannot read ${what} ${path}: ${why}`, { cause: err, hint });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HarnessError(`${what} ${path} is not valid JSON (${(err as Error).message})`, { cause: err, hint });
  }
}
