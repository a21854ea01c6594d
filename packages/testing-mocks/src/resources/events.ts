import { type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { invalidParameter, notFound } from '../errors.js';
import {
  eventData,
  eventDescription,
  eventResourcePath,
  findEvent,
  eventSid,
  eventTaskSid,
  eventWorkerSid,
} from '../event-log.js';
import { listPage } from '../paging.js';
import { isoDate } from '../render.js';
import type { EventRecord, WorkspaceState } from '../state.js';
import { taskChannelParameter } from './task-channels.js';

/** Minutes of history a statistics or events request covers when it names no window. */
const DEFAULT_MINUTES = 15;
/** TaskRouter keeps 30 days of history. */
const MAX_MINUTES = 43_200;

/** A time window in epoch milliseconds, both ends included. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** Reads `Minutes` or `StartDate`/`EndDate` (never both), defaulting to the last 15 minutes. */
export function readTimeWindow(context: RequestContext): TimeWindow {
  const params = context.params;
  const now = context.store.clock.nowMs();
  const minutes = params.integer('Minutes', 1, MAX_MINUTES);
  const startDate = params.date('StartDate');
  const endDate = params.date('EndDate');
  if (minutes !== undefined && (startDate !== undefined || endDate !== undefined)) {
    throw invalidParameter('Minutes', 'cannot be combined with StartDate or EndDate');
  }
  const end = endDate ?? now;
  const start = startDate ?? now - (minutes ?? DEFAULT_MINUTES) * 60_000;
  if (start > end) throw invalidParameter('StartDate', 'must not be after EndDate');
  return { start, end };
}

/** The event's JSON body. */
export function renderEvent(workspace: WorkspaceState, event: EventRecord, origin: string) {
  const actor = event.actor ?? { type: 'workspace', sid: workspace.sid, path: workspace.path };
  const sid = eventSid(workspace, event);
  return {
    account_sid: workspace.record.accountSid,
    actor_sid: actor.sid,
    actor_type: actor.type,
    actor_url: actor.path === null ? null : origin + actor.path,
    description: eventDescription(workspace, event),
    event_data: eventData(workspace, event),
    event_date: isoDate(event.created),
    event_date_ms: event.created,
    event_type: event.eventType,
    resource_sid: event.resourceSid,
    resource_type: event.resourceType,
    resource_url: origin + eventResourcePath(workspace, event),
    sid,
    source: event.system ? 'SYSTEM' : 'API',
    source_ip_address: event.sourceIpAddress,
    url: `${origin}${workspace.path}/Events/${sid}`,
    workspace_sid: workspace.sid,
  };
}

export const eventHandlers = {
  ListEvent(context) {
    const workspace = workspaceOf(context);
    const params = context.params;
    const window = readTimeWindow(context);
    const types = params.list('EventType');
    const sid = params.string('Sid');
    const filters: [(event: EventRecord) => string | null, string | undefined][] = [
      [(event) => event.reservationSid, params.string('ReservationSid')],
      [(event) => event.taskQueueSid, params.string('TaskQueueSid')],
      [eventTaskSid, params.string('TaskSid')],
      [eventWorkerSid, params.string('WorkerSid')],
      [(event) => event.workflowSid, params.string('WorkflowSid')],
      [(event) => event.taskChannelSid, taskChannelParameter(context, workspace)],
      [(event) => eventSid(workspace, event), sid],
    ];
    const active = filters.filter(([, value]) => value !== undefined);
    return listPage(context, {
      items: workspace.events,
      matches: (event) =>
        event.created >= window.start &&
        event.created <= window.end &&
        (types.length === 0 || types.includes(event.eventType)) &&
        active.every(([field, value]) => field(event) === value),
      key: 'events',
      render: (event) => renderEvent(workspace, event, context.origin),
    });
  },

  FetchEvent(context) {
    const workspace = workspaceOf(context);
    const event = findEvent(workspace, context.path.Sid ?? '');
    if (!event) throw notFound(context.pathname);
    return { status: 200, body: renderEvent(workspace, event, context.origin) };
  },
} satisfies Record<string, OperationHandler>;
