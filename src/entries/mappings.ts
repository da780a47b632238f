import { eventMapping } from './event.js';
import { journalMapping } from './journal.js';
import type { EntryMapping } from './mapping.js';
import { todoMapping } from './todo.js';

/** The three kinds of entry, by API collection name. */
export const MAPPINGS = { events: eventMapping, todos: todoMapping, journals: journalMapping } as const;
export type AnyMapping = EntryMapping<object>;
