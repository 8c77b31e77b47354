// The dashboard built, served, and opened in headless Chromium for a test.

import { execFileSync } from 'node:child_process';
import puppeteer from 'puppeteer-core';
import { serve } from '../serve.mjs';

/**
 * Builds the dashboard, serves it on a free port and opens it in headless Chromium
 * (`$CHROMIUM`, or Debian's) against the node at `url`; resolves to `{ page, pageErrors, close }`,
 * `pageErrors` collecting what the page throws or logs as an error.
 */
export async function openDashboard (url, viewport) {
  execFileSync(process.execPath, [new URL('../build.mjs', import.meta.url).pathname], { stdio: 'inherit' });
  const server = await serve(0);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']
  });
  const page = await browser.newPage();
  if (viewport) await page.setViewport(viewport);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(`${error}`));
  page.on('console', (message) => { if (message.type() === 'error') pageErrors.push(message.text()); });
  await page.goto(`http://127.0.0.1:${server.address().port}/?rpc=${encodeURIComponent(url)}`);
  return {
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      server.close();
    }
  };
}
