import type { Calendar, Mail } from '../store/types.js';
import { notFound } from './errors.js';
import type { ServiceDeps } from './service-deps.js';

/** The owner's one command on queued mail: send it again now (after an outage, or once dead). */
export function mailCommands(deps: ServiceDeps) {
  return {
    async resendMail(calendar: Calendar, id: string): Promise<Mail> {
      const mail = await deps.store.requeueMail(calendar.id, id, deps.clock.now());
      deps.notify();
      if (!mail) throw notFound('mail');
      return mail;
    },
  };
}
