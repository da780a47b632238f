import type { Calendar, Subscriber, SubscriberPatch } from '../store/types.js';
import { mintPersonalSubscriber, type MintInput } from '../subscribers/mint.js';
import { notFound } from './errors.js';
import type { ServiceDeps } from './service-deps.js';

/** The owner's subscriber commands, and minting a personal URL from the subscribe page or API. */
export function subscriberCommands(deps: ServiceDeps) {
  const { store } = deps;
  return {
    mintSubscriber: (calendar: Calendar, input: MintInput) => mintPersonalSubscriber(store, calendar, deps.baseUrl, input),
    async updateSubscriber(calendar: Calendar, id: string, patch: SubscriberPatch): Promise<Subscriber> {
      const updated = await store.updateSubscriber(calendar.id, id, patch);
      if (!updated) throw notFound('subscriber');
      return updated;
    },
    async deleteSubscriber(calendar: Calendar, id: string): Promise<void> {
      if (!(await store.deleteSubscriber(calendar.id, id))) throw notFound('subscriber');
    },
  };
}
