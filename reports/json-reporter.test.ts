import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonReporter } from './json-reporter';
import { writeFileAtomic } from './write-file-atomic';
import { runResults, scenarioResult } from './testing/results-builder';

describe('json reporter', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kchaos-json-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes results.json with schemaVersion 1 first, and leaves no temp file', async () => {
    const results = runResults([scenarioResult({ name: 'a <b>' })]);
    await createJsonReporter().onRunEnd!(results, dir);
    const text = readFileSync(join(dir, 'results.json'), 'utf8');
    expect(text.startsWith('{\n  "schemaVersion": 1,')).toBe(true);
    expect(JSON.parse(text)).toEqual(results);
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('keeps the old file whole when the new write fails', () => {
    const path = join(dir, 'results.json');
    writeFileSync(path, 'old');
    // Not a string: the write throws after the temp file was opened.
    expect(() => writeFileAtomic(path, { toString: () => { throw new Error('boom'); } } as unknown as string)).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['results.json']);
  });
});
