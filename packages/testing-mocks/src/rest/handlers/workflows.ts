import { found, type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { badRequest, invalidParameter } from '../../domain/errors.js';
import { type EventSource, recordEvent } from '../../domain/event-log.js';
import { listPage } from '../paging.js';
import { newSid } from '../../domain/sid.js';
import { isActiveTask, touch, type WorkflowRecord, type WorkspaceState } from '../../domain/state.js';
import {
  DEFAULT_TASK_RESERVATION_TIMEOUT,
  type ParsedWorkflowConfiguration,
  parseWorkflowConfiguration,
} from '../../domain/workflow-configuration.js';
import { renderWorkflow } from '../../render/workflows.js';

type WorkflowInput = Pick<
  WorkflowRecord,
  | 'friendlyName'
  | 'configuration'
  | 'parsedConfiguration'
  | 'assignmentCallbackUrl'
  | 'fallbackAssignmentCallbackUrl'
  | 'taskReservationTimeout'
>;

/** Stores a validated workflow and records `workflow.created`. */
export function insertWorkflow(
  source: EventSource,
  workspace: WorkspaceState,
  input: WorkflowInput,
): WorkflowRecord {
  const now = source.store.clock.nowMs();
  const workflow: WorkflowRecord = {
    sid: newSid('WW'),
    seq: source.store.nextSeq(),
    created: now,
    updated: now,
    ...input,
  };
  workspace.workflows.set(workflow.sid, workflow);
  recordWorkflowEvent(source, workspace, workflow, 'workflow.created', 'created');
  return workflow;
}

function recordWorkflowEvent(
  source: EventSource,
  workspace: WorkspaceState,
  workflow: WorkflowRecord,
  eventType: string,
  verb: string,
): void {
  recordEvent(source, workspace, {
    eventType,
    description: `Workflow ${workflow.friendlyName} ${verb}`,
    resourceType: 'workflow',
    resourceSid: workflow.sid,
    data: { workflow_sid: workflow.sid, workflow_name: workflow.friendlyName },
    workflowSid: workflow.sid,
  });
}

function workflowOf(context: RequestContext): [WorkspaceState, WorkflowRecord] {
  const workspace = workspaceOf(context);
  return [workspace, found(workspace.workflows, context.path.Sid, context)];
}

export const workflowHandlers = {
  ListWorkflow(context) {
    const workspace = workspaceOf(context);
    const name = context.params.string('FriendlyName');
    return listPage(context, {
      items: workspace.workflows.ordered,
      matches: name === undefined ? undefined : (workflow) => workflow.friendlyName === name,
      key: 'workflows',
      render: (workflow) => renderWorkflow(workspace, workflow, context.origin),
    });
  },

  CreateWorkflow(context) {
    const workspace = workspaceOf(context);
    const friendlyName = context.params.string('FriendlyName', { required: true, maxLength: 64 });
    const configuration = context.params.string('Configuration', { required: true });
    const parsedConfiguration = checkedConfiguration(workspace, configuration);
    const assignmentCallbackUrl = context.params.url('AssignmentCallbackUrl') || null;
    const fallbackAssignmentCallbackUrl = context.params.url('FallbackAssignmentCallbackUrl') || null;
    const taskReservationTimeout =
      context.params.integer('TaskReservationTimeout', 1, 86_400) ?? DEFAULT_TASK_RESERVATION_TIMEOUT;
    const workflow = insertWorkflow(context, workspace, {
      friendlyName,
      configuration,
      parsedConfiguration,
      assignmentCallbackUrl,
      fallbackAssignmentCallbackUrl,
      taskReservationTimeout,
    });
    return { status: 201, body: renderWorkflow(workspace, workflow, context.origin) };
  },

  FetchWorkflow(context) {
    const [workspace, workflow] = workflowOf(context);
    return { status: 200, body: renderWorkflow(workspace, workflow, context.origin) };
  },

  UpdateWorkflow(context) {
    const [workspace, workflow] = workflowOf(context);
    const friendlyName = context.params.string('FriendlyName', { maxLength: 64, nonEmpty: true });
    const configuration = context.params.string('Configuration', { nonEmpty: true });
    const parsedConfiguration =
      configuration === undefined ? undefined : checkedConfiguration(workspace, configuration);
    const assignmentCallbackUrl = context.params.url('AssignmentCallbackUrl');
    const fallbackAssignmentCallbackUrl = context.params.url('FallbackAssignmentCallbackUrl');
    const taskReservationTimeout = context.params.integer('TaskReservationTimeout', 1, 86_400);
    const reEvaluate = context.params.boolean('ReEvaluateTasks') ?? false;
    if (friendlyName !== undefined) workflow.friendlyName = friendlyName;
    if (configuration !== undefined && parsedConfiguration !== undefined) {
      workflow.configuration = configuration;
      workflow.parsedConfiguration = parsedConfiguration;
    }
    if (assignmentCallbackUrl !== undefined) workflow.assignmentCallbackUrl = assignmentCallbackUrl || null;
    if (fallbackAssignmentCallbackUrl !== undefined) {
      workflow.fallbackAssignmentCallbackUrl = fallbackAssignmentCallbackUrl || null;
    }
    if (taskReservationTimeout !== undefined) workflow.taskReservationTimeout = taskReservationTimeout;
    touch(context, workflow);
    recordWorkflowEvent(context, workspace, workflow, 'workflow.updated', 'updated');
    context.store.listener.onChange(workspace, {
      kind: 'workflow',
      sid: workflow.sid,
      action: 'updated',
      reEvaluate,
    });
    return { status: 200, body: renderWorkflow(workspace, workflow, context.origin) };
  },

  DeleteWorkflow(context) {
    const [workspace, workflow] = workflowOf(context);
    for (const task of workspace.tasks.values()) {
      if (task.workflowSid === workflow.sid && isActiveTask(task)) {
        throw badRequest(
          `Workflow ${workflow.sid} cannot be deleted: task ${task.sid} is still routed by it`,
        );
      }
    }
    workspace.workflows.delete(workflow.sid);
    recordWorkflowEvent(context, workspace, workflow, 'workflow.deleted', 'deleted');
    context.store.listener.onChange(workspace, { kind: 'workflow', sid: workflow.sid, action: 'deleted' });
    return { status: 204 };
  },
} satisfies Record<string, OperationHandler>;

/** Validates a configuration, including that every queue it names exists in the workspace. */
export function checkedConfiguration(workspace: WorkspaceState, text: string): ParsedWorkflowConfiguration {
  const parsed = parseWorkflowConfiguration(text);
  for (const queueSid of parsed.queueSids) {
    if (!workspace.taskQueues.has(queueSid)) {
      throw invalidParameter('Configuration', `task queue ${queueSid} does not exist in this workspace`);
    }
  }
  return parsed;
}
