import fs from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * `npx tsx scripts/bench-ab-summary.ts --what TEXT --change TEXT --command TEXT --old A.json,… --new B.json,… --keys K,… --out FILE`:
 * one file for an A/B of bench runs (each side's bench.json from `npm run bench -- …`, run in
 * alternating order on one machine): every run's figures for the keys asked, and per side each
 * key's min and max. The README's A/B rows are read from such files.
 */

const USAGE = `usage: npx tsx scripts/bench-ab-summary.ts --what TEXT --change TEXT --command TEXT --old A.json[,…] --new B.json[,…] --keys KEY[,…] --out FILE
  --what     what was measured (one sentence)
  --change   what differs between the old and the new side
  --command  how each run was made (the bench command, the order of the runs)
  --old      the old side's bench.json files, in the order they ran
  --new      the new side's bench.json files, in the order they ran
  --keys     bench.json keys to keep (fullSpeed.loadAverage1m and measuredAt are always kept)
  --out      the file to write (e.g. docs/measured/full-speed-overhead-ab-<date>.json)`;

type BenchFile = Record<string, number | string>;

function fail(message: string): never {
  process.stderr.write(`bench-ab-summary: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function readBench(file: string): BenchFile {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BenchFile;
  } catch (error) {
    return fail(`--old/--new: cannot read ${file} as a bench.json (${(error as Error).message})`);
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      what: { type: 'string' }, change: { type: 'string' }, command: { type: 'string' },
      old: { type: 'string' }, new: { type: 'string' }, keys: { type: 'string' }, out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  for (const name of ['what', 'change', 'command', 'old', 'new', 'keys', 'out'] as const) if (!values[name]) fail(`--${name} is required`);
  const keys = values.keys!.split(',').filter(Boolean);
  const sides = { old: values.old!.split(',').filter(Boolean), new: values.new!.split(',').filter(Boolean) };
  const runs: Array<Record<string, number | string>> = [];
  const summary: Record<string, Record<string, { min: number; max: number }>> = {};
  for (const [side, files] of Object.entries(sides)) {
    summary[side] = {};
    files.forEach((file, i) => {
      const bench = readBench(file);
      const row: Record<string, number | string> = { side, run: i + 1 };
      for (const key of [...keys, 'fullSpeed.loadAverage1m', 'measuredAt']) {
        if (bench[key] === undefined) fail(`--keys: ${file} has no ${key}`);
        row[key] = bench[key];
      }
      runs.push(row);
      for (const key of keys) {
        const value = Number(bench[key]);
        const range = (summary[side][key] ??= { min: value, max: value });
        range.min = Math.min(range.min, value);
        range.max = Math.max(range.max, value);
      }
    });
  }
  const written = { what: values.what, command: values.command, change: values.change, runs, summary };
  fs.writeFileSync(values.out!, `${JSON.stringify(written, null, 2)}\n`);
  process.stdout.write(`written: ${values.out}\n`);
}

main();
