import { join } from 'node:path';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { storeContract } from './contract.js';

storeContract('SQLite', (dir, clock) => createSqliteStore(join(dir, 'store.sqlite'), clock));
