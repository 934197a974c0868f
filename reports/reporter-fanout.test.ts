import { createReporterFanout } from './reporter-fanout';
import type { Reporter } from './reporter';
import { runResults, scenarioResult } from './testing/results-builder';
import { HarnessError } from '../harness/errors';

function recorder(name: string, calls: string[]): Reporter {
  return {
    name,
    onRunStart: () => void calls.push(`${name}:start`),
    onScenarioStart: (i) => void calls.push(`${name}:scenario ${i}`),
    onScenarioPhase: (_n, phase) => void calls.push(`${name}:${phase}`),
    onScenarioEnd: () => void calls.push(`${name}:end`),
    onRunEnd: async () => void calls.push(`${name}:runEnd`),
  };
}

describe('createReporterFanout', () => {
  const results = runResults([scenarioResult()]);

  it('calls every reporter, in order, for every hook', async () => {
    const calls: string[] = [];
    const fanout = createReporterFanout([recorder('a', calls), recorder('b', calls), { name: 'empty' }]);
    fanout.onRunStart({ runId: 'r', runDir: '/tmp/r', total: 1 });
    fanout.onScenarioStart(1, 1, 's');
    fanout.onScenarioPhase('s', 'producing');
    fanout.onScenarioEnd(results.scenarios[0], 1, 1);
    await fanout.onRunEnd(results, '/tmp/r');
    expect(calls).toEqual([
      'a:start', 'b:start', 'a:scenario 1', 'b:scenario 1', 'a:producing', 'b:producing', 'a:end', 'b:end', 'a:runEnd', 'b:runEnd',
    ]);
  });

  it('a throwing or rejecting reporter costs one warning line and stops nobody', async () => {
    const calls: string[] = [];
    const warnings: string[] = [];
    const broken: Reporter = {
      name: 'html',
      onRunStart: () => { throw new Error('boom'); },
      onScenarioEnd: (() => Promise.reject(new Error('async boom'))) as unknown as Reporter['onScenarioEnd'],
      onRunEnd: async () => { throw new HarnessError('disk full', { hint: 'free some space' }); },
    };
    const fanout = createReporterFanout([broken, recorder('junit', calls)], { warn: (l) => warnings.push(l) });
    fanout.onRunStart({ runId: 'r', runDir: '/tmp/r', total: 1 });
    fanout.onScenarioEnd(results.scenarios[0], 1, 1);
    await expect(fanout.onRunEnd(results, '/tmp/r')).resolves.toBeUndefined();
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['junit:start', 'junit:end', 'junit:runEnd']);
    expect([...warnings].sort()).toEqual([
      'reporter html failed: async boom',
      'reporter html failed: boom',
      'reporter html failed: disk full fix: free some space',
    ]);
  });

  it('writes the warning to stderr by default', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await createReporterFanout([{ name: 'html', onRunEnd: () => { throw new Error('x'); } }]).onRunEnd(results, '/tmp/r');
      expect(write).toHaveBeenCalledWith('reporter html failed: x\n');
    } finally {
      write.mockRestore();
    }
  });
});
