import { kchaosMatchers } from './matchers';

// For jest's setupFilesAfterEnv (the preset lists it): registers the kafka-chaos-harness matchers.
expect.extend(kchaosMatchers);
