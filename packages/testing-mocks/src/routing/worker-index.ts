/**
 * Worker eligibility and the indexes routing decides with: which queues select each worker
 * (`target_workers`), and per queue and task channel the members ready for one more task, longest
 * idle first (or by idle time on the channel, for ChannelOptimizedRouting).
 */
import { type CompiledExpression, listExpressionKeys } from '@taskrouter/workflow-builder';
import type { ReservationRecord, StateChange } from '../domain/state.js';
import { isQueueMember, workerScopes } from '../domain/workers.js';
import {
  byIdleTime,
  idleOn,
  type QueueState,
  type RoutingContext,
  type Selection,
  type WorkerState,
} from './routing-state.js';
import { SortedBag } from './sorted-bag.js';
import { selectionKey, targetTakes } from './target-evaluations.js';

/**
 * Selections (expression and task values) kept per (queue, task channel); the least recently used
 * go first. Each costs one remembered lookup per worker that turns ready.
 */
const MAX_SELECTIONS = 64;

/** Routing state of a workspace's workers and queues, kept in step with their records. */
export class WorkerIndex {
  readonly workers = new Map<string, WorkerState>();
  readonly queues = new Map<string, QueueState>();

  constructor(private readonly context: RoutingContext) {}

  workerState(sid: string): WorkerState {
    let state = this.workers.get(sid);
    if (!state) {
      const record = this.context.workspace.workers.get(sid)!;
      state = {
        record,
        membershipVersion: -1,
        queues: new Set(),
        idleKey: record.seq,
        channelIdleKeys: undefined,
        readyIn: new Set(),
        view: undefined,
        viewVersion: -1,
        direct: undefined,
      };
      this.workers.set(sid, state);
      this.syncWorker(state);
    }
    return state;
  }

  /**
   * Brings a worker's queue membership and ready-bag places up to date; a new `reservation` moves
   * it to the back of its bags (it was just reserved).
   */
  syncWorker(worker: WorkerState, reservation?: ReservationRecord): void {
    const record = worker.record;
    if (this.context.workspace.workers.get(record.sid) !== record) {
      this.dropWorker(record.sid);
      return;
    }
    if (reservation !== undefined) {
      // Out of every bag before the sort keys change.
      for (const bag of worker.readyIn) bag.delete(worker);
      worker.readyIn.clear();
      worker.idleKey = reservation.seq;
      worker.channelIdleKeys ??= new Map();
      worker.channelIdleKeys.set(reservation.taskChannelSid, reservation.seq);
    }
    const membershipChanged = worker.membershipVersion !== record.version;
    worker.membershipVersion = record.version;
    for (const queue of this.queues.values()) {
      if (membershipChanged || queue.readsChannels) this.updateMembership(queue, worker);
    }
    for (const queue of worker.queues) {
      for (const [channelSid, bag] of queue.ready) {
        const ready = this.isReady(worker, channelSid);
        if (ready === worker.readyIn.has(bag)) {
          // New attributes may change what the selections think of a worker that stays ready.
          if (ready && membershipChanged) this.reselect(queue, channelSid, worker);
          continue;
        }
        place(worker, bag, ready);
        this.reselect(queue, channelSid, worker);
      }
    }
  }

  /** Puts a worker in, or takes it out of, the selections of its ready bag for the channel. */
  private reselect(queue: QueueState, channelSid: string, worker: WorkerState): void {
    const selections = queue.selections.get(channelSid);
    if (!selections) return;
    const ready = worker.readyIn.has(queue.ready.get(channelSid)!);
    for (const { expression, taskAttributes, bag } of selections.values()) {
      const selected = ready && targetTakes(expression, taskAttributes, this.view(worker));
      if (selected !== worker.readyIn.has(bag)) place(worker, bag, selected);
    }
  }

  /** The ready bags of a queue and their selections, for one task channel or all. */
  private *bagsOf(queue: QueueState, channelSid?: string): Iterable<SortedBag<WorkerState>> {
    for (const [channel, bag] of queue.ready)
      if (channelSid === undefined || channel === channelSid) yield bag;
    for (const [channel, selections] of queue.selections) {
      if (channelSid === undefined || channel === channelSid)
        for (const selection of selections.values()) yield selection.bag;
    }
  }

  private updateMembership(queue: QueueState, worker: WorkerState): void {
    const member = isQueueMember(this.context.workspace, queue.record, worker.record);
    if (member === queue.members.has(worker)) return;
    if (member) {
      queue.members.add(worker);
      worker.queues.add(queue);
      return;
    }
    queue.members.delete(worker);
    worker.queues.delete(queue);
    for (const bag of this.bagsOf(queue)) {
      if (worker.readyIn.delete(bag)) bag.delete(worker);
    }
  }

  /** Whether a worker can take one more task of the channel now. */
  isReady(worker: WorkerState, channelSid: string): boolean {
    const workspace = this.context.workspace;
    const record = worker.record;
    if (!workspace.activities.get(record.activitySid)?.available) return false;
    const channels = workspace.workerChannels.get(record.sid);
    const channel = channels?.get(channelSid);
    if (!channel?.available || channel.reservedTasks + channel.assignedTasks >= channel.capacity)
      return false;
    if (!workspace.record.multiTaskEnabled) {
      // Single-tasking: one task at a time, whatever the channel.
      for (const other of channels!.values()) if (other.reservedTasks + other.assignedTasks > 0) return false;
    }
    return true;
  }

  /** The worker as target expressions see it under `worker.`. */
  view(worker: WorkerState): Record<string, unknown> {
    if (worker.view === undefined || worker.viewVersion !== worker.record.version) {
      worker.view = workerScopes(this.context.workspace, worker.record, { ...worker.record.attributesValue });
      worker.viewVersion = worker.record.version;
    }
    return worker.view;
  }

  dropWorker(sid: string): void {
    const worker = this.workers.get(sid);
    if (!worker) return;
    for (const bag of worker.readyIn) bag.delete(worker);
    for (const queue of worker.queues) queue.members.delete(worker);
    this.workers.delete(sid);
    this.context.dirtyWorkers.delete(worker);
  }

  queueState(sid: string): QueueState {
    let queue = this.queues.get(sid);
    if (!queue) {
      const record = this.context.workspace.taskQueues.get(sid)!;
      queue = {
        record,
        members: new Set(),
        targetWorkers: record.targetWorkers,
        readsChannels: readsChannels(record.targetWorkers),
        taskOrder: record.taskOrder,
        ready: new Map(),
        selections: new Map(),
        waiting: new Map(),
      };
      this.queues.set(sid, queue);
      for (const workerSid of this.context.workspace.workers.keys()) {
        this.updateMembership(queue, this.workerState(workerSid));
      }
    }
    return queue;
  }

  readyBag(queue: QueueState, channelSid: string): SortedBag<WorkerState> {
    let bag = queue.ready.get(channelSid);
    if (!bag) {
      const optimized = this.context.workspace.taskChannels.get(channelSid)?.channelOptimizedRouting;
      bag = new SortedBag(
        optimized ? (a, b) => idleOn(a, channelSid) - idleOn(b, channelSid) || byIdleTime(a, b) : byIdleTime,
      );
      queue.ready.set(channelSid, bag);
      for (const worker of queue.members) {
        if (this.isReady(worker, channelSid)) {
          bag.add(worker);
          worker.readyIn.add(bag);
        }
      }
    }
    return bag;
  }

  /**
   * The ready members of the queue for the channel that a target expression selects for tasks
   * holding the task's values under the keys it reads, in ready order; undefined when the
   * expression's results are not remembered, or when there is none yet and `build` is false.
   * Workers are checked when the selection is built and when they enter the ready bag or change;
   * results are remembered (`target-evaluations.ts`), so each distinct set of values the
   * expression reads is evaluated once.
   */
  selectedBag(
    queue: QueueState,
    channelSid: string,
    expression: CompiledExpression,
    taskAttributes: object,
    build: boolean,
  ): SortedBag<WorkerState> | undefined {
    const key = selectionKey(expression, taskAttributes);
    if (key === undefined) return undefined;
    let selections = queue.selections.get(channelSid);
    const found = selections?.get(key);
    if (found) {
      // Most recently used last.
      selections!.delete(key);
      selections!.set(key, found);
      return found.bag;
    }
    if (!build) return undefined;
    const ready = this.readyBag(queue, channelSid);
    if (!selections) {
      selections = new Map();
      queue.selections.set(channelSid, selections);
    }
    const selection: Selection = { expression, taskAttributes, bag: new SortedBag(ready.compare) };
    ready.scan((worker) => {
      if (targetTakes(expression, taskAttributes, this.view(worker))) place(worker, selection.bag, true);
      return true;
    });
    selections.set(key, selection);
    if (selections.size > MAX_SELECTIONS) {
      const [oldest, { bag: dropped }] = selections.entries().next().value!;
      dropped.scan((worker) => {
        worker.readyIn.delete(dropped);
        return true;
      });
      selections.delete(oldest);
    }
    return selection.bag;
  }

  /**
   * A task channel was created, updated or deleted. Its ready bags are rebuilt when next needed,
   * in the order ChannelOptimizedRouting asks for. A deleted channel's waiting bags (empty: no
   * active task may use it) and idle times go too, so a channel created later under the same
   * name starts fresh. Creating or deleting a channel changes every worker's `channel.<name>`
   * figures, so queues whose `target_workers` read them recompute their members.
   */
  channelChanged(channelSid: string, action: StateChange['action']): void {
    let readsChannels = false;
    for (const queue of this.queues.values()) {
      readsChannels ||= queue.readsChannels;
      for (const bag of this.bagsOf(queue, channelSid)) {
        bag.scan((worker) => {
          worker.readyIn.delete(bag);
          return true;
        });
      }
      queue.ready.delete(channelSid);
      queue.selections.delete(channelSid);
      if (action === 'deleted') queue.waiting.delete(channelSid);
    }
    if (action === 'updated') return;
    for (const worker of this.workers.values()) {
      if (action === 'deleted') worker.channelIdleKeys?.delete(channelSid);
      if (readsChannels) this.context.dirtyWorkers.add(worker);
    }
  }

  queueChanged(sid: string): void {
    const queue = this.queues.get(sid);
    if (!queue) return;
    const record = queue.record;
    if (queue.targetWorkers !== record.targetWorkers) {
      queue.targetWorkers = record.targetWorkers;
      queue.readsChannels = readsChannels(record.targetWorkers);
      for (const workerSid of this.context.workspace.workers.keys()) {
        const worker = this.workerState(workerSid);
        this.updateMembership(queue, worker);
        this.context.dirtyWorkers.add(worker);
      }
    }
    const states = [...this.context.tasks.values()].filter((state) => state.queue === queue);
    if (queue.taskOrder !== record.taskOrder) {
      queue.taskOrder = record.taskOrder;
      for (const state of states) {
        state.bag?.delete(state);
        state.bag = undefined;
      }
      queue.waiting.clear();
    }
    for (const state of states) this.context.dirtyTasks.add(state);
  }

  dropQueue(sid: string): void {
    const queue = this.queues.get(sid);
    if (!queue) return;
    for (const worker of queue.members) {
      worker.queues.delete(queue);
      for (const bag of this.bagsOf(queue)) worker.readyIn.delete(bag);
    }
    this.queues.delete(sid);
  }

  workerCounts(queue: QueueState): Record<string, number> {
    const counts: Record<string, number> = { available: 0, unavailable: 0 };
    for (const worker of queue.members) {
      const activitySid = worker.record.activitySid;
      const availability = this.context.workspace.activities.get(activitySid)?.available
        ? 'available'
        : 'unavailable';
      counts[availability] = (counts[availability] ?? 0) + 1;
      counts[activitySid] = (counts[activitySid] ?? 0) + 1;
    }
    return counts;
  }
}

/** Puts the worker in the bag or takes it out, keeping `readyIn` in step. */
function place(worker: WorkerState, bag: SortedBag<WorkerState>, inside: boolean): void {
  if (inside) {
    bag.add(worker);
    worker.readyIn.add(bag);
  } else {
    bag.delete(worker);
    worker.readyIn.delete(bag);
  }
}

function readsChannels(targetWorkers: string): boolean {
  try {
    return listExpressionKeys(targetWorkers).some((key) => key === 'channel' || key.startsWith('channel.'));
  } catch {
    return false;
  }
}
