import { spawnSync } from 'node:child_process';
import path from 'node:path';

// The CLI as users run it (the package's bin): each subcommand answers --help and -h with its own
// usage and exit 0; an unknown option is exit 2 naming that subcommand's usage.
const KCHAOS = path.resolve(__dirname, '../bin/kchaos.cjs');

function kchaos(args: string[]) {
  const run = spawnSync(process.execPath, [KCHAOS, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test.each([
  [['setup', '--help'], 'usage: kchaos setup'],
  [['cluster', 'up', '-h'], 'usage: kchaos cluster up'],
  [['cluster', 'down', '--help'], 'usage: kchaos cluster down'],
  [['run', '--help'], 'usage: kchaos run'],
  [['run', 'seed', '-h'], 'usage: kchaos run'],
  [['check', '-h'], 'usage: kchaos check'],
  [['baseline', 'save', '--help'], 'usage: kchaos baseline save'],
  [['gate', '-h'], 'usage: kchaos gate'],
  [['init', '--help'], 'usage: kchaos init'],
  [['report', '--help'], 'usage: kchaos report'],
  [['merge', '--help'], 'usage: kchaos merge'],
  [['docker', 'build-images', '-h'], 'usage: kchaos docker build-images'],
])('kchaos %j: its own usage on stdout, exit 0', (args, usage) => {
  const out = kchaos(args);
  expect({ code: out.code, first: out.stdout.split('\n')[0].slice(0, usage.length), stderr: out.stderr }).toEqual({ code: 0, first: usage, stderr: '' });
});

test.each([
  [['run', 'seed', '--bogus'], /kchaos run: Unknown option '--bogus'[\s\S]*usage: kchaos run /],
  [['cluster', 'up', '--nope'], /kchaos cluster up: Unknown option '--nope'[\s\S]*usage: kchaos cluster up /],
  [['setup', '--kafka'], /kchaos setup: Unknown option '--kafka'[\s\S]*usage: kchaos setup /],
  [['merge', 'runs/a', '--bogus'], /kchaos merge: Unknown option '--bogus'[\s\S]*usage: kchaos merge /],
  [['run', 'seed', '--shard', '3/2'], /kchaos: --shard 3\/2: i must be between 1 and 2\n\s+fix: give --shard i\/n/],
  [['run', 'seed', '--shard', 'half'], /kchaos: --shard "half" is not of the form i\/n\n\s+fix: give --shard i\/n/],
  [['run', 'seed', '--parallel', '0'], /kchaos: --parallel 0 is not a whole number from 1 to 16\n\s+fix: use e.g. --parallel 4/],
])('kchaos %j: exit 2, the error names the subcommand\'s usage', (args, message) => {
  const out = kchaos(args);
  expect(out.code).toBe(2);
  expect(out.stderr).toMatch(message);
  expect(out.stderr).not.toMatch(/\n\s+at /); // a usage error, not a stack trace
});

test('kchaos run --help documents --shard, and kchaos --help lists merge', () => {
  expect(kchaos(['run', '--help']).stdout).toMatch(/--shard i\/n\s+run only shard i of n/);
  expect(kchaos(['--help']).stdout).toMatch(/kchaos merge\s+merge the run folders of a sharded run/);
});

test('kchaos run --help documents --parallel: lanes, what runs alone, the default from the cores', () => {
  const out = kchaos(['run', '--help']).stdout;
  expect(out).toMatch(/--parallel N\s+scenarios at once on one cluster, each in a client lane of its own/);
  expect(out).toMatch(/process, replication-link, min-ISR, transaction and consumer scenarios\s+run alone/);
  expect(out).toMatch(/Default: 4 per core, at most 8 \(\d+ here\), of which\s+1 per core \(\d+ here\) may be starting or sending/);
});
