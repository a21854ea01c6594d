/** Snapshots of a workspace's routing state beyond its records, and their restoration. */
import type { ScheduledTimer, TimerSnapshot } from '../domain/clock.js';
import { compiledConfiguration, configurationSource } from '../domain/workflow-configuration.js';
import type { Matcher } from './matcher.js';
import { NO_OFFERS, type RouterTimerKind, type RoutingContext, type TaskState } from './routing-state.js';
import type { PlannedRemoval, TaskRemovals } from './task-removals.js';
import type { WorkerIndex } from './worker-index.js';

/** The parts of a workspace's router whose state a snapshot holds. */
export interface RouterParts {
  readonly context: RoutingContext;
  readonly index: WorkerIndex;
  readonly matcher: Matcher;
  readonly removals: TaskRemovals;
}

/** A routed task's state beyond its record, as a snapshot stores it. */
export interface RoutedTaskSnapshot {
  readonly sid: string;
  /** The workflow configuration the task is routed by, as text (null: no workflow). */
  readonly configuration: string | null;
  readonly filterIndex: number;
  readonly targetIndex: number;
  readonly filterEnteredAt: number;
  readonly timedOut: boolean;
  readonly queueSid: string | null;
  readonly workerSid: string | null;
  /** Whether the task waits for more reservations. */
  readonly waiting: boolean;
  readonly priorityKey: number;
  readonly startKey: number;
  /** SIDs of its pending reservations, oldest first. */
  readonly offers: readonly string[];
  readonly cycles: number;
  readonly attributes: string;
}

/** A workspace's routing state beyond its records, as a snapshot stores it. */
export interface RouterSnapshot {
  /** Workers in the order routing met them, with their idle order. */
  readonly workers: readonly {
    readonly sid: string;
    readonly idleKey: number;
    readonly channelIdleKeys: readonly (readonly [string, number])[];
  }[];
  /** Queues in the order routing met them, with the task channels they have ready workers for. */
  readonly queues: readonly { readonly sid: string; readonly ready: readonly string[] }[];
  readonly tasks: readonly RoutedTaskSnapshot[];
  readonly removals: readonly PlannedRemoval[];
}

/** The routing state of a workspace that no record holds, as plain data. */
export function snapshotRouter(parts: RouterParts): RouterSnapshot {
  const { context, index, removals } = parts;
  const workers = [...index.workers.values()].map((worker) => ({
    sid: worker.record.sid,
    idleKey: worker.idleKey,
    channelIdleKeys: worker.channelIdleKeys ? [...worker.channelIdleKeys] : [],
  }));
  const tasks = [...context.tasks.values()].map(
    (state): RoutedTaskSnapshot => ({
      sid: state.record.sid,
      configuration: state.workflow ? configurationSource(state.workflow) : null,
      filterIndex: state.filterIndex,
      targetIndex: state.targetIndex,
      filterEnteredAt: state.filterEnteredAt,
      timedOut: state.timedOut,
      queueSid: state.queue?.record.sid ?? null,
      workerSid: state.worker?.record.sid ?? null,
      waiting: state.bag !== undefined,
      priorityKey: state.priorityKey,
      startKey: state.startKey,
      offers: state.offers.map((offer) => offer.sid),
      cycles: state.cycles,
      attributes: state.attributes,
    }),
  );
  const queues = [...index.queues.values()].map((queue) => ({
    sid: queue.record.sid,
    ready: [...queue.ready.keys()],
  }));
  return { workers, queues, tasks, removals: removals.snapshot() };
}

/**
 * Rebuilds the routing state of a snapshot on the restored records; `timers` are the
 * workspace's restored clock jobs, which routing holds again.
 */
export function restoreRouter(
  parts: RouterParts,
  snapshot: RouterSnapshot,
  timers: ReadonlyMap<ScheduledTimer, TimerSnapshot>,
): void {
  const { context, index, matcher, removals } = parts;
  const workspace = context.workspace;
  for (const saved of snapshot.workers) {
    const record = workspace.workers.get(saved.sid);
    if (!record) continue;
    index.workers.set(saved.sid, {
      record,
      membershipVersion: record.version,
      queues: new Set(),
      idleKey: saved.idleKey,
      channelIdleKeys: saved.channelIdleKeys.length > 0 ? new Map(saved.channelIdleKeys) : undefined,
      readyIn: new Set(),
      view: undefined,
      viewVersion: -1,
      direct: undefined,
    });
  }
  // Ready bags are built as they stood: one built later would see readiness the original has
  // not taken in yet within an operation.
  for (const { sid, ready } of snapshot.queues) {
    if (!workspace.taskQueues.has(sid)) continue;
    const queue = index.queueState(sid);
    for (const channelSid of ready) index.readyBag(queue, channelSid);
  }
  for (const saved of snapshot.tasks) {
    const record = workspace.tasks.get(saved.sid);
    if (!record) continue;
    const workflow = saved.configuration === null ? undefined : compiledConfiguration(saved.configuration);
    const target = !workflow
      ? undefined
      : saved.filterIndex < 0
        ? workflow.defaultTarget
        : workflow.filters[saved.filterIndex]?.targets[saved.targetIndex];
    const offers = saved.offers.flatMap((sid) => workspace.reservations.get(sid) ?? []);
    const state: TaskState = {
      record,
      active: true,
      workflow,
      filterIndex: saved.filterIndex,
      targetIndex: saved.targetIndex,
      target,
      filterEnteredAt: saved.filterEnteredAt,
      timedOut: saved.timedOut,
      queue: saved.queueSid === null ? undefined : index.queueState(saved.queueSid),
      worker: saved.workerSid === null ? undefined : index.workerState(saved.workerSid),
      bag: undefined,
      priorityKey: saved.priorityKey,
      startKey: saved.startKey,
      offers: offers.length > 0 ? offers : NO_OFFERS,
      cycles: saved.cycles,
      stepTimer: undefined,
      attributes: saved.attributes,
    };
    context.tasks.set(saved.sid, state);
    context.expiries.restore(state);
    if (saved.waiting) {
      state.bag = matcher.waitingBagOf(state);
      state.bag?.add(state);
    }
  }
  let removalTimer: ScheduledTimer | undefined;
  for (const [timer, { job }] of timers) {
    switch (job.kind as RouterTimerKind) {
      case 'step': {
        const state = context.tasks.get(job.sid ?? '');
        if (state) state.stepTimer = timer;
        break;
      }
      case 'reservation':
        matcher.restoreTimer(job.sid ?? '', timer);
        break;
      case 'expiry':
        context.expiries.restoreTimer(timer);
        break;
      case 'removal':
        removalTimer = timer;
        break;
    }
  }
  removals.restore(snapshot.removals, workspace.tasks, removalTimer);
}
