import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // real servers, real databases and child processes: generous, never relied upon for speed
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // two cores: more workers only contend
    maxWorkers: 2,
  },
});
