import type { Store } from '../store/types.js';
import { hashToken, newApiToken } from '../util/secrets.js';
import { isoTime, positional, table, type CommandArgs, type Out } from './common.js';
import { requireUser } from './users.js';

const DEFAULT_NAME = 'calcast CLI';
const MAX_NAME = 100; // as the JSON API (src/api/tokens.ts)

/** `tokens create <user> [--name <label>]`: prints the secret once; the store keeps its hash. */
export async function tokensCreate(store: Store, args: CommandArgs, out: Out): Promise<void> {
  const user = await requireUser(store, positional(args, 0));
  const name = (args.options.name ?? DEFAULT_NAME).trim();
  if (name.length === 0 || name.length > MAX_NAME) throw new Error(`a token name must be 1-${MAX_NAME} characters`);
  const secret = newApiToken();
  const token = await store.createToken(user.id, name, hashToken(secret));
  out(`created token ${token.id} "${token.name}" for "${user.username}"`);
  out(`token: ${secret}`);
  out('The token is shown once; keep it somewhere safe.');
}

/** `tokens list <user>` */
export async function tokensList(store: Store, args: CommandArgs, out: Out): Promise<void> {
  const user = await requireUser(store, positional(args, 0));
  const tokens = await store.listTokens(user.id);
  if (tokens.length === 0) {
    out(`"${user.username}" has no tokens`);
    return;
  }
  const rows = tokens.map((t) => [
    t.id, isoTime(t.createdAt), t.lastUsedAt === null ? 'never' : isoTime(t.lastUsedAt), t.name,
  ]);
  for (const line of table(['ID', 'CREATED', 'LAST USED', 'NAME'], rows)) out(line);
}

/** `tokens revoke <user> <token-id>` */
export async function tokensRevoke(store: Store, args: CommandArgs, out: Out): Promise<void> {
  const user = await requireUser(store, positional(args, 0));
  const id = positional(args, 1);
  if (!(await store.revokeToken(user.id, id))) throw new Error(`"${user.username}" has no token ${id}`);
  out(`revoked token ${id} of "${user.username}"`);
}
