import type { ResourceBody } from './body.js';
import type { TaskChannelRecord, WorkspaceState } from '../domain/state.js';
import { isoDate, links } from './format.js';

/** The task channel's JSON body. */
export function renderTaskChannel(
  workspace: WorkspaceState,
  channel: TaskChannelRecord,
  origin: string,
): ResourceBody<'taskrouter.v1.workspace.task_channel'> {
  return {
    account_sid: workspace.record.accountSid,
    date_created: isoDate(channel.created),
    date_updated: isoDate(channel.updated),
    friendly_name: channel.friendlyName,
    sid: channel.sid,
    unique_name: channel.uniqueName,
    workspace_sid: workspace.sid,
    channel_optimized_routing: channel.channelOptimizedRouting,
    url: `${origin}${workspace.path}/TaskChannels/${channel.sid}`,
    links: links(origin + workspace.path, { workspace: '' }),
  };
}
