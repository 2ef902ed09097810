import { defineConfig } from 'vitest/config';

// Under CI, each npm script also writes a JSON report (.test-results/test.json, test:e2e.json)
// that .ci/run totals into one closing line.
const report = process.env.CI ? `.test-results/${process.env.npm_lifecycle_event ?? 'vitest'}.json` : undefined;

export default defineConfig({
  test: {
    reporters: report ? ['default', 'json'] : ['default'],
    outputFile: report ? { json: report } : undefined,
    // Runs ask Docker whether it can fetch the `# syntax=` frontend; tests of that turn it back on.
    env: { PYTHON_DOCKER_FRONTEND_PROBE: 'off' },
    // yeoman-environment changes process.cwd(); separate processes keep tests apart.
    pool: 'forks',
    projects: [
      {
        extends: true,
        // No run asks a package index about pinned requirements (the index-check tests serve their own).
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/generator/**/*.test.ts'],
          setupFiles: ['test/helpers/quiet-test-adapter.ts'],
          testTimeout: 120_000,
          // Nor checks whether the app's host port is free: parallel runs would find each other's probe, and a
          // developer's own app on port 8000 would change what the tests print (host-port.test.ts turns it on).
          env: { PYTHON_DOCKER_OFFLINE: '1', PYTHON_DOCKER_HOST_PORT_CHECK: 'off' },
        },
      },
      {
        extends: true,
        // Real image builds: one at a time (buildbox runs builds serially, on the host network).
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          env: { PYTHON_DOCKER_OFFLINE: '1' },
          // One file at a time, in one process (fileParallelism is not a per-project option).
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
