/**
 * Outbound webhooks, as TaskRouter sends them: event callbacks to the workspace's
 * EventCallbackUrl and assignment callbacks to the workflow's AssignmentCallbackUrl, both
 * form-encoded and signed with X-Twilio-Signature. Deliveries start after the request that caused
 * them has been answered and never make it fail.
 */
import { computeRequestSignature, validateRequestSignature } from '@taskrouter/core';
import { eventData, eventDescription, eventSid } from '../domain/event-log.js';
import type { EventRecord, ReservationRecord, Store, WorkspaceState } from '../domain/state.js';
import type { AssignmentInstruction } from './workspace-router.js';

/** How long TaskRouter waits for an assignment callback's answer before trying the fallback URL. */
export const ASSIGNMENT_ANSWER_TIMEOUT_MS = 5000;
/** How long TaskRouter gives an event callback URL to answer. */
export const EVENT_ANSWER_TIMEOUT_MS = 15_000;

type Fetch = typeof globalThis.fetch;

/** The outcome of asking an assignment callback URL. */
type Answer = AssignmentInstruction | 'no-instruction' | 'failed';

/**
 * One callback the emulator sent, as `emulator.callbacks()` lists it: a plain JSON value.
 */
export interface CallbackRecord {
  /** `event` for the workspace's EventCallbackUrl, `assignment` for a workflow's assignment URLs. */
  readonly kind: 'event' | 'assignment';
  readonly workspaceSid: string;
  /** The URL posted to. */
  readonly url: string;
  /** True for an assignment callback sent to the FallbackAssignmentCallbackUrl. */
  readonly fallback: boolean;
  /** The form parameters posted. */
  readonly params: Readonly<Record<string, string>>;
  /** The `X-Twilio-Signature` header sent. */
  readonly signature: string;
  /** Whether that signature is valid for the account's auth token (checked as Twilio's helpers check it). */
  readonly signatureValid: boolean;
  /** HTTP status of the answer; null while it is awaited or when none came. */
  readonly status: number | null;
  /** Why no answer came (network error, timeout), or null. */
  readonly error: string | null;
  /** When it was sent: epoch milliseconds of the emulator's clock (an integer). */
  readonly at: number;
}

/** Options of {@link CallbackDeliveries}. */
export interface CallbackDeliveryOptions {
  /** Signs every request. */
  readonly authToken: string;
  /** The fetch to deliver with, looked up for each delivery. */
  readonly fetchFor: () => Fetch;
  /** Milliseconds to wait for any callback's answer; TaskRouter's own limits when undefined. */
  readonly timeoutMs?: number;
  /** Receives every callback when it is sent; the record is completed when its answer comes. */
  readonly record?: (callback: { -readonly [Key in keyof CallbackRecord]: CallbackRecord[Key] }) => void;
}

/** Queues and sends callbacks; `idle()` waits until every one has been delivered and acted on. */
export class CallbackDeliveries {
  private readonly pending = new Set<Promise<void>>();
  /**
   * Each workspace's event callbacks go out one after the other, in the order its events
   * happened; workspaces do not wait for each other.
   */
  private readonly eventChains = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly options: CallbackDeliveryOptions,
  ) {}

  /** Sends an event to the workspace's EventCallbackUrl, if it has one and its EventsFilter allows. */
  event(workspace: WorkspaceState, event: EventRecord): void {
    const { eventCallbackUrl, eventsFilter } = workspace.record;
    if (!eventCallbackUrl || !passesFilter(eventsFilter, event.eventType)) return;
    const params = eventParams(workspace, event);
    const sid = workspace.sid;
    const timeout = this.options.timeoutMs ?? EVENT_ANSWER_TIMEOUT_MS;
    const chain = (this.eventChains.get(sid) ?? Promise.resolve()).then(async () => {
      const deadline = new Deadline(timeout);
      try {
        const response = await this.post('event', sid, eventCallbackUrl, false, params, deadline);
        await response.body?.cancel();
      } catch {
        // Recorded by post; a failed event callback is not retried.
      } finally {
        deadline.clear();
      }
    });
    this.eventChains.set(sid, chain);
    void chain.then(() => {
      if (this.eventChains.get(sid) === chain) this.eventChains.delete(sid);
    });
    this.track(chain);
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
    const now = Math.floor(this.store.clock.nowMs());
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
        let answer = await this.ask(workspace.sid, assignmentCallbackUrl, false, params);
        if (answer === 'failed' && fallbackAssignmentCallbackUrl) {
          answer = await this.ask(workspace.sid, fallbackAssignmentCallbackUrl, true, params);
        }
        if (typeof answer === 'object') apply(answer);
      }),
    );
  }

  /**
   * Resolves once every delivery, and every delivery those caused, has finished. Each delivery
   * gives up after its timeout, so this ends too.
   */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Number of deliveries not finished yet. */
  get inFlight(): number {
    return this.pending.size;
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
  private async ask(
    workspaceSid: string,
    url: string,
    fallback: boolean,
    params: Record<string, string>,
  ): Promise<Answer> {
    const deadline = new Deadline(this.options.timeoutMs ?? ASSIGNMENT_ANSWER_TIMEOUT_MS);
    try {
      const response = await this.post('assignment', workspaceSid, url, fallback, params, deadline);
      if (!response.ok) {
        await response.body?.cancel();
        return 'failed';
      }
      const isJson = (response.headers.get('content-type') ?? '').toLowerCase().includes('json');
      const text = await deadline.race(response.text());
      if (response.status !== 200 || !isJson) return 'no-instruction';
      const body: unknown = JSON.parse(text);
      return isInstruction(body) ? body : 'no-instruction';
    } catch {
      return 'failed';
    } finally {
      deadline.clear();
    }
  }

  private async post(
    kind: CallbackRecord['kind'],
    workspaceSid: string,
    url: string,
    fallback: boolean,
    params: Record<string, string>,
    deadline: Deadline,
  ): Promise<Response> {
    const { authToken, fetchFor, record } = this.options;
    // Recorded before anything is awaited, so the log keeps the order deliveries started in.
    const entry = {
      kind,
      workspaceSid,
      url,
      fallback,
      params,
      signature: '',
      signatureValid: false,
      status: null as number | null,
      error: null as string | null,
      at: Math.floor(this.store.clock.nowMs()),
    };
    record?.(entry);
    const signature = await computeRequestSignature(authToken, url, params);
    entry.signature = signature;
    entry.signatureValid = await validateRequestSignature(authToken, signature, url, params);
    deadline.start();
    try {
      const response = await deadline.race(
        fetchFor()(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': signature,
          },
          body: new URLSearchParams(params).toString(),
          signal: deadline.signal,
        }),
      );
      entry.status = response.status;
      return response;
    } catch (error) {
      entry.error = deadline.expired
        ? `no answer within ${deadline.ms} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      throw error;
    }
  }
}

/**
 * The time a callback has to answer. It aborts the fetch and also settles what is raced against
 * it, so a callback fetch that ignores its signal cannot hold a delivery past the deadline.
 */
class Deadline {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly expiry: Promise<never>;
  expired = false;

  constructor(readonly ms: number) {
    this.expiry = new Promise<never>((_, reject) => {
      this.controller.signal.addEventListener('abort', () => reject(this.controller.signal.reason));
    });
    this.expiry.catch(() => undefined);
  }

  /** Starts counting, when the request goes out (signing it does not count). */
  start(): void {
    this.timer ??= setTimeout(() => {
      this.expired = true;
      this.controller.abort(new DOMException(`no answer within ${this.ms} ms`, 'TimeoutError'));
    }, this.ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expiry]);
  }

  clear(): void {
    clearTimeout(this.timer);
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
