import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAccessToken } from '@taskrouter/core';
import type { Browser, Page } from 'playwright-core';
import TaskRouter from 'twilio-taskrouter';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeWithBrowser, launchChromium } from '../../../scripts/browser.js';
import { cli, clientOf, seedEscalation, startCli } from './cli-process.js';

const accountSid = `AC${'f'.repeat(32)}`;
const authToken = 'dashboard-token';
const authorization = `Basic ${btoa(`${accountSid}:${authToken}`)}`;
const apiKeySid = `SK${'d'.repeat(32)}`;
const apiKeySecret = 'dashboard-key-secret';
/**
 * The docs site shows this screenshot (docs/dev-server.md). `UPDATE_SCREENSHOTS=1` writes it there;
 * other runs write a scratch copy, so a test run leaves the tree as it was.
 */
const scratch = mkdtempSync(join(tmpdir(), 'taskrouter-dashboard-'));
const screenshot =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../../docs/images/dev-server-dashboard.png', import.meta.url))
    : join(scratch, 'dashboard.png');

/** A new page of `browser` at the dashboard of the server at `url`, signed in with `httpCredentials`. */
async function openDashboard(
  browser: Browser,
  url: string,
  httpCredentials: { username: string; password: string },
  viewport?: { width: number; height: number },
): Promise<Page> {
  const context = await browser.newContext({ httpCredentials, ...(viewport ? { viewport } : {}) });
  const page = await context.newPage();
  await page.goto(`${url}/__emulator/ui`);
  return page;
}

describeWithBrowser('the dashboard at /__emulator/ui', () => {
  let server: Awaited<ReturnType<typeof startCli>>;

  beforeAll(async () => {
    if (!existsSync(cli))
      throw new Error('dist/cli.js is missing: run `pnpm --filter @taskrouter/testing-mocks build`');
    server = await startCli([
      '--account-sid',
      accountSid,
      '--auth-token',
      authToken,
      '--api-key-sid',
      apiKeySid,
      '--api-key-secret',
      apiKeySecret,
      '--clock',
      'virtual',
    ]);
  }, 30_000);
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    expect(await server?.stop()).toBe(0);
  });

  test('shows a task created over REST within a second, and its escalation after the clock is advanced from the page', async () => {
    const client = clientOf(server.url, authorization);
    const { workspaceSid, tier1, tier2, workflowSid, workers } = await seedEscalation(client, 120, [
      { FriendlyName: 'Alice', Attributes: { tier: 1 } },
      { FriendlyName: 'Bob', Attributes: { tier: 2 } },
    ]);
    const bob = workers.find((worker) => worker.friendly_name === 'Bob')!;
    const activities = await client.api('GET', `/v1/Workspaces/${workspaceSid}/Activities`);
    const available = (activities.body.activities as { sid: string; available: boolean }[]).find(
      (item) => item.available,
    )!;
    await client.api('POST', `/v1/Workspaces/${workspaceSid}/Workers/${bob.sid}`, {
      ActivitySid: available.sid,
    });

    const browser = await launchChromium();
    try {
      const page = await openDashboard(
        browser,
        server.url,
        { username: accountSid, password: authToken },
        { width: 1100, height: 760 },
      );
      await page.locator('#stream-state', { hasText: 'live' }).waitFor();
      await page.locator(`[data-queue-sid="${tier1}"]`).waitFor();

      const { body: task } = await client.api('POST', `/v1/Workspaces/${workspaceSid}/Tasks`, {
        WorkflowSid: workflowSid,
        Attributes: JSON.stringify({ type: 'support', customer: 'ACME' }),
      });
      // Within a second of its creation, the page shows the task waiting in the first queue.
      await page
        .locator(`[data-queue-sid="${tier1}"] [data-task-sid="${task.sid}"]`)
        .waitFor({ timeout: 1000 });
      await page.locator('#events [data-event-type="task.created"]').first().waitFor({ timeout: 1000 });

      await page.fill('#advance-seconds', '120');
      await page.click('#advance');
      await page
        .locator(`[data-queue-sid="${tier2}"] [data-task-sid="${task.sid}"]`)
        .waitFor({ timeout: 5000 });
      await page.locator('#events [data-event-type="task-queue.timeout"]').first().waitFor({ timeout: 5000 });
      expect(await page.locator(`[data-queue-sid="${tier1}"] [data-task-sid]`).count()).toBe(0);
      // Bob, available in the second queue, is offered the task.
      await page.locator(`[data-worker-sid="${bob.sid}"] [data-reservation-sid]`).waitFor({ timeout: 5000 });
      expect(await page.textContent(`[data-worker-sid="${bob.sid}"]`)).toContain(
        `pending: task ${task.sid.slice(0, 10)}`,
      );
      const clock = await (
        await fetch(`${server.url}/__emulator/clock`, { headers: { authorization } })
      ).json();
      expect(await page.textContent('#clock')).toBe(clock.now.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));

      // The workflow is drawn (the repository has mermaid installed) or at least shown as its source.
      const workflowCard = page.locator(`[data-workflow-sid="${workflowSid}"]`);
      await workflowCard.locator('svg, pre').first().waitFor();
      expect(await workflowCard.textContent()).toContain('Tier 1');

      await page.screenshot({ path: screenshot, fullPage: true });
      expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await browser.close();
    }
  }, 60_000);

  test("shows within a second when a worker's SDK connects and disconnects", async () => {
    const client = clientOf(server.url, authorization);
    const { workspaceSid, workers } = await seedEscalation(client, 120, [{ FriendlyName: 'Carol' }]);
    const carol = workers[0]!;
    const browser = await launchChromium();
    try {
      const page = await openDashboard(browser, server.url, { username: accountSid, password: authToken });
      await page.locator('#stream-state', { hasText: 'live' }).waitFor();
      const badge = page.locator(`[data-worker-sid="${carol.sid}"] [data-sdk-connections]`);
      await badge.and(page.locator('[data-sdk-connections="0"]')).waitFor();

      const token = await createAccessToken({
        accountSid,
        apiKeySid,
        apiKeySecret,
        identity: 'carol',
        taskRouter: { workspaceSid, workerSid: carol.sid },
      });
      const sdk = new TaskRouter.Worker(token, {
        ebServer: `${server.url}/v1/wschannels`,
        wsServer: `${server.url.replace(/^http/, 'ws')}/v1/wschannels`,
        logLevel: 'silent',
      });
      try {
        await once(sdk as unknown as NodeJS.EventEmitter, 'ready', { signal: AbortSignal.timeout(8000) });
        await badge.and(page.locator('[data-sdk-connections="1"]')).waitFor({ timeout: 1000 });
        expect(await badge.textContent()).toBe('SDK connected');
        await page
          .locator('#events [data-event-type="emulator.worker-sdk"]')
          .first()
          .waitFor({ timeout: 1000 });
      } finally {
        sdk.disconnect();
      }
      await badge.and(page.locator('[data-sdk-connections="0"]')).waitFor({ timeout: 1000 });
      expect(await badge.textContent()).toBe('SDK offline');
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describeWithBrowser('the dashboard of the command accepting any credentials (its default)', () => {
  const callerA = `AC${'a'.repeat(32)}`;
  const callerB = `AC${'b'.repeat(32)}`;
  let server: Awaited<ReturnType<typeof startCli>>;

  beforeAll(async () => {
    server = await startCli(['--clock', 'virtual']);
  }, 30_000);
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  test("lists the accounts; picking the second shows its workspace, its task and its live events, not the first's", async () => {
    const work = async (accountSid: string) => {
      const client = clientOf(server.url, `Basic ${btoa(`${accountSid}:any-token`)}`);
      const seeded = await seedEscalation(client, 120);
      const task = await client.api('POST', `/v1/Workspaces/${seeded.workspaceSid}/Tasks`, {
        WorkflowSid: seeded.workflowSid,
        Attributes: JSON.stringify({ type: 'support' }),
      });
      return { client, ...seeded, taskSid: task.body.sid as string };
    };
    const a = await work(callerA);
    const b = await work(callerB);

    const browser = await launchChromium();
    try {
      const page = await openDashboard(browser, server.url, { username: callerA, password: 'whatever' });
      // The page opens on the account its credentials stand for.
      await page.locator(`[data-workspace-sid="${a.workspaceSid}"] [data-task-sid="${a.taskSid}"]`).waitFor();
      expect(await page.inputValue('#account')).toBe(callerA);
      const options = await page
        .locator('#account option')
        .evaluateAll((items) => items.map((item) => (item as HTMLOptionElement).value));
      expect(options.slice(1)).toEqual([callerA, callerB]);

      await page.selectOption('#account', callerB);
      await page
        .locator(`[data-queue-sid="${b.tier1}"] [data-task-sid="${b.taskSid}"]`)
        .waitFor({ timeout: 5000 });
      expect(await page.locator(`[data-workspace-sid="${a.workspaceSid}"]`).count()).toBe(0);
      expect(new URL(page.url()).searchParams.get('AccountSid')).toBe(callerB);
      await page.locator('#stream-state', { hasText: 'live' }).waitFor();

      // B's stream is live: a task B creates now shows within a second; A's new task does not.
      await a.client.api('POST', `/v1/Workspaces/${a.workspaceSid}/Tasks`, {
        WorkflowSid: a.workflowSid,
        Attributes: JSON.stringify({ type: 'support' }),
      });
      const { body: next } = await b.client.api('POST', `/v1/Workspaces/${b.workspaceSid}/Tasks`, {
        WorkflowSid: b.workflowSid,
        Attributes: JSON.stringify({ type: 'support' }),
      });
      await page
        .locator(`[data-queue-sid="${b.tier1}"] [data-task-sid="${next.sid}"]`)
        .waitFor({ timeout: 1000 });
      const eventTypes = await page.locator('#events [data-event-type]').count();
      expect(eventTypes).toBeGreaterThan(0);
      expect(await page.locator(`[data-workspace-sid="${a.workspaceSid}"]`).count()).toBe(0);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describeWithBrowser('the dashboard where mermaid is not installed', () => {
  const folder = mkdtempSync(join(tmpdir(), 'taskrouter-no-mermaid-'));
  let server: Awaited<ReturnType<typeof startCli>>;

  beforeAll(async () => {
    // The command resolves mermaid as a Node module; this preload makes it unresolvable, as in a
    // project that did not install it.
    const preload = join(folder, 'without-mermaid.cjs');
    writeFileSync(
      preload,
      `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'mermaid' || request.startsWith('mermaid/')) {
    throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: 'MODULE_NOT_FOUND' });
  }
  return resolve.call(this, request, ...rest);
};
`,
    );
    server = await startCli(['--account-sid', accountSid, '--auth-token', authToken, '--clock', 'virtual'], {
      ...process.env,
      NODE_OPTIONS: `--require ${preload}`,
    });
  }, 30_000);
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    expect(await server?.stop()).toBe(0);
  });

  test("shows each workflow's Mermaid source, with queue names, instead of a drawing", async () => {
    const client = clientOf(server.url, authorization);
    const missing = await client.control('GET', '/__emulator/ui/mermaid.js');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('Mermaid is not installed');
    const { workflowSid } = await seedEscalation(client, 90);

    const browser = await launchChromium();
    try {
      const page = await openDashboard(browser, server.url, { username: accountSid, password: authToken });
      const card = page.locator(`[data-workflow-sid="${workflowSid}"]`);
      const source = card.locator('pre.mermaid-source');
      await source.waitFor();
      expect(await card.locator('svg').count()).toBe(0);
      expect(await card.textContent()).toContain('install mermaid beside the emulator');
      const text = (await source.textContent()) ?? '';
      expect(text).toMatch(/^flowchart /);
      expect(text).toContain('Tier 1');
      expect(text).toContain('timeout 90 s');
      expect(text).not.toMatch(/WQ[0-9a-f]{32}/);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
