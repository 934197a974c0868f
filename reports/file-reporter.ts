import { join } from 'node:path';
import type { Reporter } from './reporter';
import type { RunResults } from './results-types';
import { writeFileAtomic } from './write-file-atomic';

/** Writes `text` to `<runDir>/<fileName>` atomically (nothing half-written); returns the path. */
export function writeRunFile(runDir: string, fileName: string, text: string): string {
  const path = join(runDir, fileName);
  writeFileAtomic(path, text);
  return path;
}

/** A reporter whose whole job is one file, written into the run folder when the run ends. */
export function fileReporter(name: string, write: (results: RunResults, runDir: string) => string): Reporter {
  return {
    name,
    onRunEnd: (results, runDir) => {
      write(results, runDir);
    },
  };
}
