import fs from 'node:fs';

/** The last `lines` lines of a log file, for error messages; empty when it does not exist. */
export function logTail(file: string, lines = 25): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
