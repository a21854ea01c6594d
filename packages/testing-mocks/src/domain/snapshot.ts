/**
 * The store as plain JSON data and back: every record, the event log with the task and worker
 * snapshots its events share, and the sequence. Derived fields (parsed attributes, compiled
 * expressions and configurations, indexes) are rebuilt on restoring.
 */
import { expressionParameter } from './expressions.js';
import type {
  ActivityRecord,
  EventRecord,
  ReservationRecord,
  Store,
  TaskChannelRecord,
  TaskQueueRecord,
  TaskRecord,
  TaskSnapshot,
  WorkerChannelRecord,
  WorkerRecord,
  WorkerSnapshot,
  WorkflowRecord,
  WorkspaceRecord,
} from './state.js';
import { WorkspaceState } from './state.js';
import { parseWorkflowConfiguration } from './workflow-configuration.js';

/** A task record without its derived fields. */
export type SavedTask = Omit<TaskRecord, 'snapshot' | 'attributesValue'>;
/** A worker record without its derived fields. */
export type SavedWorker = Omit<WorkerRecord, 'snapshot' | 'attributesValue'>;

/** One workspace's records and event log. */
export interface WorkspaceSnapshot {
  readonly record: WorkspaceRecord;
  readonly activities: readonly ActivityRecord[];
  readonly taskChannels: readonly TaskChannelRecord[];
  readonly taskQueues: readonly Omit<TaskQueueRecord, 'targetWorkersExpression'>[];
  /** Each with the index of its latest event snapshot in `workerSnapshots` (null: none). */
  readonly workers: readonly (SavedWorker & { readonly latest: number | null })[];
  /** Worker SID → its channels, in the store's order. */
  readonly workerChannels: readonly (readonly [string, readonly WorkerChannelRecord[]])[];
  readonly workflows: readonly Omit<WorkflowRecord, 'parsedConfiguration'>[];
  /** Each with the index of its latest event snapshot in `taskSnapshots` (null: none). */
  readonly tasks: readonly (SavedTask & { readonly latest: number | null })[];
  readonly reservations: readonly ReservationRecord[];
  /** Deleted tasks and workers that events still show. */
  readonly retiredTasks: readonly SavedTask[];
  readonly retiredWorkers: readonly SavedWorker[];
  readonly taskSnapshots: readonly (Omit<TaskSnapshot, 'task'> & { readonly task: string })[];
  readonly workerSnapshots: readonly (Omit<WorkerSnapshot, 'worker'> & { readonly worker: string })[];
  /** Events, oldest first, pointing into the snapshot tables (null: none). */
  readonly events: readonly (Omit<EventRecord, 'task' | 'worker' | 'description' | 'actor'> & {
    readonly task: number | null;
    readonly worker: number | null;
    readonly description: string | null;
    readonly actor: EventRecord['actor'] | null;
  })[];
}

/** The whole store as plain data. */
export interface StoreSnapshot {
  readonly accountSid: string;
  /** The last sequence number handed out. */
  readonly sequence: number;
  readonly workspaces: readonly WorkspaceSnapshot[];
}

/**
 * Event snapshots numbered in order of first use, plus the deleted records they show (kept once
 * per SID, since events outlive their task or worker).
 */
class SnapshotTable<
  S extends object,
  R extends { sid: string; snapshot: unknown; attributesValue: unknown },
> {
  private readonly indexes = new Map<S, number>();
  private readonly retiredRecords = new Map<string, Omit<R, 'snapshot' | 'attributesValue'>>();

  constructor(
    private readonly recordOf: (snapshot: S) => R,
    private readonly isLive: (record: R) => boolean,
  ) {}

  indexOf(snapshot: S | undefined): number | null {
    if (!snapshot) return null;
    const known = this.indexes.get(snapshot);
    if (known !== undefined) return known;
    const index = this.indexes.size;
    this.indexes.set(snapshot, index);
    const record = this.recordOf(snapshot);
    if (!this.isLive(record) && !this.retiredRecords.has(record.sid)) {
      this.retiredRecords.set(record.sid, withoutDerived(record, 'snapshot', 'attributesValue'));
    }
    return index;
  }

  entries(): S[] {
    return [...this.indexes.keys()];
  }

  retired(): Omit<R, 'snapshot' | 'attributesValue'>[] {
    return [...this.retiredRecords.values()];
  }
}

function withoutDerived<T extends object, K extends keyof T>(record: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...record };
  for (const key of keys) delete copy[key];
  return copy;
}

/** The store as plain data (sharing nothing the store still changes only after a JSON copy). */
export function snapshotStore(store: Store): StoreSnapshot {
  const workspaces = [...store.workspaces.values()].map((workspace): WorkspaceSnapshot => {
    const tasks = new SnapshotTable<TaskSnapshot, TaskRecord>(
      (snapshot) => snapshot.task,
      (task) => workspace.tasks.get(task.sid) === task,
    );
    const workers = new SnapshotTable<WorkerSnapshot, WorkerRecord>(
      (snapshot) => snapshot.worker,
      (worker) => workspace.workers.get(worker.sid) === worker,
    );
    const events = workspace.events.map((event) => ({
      ...event,
      task: tasks.indexOf(event.task),
      worker: workers.indexOf(event.worker),
      description: event.description ?? null,
      actor: event.actor ?? null,
    }));
    const liveTasks = [...workspace.tasks.values()].map((task) => ({
      ...withoutDerived(task, 'snapshot', 'attributesValue'),
      latest: tasks.indexOf(task.snapshot),
    }));
    const liveWorkers = [...workspace.workers.values()].map((worker) => ({
      ...withoutDerived(worker, 'snapshot', 'attributesValue'),
      latest: workers.indexOf(worker.snapshot),
    }));
    return {
      record: workspace.record,
      activities: [...workspace.activities.values()],
      taskChannels: [...workspace.taskChannels.values()],
      taskQueues: [...workspace.taskQueues.values()].map((queue) =>
        withoutDerived(queue, 'targetWorkersExpression'),
      ),
      workers: liveWorkers,
      workerChannels: [...workspace.workerChannels].map(([sid, channels]) => [sid, [...channels.values()]]),
      workflows: [...workspace.workflows.values()].map((workflow) =>
        withoutDerived(workflow, 'parsedConfiguration'),
      ),
      tasks: liveTasks,
      reservations: [...workspace.reservations.values()],
      retiredTasks: tasks.retired(),
      retiredWorkers: workers.retired(),
      taskSnapshots: tasks.entries().map((snapshot) => ({ ...snapshot, task: snapshot.task.sid })),
      workerSnapshots: workers.entries().map((snapshot) => ({ ...snapshot, worker: snapshot.worker.sid })),
      events,
    };
  });
  return { accountSid: store.accountSid, sequence: store.lastSeq, workspaces };
}

/**
 * Fills an empty store from a snapshot made by {@link snapshotStore} (already copied: its objects
 * become the store's records).
 */
export function restoreStore(store: Store, snapshot: StoreSnapshot): void {
  store.clear();
  for (const saved of snapshot.workspaces) {
    const workspace = new WorkspaceState(saved.record);
    for (const activity of saved.activities) workspace.activities.set(activity.sid, activity);
    for (const channel of saved.taskChannels) {
      workspace.taskChannels.set(channel.sid, channel);
      workspace.taskChannelsByUniqueName.set(channel.uniqueName, channel);
    }
    for (const queue of saved.taskQueues) {
      workspace.taskQueues.set(queue.sid, {
        ...queue,
        targetWorkersExpression: expressionParameter('TargetWorkers', queue.targetWorkers),
      });
    }
    for (const workflow of saved.workflows) {
      workspace.workflows.set(workflow.sid, {
        ...workflow,
        parsedConfiguration: parseWorkflowConfiguration(workflow.configuration),
      });
    }
    const workers = new Map<string, WorkerRecord>();
    const tasks = new Map<string, TaskRecord>();
    const liveWorker = (data: SavedWorker): WorkerRecord => {
      const worker: WorkerRecord = {
        ...data,
        attributesValue: JSON.parse(data.attributes),
        snapshot: undefined,
      };
      workers.set(worker.sid, worker);
      return worker;
    };
    const liveTask = (data: SavedTask): TaskRecord => {
      const task: TaskRecord = { ...data, attributesValue: JSON.parse(data.attributes), snapshot: undefined };
      tasks.set(task.sid, task);
      return task;
    };
    for (const { latest: _, ...data } of saved.workers) {
      const worker = liveWorker(data);
      workspace.workers.set(worker.sid, worker);
      workspace.workerNames.set(worker.friendlyName.toLowerCase(), worker.sid);
    }
    for (const { latest: _, ...data } of saved.tasks) {
      const task = liveTask(data);
      workspace.tasks.set(task.sid, task);
    }
    for (const data of saved.retiredWorkers) liveWorker(data);
    for (const data of saved.retiredTasks) liveTask(data);
    for (const [workerSid, channels] of saved.workerChannels) {
      const byChannel = new Map<string, WorkerChannelRecord>();
      for (const channel of channels) {
        byChannel.set(channel.taskChannelSid, channel);
        workspace.workerChannelsBySid.set(channel.sid, channel);
      }
      workspace.workerChannels.set(workerSid, byChannel);
    }
    for (const reservation of saved.reservations) {
      workspace.reservations.set(reservation.sid, reservation);
      append(workspace.reservationsByTask, reservation.taskSid, reservation);
      append(workspace.reservationsByWorker, reservation.workerSid, reservation);
    }
    const taskSnapshots = saved.taskSnapshots.map(
      (data): TaskSnapshot => ({ ...data, task: required(tasks, data.task, 'task') }),
    );
    const workerSnapshots = saved.workerSnapshots.map(
      (data): WorkerSnapshot => ({ ...data, worker: required(workers, data.worker, 'worker') }),
    );
    saved.tasks.forEach(({ sid, latest }) => {
      if (latest !== null) workspace.tasks.get(sid)!.snapshot = taskSnapshots[latest];
    });
    saved.workers.forEach(({ sid, latest }) => {
      if (latest !== null) workspace.workers.get(sid)!.snapshot = workerSnapshots[latest];
    });
    for (const event of saved.events) {
      workspace.events.push({
        ...event,
        task: event.task === null ? undefined : taskSnapshots[event.task],
        worker: event.worker === null ? undefined : workerSnapshots[event.worker],
        description: event.description ?? undefined,
        actor: event.actor ?? undefined,
      });
    }
    store.workspaces.set(workspace.sid, workspace);
  }
  store.continueSequenceAfter(snapshot.sequence);
}

function append<T>(index: Map<string, T[]>, key: string, value: T): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}

function required<T>(records: ReadonlyMap<string, T>, sid: string, kind: string): T {
  const record = records.get(sid);
  if (record === undefined)
    throw new TypeError(`an event refers to ${kind} ${sid}, which the snapshot lacks`);
  return record;
}
