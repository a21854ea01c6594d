/**
 * The agent desk in headless Chromium against the emulator: two agents in two pages, each running
 * the official worker SDK; tasks created over REST reach both, one agent accepts and completes, the
 * other sees the offer rescinded; the next task goes the other way round. Each step the pages show is checked again over REST.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskRouterClient } from '@taskrouter/resources';
import { createEmulator, type Emulator, type EmulatorServer } from '@taskrouter/testing-mocks';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeWithBrowser, launchChromium } from '../../../scripts/browser.js';
import { type AgentDesk, startAgentDesk } from './server.js';

const API_KEY = { sid: `SK${'a'.repeat(32)}`, secret: 'agent-desk-test-secret' };
const WAIT = { timeout: 10_000 };

/**
 * The docs guide shows these screenshots (docs/agent-desk.md). `UPDATE_SCREENSHOTS=1` writes them
 * there; other runs write scratch copies, so a test run leaves the tree as it was.
 */
const scratch = mkdtempSync(join(tmpdir(), 'taskrouter-agent-desk-'));
const screenshot = (agent: string) =>
  process.env.UPDATE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL(`../../images/agent-desk-${agent}.png`, import.meta.url))
    : join(scratch, `${agent}.png`);

describeWithBrowser('the agent desk example in a browser', () => {
  let emulator: Emulator;
  let server: EmulatorServer;
  let desk: AgentDesk;
  let browser: Browser;
  let client: TaskRouterClient;
  let workspaceSid: string;
  const workers: Record<string, string> = {};

  beforeAll(async () => {
    emulator = createEmulator({ apiKeys: [API_KEY] });
    server = await emulator.listen();
    client = new TaskRouterClient({ ...emulator.credentials, baseUrl: server.url });
    const workspace = await client.workspaces.create({ friendlyName: 'Support', template: 'FIFO' });
    workspaceSid = workspace.sid;
    // Offer every task to two agents at once, so the one who does not accept sees it rescinded.
    const [queue] = await client.taskQueues(workspaceSid).list().toArray();
    await client.taskQueues(workspaceSid).update(queue!.sid, { maxReservedWorkers: 2 });
    for (const name of ['alice', 'bob']) {
      workers[name] = (await client.workers(workspaceSid).create({ friendlyName: name })).sid;
    }
    desk = await startAgentDesk({
      accountSid: emulator.credentials.accountSid,
      workspaceSid,
      apiKey: API_KEY,
      agents: workers,
      eventBridge: { ebServer: server.ebServer, wsServer: server.wsServer },
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await desk?.close();
    await emulator?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function openDesk(agent: string): Promise<Page> {
    // One browser context per agent: two separate browser profiles, as two agents' machines.
    const page = await (await browser.newContext({ viewport: { width: 560, height: 420 } })).newPage();
    await page.goto(`${desk.url}/?agent=${agent}`);
    await page.locator('#status', { hasText: 'Ready' }).waitFor(WAIT);
    return page;
  }

  const restWorker = (agent: string) => client.workers(workspaceSid).get(workers[agent]!);
  const reservationOf = (page: Page, taskSid: string) => page.locator(`li[data-task="${taskSid}"]`);
  /** A task's reservations over REST, as worker SID → reservation status. */
  const offerStatuses = async (taskSid: string) =>
    Object.fromEntries(
      (await client.taskReservations(workspaceSid, taskSid).list().toArray()).map((offer) => [
        offer.workerSid,
        offer.reservationStatus,
      ]),
    );

  test('two agents receive tasks; one accepts and completes, the other sees the offer rescinded', async () => {
    const [alice, bob] = await Promise.all([openDesk('alice'), openDesk('bob')]);

    for (const page of [alice, bob]) await page.click('button[data-activity="Available"]');
    for (const page of [alice, bob]) {
      await page.locator('#status[data-activity="Available"]').waitFor(WAIT);
    }
    expect((await restWorker('alice')).activityName).toBe('Available');
    expect((await restWorker('bob')).activityName).toBe('Available');

    const task = await client.tasks(workspaceSid).create({
      attributes: { type: 'support', customer: 'Ada' },
    });
    for (const page of [alice, bob]) {
      const offer = reservationOf(page, task.sid);
      await offer.and(page.locator('[data-status="pending"]')).waitFor(WAIT);
      expect(JSON.parse((await offer.locator('.task-attributes').textContent()) ?? '')).toEqual({
        type: 'support',
        customer: 'Ada',
      });
    }
    const offers = await client.taskReservations(workspaceSid, task.sid).list().toArray();
    expect(offers.map((offer) => [offer.workerSid, offer.reservationStatus]).sort()).toEqual(
      [
        [workers.alice, 'pending'],
        [workers.bob, 'pending'],
      ].sort(),
    );

    await reservationOf(alice, task.sid).locator('button', { hasText: 'Accept' }).click();
    await reservationOf(alice, task.sid).and(alice.locator('[data-status="accepted"]')).waitFor(WAIT);
    await reservationOf(bob, task.sid).and(bob.locator('[data-status="rescinded"]')).waitFor(WAIT);
    expect(await reservationOf(bob, task.sid).locator('button').count()).toBe(0);
    expect(await offerStatuses(task.sid)).toEqual({
      [workers.alice!]: 'accepted',
      [workers.bob!]: 'rescinded',
    });
    expect((await client.tasks(workspaceSid).get(task.sid)).assignmentStatus).toBe('assigned');

    await reservationOf(alice, task.sid).locator('button', { hasText: 'Complete' }).click();
    await reservationOf(alice, task.sid).and(alice.locator('[data-status="completed"]')).waitFor(WAIT);
    const completed = await client.tasks(workspaceSid).get(task.sid);
    expect(completed).toMatchObject({ assignmentStatus: 'completed', reason: 'resolved at the desk' });
    const events = await client.events(workspaceSid).list({ taskSid: task.sid }).toArray();
    expect(events.map((event) => event.eventType)).toEqual(
      expect.arrayContaining(['reservation.accepted', 'reservation.rescinded', 'task.completed']),
    );

    // The next task is offered to both again; this time Bob takes it.
    const next = await client.tasks(workspaceSid).create({
      attributes: { type: 'support', customer: 'Grace' },
    });
    for (const page of [alice, bob]) {
      await reservationOf(page, next.sid).and(page.locator('[data-status="pending"]')).waitFor(WAIT);
    }
    await reservationOf(bob, next.sid).locator('button', { hasText: 'Accept' }).click();
    await reservationOf(bob, next.sid).and(bob.locator('[data-status="accepted"]')).waitFor(WAIT);
    await reservationOf(alice, next.sid).and(alice.locator('[data-status="rescinded"]')).waitFor(WAIT);
    expect(await offerStatuses(next.sid)).toEqual({
      [workers.alice!]: 'rescinded',
      [workers.bob!]: 'accepted',
    });
    expect((await client.tasks(workspaceSid).get(next.sid)).assignmentStatus).toBe('assigned');

    await alice.screenshot({ path: screenshot('alice') });
    await bob.screenshot({ path: screenshot('bob') });
  }, 60_000);
});
