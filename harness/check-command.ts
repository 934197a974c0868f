import { HistoryChecker } from './checker/checker';
import { COUNT_NAMES, type CheckResult, type CountName, type ExpectationSpec } from './checker/check-types';
import { parseExpectations } from './checker/expectations';
import { EXIT_EXPECTATION_FAILED, EXIT_PASS, EXIT_USAGE_OR_SETUP, HarnessError } from './errors';
import { assertReadableFile, readHistory, readObserved } from './history/jsonl-files';
import { checkConsumerFiles, formatConsumerCheck } from './checker/consumer-check-files';
import type { ConsumerCheckResult } from './checker/consumer-check-types';

/**
 * `kchaos check --history H --observed O [--json] [--expect JSON]`: re-checks an archived scenario
 * offline (DESIGN.md, CLI). Exit 0 when the verdict is pass (no --expect: when the history holds at
 * least one send), 1 when it is fail or unknown, 2 on a usage or input error (one line printed).
 */

export const CHECK_USAGE =
  'usage: kchaos check --history FILE --observed FILE [--json] [--expect \'{"undelivered":0}\']';

/** How many offenders the human table names per anomaly kind. @default 5 */
export const EXAMPLES_SHOWN = 5;

interface CheckArgs {
  history: string;
  observed: string;
  json: boolean;
  expect?: ExpectationSpec;
}

/** Runs the command; `argv` is what follows `check`, `out` receives one line (or one JSON text) per call. */
export async function checkCommand(argv: string[], out: (line: string) => void): Promise<number> {
  let args: CheckArgs | 'help';
  try {
    args = parseArgs(argv);
    if (args === 'help') {
      out(CHECK_USAGE);
      return EXIT_PASS;
    }
    await assertReadableFile(args.history, 'history');
    await assertReadableFile(args.observed, 'observed');
  } catch (error) {
    out(oneLine(error));
    return EXIT_USAGE_OR_SETUP;
  }

  let result: CheckResult;
  let consumer: ConsumerCheckResult | undefined;
  try {
    result = await checkFiles(args.history, args.observed, args.expect);
    consumer = await checkConsumerFiles(args.history, args.observed); // a consumer scenario's history: its consumer counts too
  } catch (error) {
    out(oneLine(error));
    return EXIT_USAGE_OR_SETUP;
  }

  if (args.json) out(JSON.stringify(consumer ? { ...result, consumer } : result));
  else for (const line of [...formatResult(result, args), ...(consumer ? formatConsumerCheck(consumer) : [])]) out(line);
  return result.verdict === 'pass' ? EXIT_PASS : EXIT_EXPECTATION_FAILED;
}

/**
 * The offline re-check behind the command: streams an archived history.jsonl and observed.jsonl
 * through the validating readers into the checker. Throws HarnessError on an unreadable file or a
 * malformed line (naming file:line and the field); the checker's own errors give verdict unknown.
 */
export async function checkFiles(historyPath: string, observedPath: string, expect?: ExpectationSpec): Promise<CheckResult> {
  const checker = new HistoryChecker();
  for await (const op of readHistory(historyPath)) checker.addOp(op);
  for await (const record of readObserved(observedPath)) checker.addObserved(record);
  return checker.finish(expect);
}

function parseArgs(argv: readonly string[]): CheckArgs | 'help' {
  let history: string | undefined;
  let observed: string | undefined;
  let expectText: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--json') {
      json = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    if (name !== '--history' && name !== '--observed' && name !== '--expect') {
      throw new HarnessError(`unknown argument "${arg}"; ${CHECK_USAGE}`);
    }
    let value: string | undefined;
    if (eq > 0 && name !== arg) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined || value === '') throw new HarnessError(`${name} needs a value; ${CHECK_USAGE}`);
    if (name === '--history') history = value;
    else if (name === '--observed') observed = value;
    else expectText = value;
  }
  if (history === undefined) throw new HarnessError(`missing --history; ${CHECK_USAGE}`);
  if (observed === undefined) throw new HarnessError(`missing --observed; ${CHECK_USAGE}`);
  return { history, observed, json, expect: parseExpect(expectText) };
}

function parseExpect(text: string | undefined): ExpectationSpec | undefined {
  if (text === undefined) return undefined;
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new HarnessError(`--expect is not valid JSON (${(error as Error).message}); e.g. --expect '{"undelivered":0}'`);
  }
  parseExpectations(spec); // throws naming the bad field; the checker parses it again
  return spec as ExpectationSpec;
}

/** The short human table: counts (with a few offending seqs), latency, heals, expectations, verdict. */
export function formatResult(result: CheckResult, files?: { history: string; observed: string }): string[] {
  const lines: string[] = [];
  if (files) lines.push(`history ${files.history}   observed ${files.observed}`);
  if (result.error !== undefined) lines.push(`checker error: ${result.error}`);
  const width = Math.max(...COUNT_NAMES.map((n) => n.length));
  const digits = Math.max(...COUNT_NAMES.map((n) => String(result.counts[n]).length));
  for (const name of COUNT_NAMES) {
    const examples = examplesOf(result, name);
    const row = `  ${name.padEnd(width)}  ${String(result.counts[name]).padStart(digits)}`;
    lines.push(examples ? `${row}   e.g. ${examples}` : row);
  }
  const l = result.latencyMs;
  lines.push(`latency ms   p50 ${l.p50}   p95 ${l.p95}   p99 ${l.p99}   max ${l.max}`);
  if (result.timeToFirstAckAfterHealMs.length > 0) {
    const heals = result.timeToFirstAckAfterHealMs.map((ms) => (ms === null ? 'no ack' : `${ms} ms`));
    lines.push(`first ack after heal   ${heals.join(', ')}`);
  }
  for (const e of result.expectations) {
    lines.push(`expect ${e.count} ${e.op} ${e.value}   actual ${e.actual}   ${e.pass ? 'ok' : 'FAILED'}`);
  }
  if (result.verdict !== 'unknown' && result.counts.attempted === 0) {
    lines.push('no send was invoked in the history: nothing was tested, so the verdict cannot be pass');
  }
  lines.push(`verdict ${result.verdict}`);
  return lines;
}

function examplesOf(result: CheckResult, name: CountName): string {
  if (result.counts[name] === 0) return '';
  if (name === 'offsetMismatch') {
    const shown = result.anomalies.offsetMismatch.slice(0, EXAMPLES_SHOWN);
    return shown.map((m) => `seq ${m.seq} at ${m.partition}/${m.offset}`).join(', ');
  }
  if (!(name in result.anomalies)) return '';
  const seqs = result.anomalies[name as Exclude<keyof CheckResult['anomalies'], 'offsetMismatch'>];
  const shown = seqs.slice(0, EXAMPLES_SHOWN).join(', ');
  return shown && seqs.length > EXAMPLES_SHOWN ? `${shown}, …` : shown;
}

/** Errors end the command with one line: HarnessError's "fix:" hint joins the message. */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `kchaos check: ${message.replace(/\s*\n\s*/g, ' — ')}`;
}
