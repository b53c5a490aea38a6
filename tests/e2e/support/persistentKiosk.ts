import path from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { CAMERA_Y4M, ROOT, chromiumArgs } from './env.ts';

/** A browser profile kept on disk, per test and port, so IndexedDB survives a killed browser. */
export function profileDir(name: string): string {
  return path.join(ROOT, '.tmp', `${name}-profile-${process.env.E2E_PORT ?? '8799'}`);
}

/** The kiosk's browser on a persistent profile, with the suite's fake camera and flags. */
export function launchPersistent(profile: string, baseURL: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: chromiumArgs({ camera: CAMERA_Y4M }),
    baseURL,
    viewport: { width: 1280, height: 1024 },
  });
}

/** Console errors of a context a test launched itself (the suite's guard watches only its own). */
export function collectErrors(context: BrowserContext, allowed: RegExp): string[] {
  const errors: string[] = [];
  const watch = (page: Page) =>
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !allowed.test(msg.text())) errors.push(msg.text());
    });
  context.pages().forEach(watch);
  context.on('page', watch);
  return errors;
}
