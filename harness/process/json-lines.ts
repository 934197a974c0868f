import readline from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * A child's stdout read as JSON lines, the one shape of every child protocol here (producer,
 * consumer, copier, Java transactional driver): each line that parses to a JSON object goes to
 * `onMessage`; any other line (a library printing to stdout, a torn line) goes to `onOther`, so a
 * host can log it instead of failing on it. Blank lines are skipped.
 */
export function onJsonLines<T extends object>(stream: Readable, onMessage: (message: T) => void, onOther: (line: string) => void): readline.Interface {
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      onOther(line);
      return;
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) onOther(line);
    else onMessage(message as T);
  });
  return lines;
}
