/**
 * Time to live of routed tasks. One clock timer, for the earliest end, stands for them all: a
 * timer per task would cost more memory than the task itself.
 */
import type { ScheduledTimer, TimerJob, VirtualClock } from '../domain/clock.js';
import type { TaskRecord } from '../domain/state.js';
import { SortedBag } from './sorted-bag.js';

/** When a task's time to live ends. */
export function expiryOf(state: { readonly record: TaskRecord }): number {
  return state.record.created + state.record.timeout * 1000;
}

/** Routed tasks by the end of their time to live, with one clock job for the earliest. */
export class TaskExpiry<State extends { readonly record: TaskRecord }> {
  private readonly byExpiry = new SortedBag<State>(
    (a, b) => expiryOf(a) - expiryOf(b) || a.record.seq - b.record.seq,
  );
  private timer: ScheduledTimer | undefined;

  /**
   * @param job - the clock job that stands for the earliest expiry
   * @param expire - called for each task whose time is up, earliest first; it takes the task out
   * @param afterExpiries - called once the due tasks are expired
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly job: TimerJob,
    private readonly expire: (state: State) => void,
    private readonly afterExpiries: () => void,
  ) {}

  /** Starts counting a routed task's time to live. */
  add(state: State): void {
    this.byExpiry.add(state);
    this.arm();
  }

  /** Counts a task again as a snapshot had it, without touching the clock. */
  restore(state: State): void {
    this.byExpiry.add(state);
  }

  /** Holds the restored clock job of a snapshot again. */
  restoreTimer(timer: ScheduledTimer): void {
    this.timer = timer;
  }

  /** Stops counting (the task was assigned, finished or deleted). */
  delete(state: State): void {
    this.byExpiry.delete(state);
  }

  /** The clock job fired: ends the time to live of every task due by now. */
  run(timer: ScheduledTimer): void {
    if (this.timer !== timer) return;
    this.timer = undefined;
    const now = this.clock.nowMs();
    for (let next = this.byExpiry.first(); next && expiryOf(next) <= now; next = this.byExpiry.first()) {
      this.expire(next);
    }
    this.arm();
    this.afterExpiries();
  }

  /** Cancels the clock job for good. */
  dispose(): void {
    this.timer?.cancel();
  }

  /** Keeps the clock job set for the earliest expiry. */
  private arm(): void {
    const first = this.byExpiry.first();
    if (first === undefined || this.timer?.at === expiryOf(first)) return;
    this.timer?.cancel();
    this.timer = this.clock.scheduleJob(expiryOf(first), this.job);
  }
}
