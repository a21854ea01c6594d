import type { ScheduledTimer, VirtualClock } from '../domain/clock.js';
import type { TaskRecord } from '../domain/state.js';
import { SortedBag } from './sorted-bag.js';

/** How long TaskRouter keeps a completed or canceled task before deleting it. */
export const FINISHED_TASK_RETENTION_MS = 5 * 60_000;
/** How long a task may stay assigned before TaskRouter deletes it. */
export const ASSIGNED_TASK_LIMIT_MS = 24 * 60 * 60_000;

/** A planned removal as a snapshot stores it. */
export interface PlannedRemoval {
  readonly taskSid: string;
  readonly at: number;
}

interface Removal {
  readonly task: TaskRecord;
  readonly at: number;
}

/**
 * The tasks of one workspace that TaskRouter will delete by itself: finished ones five minutes
 * after they finish, assigned ones after a day. One clock timer, for the earliest, stands for
 * them all.
 */
export class TaskRemovals {
  private readonly due = new SortedBag<Removal>((a, b) => a.at - b.at || a.task.seq - b.task.seq);
  private readonly bySid = new Map<string, Removal>();
  private timer: ScheduledTimer | undefined;

  /**
   * @param workspaceSid - names the workspace in the clock's job
   * @param remove - deletes a task whose time has come (it may no longer exist)
   */
  constructor(
    private readonly clock: VirtualClock,
    private readonly workspaceSid: string,
    private readonly remove: (task: TaskRecord) => void,
  ) {}

  /** Plans the task's removal from its new status, or drops the plan when the status keeps it. */
  statusChanged(task: TaskRecord): void {
    const status = task.assignmentStatus;
    const delay =
      status === 'completed' || status === 'canceled'
        ? FINISHED_TASK_RETENTION_MS
        : status === 'assigned'
          ? ASSIGNED_TASK_LIMIT_MS
          : undefined;
    this.forget(task.sid);
    if (delay === undefined) return;
    const removal = { task, at: this.clock.nowMs() + delay };
    this.bySid.set(task.sid, removal);
    this.due.add(removal);
    this.arm();
  }

  /** The task is gone (deleted through the API): nothing left to remove. */
  forget(sid: string): void {
    const removal = this.bySid.get(sid);
    if (removal === undefined) return;
    this.bySid.delete(sid);
    this.due.delete(removal);
  }

  /** Stops the timer; the workspace is gone. */
  dispose(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Runs the clock's removal job: deletes every task due by now. */
  fire(timer: ScheduledTimer): void {
    if (timer !== this.timer) return;
    this.timer = undefined;
    const now = this.clock.nowMs();
    for (let next = this.due.first(); next && next.at <= now; next = this.due.first()) {
      this.forget(next.task.sid);
      this.remove(next.task);
    }
    this.arm();
  }

  /** The planned removals in due order, as plain data. */
  snapshot(): PlannedRemoval[] {
    const planned: PlannedRemoval[] = [];
    this.due.scan((removal) => {
      planned.push({ taskSid: removal.task.sid, at: removal.at });
      return true;
    });
    return planned;
  }

  /** Plans the removals of a snapshot again; `timer` is the restored clock job, if one was pending. */
  restore(
    planned: readonly PlannedRemoval[],
    tasks: ReadonlyMap<string, TaskRecord>,
    timer?: ScheduledTimer,
  ): void {
    for (const { taskSid, at } of planned) {
      const task = tasks.get(taskSid);
      if (!task) continue;
      const removal = { task, at };
      this.bySid.set(taskSid, removal);
      this.due.add(removal);
    }
    this.timer = timer;
  }

  private arm(): void {
    const first = this.due.first();
    if (first === undefined || this.timer?.at === first.at) return;
    this.timer?.cancel();
    this.timer = this.clock.scheduleJob(first.at, { kind: 'removal', workspaceSid: this.workspaceSid });
  }
}
