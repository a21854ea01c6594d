import { found, type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { badRequest } from '../../domain/errors.js';
import { type EventSource, recordEvent } from '../../domain/event-log.js';
import { listPage } from '../paging.js';
import { newSid } from '../../domain/sid.js';
import type { ActivityRecord, WorkspaceState } from '../../domain/state.js';
import { touch } from '../../domain/state.js';
import { renderActivity } from '../../render/activities.js';

/** TaskRouter's cap on activities per workspace. */
const MAX_ACTIVITIES = 100;

/** Stores a validated activity and records `activity.created`. */
export function insertActivity(
  source: EventSource,
  workspace: WorkspaceState,
  input: { friendlyName: string; available: boolean },
): ActivityRecord {
  const now = source.store.clock.nowMs();
  const activity: ActivityRecord = {
    sid: newSid('WA'),
    seq: source.store.nextSeq(),
    created: now,
    updated: now,
    friendlyName: input.friendlyName,
    available: input.available,
  };
  workspace.activities.set(activity.sid, activity);
  recordActivityEvent(source, workspace, activity, 'activity.created', 'created');
  return activity;
}

function recordActivityEvent(
  source: EventSource,
  workspace: WorkspaceState,
  activity: ActivityRecord,
  eventType: string,
  verb: string,
): void {
  recordEvent(source, workspace, {
    eventType,
    description: `Activity ${activity.friendlyName} ${verb}`,
    resourceType: 'activity',
    resourceSid: activity.sid,
    data: {
      activity_sid: activity.sid,
      activity_name: activity.friendlyName,
      activity_available: activity.available,
    },
  });
}

function activityOf(context: RequestContext): [WorkspaceState, ActivityRecord] {
  const workspace = workspaceOf(context);
  return [workspace, found(workspace.activities, context.path.Sid, context)];
}

/** Why an activity cannot be deleted, or null when nothing refers to it. */
function activityInUse(workspace: WorkspaceState, sid: string): string | null {
  if (workspace.record.defaultActivitySid === sid) return 'it is the workspace default activity';
  if (workspace.record.timeoutActivitySid === sid) return 'it is the workspace timeout activity';
  for (const worker of workspace.workers.values()) {
    if (worker.activitySid === sid) return `worker ${worker.sid} is in it`;
  }
  for (const queue of workspace.taskQueues.values()) {
    if (queue.reservationActivitySid === sid || queue.assignmentActivitySid === sid) {
      return `task queue ${queue.sid} refers to it`;
    }
  }
  return null;
}

export const activityHandlers = {
  ListActivity(context) {
    const workspace = workspaceOf(context);
    const name = context.params.string('FriendlyName');
    const available = context.params.lenientBoolean('Available');
    return listPage(context, {
      items: workspace.activities.ordered,
      matches: (activity) =>
        (name === undefined || activity.friendlyName === name) &&
        (available === undefined || activity.available === available),
      key: 'activities',
      render: (activity) => renderActivity(workspace, activity, context.origin),
    });
  },

  CreateActivity(context) {
    const workspace = workspaceOf(context);
    const friendlyName = context.params.string('FriendlyName', { required: true, maxLength: 64 });
    const available = context.params.lenientBoolean('Available') ?? false;
    if (workspace.activities.size >= MAX_ACTIVITIES) {
      throw badRequest(`A workspace holds at most ${MAX_ACTIVITIES} activities`);
    }
    const activity = insertActivity(context, workspace, { friendlyName, available });
    return { status: 201, body: renderActivity(workspace, activity, context.origin) };
  },

  FetchActivity(context) {
    const [workspace, activity] = activityOf(context);
    return { status: 200, body: renderActivity(workspace, activity, context.origin) };
  },

  UpdateActivity(context) {
    const [workspace, activity] = activityOf(context);
    // `Available` is fixed at creation; TaskRouter ignores it on update.
    const friendlyName = context.params.string('FriendlyName', { maxLength: 64, nonEmpty: true });
    if (friendlyName !== undefined && friendlyName !== activity.friendlyName) {
      activity.friendlyName = friendlyName;
      touch(context, activity);
      recordActivityEvent(context, workspace, activity, 'activity.updated', 'updated');
    }
    return { status: 200, body: renderActivity(workspace, activity, context.origin) };
  },

  DeleteActivity(context) {
    const [workspace, activity] = activityOf(context);
    const reason = activityInUse(workspace, activity.sid);
    if (reason !== null) throw badRequest(`Activity ${activity.sid} cannot be deleted: ${reason}`);
    workspace.activities.delete(activity.sid);
    recordActivityEvent(context, workspace, activity, 'activity.deleted', 'deleted');
    return { status: 204 };
  },
} satisfies Record<string, OperationHandler>;
