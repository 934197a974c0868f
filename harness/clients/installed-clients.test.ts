import { installHint, isClientInstalled } from './installed-clients';

const missing = () => {
  throw new Error('Cannot find module');
};

test('a required client is always installed; an optional one only when its package resolves', () => {
  expect(isClientInstalled('kafkajs', missing)).toBe(true);
  expect(isClientInstalled(undefined, missing)).toBe(true); // a team's own producer
  expect(isClientInstalled('confluent', missing)).toBe(false);
  expect(isClientInstalled('confluent', () => '/x/index.js')).toBe(true);
});

test('the hint names the package and how to build it here', () => {
  expect(installHint('confluent')).toBe('CKJS_LINKING=dynamic npm install @confluentinc/kafka-javascript');
});
