import { type Schemas, TaskRouterApiError } from '@taskrouter/core';
import { dateTimeResponseFields } from '@taskrouter/core/facts';
import { describe, expect, it } from 'vitest';
import { events, statistics, tasks, workers, workflows, workspaces } from '../src/index.js';
import {
  ACCOUNT_SID,
  BASE_URL,
  EV,
  recordingClient,
  WK,
  WS,
  WT,
  WW,
  wirePage,
  wireTask,
  wireWorkflow,
  wireWorkspace,
} from './helpers.js';

describe('responses in camelCase', () => {
  it('renames every field, parses dates and attributes, and keeps links as sent', async () => {
    const { api } = recordingClient(() => ({ body: wireTask(), headers: { ETag: '"5"' } }));
    const task = await tasks<{ type: string; customer: { tier: string } }>(api, WS).get(WT);
    expect(task).toMatchObject({
      accountSid: ACCOUNT_SID,
      assignmentStatus: 'pending',
      taskQueueFriendlyName: 'Sample Queue',
      taskChannelUniqueName: 'default',
      ignoreCapacity: false,
      routingTarget: null,
      attributes: { type: 'support', customer: { tier: 'gold' } },
      addons: {},
    });
    expect(task.attributes.customer.tier).toBe('gold');
    expect(task.dateCreated).toEqual(new Date('2024-03-01T10:00:00Z'));
    expect(task.taskQueueEnteredDate).toEqual(new Date('2024-03-01T10:00:01Z'));
    expect(task.virtualStartTime).toBeInstanceOf(Date);
    expect(task.links).toEqual({
      task_queue: `${BASE_URL}/v1/Workspaces/${WS}/Tasks/${WT}/task_queue`,
      workflow: `${BASE_URL}/v1/Workspaces/${WS}/Tasks/${WT}/workflow`,
      workspace: `${BASE_URL}/v1/Workspaces/${WS}/Tasks/${WT}/workspace`,
      reservations: `${BASE_URL}/v1/Workspaces/${WS}/Tasks/${WT}/reservations`,
    });
    expect(Object.keys(task).filter((key) => key.includes('_'))).toEqual([]);
  });

  it('turns exactly the response fields the spec gives format: date-time into Date', async () => {
    const stamp = '2024-03-01T10:00:00Z';
    const body = {
      ...Object.fromEntries(dateTimeResponseFields.map((name) => [name, stamp])),
      friendly_name: stamp,
      reason: stamp,
    };
    const { api } = recordingClient(() => ({ body }));
    const view = (await tasks(api, WS).get(WT)) as unknown as Record<string, unknown>;
    const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    for (const name of dateTimeResponseFields) expect(view[camel(name)], name).toEqual(new Date(stamp));
    expect(view.friendlyName).toBe(stamp);
    expect(view.reason).toBe(stamp);
  });

  it('exposes the ETag as a non-enumerable version', async () => {
    const { api } = recordingClient(() => ({ body: wireTask(), headers: { ETag: '"5"' } }));
    const task = await tasks(api, WS).get(WT);
    expect(task.version).toBe('"5"');
    expect(Object.keys(task)).not.toContain('version');
    expect(JSON.parse(JSON.stringify(task))).not.toHaveProperty('version');
  });

  it('leaves version undefined when the answer has no ETag', async () => {
    const { api } = recordingClient(() => ({ body: wireTask() }));
    expect((await tasks(api, WS).get(WT)).version).toBeUndefined();
  });

  it('parses a workflow configuration', async () => {
    const { api } = recordingClient(() => ({ body: wireWorkflow() }));
    const workflow = await workflows(api, WS).get(WW);
    expect(workflow.configuration).toEqual({
      task_routing: { default_filter: { queue: expect.any(String) } },
    });
    expect(workflow.taskReservationTimeout).toBe(120);
  });

  it('keeps null attributes of a worker listed without them', async () => {
    const worker: Schemas['taskrouter.v1.workspace.worker'] = {
      account_sid: ACCOUNT_SID,
      activity_name: 'Offline',
      activity_sid: null,
      attributes: null,
      available: false,
      date_created: '2024-01-01T00:00:00Z',
      date_status_changed: '2024-01-01T00:00:00Z',
      date_updated: '2024-01-01T00:00:00Z',
      friendly_name: 'Alice',
      sid: WK,
      workspace_sid: WS,
      url: `${BASE_URL}/w`,
      links: null,
    };
    const path = `/v1/Workspaces/${WS}/Workers`;
    const { api } = recordingClient(() => ({ body: wirePage('workers', [worker], path, null) }));
    const [listed] = await workers(api, WS).list().toArray();
    expect(listed).toMatchObject({
      friendlyName: 'Alice',
      attributes: null,
      dateStatusChanged: expect.any(Date),
    });
  });

  it('passes event data through untouched and converts event dates', async () => {
    const { api } = recordingClient(() => ({
      body: {
        sid: EV,
        event_type: 'worker.activity.update',
        event_date: '2024-03-01T10:00:00Z',
        event_date_ms: 1709287200000,
        event_data: { worker_activity_name: 'Available', worker_time_in_previous_activity: '10' },
      },
    }));
    const event = await events(api, WS).get(EV);
    expect(event.eventDate).toEqual(new Date(1709287200000));
    expect(event.eventDateMs).toBe(1709287200000);
    expect(event.eventData).toEqual({
      worker_activity_name: 'Available',
      worker_time_in_previous_activity: '10',
    });
  });

  it('camelCases nested statistics but not the keys of count maps', async () => {
    const { api } = recordingClient(() => ({
      body: {
        workspace_sid: WS,
        start_time: '2024-03-01T09:00:00Z',
        tasks_by_status: { pending: 2, wrapping: 1 },
        split_by_wait_time: { '30': { above: { tasks_canceled: 1 }, below: { reservations_accepted: 4 } } },
        wait_duration_until_accepted: { avg: 3, min: 1, max: 9, total: 12 },
        activity_statistics: [{ sid: 'WA', friendly_name: 'Idle', workers: 3 }],
      },
    }));
    const stats = (await statistics(api, WS).workspace.cumulative()) as unknown as Record<string, unknown>;
    expect(stats).toEqual({
      workspaceSid: WS,
      startTime: new Date('2024-03-01T09:00:00Z'),
      tasksByStatus: { pending: 2, wrapping: 1 },
      splitByWaitTime: { '30': { above: { tasksCanceled: 1 }, below: { reservationsAccepted: 4 } } },
      waitDurationUntilAccepted: { avg: 3, min: 1, max: 9, total: 12 },
      activityStatistics: [{ sid: 'WA', friendlyName: 'Idle', workers: 3 }],
    });
  });
});

describe('errors from core', () => {
  it('pass through unchanged', async () => {
    const { api } = recordingClient(() => ({
      status: 404,
      body: {
        code: 20404,
        message: 'Not found',
        more_info: 'https://www.twilio.com/docs/errors/20404',
        status: 404,
      },
    }));
    const error = await workspaces(api)
      .get(WS)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TaskRouterApiError);
    expect(error).toMatchObject({ status: 404, code: 20404, method: 'GET' });
  });

  it('report a version mismatch of a conditional update as 412', async () => {
    const { api, requests } = recordingClient(() => ({
      status: 412,
      body: { code: 20001, message: 'Version mismatch', more_info: 'https://example.com', status: 412 },
    }));
    await expect(tasks(api, WS).update(WT, { priority: 1 }, { ifMatch: '"1"' })).rejects.toMatchObject({
      status: 412,
    });
    expect(requests[0]?.headers.get('If-Match')).toBe('"1"');
  });
});

describe('paging', () => {
  const path = `/v1/Workspaces/${WS}/Tasks`;
  const next = (page: number) =>
    `${BASE_URL}${path}?AssignmentStatus=pending&PageSize=2&Page=${page}&PageToken=PT${page}`;
  /** Three pages of two tasks; each page links the next with a token. */
  const threePages = () =>
    recordingClient((request) => {
      const page = Number(request.query.Page ?? 0);
      const items = [
        wireTask({ sid: `WT${page}${'0'.repeat(31)}` }),
        wireTask({ sid: `WT${page}${'1'.repeat(31)}` }),
      ];
      return { body: wirePage('tasks', items, path, page < 2 ? next(page + 1) : null, page) };
    });

  it('fetches nothing until iterated and follows next_page_url as given', async () => {
    const { api, requests } = threePages();
    const all = tasks(api, WS).list({ assignmentStatus: 'pending', pageSize: 2 });
    expect(requests).toHaveLength(0);
    const sids = (await all.toArray()).map((task) => task.sid);
    expect(sids).toHaveLength(6);
    expect(new Set(sids).size).toBe(6);
    expect(requests).toHaveLength(3);
    expect(requests[0]?.query).toEqual({ AssignmentStatus: 'pending', PageSize: '2' });
    expect(requests[2]?.query).toEqual({
      AssignmentStatus: 'pending',
      PageSize: '2',
      Page: '2',
      PageToken: 'PT2',
    });
  });

  it('stops fetching when the loop breaks', async () => {
    const { api, requests } = threePages();
    for await (const task of tasks(api, WS).list({ pageSize: 2 })) {
      expect(task.sid).toMatch(/^WT/);
      break;
    }
    expect(requests).toHaveLength(1);
  });

  it('closes with return(), started or not, and then fetches nothing', async () => {
    const { api, requests } = threePages();
    const unstarted = tasks(api, WS).list({ pageSize: 2 })[Symbol.asyncIterator]();
    expect(await unstarted.return?.()).toEqual({ done: true, value: undefined });
    expect(await unstarted.next()).toEqual({ done: true, value: undefined });
    expect(requests).toHaveLength(0);
    const started = tasks(api, WS).list({ pageSize: 2 })[Symbol.asyncIterator]();
    expect((await started.next()).done).toBe(false);
    expect(await started.return?.()).toEqual({ done: true, value: undefined });
    expect(await started.next()).toEqual({ done: true, value: undefined });
    expect(requests).toHaveLength(1);
  });

  it('checks its options when the walk starts, not when the list is made', async () => {
    const { api, requests } = threePages();
    const listing = tasks(api, WS).list({ limit: -1 });
    await expect(listing[Symbol.asyncIterator]().next()).rejects.toMatchObject({ field: 'limit' });
    expect(requests).toHaveLength(0);
  });

  it('ends the walk at a page it cannot convert, with none of its items and no further page', async () => {
    let served = 0;
    const { api, requests } = recordingClient(() => {
      served += 1;
      const broken = served === 2 ? { attributes: '{"type": ' } : {};
      return {
        body: wirePage(
          'tasks',
          [wireTask(), wireTask(broken)],
          `/v1/Workspaces/${WS}/Tasks`,
          `${BASE_URL}/v1/Workspaces/${WS}/Tasks?PageSize=2&Page=${served}&PageToken=PT${served}`,
          served - 1,
        ),
      };
    });
    const walk = tasks(api, WS).list({ pageSize: 2 })[Symbol.asyncIterator]();
    const read: unknown[] = [];
    await expect(async () => {
      for (;;) {
        const { done, value } = await walk.next();
        if (done) break;
        read.push(value);
      }
    }).rejects.toThrow(`The answer's "attributes" field is not valid JSON text`);
    expect(read).toHaveLength(2);
    expect(await walk.next()).toEqual({ done: true, value: undefined });
    expect(requests).toHaveLength(2);
  });

  it('stops at the limit without fetching a further page, and sizes pages by it', async () => {
    const { api, requests } = threePages();
    const firstFour = await tasks(api, WS).list({ limit: 4 }).toArray();
    expect(firstFour).toHaveLength(4);
    expect(requests).toHaveLength(2);
    expect(requests[0]?.query.PageSize).toBe('4');
  });

  it('sends nothing for a limit of 0', async () => {
    const { api, requests } = threePages();
    expect(await tasks(api, WS).list({ limit: 0 }).toArray()).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('returns one page with its token, and the next one on demand', async () => {
    const { api, requests } = threePages();
    const first = await tasks(api, WS).page({ pageSize: 2 });
    expect(first).toMatchObject({ page: 0, pageSize: 2, nextPageUrl: next(1), nextPageToken: 'PT1' });
    expect(first.items).toHaveLength(2);
    const second = await first.next();
    expect(second?.page).toBe(1);
    const third = await second?.next();
    expect(third?.nextPageToken).toBeNull();
    expect(await third?.next()).toBeNull();
    expect(requests).toHaveLength(3);
  });

  it('resumes from a page token', async () => {
    const { api, requests } = threePages();
    await tasks(api, WS).page({ pageSize: 2, pageToken: 'PT2', assignmentStatus: ['pending'] });
    expect(requests[0]?.query).toEqual({ PageSize: '2', PageToken: 'PT2', AssignmentStatus: 'pending' });
  });

  it('fails loudly when the server repeats a next page URL, after the items it read', async () => {
    const { api, requests } = recordingClient(() => ({
      body: wirePage(
        'workspaces',
        [wireWorkspace()],
        '/v1/Workspaces',
        `${BASE_URL}/v1/Workspaces?PageToken=same`,
      ),
    }));
    const seen: string[] = [];
    await expect(async () => {
      for await (const workspace of workspaces(api).list()) seen.push(workspace.sid);
    }).rejects.toThrow(/repeated a page URL in meta.next_page_url/);
    expect(seen).toHaveLength(2);
    expect(requests).toHaveLength(2);
  });

  it('refuses a next page URL that is not absolute and a JSON field that is not JSON', async () => {
    const relative = recordingClient(() => ({
      body: wirePage('workspaces', [wireWorkspace()], '/v1/Workspaces', '/v1/Workspaces?PageToken=rel'),
    }));
    await expect(workspaces(relative.api).page()).rejects.toThrow(/next_page_url is not an absolute URL/);
    const broken = recordingClient(() => ({ body: wireTask({ attributes: '{"type": ' }) }));
    await expect(tasks(broken.api, WS).get(WT)).rejects.toThrow(
      `The answer's "attributes" field is not valid JSON text`,
    );
  });
});
