// A producer that acknowledges every tenth message without sending it: the matchers must catch it.
import type { CustomProducerFactory } from 'kafka-chaos-harness';
import { createProducer as realProducer } from './producer';

export const createProducer: CustomProducerFactory = async (bootstrap, settings) => {
  const real = await realProducer(bootstrap, settings);
  let sends = 0;
  return {
    connect: async () => {
      await real.connect?.();
    },
    send: (message) => (sends++ % 10 === 9 ? Promise.resolve({ partition: message.partition ?? 0, offset: null }) : real.send(message)),
    close: () => real.close(),
  };
};
