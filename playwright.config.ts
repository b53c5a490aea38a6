import { defineConfig } from '@playwright/test';
import { E2E_PORT, E2E_DATA_DIR, CAMERA_Y4M, chromiumArgs } from './tests/e2e/support/env.ts';

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/support/globalSetup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    viewport: { width: 1280, height: 1024 },
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    trace: 'off',
  },
  projects: [
    {
      name: 'kiosk',
      testIgnore: /camera-denied/,
      use: {
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: chromiumArgs({ camera: CAMERA_Y4M }),
        },
      },
    },
    {
      name: 'camera-denied',
      testMatch: /camera-denied/,
      use: {
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: chromiumArgs({ camera: 'deny' }),
        },
      },
    },
  ],
  webServer: {
    command: `rm -rf ${E2E_DATA_DIR} && node --import tsx sync-server/src/main.ts`,
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    reuseExistingServer: false,
    // The server opens its store before it answers: PGlite needs seconds on a new data dir, far
    // more on a busy machine (env override).
    timeout: Number(process.env.E2E_SERVER_TIMEOUT_MS ?? 180_000),
    env: {
      PORT: String(E2E_PORT),
      DATA_DIR: E2E_DATA_DIR,
      DIST_DIR: process.env.KIOSK_OUT_DIR ?? 'dist',
      POS_TOKEN: 'e2e-token',
      ADMIN_TOKEN: 'e2e-admin',
      DEMO: '1',
      LOG: 'off',
    },
  },
});
