/** A measured value's range over runs as a table cell: "7", "3–9", with "(n× none)" for runs without it; "-" when no run had it. */
export function span(values: ReadonlyArray<number | null>): string {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return '-';
  const missing = values.length - v.length;
  return `${v[0] === v[v.length - 1] ? v[0] : `${v[0]}–${v[v.length - 1]}`}${missing ? ` (${missing}× none)` : ''}`;
}
