import type { Proxy } from 'toxiproxy-node-client';
import { LinkFaultKind } from './fault-spec';

/** A fault that can be switched on and off on one broker's proxy. */
export interface Fault {
  readonly kind: LinkFaultKind;
  inject(proxy: Proxy): Promise<void>;
  heal(proxy: Proxy): Promise<void>;
}

const setEnabled = (proxy: Proxy, enabled: boolean) =>
  proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });

const refuse: Fault = {
  kind: 'refuse',
  inject: async (proxy) => {
    await setEnabled(proxy, false);
  },
  heal: async (proxy) => {
    await setEnabled(proxy, true);
  },
};

const BLACKHOLE_TOXICS = ['blackhole-up', 'blackhole-down'] as const;

const blackhole: Fault = {
  kind: 'blackhole',
  inject: async (proxy) => {
    for (const name of BLACKHOLE_TOXICS) {
      await proxy.addToxic({
        name,
        type: 'timeout',
        stream: name.endsWith('up') ? 'upstream' : 'downstream',
        toxicity: 1,
        attributes: { timeout: 0 },
      });
    }
  },
  heal: async (proxy) => {
    for (const name of BLACKHOLE_TOXICS) {
      const toxic = await proxy.getToxic(name).catch(() => undefined);
      await toxic?.remove();
    }
  },
};

export const LINK_FAULTS: Record<LinkFaultKind, Fault> = { refuse, blackhole };
