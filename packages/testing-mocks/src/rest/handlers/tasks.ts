import { checkIfMatch, found, type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { badRequest, invalidParameter, missingParameter } from '../../domain/errors.js';
import type { EventSource } from '../../domain/event-log.js';
import { expressionParameter } from '../../domain/expressions.js';
import {
  cancelTask,
  completeTask,
  enterQueue,
  recordTaskEvent,
  removeTask,
  wrapUpTask,
} from '../../domain/lifecycle.js';
import { listPage } from '../paging.js';
import { newSid } from '../../domain/sid.js';
import { isSid } from '@taskrouter/core';
import type { TaskRecord, TaskStatus, WorkspaceState } from '../../domain/state.js';
import { orderingParameter } from './shared.js';
import { findTaskChannel, taskChannelParameter } from './task-channels.js';
import { MAX_ATTRIBUTES_LENGTH } from './workers.js';
import { touch } from '../../domain/state.js';
import { renderTask } from '../../render/tasks.js';

const TASK_STATUSES: readonly TaskStatus[] = [
  'pending',
  'reserved',
  'assigned',
  'canceled',
  'completed',
  'wrapping',
];
/** Time to live of a task when `Timeout` is not given, in seconds. */
export const DEFAULT_TASK_TIMEOUT = 86_400;
const MAX_TASK_TIMEOUT = 1_209_600;
const MAX_PRIORITY = 2_147_483_647;
const EARLIEST_VIRTUAL_START = Date.UTC(1900, 0, 1);

/** Validated input of a new task. */
export type TaskInput = Pick<
  TaskRecord,
  | 'attributes'
  | 'attributesValue'
  | 'priority'
  | 'taskChannelSid'
  | 'timeout'
  | 'workflowSid'
  | 'taskQueueSid'
  | 'ignoreCapacity'
  | 'routingTarget'
> & { virtualStartTime: number | null };

/**
 * Stores a validated task (pending) and records its events: the routing engine places it in its
 * first queue before `task.created`, and offers it to workers after.
 */
export function insertTask(source: EventSource, workspace: WorkspaceState, input: TaskInput): TaskRecord {
  const now = source.store.clock.nowMs();
  const task: TaskRecord = {
    sid: newSid('WT'),
    seq: source.store.nextSeq(),
    created: now,
    updated: now,
    version: 0,
    addons: '{}',
    assignmentStatus: 'pending',
    reason: null,
    taskQueueEnteredAt: null,
    snapshot: undefined,
    ...input,
    taskQueueSid: null,
    virtualStartTime: input.virtualStartTime ?? now,
  };
  workspace.tasks.set(task.sid, task);
  if (input.taskQueueSid !== null) enterQueue(source, workspace, task, input.taskQueueSid);
  source.store.listener.beforeTaskCreated(workspace, task);
  recordTaskEvent(source, workspace, task, 'task.created');
  source.store.listener.onChange(workspace, { kind: 'task', sid: task.sid, action: 'created' });
  return task;
}

function taskOf(context: RequestContext): [WorkspaceState, TaskRecord] {
  const workspace = workspaceOf(context);
  return [workspace, found(workspace.tasks, context.path.Sid, context)];
}

function readVirtualStartTime(context: RequestContext): number | undefined {
  const value = context.params.date('VirtualStartTime');
  if (value === undefined) return undefined;
  if (value > context.store.clock.nowMs())
    throw invalidParameter('VirtualStartTime', 'must not be in the future');
  if (value < EARLIEST_VIRTUAL_START) throw invalidParameter('VirtualStartTime', 'must not be before 1900');
  return value;
}

function readRoutingTarget(context: RequestContext, workspace: WorkspaceState): string | undefined {
  const target = context.params.string('RoutingTarget', { nonEmpty: true });
  if (target === undefined) return undefined;
  const exists =
    (isSid(target, 'WK') && workspace.workers.has(target)) ||
    (isSid(target, 'WQ') && workspace.taskQueues.has(target)) ||
    (isSid(target, 'WW') && workspace.workflows.has(target));
  if (!exists) {
    throw invalidParameter(
      'RoutingTarget',
      `must be the SID of a worker, task queue or workflow of this workspace, got '${target}'`,
    );
  }
  return target;
}

/** Validates the parameters of a task creation request. */
export function readTaskInput(context: RequestContext, workspace: WorkspaceState): TaskInput {
  const params = context.params;
  const timeout = params.integer('Timeout', 1, MAX_TASK_TIMEOUT) ?? DEFAULT_TASK_TIMEOUT;
  const priority = params.integer('Priority', 0, MAX_PRIORITY) ?? 0;
  const taskChannelSid =
    taskChannelParameter(context, workspace) ?? findTaskChannel(workspace, 'default')?.sid;
  if (taskChannelSid === undefined) {
    throw missingParameter('TaskChannel');
  }
  const attributes = params.jsonObject('Attributes', MAX_ATTRIBUTES_LENGTH) ?? { text: '{}', value: {} };
  const virtualStartTime = readVirtualStartTime(context) ?? null;
  const routingTarget = readRoutingTarget(context, workspace) ?? null;
  const ignoreCapacityFlag = params.lenientBoolean('IgnoreCapacity');
  const targetsWorker = routingTarget?.startsWith('WK') ?? false;
  if (ignoreCapacityFlag !== undefined && !targetsWorker) {
    throw invalidParameter('IgnoreCapacity', 'is only allowed with a worker (WK) RoutingTarget');
  }
  const queueParam = params.sid('TaskQueueSid', 'WQ');
  if (queueParam !== undefined && !workspace.taskQueues.has(queueParam)) {
    throw invalidParameter('TaskQueueSid', `task queue ${queueParam} does not exist in this workspace`);
  }
  const workflowParam = params.sid('WorkflowSid', 'WW');
  if (workflowParam !== undefined && !workspace.workflows.has(workflowParam)) {
    throw invalidParameter('WorkflowSid', `workflow ${workflowParam} does not exist in this workspace`);
  }
  const taskQueueSid = queueParam ?? (routingTarget?.startsWith('WQ') ? routingTarget : null);
  let workflowSid = workflowParam ?? (routingTarget?.startsWith('WW') ? routingTarget : null);
  if (workflowSid === null && taskQueueSid === null && !targetsWorker) {
    if (workspace.workflows.size !== 1) {
      throw invalidParameter(
        'WorkflowSid',
        `is required because the workspace has ${workspace.workflows.size} workflows (it may be left out only when there is exactly one)`,
      );
    }
    workflowSid = workspace.workflows.keys().next().value ?? null;
  }
  return {
    attributes: attributes.text,
    attributesValue: attributes.value,
    priority,
    taskChannelSid,
    timeout,
    workflowSid,
    taskQueueSid,
    ignoreCapacity: targetsWorker ? (ignoreCapacityFlag ?? true) : false,
    routingTarget,
    virtualStartTime,
  };
}

const STATUS_SOURCES: Partial<Record<TaskStatus, readonly TaskStatus[]>> = {
  canceled: ['pending', 'reserved'],
  wrapping: ['assigned'],
  completed: ['assigned', 'wrapping'],
};

function checkStatusChange(task: TaskRecord, next: TaskStatus): void {
  const allowedFrom = STATUS_SOURCES[next];
  if (allowedFrom === undefined) {
    throw invalidParameter(
      'AssignmentStatus',
      `can only be set to canceled, wrapping or completed, not ${next}`,
    );
  }
  if (!allowedFrom.includes(task.assignmentStatus)) {
    throw invalidParameter(
      'AssignmentStatus',
      `task ${task.sid} is ${task.assignmentStatus}; only ${allowedFrom.join(' or ')} tasks can become ${next}`,
    );
  }
}

export const taskHandlers = {
  ListTask(context) {
    const workspace = workspaceOf(context);
    const params = context.params;
    const priority = params.integer('Priority', 0, MAX_PRIORITY);
    const statuses = params.list('AssignmentStatus');
    for (const status of statuses) {
      if (!(TASK_STATUSES as readonly string[]).includes(status)) {
        throw invalidParameter(
          'AssignmentStatus',
          `must be one of ${TASK_STATUSES.join(', ')}, got '${status}'`,
        );
      }
    }
    const workflowSid = params.string('WorkflowSid');
    const workflowName = params.string('WorkflowName');
    const queueSid = params.string('TaskQueueSid');
    const queueName = params.string('TaskQueueName');
    const expressionText = params.string('EvaluateTaskAttributes');
    const expression = expressionText
      ? expressionParameter('EvaluateTaskAttributes', expressionText)
      : undefined;
    const routingTarget = params.string('RoutingTarget');
    const hasAddons = params.boolean('HasAddons');
    const ordering = orderingParameter<TaskRecord>(params, {
      DateCreated: (task) => task.created,
      Priority: (task) => task.priority,
      VirtualStartTime: (task) => task.virtualStartTime,
    });
    const orderingText = params.string('Ordering') ?? '';
    if (orderingText.includes('DateCreated') && orderingText.includes('VirtualStartTime')) {
      throw invalidParameter('Ordering', 'DateCreated and VirtualStartTime cannot be combined');
    }
    const now = context.store.clock.nowMs();
    return listPage(context, {
      items: workspace.tasks.ordered,
      matches: (task) => {
        const queue = task.taskQueueSid ? workspace.taskQueues.get(task.taskQueueSid) : undefined;
        const workflow = task.workflowSid ? workspace.workflows.get(task.workflowSid) : undefined;
        return (
          (priority === undefined || task.priority === priority) &&
          (statuses.length === 0 || statuses.includes(task.assignmentStatus)) &&
          (workflowSid === undefined || task.workflowSid === workflowSid) &&
          (workflowName === undefined || workflow?.friendlyName === workflowName) &&
          (queueSid === undefined || task.taskQueueSid === queueSid) &&
          (queueName === undefined || queue?.friendlyName === queueName) &&
          (routingTarget === undefined || task.routingTarget === routingTarget) &&
          (hasAddons === undefined || (task.addons !== '{}') === hasAddons) &&
          (expression === undefined || expression(task.attributesValue))
        );
      },
      key: 'tasks',
      render: (task) => renderTask(workspace, task, context.origin, now),
      ordering,
    });
  },

  CreateTask(context) {
    const workspace = workspaceOf(context);
    const task = insertTask(context, workspace, readTaskInput(context, workspace));
    const body = renderTask(workspace, task, context.origin, context.store.clock.nowMs());
    return { status: 201, body, etag: String(task.version) };
  },

  FetchTask(context) {
    const [workspace, task] = taskOf(context);
    const body = renderTask(workspace, task, context.origin, context.store.clock.nowMs());
    return { status: 200, body, etag: String(task.version) };
  },

  UpdateTask(context) {
    const [workspace, task] = taskOf(context);
    checkIfMatch(context, task);
    const params = context.params;
    const attributes = params.jsonObject('Attributes', MAX_ATTRIBUTES_LENGTH);
    const status = params.enumeration('AssignmentStatus', TASK_STATUSES);
    const reason = params.string('Reason', { maxLength: 4096 });
    const priority = params.integer('Priority', 0, MAX_PRIORITY);
    const taskChannelSid = taskChannelParameter(context, workspace);
    const virtualStartTime = readVirtualStartTime(context);
    if (status !== undefined) {
      checkStatusChange(task, status);
      if (attributes !== undefined && (status === 'wrapping' || status === 'completed')) {
        throw badRequest(
          'Attributes and an AssignmentStatus of wrapping or completed must be sent in two separate requests',
          'Attributes',
        );
      }
    }
    if (
      taskChannelSid !== undefined &&
      taskChannelSid !== task.taskChannelSid &&
      task.assignmentStatus !== 'pending'
    ) {
      throw invalidParameter(
        'TaskChannel',
        `can only change while the task is pending; task ${task.sid} is ${task.assignmentStatus}`,
      );
    }
    let changed = false;
    if (attributes !== undefined) {
      task.attributes = attributes.text;
      task.attributesValue = attributes.value;
      changed = true;
    }
    // "The Task takes on the specified priority unless it matches a Workflow Target with a
    // Priority set."
    const pinned = context.store.listener.targetPriority(workspace, task);
    if (priority !== undefined && pinned === undefined && priority !== task.priority) {
      task.priority = priority;
      changed = true;
    }
    if (taskChannelSid !== undefined && taskChannelSid !== task.taskChannelSid) {
      task.taskChannelSid = taskChannelSid;
      changed = true;
    }
    if (virtualStartTime !== undefined && virtualStartTime !== task.virtualStartTime) {
      task.virtualStartTime = virtualStartTime;
      changed = true;
    }
    if (changed) {
      touch(context, task);
      recordTaskEvent(context, workspace, task, 'task.updated');
    }
    if (status === 'canceled') cancelTask(context, workspace, task, reason ?? null);
    else if (status === 'wrapping') wrapUpTask(context, workspace, task, reason ?? null);
    else if (status === 'completed') completeTask(context, workspace, task, reason ?? null);
    else if (reason !== undefined && !changed) {
      task.reason = reason;
      touch(context, task);
    }
    context.store.listener.onChange(workspace, { kind: 'task', sid: task.sid, action: 'updated' });
    const body = renderTask(workspace, task, context.origin, context.store.clock.nowMs());
    return { status: 200, body, etag: String(task.version) };
  },

  DeleteTask(context) {
    const [workspace, task] = taskOf(context);
    checkIfMatch(context, task);
    removeTask(context, workspace, task, 'task.deleted');
    return { status: 204 };
  },
} satisfies Record<string, OperationHandler>;
