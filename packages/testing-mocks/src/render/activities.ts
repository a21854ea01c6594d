import type { ResourceBody } from './body.js';
import type { ActivityRecord, WorkspaceState } from '../domain/state.js';
import { isoDate, links } from './format.js';

/** The activity's JSON body. */
export function renderActivity(
  workspace: WorkspaceState,
  activity: ActivityRecord,
  origin: string,
): ResourceBody<'taskrouter.v1.workspace.activity'> {
  const url = `${origin}${workspace.path}/Activities/${activity.sid}`;
  return {
    account_sid: workspace.record.accountSid,
    available: activity.available,
    date_created: isoDate(activity.created),
    date_updated: isoDate(activity.updated),
    friendly_name: activity.friendlyName,
    sid: activity.sid,
    workspace_sid: workspace.sid,
    url,
    links: links(origin + workspace.path, { workspace: '' }),
  };
}
