import { describe, expect, test } from 'vitest';
import { eventSid, findEvent } from '../src/domain/event-log.js';
import { scenario } from './routing-helpers.js';
import { stateOf } from '../src/emulator/internals.js';

describe('the event log', () => {
  test('events of an unchanged task share one snapshot of it; a change makes a new one', async () => {
    const s = await scenario();
    const queue = await s.queue();
    const workflow = await s.defaultWorkflow(queue.sid);
    const task = await s.task(workflow.sid);
    const state = stateOf(s.emulator).workspaces.get(s.sid)!;
    const ofTask = () => state.events.filter((event) => event.task?.task.sid === task.sid);
    // workflow.entered (before the queue), then task-queue.entered, task.created, workflow.target-matched.
    const [entered, queued, created, matched] = ofTask();
    expect(entered!.task).not.toBe(queued!.task);
    expect(created!.task).toBe(queued!.task);
    expect(matched!.task).toBe(queued!.task);
    await s.updateTask(task.sid, { Priority: 7 });
    const updated = ofTask().at(-1)!;
    expect(updated.eventType).toBe('task.updated');
    expect(updated.task).not.toBe(matched!.task);
    expect(updated.task!.priority).toBe(7);
    // The snapshots keep what the task looked like then.
    const bodies = (await s.api.get(`${s.path}/Events`, { TaskSid: task.sid })).body.events;
    expect(
      bodies.map((event: { event_data: { task_priority: number } }) => event.event_data.task_priority),
    ).toEqual([0, 0, 0, 0, 7]);
  });

  test('event SIDs are derived from the workspace and the sequence, and found again', async () => {
    const s = await scenario();
    const state = stateOf(s.emulator).workspaces.get(s.sid)!;
    for (const event of state.events) {
      const sid = eventSid(state, event);
      expect(sid).toMatch(/^EV[0-9a-f]{32}$/);
      expect(findEvent(state, sid)).toBe(event);
    }
    expect(findEvent(state, `EV${'0'.repeat(32)}`)).toBeUndefined();
    expect((await s.api.get(`${s.path}/Events/EV${'0'.repeat(32)}`)).status).toBe(404);
  });
});
