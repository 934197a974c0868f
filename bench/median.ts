/** The lower median: of an even count, the smaller of the two middle values (a conservative middle). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
