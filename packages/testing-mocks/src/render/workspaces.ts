import type { ResourceBody } from './body.js';
import type { WorkspaceState } from '../domain/state.js';
import { isoDate, links } from './format.js';

/** The workspace's JSON body. */
export function renderWorkspace(
  workspace: WorkspaceState,
  origin: string,
): ResourceBody<'taskrouter.v1.workspace'> {
  const record = workspace.record;
  const url = origin + workspace.path;
  return {
    account_sid: record.accountSid,
    date_created: isoDate(record.created),
    date_updated: isoDate(record.updated),
    default_activity_name: workspace.activities.get(record.defaultActivitySid)?.friendlyName ?? null,
    default_activity_sid: record.defaultActivitySid,
    event_callback_url: record.eventCallbackUrl,
    events_filter: record.eventsFilter,
    friendly_name: record.friendlyName,
    multi_task_enabled: record.multiTaskEnabled,
    sid: record.sid,
    timeout_activity_name: workspace.activities.get(record.timeoutActivitySid)?.friendlyName ?? null,
    timeout_activity_sid: record.timeoutActivitySid,
    prioritize_queue_order: record.prioritizeQueueOrder,
    url,
    links: links(url, {
      activities: '/Activities',
      statistics: '/Statistics',
      real_time_statistics: '/RealTimeStatistics',
      cumulative_statistics: '/CumulativeStatistics',
      task_queues: '/TaskQueues',
      tasks: '/Tasks',
      workers: '/Workers',
      workflows: '/Workflows',
      task_channels: '/TaskChannels',
      events: '/Events',
    }),
  };
}
