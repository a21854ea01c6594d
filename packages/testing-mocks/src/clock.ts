/** A pending callback on the virtual clock. */
export interface ScheduledTimer {
  /** Epoch milliseconds at which the callback runs. */
  readonly at: number;
  /** Prevents the callback from running; harmless once it ran. */
  cancel(): void;
}

interface TimerEntry extends ScheduledTimer {
  readonly order: number;
  readonly callback: () => void;
  canceled: boolean;
}

/**
 * The emulator's notion of time. It only moves when {@link VirtualClock.advance} is called, so a
 * test of a two-minute timeout runs instantly and always sees the same timestamps.
 *
 * @example
 * ```ts
 * const emulator = createEmulator({ startTime: new Date('2030-01-01T00:00:00Z') });
 * emulator.clock.advance(120_000);
 * emulator.clock.now().toISOString(); // '2030-01-01T00:02:00.000Z'
 * ```
 */
export class VirtualClock {
  private current: number;
  private readonly timers: TimerEntry[] = [];
  private nextOrder = 0;

  /** @param start - the instant the clock shows before any advance */
  constructor(start: Date) {
    const ms = start.getTime();
    if (!Number.isFinite(ms)) throw new RangeError('startTime must be a valid Date');
    this.current = ms;
  }

  /** The current virtual time. */
  now(): Date {
    return new Date(this.current);
  }

  /** The current virtual time in epoch milliseconds. */
  nowMs(): number {
    return this.current;
  }

  /**
   * Moves time forward by `ms` milliseconds, running every timer that falls due, in order of
   * due time (ties in order of scheduling). A timer sees the clock at its own due time.
   */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advance(ms): ms must be a finite number >= 0, got ${ms}`);
    }
    const target = this.current + ms;
    for (let next = this.peek(); next !== undefined && next.at <= target; next = this.peek()) {
      this.pop();
      this.current = next.at;
      next.callback();
    }
    this.current = target;
  }

  /** Runs `callback` once the clock reaches `at` (epoch ms); a past instant runs on the next advance. */
  schedule(at: number, callback: () => void): ScheduledTimer {
    const entry: TimerEntry = {
      at: Math.max(at, this.current),
      order: this.nextOrder++,
      callback,
      canceled: false,
      cancel() {
        entry.canceled = true;
      },
    };
    this.push(entry);
    return entry;
  }

  /** Number of timers that have not run and were not canceled. */
  pendingTimers(): number {
    return this.timers.filter((timer) => !timer.canceled).length;
  }

  /** Drops every timer (used by reset). */
  clearTimers(): void {
    this.timers.length = 0;
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
