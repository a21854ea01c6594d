import type { ResourceBody } from './body.js';
import type { WorkflowRecord, WorkspaceState } from '../domain/state.js';
import { isoDate, links } from './format.js';

/** The workflow's JSON body. */
export function renderWorkflow(
  workspace: WorkspaceState,
  workflow: WorkflowRecord,
  origin: string,
): ResourceBody<'taskrouter.v1.workspace.workflow'> {
  const url = `${origin}${workspace.path}/Workflows/${workflow.sid}`;
  return {
    account_sid: workspace.record.accountSid,
    assignment_callback_url: workflow.assignmentCallbackUrl,
    configuration: workflow.configuration,
    date_created: isoDate(workflow.created),
    date_updated: isoDate(workflow.updated),
    document_content_type: 'application/json',
    fallback_assignment_callback_url: workflow.fallbackAssignmentCallbackUrl,
    friendly_name: workflow.friendlyName,
    sid: workflow.sid,
    task_reservation_timeout: workflow.taskReservationTimeout,
    workspace_sid: workspace.sid,
    url,
    links: links(url, {
      statistics: '/Statistics',
      real_time_statistics: '/RealTimeStatistics',
      cumulative_statistics: '/CumulativeStatistics',
    }),
  };
}
