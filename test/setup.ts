import { afterAll, afterEach } from 'vitest';
import { killChildren } from './helpers/children.js';

// A failed or timed-out test may leave the processes it spawned running (a server it never got
// to stop, a client waiting on it): end them before the next test, and at the end of the file.
afterEach(({ task }) => {
  if (task.result?.state === 'fail') killChildren();
});
afterAll(killChildren);
