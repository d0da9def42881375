import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One test file per core. Vitest's default keeps a core free, which on a 2-core runner means
    // one file at a time, though most files spend their time waiting on loopback servers.
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: ["default"],
  },
});
