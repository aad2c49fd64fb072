// The setup most browser test files share: Chromium, a designer app, and a context signed in as the
// admin, made before the file's tests and closed after them.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ADMIN, startDesignerApp, type DesignerApp } from './app.ts';
import { launchChromium, newContext, signInContext } from './browser.ts';

export interface SignedIn {
  app: DesignerApp;
  browser: Browser;
  context: BrowserContext;
}

/** Registers this file's beforeAll/afterAll; `use` receives the session once it is up. */
export function signedInAsAdmin(use: (session: SignedIn) => void): void {
  let session: Partial<SignedIn> = {};
  beforeAll(async () => {
    // The browser first: without Chromium the file fails at once, before a server is started.
    const browser = await launchChromium();
    session = { browser };
    const app = await startDesignerApp();
    session.app = app;
    const context = await newContext(browser, app.url);
    await signInContext(context, ADMIN.email, ADMIN.password);
    use({ app, browser, context });
  }, 240_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.app?.stop();
  });
}
