import { CONSUMER_DEBUG_ENV, consumerDebugContexts } from './copier-librdkafka';

test('the copier consumer debug contexts: unset or empty is off, a comma list passes through', () => {
  expect(consumerDebugContexts(undefined)).toBeUndefined();
  expect(consumerDebugContexts('')).toBeUndefined();
  expect(consumerDebugContexts('cgrp')).toBe('cgrp');
  expect(consumerDebugContexts('cgrp,protocol')).toBe('cgrp,protocol');
});

test('anything else is refused, naming the variable', () => {
  for (const bad of ['cgrp,', 'cgrp protocol', 'all;rm', ',cgrp']) expect(() => consumerDebugContexts(bad)).toThrow(CONSUMER_DEBUG_ENV);
});
