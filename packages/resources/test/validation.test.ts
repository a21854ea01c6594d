import { TaskRouterValidationError } from '@taskrouter/core';
import { describe, expect, it } from 'vitest';
import {
  activities,
  events,
  statistics,
  taskChannels,
  taskReservations,
  tasks,
  workerChannels,
  workers,
  workflows,
  workspaces,
} from '../src/index.js';
import { recordingClient, WK, WQ, WR, WS, WT, wireTask, wireWorkflow } from './helpers.js';

/** Expects a validation error naming `field` whose reason matches `reason`. */
async function rejectsWith(call: () => unknown, field: string, reason: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await call();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TaskRouterValidationError);
  expect(caught).toMatchObject({ field });
  expect((caught as TaskRouterValidationError).reason).toMatch(reason);
}

describe('input is checked before any request', () => {
  it('rejects a malformed workspace SID when the accessor is made', async () => {
    const { api, requests } = recordingClient();
    await rejectsWith(() => tasks(api, 'WS123'), 'workspaceSid', /34|Workspace/);
    await rejectsWith(() => activities(api, WT), 'workspaceSid', /starting with "WT"/);
    expect(requests).toHaveLength(0);
  });

  it('rejects a SID of the wrong kind for an instance', async () => {
    const { api, requests } = recordingClient();
    await rejectsWith(() => workers(api, WS).get(WT), 'sid', /Worker/);
    await rejectsWith(() => taskReservations(api, WS, WK), 'taskSid', /Task/);
    expect(requests).toHaveLength(0);
  });

  it('rejects a blank channel name', async () => {
    const { api, requests } = recordingClient();
    await rejectsWith(() => taskChannels(api, WS).get(' '), 'sid', /unique name/);
    await rejectsWith(() => workerChannels(api, WS, WK).update('', { capacity: 1 }), 'sid', /unique name/);
    expect(requests).toHaveLength(0);
  });

  it('rejects malformed SIDs among the parameters', async () => {
    const { api, requests } = recordingClient();
    await rejectsWith(() => tasks(api, WS).create({ workflowSid: WQ }), 'workflowSid', /Workflow/);
    await rejectsWith(
      () => tasks(api, WS).list({ taskQueueSid: 'nope' }).toArray(),
      'taskQueueSid',
      /TaskQueue/,
    );
    await rejectsWith(() => tasks(api, WS).create({ routingTarget: WT }), 'routingTarget', /WK.*WQ.*WW/);
    expect(requests).toHaveLength(0);
  });

  it('checks every SID-valued parameter the spec gives a pattern, by its camelCase name', async () => {
    const { api, requests } = recordingClient();
    await rejectsWith(() => events(api, WS).list({ sid: WT }).toArray(), 'sid', /an Event SID/);
    await rejectsWith(
      () => taskReservations(api, WS, WT).update(WR, { reservationStatus: 'accepted', redirectCallSid: WT }),
      'redirectCallSid',
      /a Call SID/,
    );
    await rejectsWith(
      () => workspaces(api).update(WS, { timeoutActivitySid: WQ }),
      'timeoutActivitySid',
      /an Activity SID/,
    );
    expect(requests).toHaveLength(0);
  });

  it('rejects empty or missing required parameters', async () => {
    const { api, requests } = recordingClient();
    await rejectsWith(() => workspaces(api).create({ friendlyName: '' }), 'friendlyName', /required/);
    await rejectsWith(() => workers(api, WS).create({ friendlyName: '   ' }), 'friendlyName', /empty/);
    await rejectsWith(
      () => taskChannels(api, WS).create({ friendlyName: 'Email' } as never),
      'uniqueName',
      /required/,
    );
    await rejectsWith(
      () => workflows(api, WS).create({ friendlyName: 'Sales' } as never),
      'configuration',
      /required/,
    );
    expect(requests).toHaveLength(0);
  });

  it('looks parameters up as own fields only: __proto__ and constructor are no way into Object.prototype', async () => {
    const { api, requests } = recordingClient(() => ({ body: wireTask() }));
    // JSON.parse makes `__proto__` an own field, as a body parser would.
    const hostile = JSON.parse('{"friendlyName": "Support", "__proto__": {"template": "FIFO"}}') as {
      friendlyName: string;
    };
    await rejectsWith(() => workspaces(api).create(hostile), '__proto__', /not a parameter name/);
    await rejectsWith(
      () => workspaces(api).create(Object.create({ friendlyName: 'inherited' })),
      'friendlyName',
      /required/,
    );
    await rejectsWith(
      () => tasks(api, WS).list(JSON.parse('{"__proto__": 1}')).toArray(),
      '__proto__',
      /not a parameter name/,
    );
    expect(requests).toHaveLength(0);

    // Names of Object.prototype's members are plain fields: sent as given, never read from the prototype.
    await tasks(api, WS).create({ constructor: 'x', toString: 'y', workflowSid: undefined } as never);
    expect(requests.at(-1)?.body).toEqual({ Constructor: 'x', ToString: 'y' });
  });

  it('rejects attributes that JSON cannot represent', async () => {
    const { api, requests } = recordingClient();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    await rejectsWith(
      () => tasks(api, WS).create({ attributes: { onCall: () => 1 } }),
      'attributes',
      /"onCall" holds a function/,
    );
    await rejectsWith(
      () => tasks(api, WS).create({ attributes: { count: 10n } }),
      'attributes',
      /"count" holds a bigint/,
    );
    await rejectsWith(() => tasks(api, WS).create({ attributes: cyclic }), 'attributes', /circular/i);
    await rejectsWith(
      () => workers(api, WS).update(WK, { attributes: '{"a":' }),
      'attributes',
      /not valid JSON/,
    );
    await rejectsWith(
      () => workers(api, WS).update(WK, { attributes: '[1,2]' }),
      'attributes',
      /JSON object/,
    );
    await rejectsWith(
      () => tasks(api, WS).update(WT, { attributes: [] as never }),
      'attributes',
      /JSON object/,
    );
    expect(requests).toHaveLength(0);
  });

  it('rejects an invalid Date', async () => {
    const { api, requests } = recordingClient();
    await rejectsWith(
      () => tasks(api, WS).create({ virtualStartTime: new Date('not a date') }),
      'virtualStartTime',
      /invalid Date/,
    );
    await rejectsWith(
      () => statistics(api, WS).workspace.cumulative({ endDate: new Date(Number.NaN) }),
      'endDate',
      /invalid/,
    );
    expect(requests).toHaveLength(0);
  });

  it('rejects a bulk statistics call with too few, too many or malformed queue SIDs', async () => {
    const { api, requests } = recordingClient();
    const queues = statistics(api, WS).taskQueues;
    await rejectsWith(() => queues.realTime([]), 'taskQueueSids', /1 to 50/);
    await rejectsWith(
      () => queues.realTime(Array.from({ length: 51 }, () => WQ)),
      'taskQueueSids',
      /1 to 50/,
    );
    await rejectsWith(() => queues.realTime([WQ, WK]), 'taskQueueSids[1]', /TaskQueue/);
    expect(requests).toHaveLength(0);
  });
});

describe('JSON documents', () => {
  it('sends a configuration built by an object with toJSON() that returns text as that text', async () => {
    const { api, requests } = recordingClient(() => ({ body: wireWorkflow() }));
    const text = '{"task_routing":{"filters":[]}}';
    await workflows(api, WS).create({ friendlyName: 'Built', configuration: { toJSON: () => text } });
    expect(requests[0]?.body).toMatchObject({ Configuration: text });
  });

  it('serialises what toJSON() returns when it is an object', async () => {
    const { api, requests } = recordingClient(() => ({ body: wireWorkflow() }));
    const builder = { toJSON: () => ({ task_routing: { default_filter: { queue: WQ } } }) };
    await workflows(api, WS).update(`WW${'3'.repeat(32)}`, { configuration: builder });
    const body = requests[0]?.body as { Configuration: string };
    expect(JSON.parse(body.Configuration)).toEqual(builder.toJSON());
  });

  it('sends attributes text as given', async () => {
    const { api, requests } = recordingClient(() => ({ body: wireTask() }));
    await tasks(api, WS).update(WT, { attributes: '{ "spaced" : true }' });
    expect(requests[0]?.body).toEqual({ Attributes: '{ "spaced" : true }' });
  });

  it('leaves undefined parameters out', async () => {
    const { api, requests } = recordingClient(() => ({ body: wireTask() }));
    await tasks(api, WS).update(WT, { priority: 3, reason: undefined });
    expect(requests[0]?.body).toEqual({ Priority: '3' });
  });
});
