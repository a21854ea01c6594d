import { found, type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { invalidParameter } from '../errors.js';
import { listPage } from '../paging.js';
import { isoDate } from '../render.js';
import type { EventRecord, WorkspaceState } from '../state.js';
import { findTaskChannel } from './task-channels.js';

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

/** Reads `TaskChannel` (SID or unique name) and returns the channel SID, if one was given. */
export function readTaskChannelFilter(
  context: RequestContext,
  workspace: WorkspaceState,
): string | undefined {
  const value = context.params.string('TaskChannel', { nonEmpty: true });
  if (value === undefined) return undefined;
  const channel = findTaskChannel(workspace, value);
  if (!channel) throw invalidParameter('TaskChannel', `no task channel '${value}' exists in this workspace`);
  return channel.sid;
}

/** The event's JSON body. */
export function renderEvent(workspace: WorkspaceState, event: EventRecord, origin: string) {
  return {
    account_sid: workspace.record.accountSid,
    actor_sid: event.actor.sid,
    actor_type: event.actor.type,
    actor_url: event.actor.path === null ? null : origin + event.actor.path,
    description: event.description,
    event_data: event.data,
    event_date: isoDate(event.created),
    event_date_ms: event.created,
    event_type: event.eventType,
    resource_sid: event.resourceSid,
    resource_type: event.resourceType,
    resource_url: origin + event.resourcePath,
    sid: event.sid,
    source: event.source,
    source_ip_address: event.sourceIpAddress,
    url: `${origin}${workspace.path}/Events/${event.sid}`,
    workspace_sid: workspace.sid,
  };
}

export const eventHandlers = {
  ListEvent(context) {
    const workspace = workspaceOf(context);
    const params = context.params;
    const window = readTimeWindow(context);
    const types = params.list('EventType');
    const filters: [keyof EventRecord, string | undefined][] = [
      ['reservationSid', params.string('ReservationSid')],
      ['taskQueueSid', params.string('TaskQueueSid')],
      ['taskSid', params.string('TaskSid')],
      ['workerSid', params.string('WorkerSid')],
      ['workflowSid', params.string('WorkflowSid')],
      ['taskChannelSid', readTaskChannelFilter(context, workspace)],
      ['sid', params.string('Sid')],
    ];
    const active = filters.filter(([, value]) => value !== undefined);
    const items = [...workspace.events.values()].filter(
      (event) =>
        event.created >= window.start &&
        event.created <= window.end &&
        (types.length === 0 || types.includes(event.eventType)) &&
        active.every(([field, value]) => event[field] === value),
    );
    return listPage(context, items, 'events', (event) => renderEvent(workspace, event, context.origin));
  },

  FetchEvent(context) {
    const workspace = workspaceOf(context);
    const event = found(workspace.events, context.path.Sid, context);
    return { status: 200, body: renderEvent(workspace, event, context.origin) };
  },
} satisfies Record<string, OperationHandler>;
