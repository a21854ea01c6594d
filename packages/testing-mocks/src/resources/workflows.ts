import { found, type OperationHandler, type RequestContext, touch, workspaceOf } from '../context.js';
import { badRequest, invalidParameter } from '../errors.js';
import { type EventSource, recordEvent } from '../event-log.js';
import { listPage } from '../paging.js';
import { isoDate, links } from '../render.js';
import { newSid } from '../sid.js';
import type { WorkflowRecord, WorkspaceState } from '../state.js';
import { type CompiledWorkflow, compileWorkflow, WorkflowConfigError } from '@taskrouter/workflow-builder';
import { isActiveTask } from './shared.js';

/** Seconds a reservation may stay pending when `TaskReservationTimeout` is not given. */
export const DEFAULT_TASK_RESERVATION_TIMEOUT = 120;

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

/** A validated workflow configuration, compiled for routing. */
export interface ParsedWorkflowConfiguration {
  readonly compiled: CompiledWorkflow;
  /** Every queue the configuration can send a task to. */
  readonly queueSids: ReadonlySet<string>;
}

/**
 * Validates and compiles a `Configuration` document with workflow-builder, so routing here and
 * offline simulation read configurations the same way. Every problem found is in the 400 message.
 */
export function parseWorkflowConfiguration(text: string): ParsedWorkflowConfiguration {
  let compiled: CompiledWorkflow;
  try {
    compiled = compileWorkflow(text);
  } catch (error) {
    if (error instanceof WorkflowConfigError) {
      throw invalidParameter(
        'Configuration',
        error.problems.map((problem) => `${problem.path} ${problem.message}`).join('; '),
      );
    }
    throw error;
  }
  const queueSids = new Set<string>();
  for (const filter of compiled.filters) for (const target of filter.targets) queueSids.add(target.queue);
  if (compiled.defaultTarget) queueSids.add(compiled.defaultTarget.queue);
  return { compiled, queueSids };
}

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

/** The workflow's JSON body. */
export function renderWorkflow(workspace: WorkspaceState, workflow: WorkflowRecord, origin: string) {
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
