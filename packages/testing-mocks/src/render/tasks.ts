import type { ResourceBody } from './body.js';
import type { TaskRecord, WorkspaceState } from '../domain/state.js';
import { isoDate } from './format.js';

/** The task's JSON body. */
export function renderTask(
  workspace: WorkspaceState,
  task: TaskRecord,
  origin: string,
  now: number,
): ResourceBody<'taskrouter.v1.workspace.task'> {
  const base = origin + workspace.path;
  const url = `${base}/Tasks/${task.sid}`;
  const queue = task.taskQueueSid ? workspace.taskQueues.get(task.taskQueueSid) : undefined;
  const workflow = task.workflowSid ? workspace.workflows.get(task.workflowSid) : undefined;
  const links: Record<string, string> = { workspace: base, reservations: `${url}/Reservations` };
  if (task.taskQueueSid) links.task_queue = `${base}/TaskQueues/${task.taskQueueSid}`;
  if (task.workflowSid) links.workflow = `${base}/Workflows/${task.workflowSid}`;
  return {
    account_sid: workspace.record.accountSid,
    age: Math.max(0, Math.floor((now - task.created) / 1000)),
    assignment_status: task.assignmentStatus,
    attributes: task.attributes,
    addons: task.addons,
    date_created: isoDate(task.created),
    date_updated: isoDate(task.updated),
    task_queue_entered_date: task.taskQueueEnteredAt === null ? null : isoDate(task.taskQueueEnteredAt),
    priority: task.priority,
    reason: task.reason,
    sid: task.sid,
    task_queue_sid: task.taskQueueSid,
    task_queue_friendly_name: queue?.friendlyName ?? null,
    task_channel_sid: task.taskChannelSid,
    task_channel_unique_name: workspace.taskChannels.get(task.taskChannelSid)?.uniqueName ?? null,
    timeout: task.timeout,
    workflow_sid: task.workflowSid,
    workflow_friendly_name: workflow?.friendlyName ?? null,
    workspace_sid: workspace.sid,
    url,
    links,
    virtual_start_time: isoDate(task.virtualStartTime),
    ignore_capacity: task.ignoreCapacity,
    routing_target: task.routingTarget,
  };
}
