import { COMMANDS, commandWords, GLOBAL_USAGE, helpText, parseCommandLine, usageOf, wantsHelp } from './cli-usage';

test.each([
  [['run', '--help'], /^usage: kchaos run <suite\|scenario\|file…> \[options\][\s\S]*--repeat N/],
  [['run', 'seed', '-h'], /^usage: kchaos run /],
  [['cluster', 'up', '--help'], /^usage: kchaos cluster up \[options\][\s\S]*--backend/],
  [['cluster', 'down', '-h'], /^usage: kchaos cluster down\n/],
  [['cluster', '--help'], /^usage: kchaos cluster up[\s\S]*usage: kchaos cluster down/],
  [['setup', '--help'], /^usage: kchaos setup \[--kafka-version V\]/],
  [['check', '-h'], /^usage: kchaos check --history FILE --observed FILE/],
  [['baseline', 'save', '--help'], /^usage: kchaos baseline save RESULTS --out FILE/],
  [['baseline', '--help'], /^usage: kchaos baseline save RESULTS --out FILE/],
  [['gate', '--help'], /^usage: kchaos gate --baseline FILE RESULTS/],
  [['help', 'run'], /^usage: kchaos run /],
  [['help', 'cluster', 'up'], /^usage: kchaos cluster up /],
])('kchaos %j prints that command\'s own usage', (argv, usage) => {
  expect(helpText(argv)).toMatch(usage);
});

test('the overview lists every command; unknown commands asking for help get it', () => {
  for (const argv of [[], ['--help'], ['-h'], ['help'], ['help', 'nope'], ['nope', '--help']]) expect(helpText(argv)).toBe(GLOBAL_USAGE);
  for (const name of Object.keys(COMMANDS)) expect(GLOBAL_USAGE).toContain(`kchaos ${name}`);
});

test('no help asked: undefined; a --help after -- is an operand, not a request', () => {
  expect(helpText(['run', 'seed'])).toBeUndefined();
  expect(helpText(['run', 'seed', '--', '--help'])).toBeUndefined();
  expect(wantsHelp(['--out', 'x', '-h'])).toBe(true);
  expect(wantsHelp(['--', '-h'])).toBe(false);
});

test('commandWords finds two-word commands', () => {
  expect(commandWords(['cluster', 'up', '--backend', 'local'])).toBe('cluster up');
  expect(commandWords(['cluster', 'sideways'])).toBe('cluster');
  expect(commandWords(['baseline', 'save', 'r.json'])).toBe('baseline save');
  expect(commandWords(['run', 'seed'])).toBe('run');
  expect(usageOf('nope')).toBeUndefined();
});

test('an unknown option is a usage error naming the command and its usage', () => {
  expect(() => parseCommandLine('run', ['seed', '--bogus'], { out: { type: 'string' } }, true)).toThrow(
    /^kchaos run: Unknown option '--bogus'[\s\S]*fix: usage: kchaos run <suite\|scenario\|file…> \[options\] \(kchaos run --help for every option\)/,
  );
  expect(() => parseCommandLine('cluster down', ['extra'], {})).toThrow(/kchaos cluster down: [\s\S]*usage: kchaos cluster down/);
  expect(parseCommandLine('setup', ['--kafka-version', '3.9.1'], { 'kafka-version': { type: 'string' } }).values['kafka-version']).toBe('3.9.1');
});

test("run's usage names every suite", async () => {
  const { SUITES } = await import('../scenarios/suites');
  const listed = /a suite \(([^)]*)\)/.exec(usageOf('run') ?? '')?.[1].split(', ');
  expect(listed?.sort()).toEqual(Object.keys(SUITES).sort());
});
