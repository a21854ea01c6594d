/**
 * Outbound webhooks, as TaskRouter sends them: event callbacks to the workspace's
 * EventCallbackUrl and assignment callbacks to the workflow's AssignmentCallbackUrl, both
 * form-encoded and signed with X-Twilio-Signature. Deliveries start after the request that caused
 * them has been answered and never make it fail.
 */
import { computeRequestSignature } from '@taskrouter/core';
import { eventData, eventDescription, eventSid } from '../domain/event-log.js';
import type { EventRecord, ReservationRecord, Store, WorkspaceState } from '../domain/state.js';
import type { AssignmentInstruction } from './workspace-router.js';

/** How long TaskRouter waits for an assignment callback's answer before trying the fallback URL. */
const ASSIGNMENT_ANSWER_TIMEOUT_MS = 5000;

type Fetch = typeof globalThis.fetch;

/** The outcome of asking an assignment callback URL. */
type Answer = AssignmentInstruction | 'no-instruction' | 'failed';

/** Queues and sends callbacks; `idle()` waits until every one has been delivered and acted on. */
export class CallbackDeliveries {
  private readonly pending = new Set<Promise<void>>();
  /** Event callbacks go out one after the other, in the order the events happened. */
  private eventChain: Promise<void> = Promise.resolve();

  /**
   * @param authToken - signs every request
   * @param fetchFor - the fetch to deliver with, looked up for each delivery
   */
  constructor(
    private readonly store: Store,
    private readonly authToken: string,
    private readonly fetchFor: () => Fetch,
  ) {}

  /** Sends an event to the workspace's EventCallbackUrl, if it has one and its EventsFilter allows. */
  event(workspace: WorkspaceState, event: EventRecord): void {
    const { eventCallbackUrl, eventsFilter } = workspace.record;
    if (!eventCallbackUrl || !passesFilter(eventsFilter, event.eventType)) return;
    const params = eventParams(workspace, event);
    this.eventChain = this.eventChain.then(() =>
      this.post(eventCallbackUrl, params, undefined).then(
        (response) => response.body?.cancel(),
        () => undefined,
      ),
    );
    this.track(this.eventChain);
  }

  /**
   * Sends a new reservation to its workflow's AssignmentCallbackUrl (then, on failure, to the
   * fallback URL) and hands an instruction in the answer to `apply`.
   */
  assignment(
    workspace: WorkspaceState,
    reservation: ReservationRecord,
    apply: (answer: AssignmentInstruction) => void,
  ): void {
    const task = workspace.tasks.get(reservation.taskSid);
    const worker = workspace.workers.get(reservation.workerSid);
    const workflow = task?.workflowSid ? workspace.workflows.get(task.workflowSid) : undefined;
    if (!task || !worker || !workflow?.assignmentCallbackUrl) return;
    const now = this.store.clock.nowMs();
    const params: Record<string, string> = {
      Timestamp: String(Math.floor(now / 1000)),
      AccountSid: workspace.record.accountSid,
      WorkspaceSid: workspace.sid,
      WorkflowSid: workflow.sid,
      TaskQueueSid: task.taskQueueSid ?? '',
      WorkerSid: worker.sid,
      WorkerAttributes: worker.attributes,
      TaskSid: task.sid,
      TaskAttributes: task.attributes,
      TaskAge: String(Math.floor((now - task.created) / 1000)),
      TaskPriority: String(task.priority),
      ReservationSid: reservation.sid,
    };
    const { assignmentCallbackUrl, fallbackAssignmentCallbackUrl } = workflow;
    this.track(
      Promise.resolve().then(async () => {
        let answer = await this.ask(assignmentCallbackUrl, params);
        if (answer === 'failed' && fallbackAssignmentCallbackUrl) {
          answer = await this.ask(fallbackAssignmentCallbackUrl, params);
        }
        if (typeof answer === 'object') apply(answer);
      }),
    );
  }

  /** Resolves once every delivery, and every delivery those caused, has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(delivery: Promise<void>): void {
    const settled = delivery.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }

  /**
   * Posts to an assignment callback URL. TaskRouter acts on a 200 whose JSON body names an
   * instruction; another 2xx leaves the reservation pending; anything else (or no answer in
   * five seconds) counts as a failure.
   */
  private async ask(url: string, params: Record<string, string>): Promise<Answer> {
    try {
      const response = await this.post(url, params, AbortSignal.timeout(ASSIGNMENT_ANSWER_TIMEOUT_MS));
      if (!response.ok) {
        await response.body?.cancel();
        return 'failed';
      }
      const isJson = (response.headers.get('content-type') ?? '').toLowerCase().includes('json');
      const text = await response.text();
      if (response.status !== 200 || !isJson) return 'no-instruction';
      const body: unknown = JSON.parse(text);
      return isInstruction(body) ? body : 'no-instruction';
    } catch {
      return 'failed';
    }
  }

  private async post(
    url: string,
    params: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const signature = await computeRequestSignature(this.authToken, url, params);
    return this.fetchFor()(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
      },
      body: new URLSearchParams(params).toString(),
      ...(signal ? { signal } : {}),
    });
  }
}

function isInstruction(body: unknown): body is AssignmentInstruction {
  return (
    body !== null &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    typeof (body as { instruction?: unknown }).instruction === 'string'
  );
}

function passesFilter(filter: string | null, eventType: string): boolean {
  if (filter === null || filter.trim() === '') return true;
  return filter.split(',').some((type) => type.trim() === eventType);
}

/**
 * The form fields of an event callback: the common fields, then every field of the event's data
 * in PascalCase (`task_queue_sid` → `TaskQueueSid`); JSON documents stay JSON strings.
 */
export function eventParams(workspace: WorkspaceState, event: EventRecord): Record<string, string> {
  const params: Record<string, string> = {
    EventType: event.eventType,
    AccountSid: workspace.record.accountSid,
    WorkspaceSid: workspace.sid,
    WorkspaceName: workspace.record.friendlyName,
    EventDescription: eventDescription(workspace, event),
    ResourceType: event.resourceType,
    ResourceSid: event.resourceSid,
    Sid: eventSid(workspace, event),
    Timestamp: String(Math.floor(event.created / 1000)),
    TimestampMs: String(event.created),
  };
  for (const [key, value] of Object.entries(eventData(workspace, event))) {
    if (value === null || value === undefined) continue;
    const name = key.replace(/(^|_)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
    params[name] ??= typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return params;
}
