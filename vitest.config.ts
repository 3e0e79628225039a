import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The CLI tests spawn bin/privacy-ops, which runs the compiled dist/: build it once first.
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A person's own .env (README: "copy .env.example to .env") must not change what the tests
    // see: the entry points the tests start read no settings file (PRIVACY_OPS_ENV_FILE empty).
    env: { PRIVACY_OPS_ENV_FILE: '' },
  },
});
