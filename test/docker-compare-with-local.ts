/**
 * Side by side: scenario results on another backend (docker, external) against the local backend's
 * measured ranges (docs/measured/seed-repeat.json, `kchaos run seed --repeat 10`). Used by the
 * docker integration test to write its table; pure, so a unit test can check it.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface MeasuredScenario {
  name: string;
  runs: number;
  verdicts: { pass: number; fail: number; unknown: number };
  /** count → [min, median, max] */
  ranges: Record<string, [number, number, number]>;
}

export interface BackendResult {
  name: string;
  verdict: string;
  counts: Record<string, number>;
}

export const COMPARED_COUNTS = ['undelivered', 'lostAcked', 'duplicates', 'exposedSends', 'resends'] as const;

export function readMeasured(file = path.join(__dirname, '..', 'docs', 'measured', 'seed-repeat.json')): MeasuredScenario[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { scenarios: MeasuredScenario[] }).scenarios;
}

const range = (r: [number, number, number] | undefined) => (r ? (r[0] === r[2] ? `${r[0]}` : `${r[0]}–${r[2]}`) : '—');

/** Within the local min–max, or not measured there. */
export function inLocalRange(measured: MeasuredScenario | undefined, count: string, value: number): boolean | undefined {
  const r = measured?.ranges[count];
  return r ? value >= r[0] && value <= r[2] : undefined;
}

/** One markdown table: per scenario, local verdicts and ranges beside this backend's verdict and counts ("!" marks a count outside the local range). */
export function compareTable(backend: string, results: BackendResult[], measured: MeasuredScenario[]): string {
  const head = ['scenario', 'local passed', `${backend} verdict`, ...COMPARED_COUNTS.flatMap((c) => [`${c} local`, `${c} ${backend}`])];
  const rows = results.map((r) => {
    const m = measured.find((s) => s.name === r.name);
    const cells = COMPARED_COUNTS.flatMap((c) => {
      const inside = inLocalRange(m, c, r.counts[c]);
      return [range(m?.ranges[c]), `${r.counts[c]}${inside === false ? ' !' : ''}`];
    });
    return [r.name.replace(/^seed\//, ''), m ? `${m.verdicts.pass}/${m.runs}` : '—', r.verdict, ...cells];
  });
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
