import { HarnessError } from '../errors';

/** What happens to the copier's own process mid-copy (the link and broker faults are the scenario's `faults`). */
export const COPIER_PROCESS_FAULTS = ['none', 'kill', 'zombie'] as const;
export type CopierProcessFault = (typeof COPIER_PROCESS_FAULTS)[number];

/**
 * A consume-transform-produce scenario (scenario.transactions.copier): the harness fills an input
 * topic, a copier child process copies it to an output topic in transactions that also carry the
 * consumer's offsets, and the output read_committed must hold every input record exactly once.
 */
export interface CopierSettings {
  /** Records the harness writes to the input topic first (non-transactional, every one acked). @default 600 */
  records: number;
  /** Records per transaction (the copier commits every this many). @default 10 */
  commitEvery: number;
  /** The copier's pause between transactions, so a 3 s fault meets a copy in progress. @default 50 */
  pauseMs: number;
  /**
   * kill: SIGKILL the copier at processFaultAtMs and start a new one with the same transactional.id;
   * zombie: SIGSTOP it, start a new one, and once the new one has initialised (fenced the old
   * epoch) SIGCONT the old one: its late transactional calls must be rejected. @default 'none'
   */
  processFault: CopierProcessFault;
  /** ms after the first copier is ready. @default 1500 */
  processFaultAtMs: number;
  /** The application's patience for the whole copy (its deadline, named here); past it the copy is stopped and checked as it stands. @default 120000 */
  copyDeadlineMs: number;
  /** Copier processes started in all (restarts after a failure or the process fault included). @default 8 */
  maxIncarnations: number;
}

export const DEFAULT_COPIER_SETTINGS: CopierSettings = {
  records: 600,
  commitEvery: 10,
  pauseMs: 50,
  processFault: 'none',
  processFaultAtMs: 1_500,
  copyDeadlineMs: 120_000,
  maxIncarnations: 8,
};

function fail(where: string, problem: string, fix: string): never {
  throw new HarnessError(`${where}: ${problem}`, { hint: fix });
}

/** `transactions.copier`, checked (one error naming the field) with the defaults applied. */
export function checkCopierSettings(where: string, input: unknown): CopierSettings {
  if (!input || typeof input !== 'object' || Array.isArray(input)) fail(where, 'is not an object', 'give e.g. { records: 600, commitEvery: 10 }');
  const settings = { ...DEFAULT_COPIER_SETTINGS, ...(input as Partial<CopierSettings>) };
  for (const key of Object.keys(settings)) {
    if (!(key in DEFAULT_COPIER_SETTINGS)) fail(`${where}.${key}`, 'unknown field', `known fields: ${Object.keys(DEFAULT_COPIER_SETTINGS).join(', ')}`);
  }
  for (const key of ['records', 'commitEvery', 'copyDeadlineMs', 'maxIncarnations'] as const) {
    const value = settings[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) fail(`${where}.${key}`, `${JSON.stringify(value)} is not a positive integer`, 'give e.g. 10');
  }
  for (const key of ['pauseMs', 'processFaultAtMs'] as const) {
    if (typeof settings[key] !== 'number' || !(settings[key] >= 0)) fail(`${where}.${key}`, `${JSON.stringify(settings[key])} is not a non-negative number`, 'give e.g. 1500');
  }
  if (!(COPIER_PROCESS_FAULTS as readonly string[]).includes(settings.processFault)) {
    fail(`${where}.processFault`, `${JSON.stringify(settings.processFault)} is not a copier process fault`, `use one of ${COPIER_PROCESS_FAULTS.join(', ')}`);
  }
  return settings;
}
