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
import type { CallbackDeliveries } from './callbacks.js';
import { WorkspaceRouter } from './workspace-router.js';

/**
 * The emulator's routing engine: listens to every change of the store and keeps one
 * {@link WorkspaceRouter} per workspace.
 */
export class RoutingEngine implements ChangeListener {
  private readonly routers = new Map<WorkspaceState, WorkspaceRouter>();

  constructor(
    private readonly store: Store,
    private readonly deliveries: CallbackDeliveries,
  ) {}

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

  taskStatusChanged(workspace: WorkspaceState, task: TaskRecord): void {
    this.router(workspace).removals.statusChanged(task);
  }

  onEvent(workspace: WorkspaceState, event: EventRecord): void {
    this.deliveries.event(workspace, event);
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
