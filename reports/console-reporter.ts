import chalk from 'chalk';
import type { Reporter } from './reporter';
import type { ScenarioResult } from './results-types';
import { formatFailingExpectations, formatResultsTable, formatRunSummary } from './results-table';
import { formatConsumerTable } from '../harness/consumers/consumer-table';
import { formatTransactionTable } from './transaction-table';

export { formatResultsTable, formatFailingExpectations, formatRunSummary } from './results-table';

/** The part of a stream the reporter uses; process.stdout fits, and so does a test double. */
export interface ConsoleStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ConsoleReporterOptions {
  /** @default process.stdout */
  stream?: ConsoleStream;
  /** Read for NO_COLOR. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Progress rewritten in place and colours. @default stream.isTTY */
  isTTY?: boolean;
}

/** Clear the current terminal line and return to its start. */
const REWRITE_LINE = '\r\u001b[2K';

/**
 * Progress while the run goes, then the counts table and failing expectations.
 * On a TTY the progress line is rewritten in place; elsewhere (CI logs) each step is a plain
 * line, because `\r` tricks turn a log file into one unreadable line.
 * Colour only on a TTY and never when NO_COLOR is set (any value, even empty).
 */
export function createConsoleReporter(options: ConsoleReporterOptions = {}): Reporter {
  const stream = options.stream ?? process.stdout;
  const env = options.env ?? process.env;
  const tty = options.isTTY ?? Boolean(stream.isTTY);
  const color = tty && env.NO_COLOR === undefined;
  const c = new chalk.Instance({ level: color ? 1 : 0 });
  // Index per scenario name: onScenarioPhase carries only the name.
  const positions = new Map<string, { index: number; total: number }>();
  let pendingLine = false;

  const progress = (text: string): void => {
    if (tty) {
      // Truncated to the terminal width: a wrapped line cannot be rewritten by \r.
      const width = stream.columns && stream.columns > 10 ? stream.columns - 1 : undefined;
      stream.write(`${REWRITE_LINE}${width && text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      pendingLine = true;
    } else {
      stream.write(`${text}\n`);
    }
  };
  const println = (text: string): void => {
    stream.write(`${pendingLine ? REWRITE_LINE : ''}${text}\n`);
    pendingLine = false;
  };
  const prefix = (name: string): string => {
    const at = positions.get(name);
    return at ? `scenario ${at.index}/${at.total} ${name}` : `scenario ${name}`;
  };

  return {
    name: 'console',
    onRunStart: ({ runId, runDir, total }) => {
      println(`run ${runId}: ${total} scenario${total === 1 ? '' : 's'} → ${runDir}`);
    },
    onScenarioStart: (index, total, name) => {
      positions.set(name, { index, total });
      progress(`${prefix(name)} : starting`);
    },
    onScenarioPhase: (name, phase) => progress(`${prefix(name)} : ${phase}`),
    onScenarioEnd: (result: ScenarioResult, index, total) => {
      positions.set(result.name, { index, total });
      const verdict = result.verdict === 'pass' ? c.green('pass') : result.verdict === 'fail' ? c.red.bold('fail') : c.yellow('unknown');
      const seconds = Number.isFinite(result.durationMs) ? ` (${(result.durationMs / 1000).toFixed(1)}s)` : '';
      println(`${prefix(result.name)} : ${verdict}${seconds}`);
    },
    onRunEnd: (results, runDir) => {
      const failing = formatFailingExpectations(results.scenarios, { color });
      println('');
      println(formatResultsTable(results.scenarios, { color }));
      const consumers = formatConsumerTable(results.scenarios); // consumer scenarios: the consumer's own counts
      if (consumers) {
        println('');
        println(consumers);
      }
      const transactions = formatTransactionTable(results.scenarios); // transactional scenarios: committed/aborted and the anomalies
      if (transactions) {
        println('');
        println(transactions);
      }
      if (failing) {
        println('');
        println(failing);
      }
      println('');
      println(formatRunSummary(results, { color }));
      println(`run folder: ${runDir}`);
    },
  };
}
