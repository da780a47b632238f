import { StorePreconditionFailed, type User } from '../store/types.js';
import { notFound } from './errors.js';
import { staleError, type Expected } from './expected.js';
import type { ServiceDeps } from './service-deps.js';

/** A user's one command on their schedule inbox: remove a message they have handled (RFC 6638 §2.2). */
export function inboxCommands(deps: ServiceDeps) {
  return {
    async deleteInboxMessage(user: User, uri: string, expected?: Expected): Promise<void> {
      try {
        if (!(await deps.store.deleteInboxItem(user.id, uri, expected?.etag ?? undefined))) throw notFound('scheduling message');
      } catch (err) {
        if (err instanceof StorePreconditionFailed) throw staleError(expected!);
        throw err;
      }
    },
  };
}
