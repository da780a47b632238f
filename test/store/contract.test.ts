import { join } from 'node:path';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { noPostgres, openTestPostgresStore } from '../helpers/postgres.js';
import { storeContract } from './contract.js';

storeContract('SQLite', (dir, clock) => createSqliteStore(join(dir, 'store.sqlite'), clock));
if (!noPostgres('the store contract')) storeContract('PostgreSQL', (_dir, clock) => openTestPostgresStore(clock));
