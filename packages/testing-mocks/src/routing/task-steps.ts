/**
 * Task steps: a task goes through its workflow's filters and targets, entering each target's queue,
 * leaving it on timeout or `skip_if`, until it is assigned or the workflow has nothing left.
 */
import { findMatchingFilter } from '@taskrouter/workflow-builder';
import { cancelTask, endPendingReservation, enterQueue, recordTaskEvent } from '../domain/lifecycle.js';
import { touch } from '../domain/state.js';
import type { Matcher } from './matcher.js';
import {
  CANCEL_REASONS,
  isRoutable,
  NO_ATTRIBUTES,
  type RoutingContext,
  type TaskState,
} from './routing-state.js';
import type { WorkerIndex } from './worker-index.js';

/** Moves tasks through the steps of their workflows. */
export class TaskSteps {
  constructor(
    private readonly context: RoutingContext,
    private readonly index: WorkerIndex,
    private readonly matcher: Matcher,
  ) {}

  /** Where a task entering its workflow goes: its first matching filter, else the default filter. */
  firstStep(state: TaskState): [number, number] | undefined {
    const workflow = state.workflow!;
    state.filterEnteredAt = this.context.store.clock.nowMs();
    state.timedOut = false;
    const index = findMatchingFilter(workflow, state.record.attributesValue);
    if (index >= 0) return [index, 0];
    return workflow.defaultTarget ? [-1, 0] : undefined;
  }

  /** The step after the current one, or undefined when the workflow has nothing left for the task. */
  private nextStep(state: TaskState, reason: 'timeout' | 'skip'): [number, number] | undefined {
    const workflow = state.workflow!;
    if (reason === 'timeout') state.timedOut = true;
    if (state.filterIndex < 0) return undefined;
    if (state.targetIndex + 1 < workflow.filters[state.filterIndex]!.targets.length) {
      return [state.filterIndex, state.targetIndex + 1];
    }
    const next = findMatchingFilter(workflow, state.record.attributesValue, state.filterIndex);
    if (next >= 0) {
      state.filterEnteredAt = this.context.store.clock.nowMs();
      return [next, 0];
    }
    return !state.timedOut && workflow.defaultTarget ? [-1, 0] : undefined;
  }

  /**
   * Moves the task into a step: its queue and priority, then (when `activate`) the
   * `workflow.target-matched` event, offers, `skip_if` and the step's timer. Steps whose
   * cumulative timeout has already passed are gone through without stopping.
   */
  enterStep(state: TaskState, filterIndex: number, targetIndex: number, activate: boolean): void {
    const workflow = state.workflow!;
    const task = state.record;
    let position: [number, number] | undefined = [filterIndex, targetIndex];
    for (;;) {
      const [f, t] = position;
      const target = f < 0 ? workflow.defaultTarget! : workflow.filters[f]!.targets[t]!;
      state.filterIndex = f;
      state.targetIndex = t;
      state.target = target;
      const deadline = this.deadlineOf(state);
      if (deadline === undefined || deadline > this.context.store.clock.nowMs()) break;
      position = this.nextStep(state, 'timeout');
      if (!position) {
        this.exhaust(state, 'timeout');
        return;
      }
    }
    const target = state.target!;
    if (target.priority !== undefined) task.priority = target.priority;
    if (this.context.workspace.taskQueues.has(target.queue)) {
      enterQueue(this.context.source, this.context.workspace, task, target.queue);
      state.queue = this.index.queueState(target.queue);
    } else {
      // The queue was deleted after the configuration stopped naming it: the step is unusable.
      state.queue = undefined;
    }
    if (activate) {
      touch(this.context.source, task);
      this.activateStep(state);
    }
  }

  private deadlineOf(state: TaskState): number | undefined {
    const cumulative = state.target?.cumulativeTimeout;
    return cumulative === undefined ? undefined : state.filterEnteredAt + cumulative * 1000;
  }

  /** First routing of a created task (its queue is already set). */
  activate(state: TaskState): void {
    if (!state.workflow) {
      this.context.dirtyTasks.add(state);
      return;
    }
    if (state.target) this.activateStep(state);
    else this.exhaust(state, 'timeout');
  }

  private activateStep(state: TaskState): void {
    const task = state.record;
    const target = state.target!;
    const filterName =
      state.filterIndex < 0 ? 'Default' : (state.workflow!.filters[state.filterIndex]!.friendlyName ?? null);
    recordTaskEvent(this.context.source, this.context.workspace, task, 'workflow.target-matched', {
      workflow_filter_name: filterName,
      workflow_target_index: state.targetIndex,
      ...(target.knownWorker ? { known_worker_sid: this.matcher.knownWorkerSid(state) } : {}),
    });
    if (!state.queue) {
      this.leaveStep(state, 'skip');
      return;
    }
    this.matcher.syncTask(state);
    const offered = this.matcher.matchTask(state);
    if (!state.active) return;
    if (offered === 0 && target.skipIf?.(NO_ATTRIBUTES, { workers: this.index.workerCounts(state.queue) })) {
      this.leaveStep(state, 'skip');
      return;
    }
    const deadline = this.deadlineOf(state);
    if (deadline !== undefined) {
      state.stepTimer = this.context.store.clock.scheduleJob(deadline, this.context.job('step', task.sid));
    }
  }

  /** Leaves the current step: offers withdrawn, then the next step or the end of the workflow. */
  leaveStep(state: TaskState, reason: 'timeout' | 'skip'): void {
    const task = state.record;
    state.stepTimer?.cancel();
    state.stepTimer = undefined;
    this.withdrawOffers(state);
    if (reason === 'timeout' && task.taskQueueSid !== null) {
      recordTaskEvent(this.context.source, this.context.workspace, task, 'task-queue.timeout');
    }
    const next = this.nextStep(state, reason);
    if (next) this.enterStep(state, next[0], next[1], true);
    else this.exhaust(state, reason);
  }

  /** The workflow has no step left: `workflow.timeout` or `workflow.skipped`, and the task is canceled. */
  private exhaust(state: TaskState, reason: 'timeout' | 'skip'): void {
    const task = state.record;
    const eventType = reason === 'timeout' ? 'workflow.timeout' : 'workflow.skipped';
    recordTaskEvent(this.context.source, this.context.workspace, task, eventType);
    this.cancel(
      state,
      reason === 'timeout' ? CANCEL_REASONS.workflowTimeout : CANCEL_REASONS.workflowSkipped,
    );
  }

  cancel(state: TaskState, reason: string, description?: string): void {
    if (!state.active || !isRoutable(state.record)) return;
    cancelTask(this.context.source, this.context.workspace, state.record, reason, description);
    this.context.finishTask(state);
  }

  /** Routes the task again from the top of its workflow (current configuration when `latest`). */
  private restart(state: TaskState, latest: boolean): void {
    const task = state.record;
    if (latest && task.workflowSid !== null) {
      const workflow = this.context.workspace.workflows.get(task.workflowSid);
      if (workflow) state.workflow = workflow.parsedConfiguration.compiled;
    }
    state.stepTimer?.cancel();
    state.stepTimer = undefined;
    this.withdrawOffers(state);
    const first = this.firstStep(state);
    if (first) this.enterStep(state, first[0], first[1], true);
    else this.exhaust(state, 'timeout');
  }

  reEvaluateWorkflow(workflowSid: string): void {
    for (const state of [...this.context.tasks.values()]) {
      if (state.active && state.workflow && state.record.workflowSid === workflowSid)
        this.restart(state, true);
    }
  }

  private withdrawOffers(state: TaskState): void {
    for (const offer of [...state.offers]) {
      endPendingReservation(this.context.source, this.context.workspace, offer, 'canceled');
    }
  }

  taskChanged(state: TaskState): void {
    const task = state.record;
    if (!isRoutable(task) || this.context.workspace.tasks.get(task.sid) !== task) {
      this.context.finishTask(state);
      return;
    }
    if (task.attributes !== state.attributes) {
      state.attributes = task.attributes;
      // New attributes may choose another filter; within the same filter the step stands and
      // only the offers are reconsidered.
      if (state.workflow && this.firstStepChanges(state)) {
        this.restart(state, false);
        return;
      }
    }
    this.context.dirtyTasks.add(state);
  }

  private firstStepChanges(state: TaskState): boolean {
    const index = findMatchingFilter(state.workflow!, state.record.attributesValue);
    return state.timedOut || index !== state.filterIndex || (index < 0 && !state.workflow!.defaultTarget);
  }
}
