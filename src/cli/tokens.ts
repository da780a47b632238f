import { DomainError } from '../calendar/errors.js';
import { isoTime, positional, table, type CliDeps, type CommandArgs, type Out } from './common.js';
import { requireUser } from './users.js';

const DEFAULT_NAME = 'calcast CLI';
const MAX_NAME = 100; // as the JSON API (src/api/tokens.ts)

/** `tokens create <user> [--name <label>]`: prints the secret once; the store keeps its hash. */
export async function tokensCreate({ store, service }: CliDeps, args: CommandArgs, out: Out): Promise<void> {
  const user = await requireUser(store, positional(args, 0));
  const name = (args.options.name ?? DEFAULT_NAME).trim();
  if (name.length === 0 || name.length > MAX_NAME) throw new Error(`a token name must be 1-${MAX_NAME} characters`);
  const { token, secret } = await service.createToken(user, name);
  out(`created token ${token.id} "${token.name}" for "${user.username}"`);
  out(`token: ${secret}`);
  out('The token is shown once; keep it somewhere safe.');
}

/** `tokens list <user>` */
export async function tokensList({ store }: CliDeps, args: CommandArgs, out: Out): Promise<void> {
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
export async function tokensRevoke({ store, service }: CliDeps, args: CommandArgs, out: Out): Promise<void> {
  const user = await requireUser(store, positional(args, 0));
  const id = positional(args, 1);
  await service.revokeToken(user, id).catch((err: unknown) => {
    throw err instanceof DomainError && err.kind === 'not-found' ? new Error(`"${user.username}" has no token ${id}`) : err;
  });
  out(`revoked token ${id} of "${user.username}"`);
}
