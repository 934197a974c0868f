import fs from 'node:fs';
import path from 'node:path';
import { HarnessError } from './errors';

/** "seed/kafkajs/round-robin" → "seed__kafkajs__round-robin": one folder per scenario, no nesting surprises. */
export function scenarioSlug(name: string): string {
  return name.replace(/\//g, '__').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 150);
}

/**
 * A scenario's folder in the run (created here) and its files' paths relative to the run folder,
 * the way results.json's artifacts name them: every runner (producer, consumer, transactions) writes there.
 */
export function scenarioFolder(runDir: string, name: string): { slug: string; dir: string; file: (fileName: string) => string } {
  const slug = scenarioSlug(name);
  const dir = path.join(runDir, 'scenarios', slug);
  fs.mkdirSync(dir, { recursive: true });
  return { slug, dir, file: (fileName) => `scenarios/${slug}/${fileName}` };
}

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19)}-${process.pid}`;
}

/** Creates `outDir/<runId>/` and points `outDir/latest` at it; a folder we cannot write is one clear error. */
export function createRunFolder(outDir: string, runId: string): string {
  const runDir = path.resolve(outDir, runId);
  try {
    fs.mkdirSync(path.join(runDir, 'scenarios'), { recursive: true });
    fs.accessSync(runDir, fs.constants.W_OK);
  } catch (error) {
    throw new HarnessError(`cannot write the run folder ${runDir}: ${(error as Error).message}`, {
      hint: 'pass --out with a writable folder',
      cause: error,
    });
  }
  const latest = path.resolve(outDir, 'latest');
  try {
    fs.rmSync(latest, { force: true });
    fs.symlinkSync(runId, latest);
  } catch {
    /* a missing "latest" link is cosmetic */
  }
  return runDir;
}
