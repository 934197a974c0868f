import { parseOwnedObjects, reapOrphanContainers } from './docker-reaper';

test('parses the list lines; a line without an owner pid is not ours', () => {
  expect(parseOwnedObjects('abc 123 456\ndef 77 \n\nxyz  \n')).toEqual([
    { id: 'abc', ownerPid: 123, ownerStartTicks: 456 },
    { id: 'def', ownerPid: 77, ownerStartTicks: null },
  ]);
});

test('removes containers (with volumes) and then networks of dead owners only', () => {
  const calls: string[][] = [];
  const run = (args: string[]) => {
    calls.push(args);
    if (args[0] === 'ps') return { ok: true, output: 'c-dead 100 1\nc-live 200 2\n' };
    if (args[0] === 'network' && args[1] === 'ls') return { ok: true, output: 'n-dead 100 1\nn-live 200 2\n' };
    return { ok: true, output: '' };
  };
  const reaped = reapOrphanContainers(() => {}, run, (o) => o.ownerPid === 100);
  expect(reaped).toEqual(['container c-dead', 'network n-dead']);
  expect(calls.filter((c) => c[0] === 'rm' || c[1] === 'rm')).toEqual([['rm', '-f', '-v', 'c-dead'], ['network', 'rm', 'n-dead']]);
});

test('no engine (the list fails): nothing removed, nothing else asked', () => {
  const calls: string[][] = [];
  expect(reapOrphanContainers(() => {}, (args) => { calls.push(args); return { ok: false, output: '' }; })).toEqual([]);
  expect(calls).toHaveLength(1);
});
