import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '@parley/testing/platform';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`), headless, with nothing reaching out to the network. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Screenshots of each main page: CI keeps this directory as the run's artifacts. */
export const SCREENSHOTS = join(ROOT, 'dist', 'console-e2e', 'screenshots');

export function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/**
 * A page at a laptop's size that records every console error and uncaught exception: a test reads
 * `errors` at its end and fails when there are any.
 */
export async function openPage(browser: Browser, baseURL: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** A newcomer's first minute: signs up, creates `orgName`, and connects WhatsApp with the sandbox in one click. */
export async function signUpWithSandbox(
  page: Page,
  person: { name: string; email: string; password: string },
  orgName: string,
): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/welcome/);
  await page.getByLabel('Organization name').fill(orgName);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/settings\/whatsapp/);
  await page.getByRole('button', { name: 'Use the sandbox' }).click();
  await page.getByText('Connected to the sandbox').waitFor();
}
