import { type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { invalidParameter, notFound } from '../../domain/errors.js';
import { findEvent, eventSid, eventTaskSid, eventWorkerSid } from '../../domain/event-log.js';
import { listPage } from '../paging.js';
import type { EventRecord } from '../../domain/state.js';
import { taskChannelParameter } from './task-channels.js';
import { renderEvent } from '../../render/events.js';

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
