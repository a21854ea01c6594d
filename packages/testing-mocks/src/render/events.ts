import type { ResourceBody } from './body.js';
import type { EventRecord, WorkspaceState } from '../domain/state.js';
import { eventData, eventDescription, eventResourcePath, eventSid } from '../domain/event-log.js';
import { isoDate } from './format.js';

/** The event's JSON body. */
export function renderEvent(
  workspace: WorkspaceState,
  event: EventRecord,
  origin: string,
): ResourceBody<'taskrouter.v1.workspace.event'> {
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
