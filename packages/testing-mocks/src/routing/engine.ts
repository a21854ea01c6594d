import type {
  ChangeListener,
  EventRecord,
  ReservationRecord,
  StateChange,
  Store,
  TaskRecord,
  WorkerRecord,
  WorkspaceState,
} from '../domain/state.js';
import type { ClockSnapshot, ScheduledTimer, TimerSnapshot } from '../domain/clock.js';
import type { CallbackDeliveries } from './callbacks.js';
import { type RouterSnapshot, WorkspaceRouter } from './workspace-router.js';

/**
 * The emulator's routing engine: listens to every change of the store and keeps one
 * {@link WorkspaceRouter} per workspace.
 */
export class RoutingEngine implements ChangeListener {
  private readonly routers = new Map<WorkspaceState, WorkspaceRouter>();
  /** Told of every event after it is recorded (the remote control's event stream). */
  readonly eventObservers = new Set<(workspace: WorkspaceState, event: EventRecord) => void>();

  constructor(
    private readonly store: Store,
    private readonly deliveries: CallbackDeliveries,
  ) {
    store.clock.runJob = (job, timer) => {
      const workspace = store.workspaces.get(job.workspaceSid);
      const router = workspace && this.routers.get(workspace);
      router?.runTimer(job, timer);
    };
  }

  beforeTaskCreated(workspace: WorkspaceState, task: TaskRecord): void {
    this.router(workspace).placeNewTask(task);
  }

  onChange(workspace: WorkspaceState, change: StateChange): void {
    if (change.kind === 'workspace' && change.action === 'deleted') {
      this.routers.get(workspace)?.dispose();
      this.routers.delete(workspace);
      return;
    }
    this.router(workspace).handle(change);
  }

  reservationChanged(workspace: WorkspaceState, reservation: ReservationRecord): void {
    this.router(workspace).noteReservation(reservation);
  }

  targetPriority(workspace: WorkspaceState, task: TaskRecord): number | undefined {
    return this.routers.get(workspace)?.targetPriority(task);
  }

  taskStatusChanged(workspace: WorkspaceState, task: TaskRecord): void {
    this.router(workspace).removals.statusChanged(task);
  }

  onEvent(workspace: WorkspaceState, event: EventRecord): void {
    this.deliveries.event(workspace, event);
    for (const observer of this.eventObservers) observer(workspace, event);
  }

  /** Reserves a worker for a task as routing would, regardless of eligibility (seeding). */
  reserve(workspace: WorkspaceState, task: TaskRecord, worker: WorkerRecord): ReservationRecord | undefined {
    return this.router(workspace).reserveDirectly(task, worker);
  }

  /** Forgets every workspace's routing state and stops its timers. */
  reset(): void {
    for (const router of this.routers.values()) router.dispose();
    this.routers.clear();
  }

  /** Each workspace's routing state beyond its records, by workspace SID. */
  snapshot(): Record<string, RouterSnapshot> {
    const routing: Record<string, RouterSnapshot> = {};
    for (const [workspace, router] of this.routers) routing[workspace.sid] = router.snapshot();
    return routing;
  }

  /**
   * Restores the clock and the routing state of a snapshot whose records are already in the
   * store (routers are made in the order they were). `restored`: the clock's timers for
   * `clock.timers`, when the caller restored a clock that several accounts share.
   */
  restore(
    routing: Readonly<Record<string, RouterSnapshot>>,
    clock: ClockSnapshot,
    restored: readonly ScheduledTimer[] = this.store.clock.restore(clock),
  ): void {
    this.reset();
    const timersBySid = new Map<string, Map<ScheduledTimer, TimerSnapshot>>();
    clock.timers.forEach((saved, index) => {
      const timers = timersBySid.get(saved.job.workspaceSid) ?? new Map<ScheduledTimer, TimerSnapshot>();
      timersBySid.set(saved.job.workspaceSid, timers);
      timers.set(restored[index]!, saved);
    });
    for (const [sid, saved] of Object.entries(routing)) {
      const workspace = this.store.workspaces.get(sid);
      if (workspace) this.router(workspace).restore(saved, timersBySid.get(sid) ?? new Map());
    }
  }

  private router(workspace: WorkspaceState): WorkspaceRouter {
    let router = this.routers.get(workspace);
    if (!router) {
      const created = new WorkspaceRouter(this.store, workspace, (reservation) =>
        this.deliveries.assignment(workspace, reservation, (answer) =>
          created.answerOffer(reservation, answer),
        ),
      );
      router = created;
      this.routers.set(workspace, router);
    }
    return router;
  }
}
