import { buildServer } from './helpers/start-command.js';

// Suites that start the server as a process run what `npm start` runs: dist/, built once here
// before any test file (a build while a test's server loads dist/ would pull files from under it).
export default function setup(): void {
  buildServer();
}
