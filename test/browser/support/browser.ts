// Debian's Chromium driven by playwright-core. No browser is ever downloaded: when /usr/bin/chromium
// is missing the browser tests fail with a message saying how to install it.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export const VIEWPORT = { width: 1440, height: 900 };

/**
 * One headless Chromium. playwright's `launch` gives every browser a fresh temporary profile
 * (user-data-dir) and deletes it on close, so runs never share cookies or caches.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install chromium; CI installs it). ` +
        'They drive the real designer and are part of npm test, so they fail rather than skip.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A context at the screenshot size whose pages fail the test on uncaught errors in the app. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });
  // Generous: the whole suite shares a few cores; a wait ends as soon as the page is ready.
  context.setDefaultTimeout(30_000);
  return context;
}

/** Collects uncaught page errors so a test can assert the app never crashed. */
export function trackPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Signs in through the login form (typing only into its two fields). */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('topnav').waitFor();
}

/** Signs a context in over the API (shares the cookie jar with its pages): for tests not about the login form. */
export async function signInContext(context: BrowserContext, email: string, password: string): Promise<void> {
  const res = await context.request.post('/api/v1/auth/login', { data: { email, password } });
  if (!res.ok()) throw new Error(`sign-in as ${email} failed: ${res.status()} ${await res.text()}`);
}
