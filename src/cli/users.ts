import type { Store, User } from '../store/types.js';
import { newPassword } from '../util/secrets.js';
import { isoTime, positional, table, type CliDeps, type CommandArgs, type Out } from './common.js';

const MIN_PASSWORD = 8;
// The rule CALCAST_ADMIN_USER follows (src/config.ts): names appear in CalDAV paths.
const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

/** The given password after the length check, or a generated one that is printed once. */
function choosePassword(given: string | undefined): { password: string; generated: boolean } {
  if (given === undefined) return { password: newPassword(), generated: true };
  if (given.length < MIN_PASSWORD) throw new Error(`the password must be at least ${MIN_PASSWORD} characters`);
  return { password: given, generated: false };
}

function printGenerated(out: Out, password: string): void {
  out(`password: ${password}`);
  out('The password is shown once; keep it somewhere safe.');
}

/** The named user, or an error naming it. Shared with the token commands. */
export async function requireUser(store: Store, name: string): Promise<User> {
  const user = await store.getUserByName(name);
  if (!user) throw new Error(`no user named "${name}"`);
  return user;
}

/** `users add <name> [--password <pw>]` */
export async function usersAdd({ service }: CliDeps, args: CommandArgs, out: Out): Promise<void> {
  const name = positional(args, 0);
  if (!USERNAME.test(name)) throw new Error('a username must be 1-64 letters, digits or . _ @ -');
  const { password, generated } = choosePassword(args.options.password);
  const user = await service.createUser(name, password);
  out(`created user "${user.username}" (id ${user.id})`);
  if (generated) printGenerated(out, password);
}

/** `users passwd <name> [--password <pw>]` */
export async function usersPasswd({ store, service }: CliDeps, args: CommandArgs, out: Out): Promise<void> {
  const user = await requireUser(store, positional(args, 0));
  const { password, generated } = choosePassword(args.options.password);
  await service.setPassword(user, password);
  out(`changed the password of "${user.username}"`);
  if (generated) printGenerated(out, password);
}

/** `users list` */
export async function usersList({ store }: CliDeps, _args: CommandArgs, out: Out): Promise<void> {
  const users = await store.listUsers();
  if (users.length === 0) {
    out('no users');
    return;
  }
  const rows = users.map((u) => [String(u.id), u.username, isoTime(u.createdAt)]);
  for (const line of table(['ID', 'USERNAME', 'CREATED'], rows)) out(line);
}

/** `users email <name> <address|none>`: the user's calendar user address for CalDAV scheduling. */
export async function usersEmail({ store, service }: CliDeps, args: CommandArgs, out: Out): Promise<void> {
  const user = await requireUser(store, positional(args, 0));
  const given = positional(args, 1);
  const updated = await service.setEmail(user, given === 'none' ? null : given);
  out(updated.email ? `the e-mail of "${user.username}" is now ${updated.email}` : `cleared the e-mail of "${user.username}"`);
}
