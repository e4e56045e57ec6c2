import { configDefaults, defineConfig } from "vitest/config";

// Two tiers, chosen by folder. fast: what to run on every change, each test failing within 30 s
// rather than hanging. volume: the runs over hundreds of thousands to millions of records, and soaks.
export default defineConfig({
  test: {
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "fast",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/volume/**"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "volume",
          include: ["test/volume/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
