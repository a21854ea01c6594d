import { found, type OperationHandler, type RequestContext } from '../context.js';
import { invalidParameter } from '../../domain/errors.js';
import { EVENT_TYPES, type EventSource, recordEvent } from '../../domain/event-log.js';
import { expressionParameter } from '../../domain/expressions.js';
import { listPage } from '../paging.js';
import { newSid } from '../../domain/sid.js';
import { WorkspaceState, touch } from '../../domain/state.js';
import { insertActivity } from './activities.js';
import { activityParameter } from './shared.js';
import { insertTaskChannel } from './task-channels.js';
import { DEFAULT_TARGET_WORKERS, insertTaskQueue } from './task-queues.js';
import { insertWorkflow } from './workflows.js';
import {
  DEFAULT_TASK_RESERVATION_TIMEOUT,
  parseWorkflowConfiguration,
} from '../../domain/workflow-configuration.js';
import { renderWorkspace } from '../../render/workspaces.js';

const QUEUE_ORDERS = ['FIFO', 'LIFO'] as const;
const TEMPLATES = ['NONE', 'FIFO'] as const;

/** Activities every new workspace starts with; the first is the default and timeout activity. */
const DEFAULT_ACTIVITIES = [
  { friendlyName: 'Offline', available: false },
  { friendlyName: 'Available', available: true },
  { friendlyName: 'Unavailable', available: false },
];

/** Task channels every new workspace starts with. */
const DEFAULT_TASK_CHANNELS = [
  { friendlyName: 'Default', uniqueName: 'default' },
  { friendlyName: 'Voice', uniqueName: 'voice' },
  { friendlyName: 'SMS', uniqueName: 'sms' },
  { friendlyName: 'Chat', uniqueName: 'chat' },
  { friendlyName: 'Video', uniqueName: 'video' },
];

/** Validated input of a new workspace. */
export interface WorkspaceInput {
  friendlyName: string;
  eventCallbackUrl: string | null;
  eventsFilter: string | null;
  multiTaskEnabled: boolean;
  prioritizeQueueOrder: 'FIFO' | 'LIFO';
  template: 'NONE' | 'FIFO';
}

/** Creates a workspace with its default activities and channels, plus the FIFO template's queue and workflow. */
export function insertWorkspace(source: EventSource, input: WorkspaceInput): WorkspaceState {
  const { store } = source;
  const now = store.clock.nowMs();
  const workspace = new WorkspaceState({
    sid: newSid('WS'),
    seq: store.nextSeq(),
    created: now,
    updated: now,
    accountSid: store.accountSid,
    friendlyName: input.friendlyName,
    eventCallbackUrl: input.eventCallbackUrl,
    eventsFilter: input.eventsFilter,
    multiTaskEnabled: input.multiTaskEnabled,
    prioritizeQueueOrder: input.prioritizeQueueOrder,
    defaultActivitySid: '',
    timeoutActivitySid: '',
  });
  store.workspaces.set(workspace.sid, workspace);
  recordWorkspaceEvent(source, workspace, 'workspace.created', 'created');
  const [offline] = DEFAULT_ACTIVITIES.map((activity) => insertActivity(source, workspace, activity));
  workspace.record.defaultActivitySid = offline!.sid;
  workspace.record.timeoutActivitySid = offline!.sid;
  for (const channel of DEFAULT_TASK_CHANNELS) {
    insertTaskChannel(source, workspace, { ...channel, channelOptimizedRouting: false });
  }
  if (input.template === 'FIFO') {
    const queue = insertTaskQueue(source, workspace, {
      friendlyName: 'Sample Queue',
      targetWorkers: DEFAULT_TARGET_WORKERS,
      targetWorkersExpression: expressionParameter('TargetWorkers', DEFAULT_TARGET_WORKERS),
      maxReservedWorkers: 1,
      taskOrder: 'FIFO',
      reservationActivitySid: null,
      assignmentActivitySid: null,
    });
    const configuration = JSON.stringify({ task_routing: { default_filter: { queue: queue.sid } } });
    insertWorkflow(source, workspace, {
      friendlyName: 'Default Fifo Workflow',
      configuration,
      parsedConfiguration: parseWorkflowConfiguration(configuration),
      assignmentCallbackUrl: null,
      fallbackAssignmentCallbackUrl: null,
      taskReservationTimeout: DEFAULT_TASK_RESERVATION_TIMEOUT,
    });
  }
  return workspace;
}

function recordWorkspaceEvent(
  source: EventSource,
  workspace: WorkspaceState,
  eventType: string,
  verb: string,
): void {
  recordEvent(source, workspace, {
    eventType,
    description: `Workspace ${workspace.record.friendlyName} ${verb}`,
    resourceType: 'workspace',
    resourceSid: workspace.sid,
  });
}

function readEventsFilter(context: RequestContext): string | undefined {
  const raw = context.params.string('EventsFilter');
  if (raw === undefined) return undefined;
  for (const type of raw.split(',').map((part) => part.trim())) {
    if (type !== '' && !EVENT_TYPES.has(type)) {
      throw invalidParameter('EventsFilter', `'${type}' is not a TaskRouter event type`);
    }
  }
  return raw;
}

function workspaceFromPath(context: RequestContext): WorkspaceState {
  return found(context.store.workspaces, context.path.Sid, context);
}

export const workspaceHandlers = {
  ListWorkspace(context) {
    const name = context.params.string('FriendlyName');
    return listPage(context, {
      items: context.store.workspaces.ordered,
      matches: name === undefined ? undefined : (workspace) => workspace.record.friendlyName === name,
      key: 'workspaces',
      render: (workspace) => renderWorkspace(workspace, context.origin),
    });
  },

  CreateWorkspace(context) {
    const friendlyName = context.params.string('FriendlyName', { required: true, maxLength: 64 });
    const workspace = insertWorkspace(context, {
      friendlyName,
      eventCallbackUrl: context.params.url('EventCallbackUrl') || null,
      eventsFilter: readEventsFilter(context) ?? null,
      multiTaskEnabled: context.params.boolean('MultiTaskEnabled') ?? true,
      prioritizeQueueOrder: context.params.enumeration('PrioritizeQueueOrder', QUEUE_ORDERS) ?? 'FIFO',
      template: context.params.enumeration('Template', TEMPLATES) ?? 'NONE',
    });
    return { status: 201, body: renderWorkspace(workspace, context.origin) };
  },

  FetchWorkspace(context) {
    return { status: 200, body: renderWorkspace(workspaceFromPath(context), context.origin) };
  },

  UpdateWorkspace(context) {
    const workspace = workspaceFromPath(context);
    const params = context.params;
    const friendlyName = params.string('FriendlyName', { maxLength: 64, nonEmpty: true });
    const eventCallbackUrl = params.url('EventCallbackUrl');
    const eventsFilter = readEventsFilter(context);
    const multiTaskEnabled = params.boolean('MultiTaskEnabled');
    const prioritizeQueueOrder = params.enumeration('PrioritizeQueueOrder', QUEUE_ORDERS);
    const defaultActivitySid = activityParameter(workspace, params, 'DefaultActivitySid');
    const timeoutActivitySid = activityParameter(workspace, params, 'TimeoutActivitySid');
    const record = workspace.record;
    // Only these two settings change who may serve what, in which order: anything else (a
    // rename, callback URLs, default activities) leaves routing as it is.
    const reroutes =
      (multiTaskEnabled !== undefined && multiTaskEnabled !== record.multiTaskEnabled) ||
      (prioritizeQueueOrder !== undefined && prioritizeQueueOrder !== record.prioritizeQueueOrder);
    if (friendlyName !== undefined) record.friendlyName = friendlyName;
    if (eventCallbackUrl !== undefined) record.eventCallbackUrl = eventCallbackUrl || null;
    if (eventsFilter !== undefined) record.eventsFilter = eventsFilter || null;
    if (multiTaskEnabled !== undefined) record.multiTaskEnabled = multiTaskEnabled;
    if (prioritizeQueueOrder !== undefined) record.prioritizeQueueOrder = prioritizeQueueOrder;
    if (defaultActivitySid !== undefined) record.defaultActivitySid = defaultActivitySid;
    if (timeoutActivitySid !== undefined) record.timeoutActivitySid = timeoutActivitySid;
    touch(context, record);
    recordWorkspaceEvent(context, workspace, 'workspace.updated', 'updated');
    if (reroutes) {
      context.store.listener.onChange(workspace, {
        kind: 'workspace',
        sid: workspace.sid,
        action: 'updated',
      });
    }
    return { status: 200, body: renderWorkspace(workspace, context.origin) };
  },

  DeleteWorkspace(context) {
    const workspace = workspaceFromPath(context);
    context.store.workspaces.delete(workspace.sid);
    context.store.listener.onChange(workspace, { kind: 'workspace', sid: workspace.sid, action: 'deleted' });
    return { status: 204 };
  },
} satisfies Record<string, OperationHandler>;
