/**
 * DESIGN.md's deterministic leadership: partition p's replicas start at broker (p mod n) + 1,
 * so with three brokers partition 0 → [1,2,3], 1 → [2,3,1], 2 → [3,1,2].
 */
export function replicaAssignment(partitions: number, brokerIds: number[]): Array<{ partition: number; replicas: number[] }> {
  const n = brokerIds.length;
  return Array.from({ length: partitions }, (_, partition) => ({
    partition,
    replicas: Array.from({ length: n }, (_, i) => brokerIds[(partition + i) % n]),
  }));
}
