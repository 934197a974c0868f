import type { ConsumerEvent } from './consumer-events';
import { commitErrorIsUnknown } from './consumer-events';
import type { ConsumedRecord, LibraryOffsets, OffsetPosition, ProcessingMode } from './consumer-under-test';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The next offset of each partition in `records` (last offset + 1), in first-seen partition order. */
export function nextPositions(records: readonly ConsumedRecord[]): OffsetPosition[] {
  const next = new Map<number, number>();
  for (const r of records) next.set(r.partition, Math.max(next.get(r.partition) ?? 0, r.offset + 1));
  return [...next].map(([partition, offset]) => ({ partition, offset }));
}

/**
 * The application under the consumer, the same for every client: what it does with a batch the
 * library handed over, per processing mode (consumer-under-test.ts explains each). Every step is
 * reported as a ConsumerEvent. A failed application commit rejects (so the library redelivers, as
 * an app that throws would); in commit-before-processing the batch is then NOT processed.
 */
export function createApplication(mode: ProcessingMode, processingMs: number, emit: (event: ConsumerEvent) => void) {
  let nextCommitId = 0;

  const process = async (record: ConsumedRecord) => {
    emit({ e: 'process', phase: 'invoke', record });
    if (processingMs > 0) await sleep(processingMs);
    emit({ e: 'process', phase: 'ok', record });
  };

  const commit = async (offsets: LibraryOffsets, positions: OffsetPosition[]) => {
    const id = nextCommitId++;
    emit({ e: 'commit', phase: 'invoke', id, offsets: positions, auto: false });
    try {
      await offsets.commit(positions);
      emit({ e: 'commit', phase: 'ok', id, offsets: positions, auto: false });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      emit({ e: 'commit', phase: commitErrorIsUnknown(text) ? 'info' : 'fail', id, offsets: positions, auto: false, error: text });
      throw error;
    }
  };

  return async function handle(records: ConsumedRecord[], offsets: LibraryOffsets): Promise<void> {
    if (records.length === 0) return;
    switch (mode) {
      case 'auto-commit':
        for (const r of records) await process(r);
        return;
      case 'store-after-processing':
        for (const r of records) {
          await process(r);
          offsets.store(nextPositions([r]));
        }
        return;
      case 'commit-before-processing':
        await commit(offsets, nextPositions(records));
        for (const r of records) await process(r);
        return;
      case 'commit-after-processing':
        for (const r of records) {
          await process(r);
          await commit(offsets, nextPositions([r]));
        }
        return;
      case 'commit-per-batch':
        for (const r of records) await process(r);
        await commit(offsets, nextPositions(records));
        return;
    }
  };
}
