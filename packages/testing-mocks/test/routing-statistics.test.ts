import { describe, expect, test } from 'vitest';
import { scenario } from './routing-helpers.js';
import { responseSchemas, validate } from './schema-check.js';

const schemas = responseSchemas();

/**
 * Two tasks through an escalating workflow, in virtual time:
 * - 0 s: T1 enters queue A and is reserved for Ann; at 10 s Ann accepts; at 120 s T1 completes.
 * - 10 s: T2 enters queue A and waits (Ann is busy, Cal offline); at 70 s it times out into
 *   queue B and is reserved for Ben; at 100 s Ben's reservation times out (Ben goes offline);
 *   at 110 s T2 is canceled (aged 100 s).
 */
async function history() {
  const s = await scenario();
  const a = await s.queue({ TargetWorkers: 'tier == 1' });
  const b = await s.queue({ TargetWorkers: 'tier == 2' });
  const workflow = await s.workflow(
    {
      task_routing: {
        filters: [{ expression: '1==1', targets: [{ queue: a.sid, timeout: 60 }, { queue: b.sid }] }],
      },
    },
    { TaskReservationTimeout: 30 },
  );
  const ann = await s.worker('Ann', { tier: 1 });
  const ben = await s.worker('Ben', { tier: 2 });
  const cal = await s.worker('Cal', { tier: 1 }, { ActivitySid: s.activities.offline });
  const get = async (path: string, query: Record<string, string> = {}) =>
    (await s.api.get(`${s.path}${path}`, query)).body;

  const t1 = await s.task(workflow.sid, { n: 1 });
  s.emulator.clock.advance(10_000);
  const [offer] = await s.reservations(t1.sid);
  await s.answer(t1.sid, offer!.sid, { ReservationStatus: 'accepted' });
  const t2 = await s.task(workflow.sid, { n: 2 });
  s.emulator.clock.advance(60_000);
  const midway = {
    workspace: await get('/RealTimeStatistics'),
    a: await get(`/TaskQueues/${a.sid}/RealTimeStatistics`),
    b: await get(`/TaskQueues/${b.sid}/RealTimeStatistics`),
  };
  s.emulator.clock.advance(30_000);
  s.emulator.clock.advance(10_000);
  await s.updateTask(t2.sid, { AssignmentStatus: 'canceled' });
  s.emulator.clock.advance(10_000);
  await s.updateTask(t1.sid, { AssignmentStatus: 'completed' });
  return { s, a, b, workflow, ann, ben, cal, t1, t2, midway, get };
}

describe('statistics follow what routing did', () => {
  test('real-time figures while tasks wait and work', async () => {
    const { midway, t1, t2, a } = await history();
    expect(midway.workspace).toMatchObject({
      total_tasks: 2,
      tasks_by_status: { pending: 0, reserved: 1, assigned: 1, wrapping: 0, completed: 0, canceled: 0 },
      longest_task_waiting_sid: t2.sid,
      longest_task_waiting_age: 60,
    });
    expect(midway.a).toMatchObject({
      task_queue_sid: a.sid,
      total_tasks: 1,
      total_eligible_workers: 2,
      total_available_workers: 1,
      tasks_by_status: { assigned: 1 },
      longest_task_waiting_sid: null,
    });
    expect(midway.b).toMatchObject({
      total_tasks: 1,
      total_eligible_workers: 1,
      longest_relative_task_sid_in_queue: t2.sid,
      longest_relative_task_age_in_queue: 0,
    });
    expect(t1.sid).not.toBe(t2.sid);
  });

  test('workspace cumulative figures and real-time figures at the end', async () => {
    const { get } = await history();
    const cumulative = await get('/CumulativeStatistics', { SplitByWaitTime: '60' });
    expect(cumulative).toMatchObject({
      tasks_created: 2,
      tasks_completed: 1,
      tasks_canceled: 1,
      tasks_moved: 1,
      tasks_timed_out_in_workflow: 0,
      reservations_created: 2,
      reservations_accepted: 1,
      reservations_timed_out: 1,
      reservations_rejected: 0,
      reservations_canceled: 0,
      reservations_rescinded: 0,
      avg_task_acceptance_time: 10,
      wait_duration_until_accepted: { avg: 10, min: 10, max: 10, total: 10 },
      wait_duration_until_canceled: { avg: 100, min: 100, max: 100, total: 100 },
      split_by_wait_time: {
        60: {
          above: { tasks_canceled: 1, reservations_accepted: 0 },
          below: { tasks_canceled: 0, reservations_accepted: 1 },
        },
      },
    });
    const realtime = await get('/RealTimeStatistics');
    expect(realtime).toMatchObject({
      total_tasks: 2,
      total_workers: 3,
      tasks_by_status: { completed: 1, canceled: 1 },
      longest_task_waiting_sid: null,
    });
    const activityCounts = Object.fromEntries(
      realtime.activity_statistics.map((entry: { friendly_name: string; workers: number }) => [
        entry.friendly_name,
        entry.workers,
      ]),
    );
    // Ben went to the timeout activity (Offline) when his reservation timed out.
    expect(activityCounts).toEqual({ Offline: 2, Available: 1, Unavailable: 0 });
    const both = await get('/Statistics');
    expect(both.cumulative.reservations_timed_out).toBe(1);
    for (const [operation, body] of [
      ['FetchWorkspaceCumulativeStatistics', cumulative],
      ['FetchWorkspaceRealTimeStatistics', realtime],
      ['FetchWorkspaceStatistics', both],
    ] as const) {
      expect(validate(body, schemas.get(operation)!)).toEqual([]);
    }
  });

  test('queue, worker and workflow figures', async () => {
    const { a, b, ben, workflow, get } = await history();
    const first = await get(`/TaskQueues/${a.sid}/CumulativeStatistics`);
    expect(first).toMatchObject({
      tasks_entered: 2,
      tasks_moved: 1,
      tasks_completed: 1,
      reservations_accepted: 1,
      wait_duration_in_queue_until_accepted: { avg: 10, min: 10, max: 10, total: 10 },
    });
    const second = await get(`/TaskQueues/${b.sid}/CumulativeStatistics`);
    expect(second).toMatchObject({
      tasks_entered: 1,
      tasks_canceled: 1,
      reservations_created: 1,
      reservations_timed_out: 1,
      reservations_accepted: 0,
    });
    const benStats = await get(`/Workers/${ben.sid}/Statistics`);
    expect(benStats.cumulative).toMatchObject({ reservations_created: 1, reservations_timed_out: 1 });
    const durations = Object.fromEntries(
      benStats.cumulative.activity_durations.map((entry: { friendly_name: string; total: number }) => [
        entry.friendly_name,
        entry.total,
      ]),
    );
    expect(durations).toEqual({ Offline: 20, Available: 100, Unavailable: 0 });
    const workflowStats = await get(`/Workflows/${workflow.sid}/Statistics`);
    expect(workflowStats.cumulative).toMatchObject({
      tasks_entered: 2,
      tasks_completed: 1,
      tasks_canceled: 1,
      reservations_created: 2,
    });
    expect(workflowStats.realtime.total_tasks).toBe(2);
    for (const [operation, body] of [
      ['FetchTaskQueueCumulativeStatistics', first],
      ['FetchWorkerInstanceStatistics', benStats],
      ['FetchWorkflowStatistics', workflowStats],
    ] as const) {
      expect(validate(body, schemas.get(operation)!)).toEqual([]);
    }
  });

  test('cumulative windows move with the virtual clock', async () => {
    const { s, get } = await history();
    expect((await get('/CumulativeStatistics')).tasks_created).toBe(2);
    s.emulator.clock.advance(15 * 60_000);
    expect((await get('/CumulativeStatistics')).tasks_created).toBe(0);
    expect((await get('/CumulativeStatistics', { Minutes: '20' })).tasks_created).toBe(2);
  });
});
