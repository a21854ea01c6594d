import type { ResourceBody } from './body.js';
import type { TaskQueueRecord, WorkspaceState } from '../domain/state.js';
import { isoDate, links } from './format.js';

/** The queue's JSON body. */
export function renderTaskQueue(
  workspace: WorkspaceState,
  queue: TaskQueueRecord,
  origin: string,
): ResourceBody<'taskrouter.v1.workspace.task_queue'> {
  const url = `${origin}${workspace.path}/TaskQueues/${queue.sid}`;
  const activityName = (sid: string | null) =>
    sid ? (workspace.activities.get(sid)?.friendlyName ?? null) : null;
  const base = origin + workspace.path;
  return {
    account_sid: workspace.record.accountSid,
    assignment_activity_sid: queue.assignmentActivitySid,
    assignment_activity_name: activityName(queue.assignmentActivitySid),
    date_created: isoDate(queue.created),
    date_updated: isoDate(queue.updated),
    friendly_name: queue.friendlyName,
    max_reserved_workers: queue.maxReservedWorkers,
    reservation_activity_sid: queue.reservationActivitySid,
    reservation_activity_name: activityName(queue.reservationActivitySid),
    sid: queue.sid,
    target_workers: queue.targetWorkers,
    task_order: queue.taskOrder,
    url,
    workspace_sid: workspace.sid,
    links: {
      ...(queue.assignmentActivitySid
        ? { assignment_activity: `${base}/Activities/${queue.assignmentActivitySid}` }
        : {}),
      ...(queue.reservationActivitySid
        ? { reservation_activity: `${base}/Activities/${queue.reservationActivitySid}` }
        : {}),
      ...links(base, {
        workspace: '',
        statistics: `/TaskQueues/${queue.sid}/Statistics`,
        real_time_statistics: `/TaskQueues/${queue.sid}/RealTimeStatistics`,
        cumulative_statistics: `/TaskQueues/${queue.sid}/CumulativeStatistics`,
        list_statistics: '/TaskQueues/Statistics',
        bulk_real_time_statistics: '/TaskQueues/RealTimeStatistics',
      }),
    },
  };
}
