/**
 * Longest non-decreasing subsequence (not necessarily contiguous) by patience sorting, O(n log n).
 * The checker's `reordered` count is `values.length − length`: the fewest records to take out of a
 * partition so that the seqs left never decrease.
 */
export interface NonDecreasingResult {
  /** Length of a longest non-decreasing subsequence. */
  length: number;
  /** 1 for the records kept in one such subsequence, 0 for the records to take out. */
  kept: Uint8Array;
}

export function longestNonDecreasing(values: ArrayLike<number>): NonDecreasingResult {
  const n = values.length;
  const kept = new Uint8Array(n);
  if (n === 0) return { length: 0, kept };
  // Fast path: a partition read back in order (the normal case) needs no patience sort.
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = values[i - 1] <= values[i];
  if (sorted) return { length: n, kept: kept.fill(1) };
  // tails[k] = index of the smallest possible last value of a run of length k + 1.
  const tails = new Int32Array(n);
  const previous = new Int32Array(n);
  let length = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // Upper bound: first run whose tail is > v (equal tails extend, so duplicates are kept).
    let lo = 0;
    let hi = length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[tails[mid]] <= v) lo = mid + 1;
      else hi = mid;
    }
    previous[i] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = i;
    if (lo === length) length++;
  }
  for (let i = tails[length - 1]; i >= 0; i = previous[i]) kept[i] = 1;
  return { length, kept };
}
