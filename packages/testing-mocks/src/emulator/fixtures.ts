import type { Schemas } from '@taskrouter/core';
import { createEmulator } from '../emulator.js';
import type { Emulator } from './types.js';

/** A list page: the items under their key, and a correct `meta`. */
export type FixturePage<Key extends string, Item> = { [K in Key]: Item[] } & { meta: Schemas['list_meta'] };

/** Factories of complete, schema-shaped TaskRouter bodies for hand-written mocks. */
export interface Fixtures {
  workspace(overrides?: Partial<Schemas['taskrouter.v1.workspace']>): Schemas['taskrouter.v1.workspace'];
  activity(
    overrides?: Partial<Schemas['taskrouter.v1.workspace.activity']>,
  ): Schemas['taskrouter.v1.workspace.activity'];
  taskChannel(
    overrides?: Partial<Schemas['taskrouter.v1.workspace.task_channel']>,
  ): Schemas['taskrouter.v1.workspace.task_channel'];
  taskQueue(
    overrides?: Partial<Schemas['taskrouter.v1.workspace.task_queue']>,
  ): Schemas['taskrouter.v1.workspace.task_queue'];
  worker(
    overrides?: Partial<Schemas['taskrouter.v1.workspace.worker']>,
  ): Schemas['taskrouter.v1.workspace.worker'];
  workerChannel(
    overrides?: Partial<Schemas['taskrouter.v1.workspace.worker.worker_channel']>,
  ): Schemas['taskrouter.v1.workspace.worker.worker_channel'];
  workflow(
    overrides?: Partial<Schemas['taskrouter.v1.workspace.workflow']>,
  ): Schemas['taskrouter.v1.workspace.workflow'];
  task(overrides?: Partial<Schemas['taskrouter.v1.workspace.task']>): Schemas['taskrouter.v1.workspace.task'];
  reservation(
    overrides?: Partial<Schemas['taskrouter.v1.workspace.task.task_reservation']>,
  ): Schemas['taskrouter.v1.workspace.task.task_reservation'];
  event(
    overrides?: Partial<Schemas['taskrouter.v1.workspace.event']>,
  ): Schemas['taskrouter.v1.workspace.event'];
  /** One page of a list, with `meta` pointing at `url` (next and previous pages null). */
  page<Key extends string, Item>(key: Key, items: Item[], options?: { url?: string }): FixturePage<Key, Item>;
}

/**
 * Creates fixture factories. Each body is produced by a private emulator, so it has every field
 * the API returns, realistic SIDs and consistent URLs; `overrides` replace fields afterwards.
 * Fixtures made by one factory set share one workspace.
 *
 * @example
 * ```ts
 * const worker = fixtures.worker({ friendly_name: 'Alice', attributes: '{"skills":["en"]}' });
 * const page = fixtures.page('workers', [worker]);
 * ```
 */
export function createFixtures(): Fixtures {
  let emulator: Emulator | undefined;
  let workspaceSid = '';
  let queueSid = '';
  let made = 0;
  // The private emulator is replaced now and then so that memory stays flat in long suites.
  const scratch = (): Emulator => {
    if (emulator === undefined || made++ > 500) {
      emulator = createEmulator();
      made = 0;
      workspaceSid = emulator.seed.workspace({ FriendlyName: 'Fixtures', Template: 'FIFO' }).sid!;
      queueSid = emulator.inspect.taskQueues(workspaceSid)[0]!.sid!;
    }
    return emulator;
  };
  return {
    workspace: (overrides) => ({ ...scratch().seed.workspace(), ...overrides }),
    activity: (overrides) => ({ ...scratch().seed.activity(workspaceSid), ...overrides }),
    taskChannel: (overrides) => ({ ...scratch().seed.taskChannel(workspaceSid), ...overrides }),
    taskQueue: (overrides) => ({ ...scratch().seed.taskQueue(workspaceSid), ...overrides }),
    worker: (overrides) => ({ ...scratch().seed.worker(workspaceSid), ...overrides }),
    workerChannel: (overrides) => {
      const current = scratch();
      const worker = current.seed.worker(workspaceSid);
      return { ...current.inspect.workerChannels(workspaceSid, worker.sid!)[0]!, ...overrides };
    },
    workflow: (overrides) => ({
      ...scratch().seed.workflow(workspaceSid, {
        Configuration: { task_routing: { default_filter: { queue: queueSid } } },
      }),
      ...overrides,
    }),
    task: (overrides) => ({ ...scratch().seed.task(workspaceSid), ...overrides }),
    reservation: (overrides) => {
      const current = scratch();
      const task = current.seed.task(workspaceSid);
      const worker = current.seed.worker(workspaceSid);
      return {
        ...current.seed.reservation(workspaceSid, { taskSid: task.sid!, workerSid: worker.sid! }),
        ...overrides,
      };
    },
    event: (overrides) => {
      const current = scratch();
      current.seed.activity(workspaceSid);
      return { ...current.inspect.events(workspaceSid).at(-1)!, ...overrides };
    },
    page: (key, items, options = {}) => {
      const url = options.url ?? `${scratch().baseUrl}/v1/${key}`;
      const pageUrl = `${url}${url.includes('?') ? '&' : '?'}PageSize=${Math.max(items.length, 1)}&Page=0`;
      return {
        [key]: items,
        meta: {
          page: 0,
          page_size: Math.max(items.length, 1),
          first_page_url: pageUrl,
          previous_page_url: null,
          next_page_url: null,
          url: pageUrl,
          key,
        },
      } as FixturePage<typeof key, (typeof items)[number]>;
    },
  };
}

/** Shared fixture factories; see {@link createFixtures}. */
export const fixtures: Fixtures = createFixtures();
