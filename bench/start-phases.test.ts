import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPhases } from './start-phases';

const at = (s: number, ms = 0) => `[2026-12-01 02:54:${String(s).padStart(2, '0')},${String(ms).padStart(3, '0')}]`;
const t0 = new Date(2026, 11, 1, 2, 54, 0, 0).getTime();

test('start phases: first or last broker to reach each mark, in ms after the start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchaos-phases-'));
  for (const id of [1, 2, 3]) {
    fs.writeFileSync(path.join(dir, `k${id}.log`), [
      `${at(id)} INFO Registered \`kafka:type=kafka.Log4jController\` MBean (kafka.utils.Log4jControllerRegistration$)`,
      `${at(4 + id)} INFO [RaftManager id=${id}] Reading KRaft snapshot and log as part of the initialization (x)`,
      ...(id === 2 ? [`${at(8, 500)} INFO [RaftManager id=2] Completed transition to Leader(localVoterNode=…) (x)`] : []),
      `${at(9 + id)} INFO [BrokerLifecycleManager id=${id}] Successfully registered broker ${id} with broker epoch 12 (x)`,
      `${at(13 + id)} INFO [BrokerLifecycleManager id=${id}] The broker has been unfenced. Transitioning from RECOVERY to RUNNING. (x)`,
      '',
    ].join('\n'));
  }
  expect(startPhases(dir, t0)).toEqual({ firstLogLine: 1000, lastFirstLogLine: 3000, raftInit: 7000, quorumLeader: 8500, registered: 12000, unfenced: 16000 });
  fs.rmSync(path.join(dir, 'k3.log'));
  expect(startPhases(dir, t0)).toBeUndefined(); // a broker's log missing: no phases rather than wrong ones
  fs.rmSync(dir, { recursive: true, force: true });
});
