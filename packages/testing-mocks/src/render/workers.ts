import type { ResourceBody } from './body.js';
import type { WorkerChannelRecord, WorkerRecord, WorkspaceState } from '../domain/state.js';
import { availableCapacityPercentage } from '../domain/workers.js';
import { isoDate, links } from './format.js';

/** The worker's JSON body. */
export function renderWorker(
  workspace: WorkspaceState,
  worker: WorkerRecord,
  origin: string,
): ResourceBody<'taskrouter.v1.workspace.worker'> {
  const activity = workspace.activities.get(worker.activitySid);
  const base = origin + workspace.path;
  const url = `${base}/Workers/${worker.sid}`;
  return {
    account_sid: workspace.record.accountSid,
    activity_name: activity?.friendlyName ?? null,
    activity_sid: worker.activitySid,
    attributes: worker.attributes,
    available: activity?.available ?? false,
    date_created: isoDate(worker.created),
    date_status_changed: isoDate(worker.dateStatusChanged),
    date_updated: isoDate(worker.updated),
    friendly_name: worker.friendlyName,
    sid: worker.sid,
    workspace_sid: workspace.sid,
    url,
    links: links(base, {
      channels: `/Workers/${worker.sid}/Channels`,
      activity: `/Activities/${worker.activitySid}`,
      workspace: '',
      statistics: `/Workers/${worker.sid}/Statistics`,
      real_time_statistics: '/Workers/RealTimeStatistics',
      cumulative_statistics: '/Workers/CumulativeStatistics',
      worker_statistics: `/Workers/${worker.sid}/Statistics`,
      worker_channels: `/Workers/${worker.sid}/Channels`,
      reservations: `/Workers/${worker.sid}/Reservations`,
    }),
  };
}

/** The worker channel's JSON body. */
export function renderWorkerChannel(
  workspace: WorkspaceState,
  channel: WorkerChannelRecord,
  origin: string,
): ResourceBody<'taskrouter.v1.workspace.worker.worker_channel'> {
  return {
    account_sid: workspace.record.accountSid,
    assigned_tasks: channel.assignedTasks,
    available: channel.available,
    available_capacity_percentage: availableCapacityPercentage(channel),
    configured_capacity: channel.capacity,
    date_created: isoDate(channel.created),
    date_updated: isoDate(channel.updated),
    sid: channel.sid,
    task_channel_sid: channel.taskChannelSid,
    task_channel_unique_name: workspace.taskChannels.get(channel.taskChannelSid)?.uniqueName ?? null,
    worker_sid: channel.workerSid,
    workspace_sid: workspace.sid,
    url: `${origin}${workspace.path}/Workers/${channel.workerSid}/Channels/${channel.sid}`,
  };
}
