import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

// Two tiers, chosen by name; the folders under test/ mirror what they test (docs/testing.md). fast:
// what to run on every change, each test failing within 30 s rather than hanging. volume
// (*.volume.test.ts, beside the fast suite of the same thing): the runs over hundreds of thousands
// to millions of records, and soaks.
export default defineConfig({
  test: {
    reporters: ["default"],
    // A worker per core: vitest's default keeps one core for itself (one worker on two cores), but its
    // own process is mostly idle while the tests run, and many tests wait on child processes and sockets.
    maxWorkers: availableParallelism(),
    projects: [
      {
        extends: true,
        test: {
          name: "fast",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/**/*.volume.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "volume",
          include: ["test/**/*.volume.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
