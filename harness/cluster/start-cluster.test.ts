import { HarnessError } from '../errors';
import { checkBackendOptions, chooseBackend, parseProxyMap } from './start-cluster';

const engine = (answers: boolean) => async () => answers;

test('backend choice: --backend, then KCHAOS_BACKEND, then external for --bootstrap, then docker if an engine answers, else local', async () => {
  expect(await chooseBackend({ backend: 'local' }, { KCHAOS_BACKEND: 'docker' }, engine(true))).toBe('local');
  expect(await chooseBackend({}, { KCHAOS_BACKEND: 'local' }, engine(true))).toBe('local');
  expect(await chooseBackend({ bootstrap: '127.0.0.1:19092' }, {}, engine(true))).toBe('external');
  expect(await chooseBackend({}, {}, engine(true))).toBe('docker');
  expect(await chooseBackend({}, {}, engine(false))).toBe('local');
  expect(await chooseBackend({ backend: 'docker' }, {}, engine(false))).toBe('docker'); // asked for: start-up says what is missing
});

test('--backend external without --bootstrap is a usage error naming the flag', () => {
  expect(() => checkBackendOptions({ backend: 'external' }, {})).toThrow(HarnessError);
  expect(() => checkBackendOptions({ backend: 'external' }, {})).toThrow(/--backend external needs --bootstrap/);
  expect(() => checkBackendOptions({}, { KCHAOS_BACKEND: 'external' })).toThrow(/--bootstrap/);
  expect(() => checkBackendOptions({ backend: 'external', bootstrap: '127.0.0.1:19092' }, {})).not.toThrow();
});

test('unknown backends and external-only flags elsewhere are refused', () => {
  expect(() => checkBackendOptions({ backend: 'kubernetes' as never }, {})).toThrow(/--backend "kubernetes" is not a backend[\s\S]*local, docker, external/);
  expect(() => checkBackendOptions({}, { KCHAOS_BACKEND: 'dockr' })).toThrow(/KCHAOS_BACKEND "dockr"/);
  expect(() => checkBackendOptions({ backend: 'local', bootstrap: '127.0.0.1:9092' }, {})).toThrow(/--bootstrap is only used with --backend external/);
  expect(() => checkBackendOptions({ backend: 'docker', toxiproxy: 'http://127.0.0.1:8474' }, {})).toThrow(/--toxiproxy is only used/);
});

test('--proxy-map 1=k1,2=k2,3=k3', () => {
  expect(parseProxyMap('1=k1,2=k2,3=k3')).toEqual({ 1: 'k1', 2: 'k2', 3: 'k3' });
  expect(parseProxyMap(' 1=kafka-a , 2=kafka-b ')).toEqual({ 1: 'kafka-a', 2: 'kafka-b' });
  expect(() => parseProxyMap('k1=1')).toThrow(/"k1=1" is not <broker id>=<proxy name>/);
});
