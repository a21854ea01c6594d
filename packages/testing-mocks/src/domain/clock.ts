/**
 * What a routing timer does, as data: a snapshot saves it and a restored emulator runs it at the
 * same instant, which a closure would not allow.
 */
export interface TimerJob {
  /** What fires: a routing step's timeout, a reservation's timeout, a task's TTL, a removal… */
  readonly kind: string;
  /** The workspace it belongs to. */
  readonly workspaceSid: string;
  /** The task or reservation it is about, when it is about one. */
  readonly sid?: string;
}

/** A pending job timer as a snapshot stores it. */
export interface TimerSnapshot {
  readonly at: number;
  /** Scheduling order, which breaks ties between timers due at the same instant. */
  readonly order: number;
  readonly job: TimerJob;
}

/** The clock's state in a snapshot. */
export interface ClockSnapshot {
  /** Virtual time, epoch milliseconds. */
  readonly now: number;
  /** The scheduling order the next timer gets. */
  readonly nextOrder: number;
  /** Pending job timers, in firing order. */
  readonly timers: readonly TimerSnapshot[];
}

/** A pending callback on the virtual clock. */
export interface ScheduledTimer {
  /** Epoch milliseconds at which the callback runs. */
  readonly at: number;
  /** Prevents the callback from running; harmless once it ran. */
  cancel(): void;
}

// A class rather than an object literal: no closure per timer, which matters with one timer per task.
class TimerEntry implements ScheduledTimer {
  canceled = false;

  constructor(
    readonly at: number,
    readonly order: number,
    readonly callback: (() => void) | undefined,
    readonly job: TimerJob | undefined,
  ) {}

  cancel(): void {
    this.canceled = true;
  }
}

/**
 * The emulator's notion of time. It only moves when {@link VirtualClock.advance} is called, so a
 * test of a two-minute timeout runs instantly and always sees the same timestamps. After
 * {@link VirtualClock.followWallTime} it also moves with real time, firing timers on their own,
 * as a long-running server needs; `advance` still jumps ahead.
 *
 * @example
 * ```ts
 * const emulator = createEmulator({ startTime: new Date('2030-01-01T00:00:00Z') });
 * emulator.clock.advance(120_000);
 * emulator.clock.now().toISOString(); // '2030-01-01T00:02:00.000Z'
 * ```
 */
export class VirtualClock {
  /** Virtual time; while following wall time, the virtual time at the instant `anchor`. */
  private current: number;
  /** `performance.now()` when `current` was last set, or undefined while time stands still. */
  private anchor: number | undefined;
  /** The real timer that wakes the clock for its next due timer, while following wall time. */
  private wake: ReturnType<typeof setTimeout> | undefined;
  private readonly timers: TimerEntry[] = [];
  private nextOrder = 0;
  /** Runs a due job timer; the routing engine sets it. @internal */
  runJob: (job: TimerJob, timer: ScheduledTimer) => void = () => {};

  /** @param start - the instant the clock shows before any advance */
  constructor(start: Date) {
    const ms = start.getTime();
    if (!Number.isFinite(ms)) throw new RangeError('startTime must be a valid Date');
    this.current = ms;
  }

  /** The current virtual time. */
  now(): Date {
    return new Date(this.nowMs());
  }

  /**
   * The current virtual time in whole epoch milliseconds: TaskRouter's `*_ms` fields are
   * integers, so every record takes its time from here, in every clock mode.
   */
  nowMs(): number {
    return Math.floor(this.preciseNowMs());
  }

  /** The current virtual time with the fraction real time adds; only the clock itself keeps it. */
  private preciseNowMs(): number {
    return this.anchor === undefined ? this.current : this.current + (performance.now() - this.anchor);
  }

  /** Whether the clock moves with real time (see {@link VirtualClock.followWallTime}). */
  get followsWallTime(): boolean {
    return this.anchor !== undefined;
  }

  /**
   * Lets the clock move with real time from now on, running timers when they fall due. Real
   * timers used for this never keep the process alive.
   */
  followWallTime(): void {
    if (this.anchor !== undefined) return;
    this.anchor = performance.now();
    this.arm();
  }

  /**
   * Moves time forward by `ms` milliseconds, running every timer that falls due, in order of
   * due time (ties in order of scheduling). A timer sees the clock at its own due time, or at the
   * current time if that has passed (a real timer that woke late): time never goes back.
   */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advance(ms): ms must be a finite number >= 0, got ${ms}`);
    }
    this.runUntil(this.preciseNowMs() + ms);
  }

  /**
   * Runs the timers due by `target`, each at its own instant (or now, when that has passed), and
   * leaves the clock at `target`. Time stands still while a timer runs.
   */
  private runUntil(target: number): void {
    const following = this.anchor !== undefined;
    // Records made before a late wake-up carry the current time; overdue timers run at it too,
    // so timestamps keep the order in which things happened.
    this.current = this.preciseNowMs();
    this.anchor = undefined;
    try {
      for (let next = this.peek(); next !== undefined && next.at <= target; next = this.peek()) {
        this.pop();
        this.current = Math.max(this.current, next.at);
        if (next.job) this.runJob(next.job, next);
        else next.callback?.();
      }
      this.current = Math.max(this.current, target);
    } finally {
      if (following) {
        this.anchor = performance.now();
        this.arm();
      }
    }
  }

  /** While following wall time, sets a real timer for the earliest due timer. */
  private arm(): void {
    if (this.wake !== undefined) clearTimeout(this.wake);
    this.wake = undefined;
    const next = this.peek();
    if (this.anchor === undefined || next === undefined) return;
    this.wake = setTimeout(
      () => {
        this.wake = undefined;
        this.runUntil(this.preciseNowMs());
      },
      Math.max(0, next.at - this.nowMs()),
    );
    this.wake.unref();
  }

  /** Runs `callback` once the clock reaches `at` (epoch ms); a past instant runs on the next advance. */
  schedule(at: number, callback: () => void): ScheduledTimer {
    return this.add(new TimerEntry(Math.max(at, this.nowMs()), this.nextOrder++, callback, undefined));
  }

  /**
   * Runs `job` (through {@link VirtualClock.runJob}) once the clock reaches `at`. Unlike
   * {@link VirtualClock.schedule}'s callbacks, job timers are part of a snapshot.
   * @internal
   */
  scheduleJob(at: number, job: TimerJob): ScheduledTimer {
    return this.add(new TimerEntry(Math.max(at, this.nowMs()), this.nextOrder++, undefined, job));
  }

  private add(entry: TimerEntry): ScheduledTimer {
    this.push(entry);
    if (this.anchor !== undefined && this.timers[0] === entry) this.arm();
    return entry;
  }

  /** The time and pending job timers, as plain data (callbacks from `schedule` are left out). @internal */
  snapshot(): ClockSnapshot {
    const timers = this.timers
      .filter((timer) => !timer.canceled && timer.job !== undefined)
      .sort((a, b) => (before(a, b) ? -1 : 1))
      .map((timer) => ({ at: timer.at, order: timer.order, job: timer.job! }));
    return { now: this.nowMs(), nextOrder: this.nextOrder, timers };
  }

  /**
   * Sets the time and the job timers from a snapshot (replacing every pending timer) and returns
   * the restored timers in the snapshot's order, so their owners can hold them again.
   * @internal
   */
  restore(snapshot: ClockSnapshot): ScheduledTimer[] {
    this.timers.length = 0;
    this.current = snapshot.now;
    if (this.anchor !== undefined) this.anchor = performance.now();
    this.nextOrder = snapshot.nextOrder;
    const restored = snapshot.timers.map((timer) => {
      const entry = new TimerEntry(timer.at, timer.order, undefined, timer.job);
      this.push(entry);
      return entry;
    });
    this.arm();
    return restored;
  }

  /** Number of timers that have not run and were not canceled. */
  pendingTimers(): number {
    return this.timers.filter((timer) => !timer.canceled).length;
  }

  /** Drops every timer (used by reset). */
  clearTimers(): void {
    this.timers.length = 0;
    this.arm();
  }

  private peek(): TimerEntry | undefined {
    while (this.timers.length > 0 && this.timers[0]!.canceled) this.pop();
    return this.timers[0];
  }

  // Binary min-heap ordered by (at, order).
  private push(entry: TimerEntry): void {
    const heap = this.timers;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  private pop(): void {
    const heap = this.timers;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
