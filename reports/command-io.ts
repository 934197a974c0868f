import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT_USAGE_OR_SETUP, HarnessError } from '../harness/errors';

/** Where a command prints; `console` fits, and so does a test double. */
export type CommandOutput = Pick<Console, 'log' | 'error'>;

/** node:util parseArgs with its errors turned into usage HarnessErrors that show the usage line. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
  usage: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new HarnessError((err as Error).message, { hint: `usage: ${usage}` });
  }
}

/**
 * Runs a command body; a HarnessError (usage, unreadable or malformed file) becomes one line on
 * stderr and exit code 2. Other errors are bugs and are rethrown for the CLI to show in full.
 */
export function runCommand(out: CommandOutput, body: () => number): number {
  try {
    return body();
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    out.error(`error: ${err.message.replace(/\s*\n\s*fix:\s*/, '; fix: ').replace(/\s*\n\s*/g, ' ')}`);
    return EXIT_USAGE_OR_SETUP;
  }
}
