import { found, type OperationHandler, type RequestContext, workspaceOf } from '../context.js';
import { badRequest } from '../../domain/errors.js';
import { type EventSource, recordEvent } from '../../domain/event-log.js';
import { expressionParameter } from '../../domain/expressions.js';
import { listPage } from '../paging.js';
import { newSid } from '../../domain/sid.js';
import type { TaskQueueRecord, WorkspaceState } from '../../domain/state.js';
import { activityParameter, orderingParameter } from './shared.js';
import { isQueueMember } from '../../domain/workers.js';
import { touch, isActiveTask } from '../../domain/state.js';
import { renderTaskQueue } from '../../render/task-queues.js';

/** Expression a queue gets when `TargetWorkers` is not given: every worker. */
export const DEFAULT_TARGET_WORKERS = '1==1';
const TASK_ORDERS = ['FIFO', 'LIFO'] as const;

type QueueInput = Pick<
  TaskQueueRecord,
  | 'friendlyName'
  | 'targetWorkers'
  | 'targetWorkersExpression'
  | 'maxReservedWorkers'
  | 'taskOrder'
  | 'reservationActivitySid'
  | 'assignmentActivitySid'
>;

/** Stores a validated queue and records `task-queue.created`. */
export function insertTaskQueue(
  source: EventSource,
  workspace: WorkspaceState,
  input: QueueInput,
): TaskQueueRecord {
  const now = source.store.clock.nowMs();
  const queue: TaskQueueRecord = {
    sid: newSid('WQ'),
    seq: source.store.nextSeq(),
    created: now,
    updated: now,
    ...input,
  };
  workspace.taskQueues.set(queue.sid, queue);
  recordQueueEvent(source, workspace, queue, 'task-queue.created', 'created');
  source.store.listener.onChange(workspace, { kind: 'task-queue', sid: queue.sid, action: 'created' });
  return queue;
}

function recordQueueEvent(
  source: EventSource,
  workspace: WorkspaceState,
  queue: TaskQueueRecord,
  eventType: string,
  verb: string,
): void {
  recordEvent(source, workspace, {
    eventType,
    description: `TaskQueue ${queue.friendlyName} ${verb}`,
    resourceType: 'task_queue',
    resourceSid: queue.sid,
    data: {
      task_queue_sid: queue.sid,
      task_queue_name: queue.friendlyName,
      task_queue_target_expression: queue.targetWorkers,
    },
    taskQueueSid: queue.sid,
  });
}

function queueOf(context: RequestContext): [WorkspaceState, TaskQueueRecord] {
  const workspace = workspaceOf(context);
  return [workspace, found(workspace.taskQueues, context.path.Sid, context)];
}

function readTargetWorkers(context: RequestContext) {
  const text = context.params.string('TargetWorkers');
  if (text === undefined) return undefined;
  return { text, expression: expressionParameter('TargetWorkers', text) };
}

export const taskQueueHandlers = {
  ListTaskQueue(context) {
    const workspace = workspaceOf(context);
    const name = context.params.string('FriendlyName');
    const attributes = context.params.jsonObject('EvaluateWorkerAttributes', 4096);
    const workerSid = context.params.string('WorkerSid');
    const ordering = orderingParameter<TaskQueueRecord>(context.params, {
      DateCreated: (queue) => queue.created,
      DateUpdated: (queue) => queue.updated,
      FriendlyName: (queue) => queue.friendlyName,
    });
    const worker = workerSid === undefined ? undefined : workspace.workers.get(workerSid);
    return listPage(context, {
      items: workspace.taskQueues.ordered,
      matches: (queue) =>
        (name === undefined || queue.friendlyName === name) &&
        (attributes === undefined || queue.targetWorkersExpression(attributes.value)) &&
        (workerSid === undefined || (worker !== undefined && isQueueMember(workspace, queue, worker))),
      key: 'task_queues',
      render: (queue) => renderTaskQueue(workspace, queue, context.origin),
      ordering,
    });
  },

  CreateTaskQueue(context) {
    const workspace = workspaceOf(context);
    const friendlyName = context.params.string('FriendlyName', { required: true, maxLength: 64 });
    const target = readTargetWorkers(context);
    const maxReservedWorkers = context.params.integer('MaxReservedWorkers', 1, 50) ?? 1;
    const taskOrder = context.params.enumeration('TaskOrder', TASK_ORDERS) ?? 'FIFO';
    const reservationActivitySid =
      activityParameter(workspace, context.params, 'ReservationActivitySid') ?? null;
    const assignmentActivitySid =
      activityParameter(workspace, context.params, 'AssignmentActivitySid') ?? null;
    const queue = insertTaskQueue(context, workspace, {
      friendlyName,
      targetWorkers: target?.text ?? DEFAULT_TARGET_WORKERS,
      targetWorkersExpression:
        target?.expression ?? expressionParameter('TargetWorkers', DEFAULT_TARGET_WORKERS),
      maxReservedWorkers,
      taskOrder,
      reservationActivitySid,
      assignmentActivitySid,
    });
    return { status: 201, body: renderTaskQueue(workspace, queue, context.origin) };
  },

  FetchTaskQueue(context) {
    const [workspace, queue] = queueOf(context);
    return { status: 200, body: renderTaskQueue(workspace, queue, context.origin) };
  },

  UpdateTaskQueue(context) {
    const [workspace, queue] = queueOf(context);
    const friendlyName = context.params.string('FriendlyName', { maxLength: 64, nonEmpty: true });
    const target = readTargetWorkers(context);
    const maxReservedWorkers = context.params.integer('MaxReservedWorkers', 1, 50);
    const taskOrder = context.params.enumeration('TaskOrder', TASK_ORDERS);
    const reservationActivitySid = activityParameter(workspace, context.params, 'ReservationActivitySid');
    const assignmentActivitySid = activityParameter(workspace, context.params, 'AssignmentActivitySid');
    const expressionChanged = target !== undefined && target.text !== queue.targetWorkers;
    if (friendlyName !== undefined) queue.friendlyName = friendlyName;
    if (target !== undefined) {
      queue.targetWorkers = target.text;
      queue.targetWorkersExpression = target.expression;
    }
    if (maxReservedWorkers !== undefined) queue.maxReservedWorkers = maxReservedWorkers;
    if (taskOrder !== undefined) queue.taskOrder = taskOrder;
    if (reservationActivitySid !== undefined) queue.reservationActivitySid = reservationActivitySid;
    if (assignmentActivitySid !== undefined) queue.assignmentActivitySid = assignmentActivitySid;
    touch(context, queue);
    if (expressionChanged) {
      recordQueueEvent(context, workspace, queue, 'task-queue.expression.updated', 'target workers updated');
    }
    context.store.listener.onChange(workspace, { kind: 'task-queue', sid: queue.sid, action: 'updated' });
    return { status: 200, body: renderTaskQueue(workspace, queue, context.origin) };
  },

  DeleteTaskQueue(context) {
    const [workspace, queue] = queueOf(context);
    for (const workflow of workspace.workflows.values()) {
      if (workflow.parsedConfiguration.queueSids.has(queue.sid)) {
        throw badRequest(
          `Task queue ${queue.sid} cannot be deleted: workflow ${workflow.sid} routes tasks to it`,
        );
      }
    }
    for (const task of workspace.tasks.values()) {
      if (task.taskQueueSid === queue.sid && isActiveTask(task)) {
        throw badRequest(`Task queue ${queue.sid} cannot be deleted: task ${task.sid} is still in it`);
      }
    }
    workspace.taskQueues.delete(queue.sid);
    recordQueueEvent(context, workspace, queue, 'task-queue.deleted', 'deleted');
    context.store.listener.onChange(workspace, { kind: 'task-queue', sid: queue.sid, action: 'deleted' });
    return { status: 204 };
  },
} satisfies Record<string, OperationHandler>;
