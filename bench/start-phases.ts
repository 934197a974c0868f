import fs from 'node:fs';
import path from 'node:path';

/**
 * Where a local cluster's start went, read back from its broker logs (kN.log in the cluster's
 * folder): each mark is ms after the start began, taken over the three brokers (the first JVM to
 * reach it, or the last where the cluster needs all three).
 */
export interface StartPhases {
  /** First log line of the first / last broker: JVM up, main class and log4j loaded. */
  firstLogLine: number;
  lastFirstLogLine: number;
  /** Last broker's KRaft client initialising (its controller and shared server built). */
  raftInit: number;
  /** First "Completed transition to Leader": the controller quorum has a leader. */
  quorumLeader: number;
  /** Last broker registered with the controller. */
  registered: number;
  /** Last broker unfenced (RECOVERY → RUNNING). */
  unfenced: number;
}

const MARKS: Array<{ phase: keyof StartPhases; pattern: RegExp; over: 'first' | 'last' }> = [
  { phase: 'firstLogLine', pattern: /^\[/, over: 'first' },
  { phase: 'lastFirstLogLine', pattern: /^\[/, over: 'last' },
  { phase: 'raftInit', pattern: /Reading KRaft snapshot and log as part of the initialization/, over: 'last' },
  { phase: 'quorumLeader', pattern: /Completed transition to Leader/, over: 'first' },
  { phase: 'registered', pattern: /Successfully registered broker/, over: 'last' },
  { phase: 'unfenced', pattern: /The broker has been unfenced/, over: 'last' },
];

/** "[2026-12-01 02:54:07,129] INFO …" → epoch ms (log4j writes the machine's local time, as Date reads it). */
function lineTimeMs(line: string): number | undefined {
  const m = /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3})\]/.exec(line);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number);
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

/** The phases of the start that began at `startedAtMs` in `workDir`; undefined when a mark is missing from every log. */
export function startPhases(workDir: string, startedAtMs: number, brokerIds = [1, 2, 3]): StartPhases | undefined {
  const logs = brokerIds.map((id) => {
    try {
      return fs.readFileSync(path.join(workDir, `k${id}.log`), 'utf8').split('\n');
    } catch {
      return [];
    }
  });
  const phases: Partial<StartPhases> = {};
  for (const mark of MARKS) {
    const perBroker = logs.map((lines) => {
      const line = lines.find((l) => mark.pattern.test(l));
      return line === undefined ? undefined : lineTimeMs(line);
    });
    const times = perBroker.filter((t): t is number => t !== undefined);
    if (times.length === 0 || (mark.over === 'last' && times.length < brokerIds.length)) return undefined;
    phases[mark.phase] = (mark.over === 'first' ? Math.min(...times) : Math.max(...times)) - startedAtMs;
  }
  return phases as StartPhases;
}
