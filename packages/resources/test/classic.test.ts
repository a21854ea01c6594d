import { createEmulator } from '@taskrouter/testing-mocks';
import { WorkflowConfig, WorkflowRule, WorkflowRuleTarget } from '@taskrouter/workflow-builder';
import { describe, expect, it } from 'vitest';
import { TaskRouterApiError, TaskRouterClient } from '../src/index.js';

/** A classic client talking to a fresh in-process emulator. */
function classicClient() {
  const emulator = createEmulator();
  const { accountSid, authToken } = emulator.credentials;
  const client = new TaskRouterClient({ accountSid, authToken, fetch: emulator.fetch });
  return { client, emulator };
}

describe('the classic helper examples, as written, against the emulator', () => {
  it('create, get, list, update and delete a workspace', async () => {
    const { client } = classicClient();
    const workspace = await client.workspaces.create({ friendlyName: 'Customer Support', template: 'FIFO' });
    const workspaceSid = workspace.sid;
    expect(workspace.friendlyName).toBe('Customer Support');

    expect((await client.workspaces.get(workspaceSid)).sid).toBe(workspaceSid);
    const names: (string | null)[] = [];
    for await (const ws of client.workspaces.list()) names.push(ws.friendlyName);
    expect(names).toEqual(['Customer Support']);

    const updated = await client.workspaces.update(workspaceSid, {
      friendlyName: 'Test Workspace',
      eventCallbackUrl: 'https://example.com/events',
    });
    expect(updated).toMatchObject({
      friendlyName: 'Test Workspace',
      eventCallbackUrl: 'https://example.com/events',
    });

    await client.workspaces.delete(workspaceSid);
    await expect(client.workspaces.get(workspaceSid)).rejects.toMatchObject({ status: 404 });
  });

  it('create, get, list, update and delete workflows, activities, workers, task queues and tasks', async () => {
    const { client } = classicClient();
    const workspace = await client.workspaces.create({ friendlyName: 'Customer Support', template: 'FIFO' });
    const workspaceSid = workspace.sid;

    const queue = await client
      .taskQueues(workspaceSid)
      .create({ friendlyName: 'Support', targetWorkers: '1==1' });
    expect((await client.taskQueues(workspaceSid).get(queue.sid)).targetWorkers).toBe('1==1');
    const queueNames = (await client.taskQueues(workspaceSid).list().toArray()).map((q) => q.friendlyName);
    expect(queueNames).toContain('Support');
    expect(
      (await client.taskQueues(workspaceSid).update(queue.sid, { friendlyName: 'Tier 1' })).friendlyName,
    ).toBe('Tier 1');

    const configuration = { task_routing: { default_filter: { queue: queue.sid } } };
    const workflow = await client.workflows(workspaceSid).create({
      friendlyName: 'Support Workflow',
      assignmentCallbackUrl: 'https://example.com/assignment',
      fallbackAssignmentCallbackUrl: 'https://example.com/fallback',
      configuration,
    });
    expect(workflow.configuration).toEqual(configuration);
    expect((await client.workflows(workspaceSid).get(workflow.sid)).assignmentCallbackUrl).toBe(
      'https://example.com/assignment',
    );
    const workflowNames = (await client.workflows(workspaceSid).list().toArray()).map((w) => w.friendlyName);
    expect(workflowNames).toContain('Support Workflow');
    const renamed = await client.workflows(workspaceSid).update(workflow.sid, { friendlyName: 'Renamed' });
    expect(renamed.friendlyName).toBe('Renamed');

    const activity = await client
      .activities(workspaceSid)
      .create({ friendlyName: 'Lunch', available: false });
    expect((await client.activities(workspaceSid).get(activity.sid)).available).toBe(false);
    expect(
      (await client.activities(workspaceSid).list({ available: false }).toArray()).map((a) => a.sid),
    ).toContain(activity.sid);
    expect(
      (await client.activities(workspaceSid).update(activity.sid, { friendlyName: 'Break' })).friendlyName,
    ).toBe('Break');

    const worker = await client
      .workers(workspaceSid)
      .create({ friendlyName: 'Alice', attributes: { level: 3 } });
    expect((await client.workers(workspaceSid).get(worker.sid)).attributes).toEqual({ level: 3 });
    expect((await client.workers(workspaceSid).list().toArray()).map((w) => w.friendlyName)).toEqual([
      'Alice',
    ]);
    const promoted = await client.workers(workspaceSid).update(worker.sid, { attributes: { level: 4 } });
    expect(promoted.attributes).toEqual({ level: 4 });

    const task = await client
      .tasks(workspaceSid)
      .create({ workflowSid: workflow.sid, attributes: { type: 'support' } });
    expect(task.attributes).toEqual({ type: 'support' });
    expect((await client.tasks(workspaceSid).get(task.sid)).workflowSid).toBe(workflow.sid);
    expect((await client.tasks(workspaceSid).list().toArray()).map((t) => t.sid)).toEqual([task.sid]);
    const canceled = await client
      .tasks(workspaceSid)
      .update(task.sid, { assignmentStatus: 'canceled', reason: 'test' });
    expect(canceled).toMatchObject({ assignmentStatus: 'canceled', reason: 'test' });

    await client.tasks(workspaceSid).delete(task.sid);
    await client.workers(workspaceSid).delete(worker.sid);
    await client.activities(workspaceSid).delete(activity.sid);
    await client.workflows(workspaceSid).delete(workflow.sid);
    await client.taskQueues(workspaceSid).delete(queue.sid);
    for (const gone of [
      client.tasks(workspaceSid).get(task.sid),
      client.workers(workspaceSid).get(worker.sid),
      client.activities(workspaceSid).get(activity.sid),
      client.workflows(workspaceSid).get(workflow.sid),
      client.taskQueues(workspaceSid).get(queue.sid),
    ]) {
      await expect(gone).rejects.toBeInstanceOf(TaskRouterApiError);
    }
  });

  it('creates a workflow from the builder classes and files tasks under it', async () => {
    const { client } = classicClient();
    const { sid: workspaceSid } = await client.workspaces.create({ friendlyName: 'Builder' });
    const support = await client
      .taskQueues(workspaceSid)
      .create({ friendlyName: 'Support', targetWorkers: '1==1' });
    const sales = await client
      .taskQueues(workspaceSid)
      .create({ friendlyName: 'Sales', targetWorkers: '1==1' });
    const configuration = new WorkflowConfig(
      [new WorkflowRule('type == "sales"', [new WorkflowRuleTarget(sales.sid, undefined, 5, 60)], 'Sales')],
      new WorkflowRuleTarget(support.sid),
    );

    const workflow = await client.workflows(workspaceSid).create({
      friendlyName: 'Sales and support',
      assignmentCallbackUrl: 'https://example.com/assignment',
      fallbackAssignmentCallbackUrl: 'https://example.com/fallback',
      configuration,
    });
    expect(workflow.configuration).toEqual(configuration.toJSON());
    const stored = await client.workflows(workspaceSid).get(workflow.sid);
    expect(WorkflowConfig.parse(stored.configuration ?? {})).toEqual(configuration);

    const task = await client
      .tasks(workspaceSid)
      .create({ workflowSid: workflow.sid, attributes: { type: 'sales' } });
    expect(task).toMatchObject({ workflowSid: workflow.sid, workflowFriendlyName: 'Sales and support' });
  });
});
