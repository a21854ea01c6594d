import { type OperationId, operationTable } from '@taskrouter/core';
import { sidParameters } from '@taskrouter/core/facts';
import { describe, expect, it } from 'vitest';
import * as resources from '../src/index.js';
import type { CatalogEntry, StatisticsEntry } from '../src/index.js';
import { recordingClient, WS } from './helpers.js';

const collections = {
  workspaceCatalog: (api) => resources.workspaces(api),
  activityCatalog: (api) => resources.activities(api, WS),
  taskQueueCatalog: (api) => resources.taskQueues(api, WS),
  workflowCatalog: (api) => resources.workflows(api, WS),
  workerCatalog: (api) => resources.workers(api, WS),
  taskCatalog: (api) => resources.tasks(api, WS),
  taskChannelCatalog: (api) => resources.taskChannels(api, WS),
  workerChannelCatalog: (api) => resources.workerChannels(api, WS, `WK${'1'.repeat(32)}`),
  taskReservationCatalog: (api) => resources.taskReservations(api, WS, `WT${'1'.repeat(32)}`),
  workerReservationCatalog: (api) => resources.workerReservations(api, WS, `WK${'1'.repeat(32)}`),
  eventCatalog: (api) => resources.events(api, WS),
} satisfies Record<string, (api: resources.TaskRouterClient['api']) => object>;

const statistics = {
  workspaceStatisticsCatalog: (stats) => stats.workspace,
  workersStatisticsCatalog: (stats) => stats.workers,
  taskQueueStatisticsCatalog: (stats) => stats.taskQueue(`WQ${'1'.repeat(32)}`),
  workerStatisticsCatalog: (stats) => stats.worker(`WK${'1'.repeat(32)}`),
  workflowStatisticsCatalog: (stats) => stats.workflow(`WW${'1'.repeat(32)}`),
} satisfies Record<string, (stats: resources.StatisticsApi) => object>;

const catalog = resources as unknown as Record<string, CatalogEntry & StatisticsEntry>;
const METHODS_OF: Record<string, string[]> = {
  list: ['list', 'page'],
  create: ['create'],
  fetch: ['get'],
  update: ['update'],
  delete: ['delete'],
};

describe('the catalog', () => {
  it.each(Object.entries(collections))(
    '%s agrees with the spec and builds exactly its methods',
    (name, build) => {
      const entry = catalog[name]!;
      const operations = Object.entries(entry.operations) as [string, OperationId][];
      for (const [kind, id] of operations) {
        const info = operationTable[id];
        expect(info.path, id).toBe(info.pathType === 'list' ? entry.path : `${entry.path}/{Sid}`);
        expect(info.method, id).toBe(
          { list: 'GET', fetch: 'GET', create: 'POST', update: 'POST', delete: 'DELETE' }[kind],
        );
      }
      const fetchId = entry.operations.fetch!;
      const specPrefix = (sidParameters[fetchId] as { path?: Record<string, string> }).path?.Sid;
      expect(entry.sidPrefix).toBe(specPrefix);

      const { api } = recordingClient();
      const methods = Object.keys(build(api)).sort();
      expect(methods).toEqual(operations.flatMap(([kind]) => METHODS_OF[kind] ?? []).sort());
    },
  );

  it.each(Object.entries(statistics))('%s names the views the spec has, where it has them', (name, pick) => {
    const entry = catalog[name]!;
    const suffix = { get: 'Statistics', realTime: 'RealTimeStatistics', cumulative: 'CumulativeStatistics' };
    for (const [view, id] of Object.entries(entry.operations) as [keyof typeof suffix, OperationId][]) {
      expect(operationTable[id].path).toBe(`${entry.path}/${suffix[view]}`);
    }
    const { api } = recordingClient();
    expect(Object.keys(pick(resources.statistics(api, WS))).sort()).toEqual(
      Object.keys(entry.operations).sort(),
    );
  });

  it('reaches every operation of the spec', () => {
    const named = Object.values(catalog)
      .filter((entry) => typeof entry === 'object' && entry !== null && 'operations' in entry)
      .flatMap((entry) => Object.values(entry.operations));
    // The bulk statistics of several queues are a list and a JSON-bodied call of their own.
    const byHand = ['ListTaskQueuesStatistics', 'CreateTaskQueueBulkRealTimeStatistics'];
    expect([...named, ...byHand].sort()).toEqual(Object.keys(operationTable).sort());
  });
});

describe('paging goes through core', () => {
  it('refuses the page sizes and limits core refuses, before sending anything', async () => {
    const { api, requests } = recordingClient();
    const tasks = resources.tasks(api, WS);
    for (const pageSize of [0, 1001, 2.5]) {
      await expect(tasks.page({ pageSize })).rejects.toMatchObject({ field: 'pageSize' });
      await expect(tasks.list({ pageSize }).toArray()).rejects.toMatchObject({ field: 'pageSize' });
    }
    await expect(tasks.list({ limit: -1 }).toArray()).rejects.toMatchObject({ field: 'limit' });
    expect(requests).toHaveLength(0);
  });
});
