import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { describeWithBrowser, launchChromium } from '../browser.ts';

describeWithBrowser('headless Chromium for browser tests', () => {
  test('runs a page served on loopback and reports what its script computed', async () => {
    const server = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(
        '<p id="out"></p><script>document.getElementById("out").textContent = String(6 * 7);</script>',
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(await page.textContent('#out')).toBe('42');
    } finally {
      await browser.close();
      server.close();
    }
  });
});
