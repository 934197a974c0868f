/** Link faults the harness injects through Toxiproxy (per broker's proxy, producer side only). */
export const LINK_FAULT_KINDS = ['refuse', 'blackhole'] as const;
export type LinkFaultKind = (typeof LINK_FAULT_KINDS)[number];

/** One fault of a scenario, as scenarios declare it and results.json shows it. */
export interface FaultSpec {
  kind: LinkFaultKind;
  /** A broker ("k1") or a role resolved when the scenario starts ("leaderOf(0)"). */
  target: string;
  /** ms after the scenario start (0: before the producer connects). @default 0 */
  atMs: number;
  /** ms after the scenario start; null heals when the workload ends, before verification. @default null */
  healAtMs: number | null;
}

const TARGET = /^(k[1-9]\d*|leaderOf\((\d+)\))$/;

/** Resolves "k2" or "leaderOf(1)" to a broker id, given the leaders at scenario start. */
export function resolveTarget(target: string, leaders: Record<number, number>): number {
  const match = TARGET.exec(target);
  if (!match) throw new Error(`fault target ${JSON.stringify(target)} is neither kN nor leaderOf(P)`);
  if (match[2] !== undefined) {
    const leader = leaders[Number(match[2])];
    if (leader === undefined) throw new Error(`fault target ${target}: partition ${match[2]} has no leader`);
    return leader;
  }
  return Number(target.slice(1));
}

export function isValidTarget(target: string): boolean {
  return TARGET.test(target);
}
