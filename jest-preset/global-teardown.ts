import { PRESET_STATE_KEY, PresetState } from './global-setup';

/** jest globalTeardown of the preset: stops the cluster global setup started (never one it attached to). */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as unknown as Record<string, PresetState | undefined>;
  const state = holder[PRESET_STATE_KEY];
  if (!state) return;
  holder[PRESET_STATE_KEY] = undefined;
  try {
    state.removeShutdownHook?.();
    await state.started?.stop();
  } finally {
    for (const name of state.setEnv) delete process.env[name];
  }
}
