import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describeWithBrowser, launchChromium } from '../../../scripts/browser.js';
import { cli, startCli } from './cli-process.js';

const accountSid = `AC${'f'.repeat(32)}`;
const authToken = 'dashboard-token';
const authorization = `Basic ${btoa(`${accountSid}:${authToken}`)}`;
/**
 * The docs site shows this screenshot (docs/dev-server.md). `UPDATE_SCREENSHOTS=1` writes it there;
 * other runs write a scratch copy, so a test run leaves the tree as it was.
 */
const scratch = mkdtempSync(join(tmpdir(), 'taskrouter-dashboard-'));
const screenshot =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../../docs/images/dev-server-dashboard.png', import.meta.url))
    : join(scratch, 'dashboard.png');

async function post(url: string, path: string, body: string, type: string) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization, 'content-type': type },
    body,
  });
  const answer = await response.json();
  expect(response.status, JSON.stringify(answer)).toBeLessThan(300);
  return answer;
}

describeWithBrowser('the dashboard at /__emulator/ui', () => {
  let server: Awaited<ReturnType<typeof startCli>>;

  beforeAll(async () => {
    if (!existsSync(cli))
      throw new Error('dist/cli.js is missing: run `pnpm --filter @taskrouter/testing-mocks build`');
    server = await startCli(['--account-sid', accountSid, '--auth-token', authToken, '--clock', 'virtual']);
  }, 30_000);
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    expect(await server?.stop()).toBe(0);
  });

  test('shows a task created over REST within a second, and its escalation after the clock is advanced from the page', async () => {
    const seeded = await post(
      server.url,
      '/__emulator/seed',
      JSON.stringify({
        workspaces: [
          {
            FriendlyName: 'Support desk',
            taskQueues: [
              { FriendlyName: 'Tier 1', TargetWorkers: 'tier == 1' },
              { FriendlyName: 'Tier 2', TargetWorkers: 'tier == 2' },
            ],
            workers: [
              { FriendlyName: 'Alice', Attributes: { tier: 1 } },
              { FriendlyName: 'Bob', Attributes: { tier: 2 } },
            ],
          },
        ],
      }),
      'application/json',
    );
    const workspaceSid: string = seeded.workspaces[0].workspace.sid;
    const [tier1, tier2] = seeded.workspaces[0].taskQueues as { sid: string }[];
    const seededWorkflow = await post(
      server.url,
      '/__emulator/seed',
      JSON.stringify({
        workspaces: [
          {
            sid: workspaceSid,
            workflows: [
              {
                FriendlyName: 'Escalation',
                Configuration: {
                  task_routing: {
                    filters: [
                      {
                        filter_friendly_name: 'Support',
                        expression: "type == 'support'",
                        targets: [{ queue: tier1!.sid, timeout: 120 }, { queue: tier2!.sid }],
                      },
                    ],
                  },
                },
              },
            ],
          },
        ],
      }),
      'application/json',
    );
    const workflowSid: string = seededWorkflow.workspaces[0].workflows[0].sid;
    const bob = (seeded.workspaces[0].workers as { sid: string; friendly_name: string }[]).find(
      (worker) => worker.friendly_name === 'Bob',
    )!;
    const activities = await (
      await fetch(`${server.url}/v1/Workspaces/${workspaceSid}/Activities`, { headers: { authorization } })
    ).json();
    const available = (activities.activities as { sid: string; available: boolean }[]).find(
      (item) => item.available,
    )!;
    await post(
      server.url,
      `/v1/Workspaces/${workspaceSid}/Workers/${bob.sid}`,
      new URLSearchParams({ ActivitySid: available.sid }).toString(),
      'application/x-www-form-urlencoded',
    );

    const browser = await launchChromium();
    try {
      const context = await browser.newContext({
        httpCredentials: { username: accountSid, password: authToken },
        viewport: { width: 1100, height: 760 },
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/__emulator/ui`);
      await page.locator('#stream-state', { hasText: 'live' }).waitFor();
      await page.locator(`[data-queue-sid="${tier1!.sid}"]`).waitFor();

      const task = await post(
        server.url,
        `/v1/Workspaces/${workspaceSid}/Tasks`,
        new URLSearchParams({
          WorkflowSid: workflowSid,
          Attributes: JSON.stringify({ type: 'support', customer: 'ACME' }),
        }).toString(),
        'application/x-www-form-urlencoded',
      );
      // Within a second of its creation, the page shows the task waiting in the first queue.
      await page
        .locator(`[data-queue-sid="${tier1!.sid}"] [data-task-sid="${task.sid}"]`)
        .waitFor({ timeout: 1000 });
      await page.locator('#events [data-event-type="task.created"]').first().waitFor({ timeout: 1000 });

      await page.fill('#advance-seconds', '120');
      await page.click('#advance');
      await page
        .locator(`[data-queue-sid="${tier2!.sid}"] [data-task-sid="${task.sid}"]`)
        .waitFor({ timeout: 5000 });
      await page.locator('#events [data-event-type="task-queue.timeout"]').first().waitFor({ timeout: 5000 });
      expect(await page.locator(`[data-queue-sid="${tier1!.sid}"] [data-task-sid]`).count()).toBe(0);
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
});
