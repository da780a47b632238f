import { defineConfig } from 'vitest/config';

// The HTTP suites a PostgreSQL-backed server must pass too: feeds, CalDAV, the JSON API, the
// write path and its name rules, the health probes and vdirsyncer. test/helpers/server.ts gives each server a fresh database when
// CALCAST_TEST_STORE=postgres.
const ON_POSTGRES = [
  'test/http/feeds*.test.ts',
  'test/http/feed-*.test.ts',
  'test/http/dav*.test.ts',
  'test/http/api-*.test.ts',
  'test/http/write-path.test.ts',
  'test/http/write-rules.test.ts',
  'test/http/health.test.ts',
  'test/interop/vdirsyncer.test.ts',
];

const postgres = Boolean(process.env.CALCAST_TEST_DATABASE_URL);
// Vitest evaluates this file again for each project that extends it: say it once per run.
const said = globalThis as { calcastSaidSkipped?: boolean };
if (!postgres && !said.calcastSaidSkipped) {
  said.calcastSaidSkipped = true;
  console.log(
    '\n  PostgreSQL projects SKIPPED: CALCAST_TEST_DATABASE_URL is not set, so the HTTP suites run on SQLite only\n' +
    '  (start a cluster with: eval "$(test/helpers/postgres-cluster.sh start)")\n',
  );
}

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Suites start real servers and external clients; keep the 2-core CI machine unsaturated.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      ...(postgres
        ? [{ extends: true, test: { name: 'postgres', include: ON_POSTGRES, env: { CALCAST_TEST_STORE: 'postgres' } } }]
        : []),
    ],
  },
});
