/**
 * Canned TaskRouter data shared by the stub server, the benchmark clients and the tests: the same
 * credentials, SIDs and response shapes a real account would see.
 */
import { formatTwilioDate } from '@taskrouter/core';

/** Builds a well-formed 34-character SID from a prefix and a counter. */
export function sidFor(prefix: string, counter: number): string {
  return prefix + counter.toString(16).padStart(32, '0');
}

export const ACCOUNT_SID = sidFor('AC', 0xacc);
export const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
export const WORKSPACE_SID = sidFor('WS', 1);
export const WORKFLOW_SID = sidFor('WW', 1);
export const TASK_QUEUE_SID = sidFor('WQ', 1);
export const TASK_CHANNEL_SID = sidFor('TC', 1);

/** Attributes every benchmark client sends when it creates a task. */
export const TASK_ATTRIBUTES = { type: 'support', language: 'en', customer: { tier: 'gold', id: 4711 } };
export const TASK_PRIORITY = 5;

/** Number of tasks the stub lists, and the page size every client asks for when walking them. */
export const LIST_TOTAL = 1000;
export const LIST_PAGE_SIZE = 50;

/** When the first task was created; each later SID one second after the one before. */
const FIRST_TASK_CREATED_MS = Date.UTC(2024, 2, 14, 15, 9, 26);

/**
 * A task resource as TaskRouter returns it (snake_case, attributes as a JSON string). Every task has
 * its own creation time, as in a real list; a pending task's other timestamps repeat it.
 */
export function taskJson(origin: string, sid: string, attributes: string, priority: number): object {
  const url = `${origin}/v1/Workspaces/${WORKSPACE_SID}/Tasks/${sid}`;
  const created = formatTwilioDate(
    new Date(FIRST_TASK_CREATED_MS + Number.parseInt(sid.slice(2), 16) * 1000),
  );
  return {
    account_sid: ACCOUNT_SID,
    age: 25200,
    assignment_status: 'pending',
    attributes,
    addons: '{}',
    date_created: created,
    date_updated: created,
    task_queue_entered_date: created,
    priority,
    reason: null,
    sid,
    task_queue_sid: TASK_QUEUE_SID,
    task_queue_friendly_name: 'Support',
    task_channel_sid: TASK_CHANNEL_SID,
    task_channel_unique_name: 'default',
    timeout: 86400,
    workflow_sid: WORKFLOW_SID,
    workflow_friendly_name: 'Default Fifo Workflow',
    workspace_sid: WORKSPACE_SID,
    url,
    links: {
      task_queue: `${origin}/v1/Workspaces/${WORKSPACE_SID}/TaskQueues/${TASK_QUEUE_SID}`,
      workflow: `${origin}/v1/Workspaces/${WORKSPACE_SID}/Workflows/${WORKFLOW_SID}`,
      workspace: `${origin}/v1/Workspaces/${WORKSPACE_SID}`,
      reservations: `${url}/Reservations`,
    },
    virtual_start_time: created,
    ignore_capacity: false,
    routing_target: null,
  };
}

/**
 * The export condition under which Node.js loads `@taskrouter/core`'s entry for other runtimes,
 * whose clients send with the platform fetch; on Node the package defaults to its Node transport.
 * Nothing else the bench loads has an export under this condition.
 */
export const FETCH_ENTRY_CONDITION = 'edge-light';

/** Clients whose process starts under {@link FETCH_ENTRY_CONDITION}. */
export const FETCH_ENTRY_CLIENTS: ReadonlySet<string> = new Set([
  'core, fetch entry',
  'resources, fetch entry',
]);
