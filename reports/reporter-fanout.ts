import type { Reporter } from './reporter';

export interface FanoutOptions {
  /** Where a failing reporter's one-line notice goes. @default a write to process.stderr */
  warn?: (line: string) => void;
}

/** A Reporter that forwards to many; `reporters` is exposed for tests and the CLI. */
export interface FanoutReporter extends Required<Reporter> {
  readonly reporters: readonly Reporter[];
}

/**
 * Calls every reporter for every hook. A reporter that throws or rejects costs one stderr line
 * (`reporter html failed: …`) and nothing else: a broken HTML page must never turn a passing
 * run red nor stop the JUnit file CI needs from being written.
 */
export function createReporterFanout(reporters: readonly Reporter[], options: FanoutOptions = {}): FanoutReporter {
  const warn = options.warn ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const report = (reporter: Reporter, err: unknown): void => {
    try {
      warn(`reporter ${reporter.name} failed: ${oneLine(err)}`);
    } catch {
      // The warning channel itself failed; there is nowhere left to say so.
    }
  };

  // Sync hooks may still return a promise (a reporter written as async); catch its rejection
  // too, or Node would end the process on an unhandled rejection.
  const each = (call: (r: Reporter) => unknown): void => {
    for (const reporter of reporters) {
      try {
        const out = call(reporter);
        if (isThenable(out)) out.then(undefined, (err: unknown) => report(reporter, err));
      } catch (err) {
        report(reporter, err);
      }
    }
  };

  return {
    name: 'fanout',
    reporters,
    onRunStart: (info) => each((r) => r.onRunStart?.(info)),
    onScenarioStart: (index, total, name) => each((r) => r.onScenarioStart?.(index, total, name)),
    onScenarioPhase: (name, phase) => each((r) => r.onScenarioPhase?.(name, phase)),
    onScenarioEnd: (result, index, total) => each((r) => r.onScenarioEnd?.(result, index, total)),
    // In order, one after the other: output of the console reporter stays readable and files
    // are written in a predictable order. Never rejects.
    onRunEnd: async (results, runDir) => {
      for (const reporter of reporters) {
        try {
          await reporter.onRunEnd?.(results, runDir);
        } catch (err) {
          report(reporter, err);
        }
      }
    },
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Error → one line: HarnessError puts its hint on a second line, which would split the notice. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}
