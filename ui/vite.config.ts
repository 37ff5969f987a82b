import { defineConfig } from "vitest/config";

// Relative base so the built index.html works from Tauri's embedded assets.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Tauri's CSP forbids inline scripts; keep everything as files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  oxc: {
    jsx: { runtime: "automatic" },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}", "scripts/**/*.test.mjs"],
    setupFiles: ["src/test/setup.ts"],
    // Above the 5 s async-utility timeout of setup.ts, so a slow wait fails with its own message.
    testTimeout: 20000,
  },
});
