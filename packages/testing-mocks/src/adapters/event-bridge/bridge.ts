/**
 * The event bridge the worker SDK (`twilio-taskrouter`) connects to: a websocket per connected
 * worker that carries `init`, heartbeats and every event concerning the worker, plus the
 * JSON-over-HTTP channel of `http-channel.ts`. Events come from a subscription to the event log
 * of every account, in its order; a worker hears only its own account's events.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ScheduledTimer } from '../../domain/clock.js';
import type { IncomingCall, OutgoingAnswer } from '../../rest/dispatch.js';
import { EmulatorRequestError } from '../../domain/errors.js';
import type {
  EventRecord,
  ReservationRecord,
  ReservationStatus,
  TaskRecord,
  WorkerRecord,
  WorkspaceState,
} from '../../domain/state.js';
import { answerBridgeHttp, isEventBridgePath } from './http-channel.js';
import {
  reservationSnapshot,
  type Snapshot,
  taskSnapshot,
  workerChannelSnapshot,
  workerSnapshot,
} from './snapshots.js';
import { authenticateWorkerToken, type TokenPolicy, type WorkerGrant } from './worker-tokens.js';

/** Options of the emulator's event bridge (`createEmulator({ eventBridge })`). */
export interface EventBridgeOptions {
  /**
   * Milliseconds between heartbeats (blank frames) on every websocket; default 10,000. The SDK
   * reconnects when it hears nothing for 30 s; tests may shorten the interval.
   */
  heartbeatIntervalMs?: number;
  /**
   * Real milliseconds a worker connected with `setWorkerOfflineIfDisconnected` (the SDK's
   * default) may stay without a websocket before it is moved offline; default 5,000. The grace
   * lets the SDK reconnect after a dropped connection or a token renewal without going offline.
   */
  offlineGraceMs?: number;
}

/** An open websocket of the worker SDK. */
export interface EventBridgeConnection {
  /** The account of the token (`sub`): the emulator's, or in any-credentials mode a caller's. */
  readonly accountSid: string;
  readonly workspaceSid: string;
  readonly workerSid: string;
  /** `grants.identity` of the token, when it has one. */
  readonly identity: string | null;
  /** When the websocket opened, on the emulator's clock. */
  readonly connectedAt: Date;
  /** When its access token expires; the emulator closes the websocket then. */
  readonly tokenExpiresAt: Date;
  /** Whether the worker moves offline when its last websocket closes. */
  readonly setWorkerOfflineIfDisconnected: boolean;
}

/** A worker's websockets opened or closed: how many are open now. */
export interface ConnectionChange {
  readonly accountSid: string;
  readonly workspaceSid: string;
  readonly workerSid: string;
  readonly open: number;
}

/** Lets tests see and drop the worker SDK's websockets (`emulator.eventBridge`). */
export interface EventBridgeControl {
  /** The open websockets, oldest first. */
  connections(): EventBridgeConnection[];
  /**
   * Closes websockets as a failing network or server would (close code 1012): every one, one
   * account's, or one worker's. The SDK reconnects by itself. Resolves to the number closed.
   */
  disconnect(filter?: { accountSid?: string; workerSid?: string; reason?: string }): number;
}

/** Close codes the bridge uses; the SDK shows the reason in its `disconnected` event. */
const CLOSE = {
  expired: 4401,
  refused: 4403,
  replaced: 4409,
  workerDeleted: 4410,
  dropped: 1012,
  shutdown: 1001,
} as const;

const DEFAULT_HEARTBEAT_MS = 10_000;
const DEFAULT_OFFLINE_GRACE_MS = 5_000;

/** The reservation status each reservation event reports. */
const RESERVATION_EVENTS: Readonly<Record<string, ReservationStatus>> = {
  'reservation.created': 'pending',
  'reservation.accepted': 'accepted',
  'reservation.rejected': 'rejected',
  'reservation.timeout': 'timeout',
  'reservation.canceled': 'canceled',
  'reservation.rescinded': 'rescinded',
  'reservation.wrapup': 'wrapping',
  'reservation.completed': 'completed',
};
const WORKER_EVENTS = new Set(['worker.activity.update', 'worker.attributes.update']);
const CHANNEL_EVENTS = new Set(['worker.capacity.update', 'worker.channel.availability.update']);
const TASK_EVENTS = new Set(['task.updated', 'task.canceled', 'task.completed', 'task.wrapup']);

interface Session {
  readonly socket: WebSocket;
  readonly grant: WorkerGrant;
  readonly server: object;
  readonly connectedAt: number;
  readonly setWorkerOffline: boolean;
  expiry: ScheduledTimer | undefined;
  /** Closed on purpose in a way that must not move the worker offline. */
  keepActivity: boolean;
}

/** An event to send once the request that recorded it is over, with what it is about. */
interface PendingFrame {
  readonly accountSid: string;
  readonly workspace: WorkspaceState;
  readonly event: EventRecord;
  readonly workerSids: readonly string[];
  readonly reservation?: ReservationRecord;
  readonly task?: TaskRecord;
  readonly worker?: WorkerRecord;
}

/** What the bridge needs from its emulator. */
export interface EventBridgeContext {
  readonly policy: TokenPolicy;
  /** The emulator's REST answer on one account's state; calls the bridge vouches for are marked `trusted`. */
  readonly answer: (call: IncomingCall, accountSid: string) => OutgoingAnswer;
  readonly origin: string;
}

/** Sessions are kept per account and worker: two accounts may hold equal SIDs (one snapshot restored twice). */
function sessionKey(accountSid: string, workerSid: string): string {
  return `${accountSid}/${workerSid}`;
}

function accountOfKey(key: string): string {
  return key.slice(0, key.indexOf('/'));
}

/** One emulator's event bridge, shared by every server it listens on. */
export class EventBridge implements EventBridgeControl {
  private readonly sessions = new Map<string, Set<Session>>();
  private readonly sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly heartbeatMs: number;
  private readonly offlineGraceMs: number;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private pending: PendingFrame[] = [];
  private readonly offlineTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly connectionObservers = new Set<(change: ConnectionChange) => void>();

  constructor(
    private readonly context: EventBridgeContext,
    options: EventBridgeOptions = {},
  ) {
    this.heartbeatMs = positive('heartbeatIntervalMs', options.heartbeatIntervalMs, DEFAULT_HEARTBEAT_MS);
    this.offlineGraceMs = positive('offlineGraceMs', options.offlineGraceMs, DEFAULT_OFFLINE_GRACE_MS, 0);
  }

  /** Answers the JSON-over-HTTP channel (and its CORS preflight). */
  answerHttp(call: IncomingCall): Promise<OutgoingAnswer> {
    return answerBridgeHttp(this.context, call);
  }

  /**
   * Takes over an HTTP upgrade aimed at the bridge; false when the path is not the bridge's.
   * `server` identifies the listening server, whose close drops its websockets.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, server: object): boolean {
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (!isEventBridgePath(url.pathname)) return false;
    this.sockets.handleUpgrade(request, socket, head, (webSocket) => {
      this.open(webSocket, url.searchParams, server).catch((error: unknown) => {
        webSocket.close(1011, closeReason(`Internal emulator error: ${String(error)}`));
      });
    });
    return true;
  }

  /** Calls `listener` each time a worker's websockets open or close; returns the unsubscribe function. */
  observeConnections(listener: (change: ConnectionChange) => void): () => void {
    this.connectionObservers.add(listener);
    return () => this.connectionObservers.delete(listener);
  }

  private connectionsChanged({ accountSid, workspace, worker }: WorkerGrant): void {
    const open = this.sessions.get(sessionKey(accountSid, worker.sid))?.size ?? 0;
    const change = { accountSid, workspaceSid: workspace.sid, workerSid: worker.sid, open };
    for (const observer of this.connectionObservers) observer(change);
  }

  connections(): EventBridgeConnection[] {
    const all = [...this.sessions.values()].flatMap((set) => [...set]);
    all.sort((a, b) => a.connectedAt - b.connectedAt);
    return all.map(({ grant, connectedAt, setWorkerOffline }) => ({
      accountSid: grant.accountSid,
      workspaceSid: grant.workspace.sid,
      workerSid: grant.worker.sid,
      identity: grant.claims.grants.identity ?? null,
      connectedAt: new Date(connectedAt),
      tokenExpiresAt: new Date(grant.expiresAt),
      setWorkerOfflineIfDisconnected: setWorkerOffline,
    }));
  }

  disconnect(filter: { accountSid?: string; workerSid?: string; reason?: string } = {}): number {
    let closed = 0;
    for (const set of this.sessions.values()) {
      for (const session of set) {
        const { accountSid, worker } = session.grant;
        if (filter.accountSid !== undefined && accountSid !== filter.accountSid) continue;
        if (filter.workerSid !== undefined && worker.sid !== filter.workerSid) continue;
        this.end(session, CLOSE.dropped, filter.reason ?? 'Connection dropped by the emulator', false);
        closed++;
      }
    }
    return closed;
  }

  /** Drops the websockets a server accepted (the server is closing). */
  closeServer(server: object): void {
    for (const set of this.sessions.values()) {
      for (const session of set) {
        if (session.server === server)
          this.end(session, CLOSE.shutdown, 'The emulator is shutting down', true);
      }
    }
  }

  /** Closes every websocket, or one account's: the emulator forgot that state. */
  reset(accountSid?: string): void {
    const ofReset = (owner: string) => accountSid === undefined || owner === accountSid;
    for (const [key, set] of this.sessions) {
      if (!ofReset(accountOfKey(key))) continue;
      for (const session of set) this.end(session, CLOSE.workerDeleted, 'The emulator was reset', true);
    }
    for (const [key, timer] of this.offlineTimers) {
      if (!ofReset(accountOfKey(key))) continue;
      clearTimeout(timer);
      this.offlineTimers.delete(key);
    }
    this.pending = this.pending.filter((frame) => !ofReset(frame.accountSid));
  }

  /**
   * Notes an event just recorded; it goes out to the websockets of the workers it concerns once
   * the current request is over, so every frame shows the outcome of the whole transition.
   */
  onEvent(workspace: WorkspaceState, event: EventRecord): void {
    if (this.sessions.size === 0) return;
    const frame = this.frameFor(workspace, event);
    if (
      frame === undefined ||
      !frame.workerSids.some((sid) => this.sessions.has(sessionKey(frame.accountSid, sid)))
    ) {
      return;
    }
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    this.pending.push(frame);
  }

  private frameFor(workspace: WorkspaceState, event: EventRecord): PendingFrame | undefined {
    const type = event.eventType;
    const { accountSid } = workspace.record;
    if (type in RESERVATION_EVENTS) {
      const reservation = workspace.reservations.get(event.resourceSid);
      if (reservation === undefined) return undefined;
      const task = workspace.tasks.get(reservation.taskSid);
      return {
        accountSid,
        workspace,
        event,
        workerSids: [reservation.workerSid],
        reservation,
        ...(task ? { task } : {}),
      };
    }
    if (WORKER_EVENTS.has(type) || CHANNEL_EVENTS.has(type) || type === 'worker.deleted') {
      const worker = event.worker?.worker;
      return worker ? { accountSid, workspace, event, workerSids: [worker.sid], worker } : undefined;
    }
    if (TASK_EVENTS.has(type)) {
      const task = event.task?.task;
      if (task === undefined) return undefined;
      const workerSids = new Set((workspace.reservationsByTask.get(task.sid) ?? []).map((r) => r.workerSid));
      return { accountSid, workspace, event, workerSids: [...workerSids], task };
    }
    return undefined;
  }

  private flush(): void {
    const frames = this.pending;
    this.pending = [];
    const now = this.context.policy.clock.nowMs();
    for (const frame of frames) {
      if (frame.event.eventType === 'worker.deleted') {
        const deleted = this.sessions.get(sessionKey(frame.accountSid, frame.workerSids[0] ?? ''));
        for (const session of deleted ?? []) {
          this.end(session, CLOSE.workerDeleted, `Worker ${frame.worker?.sid} was deleted`, true);
        }
        continue;
      }
      const payload = this.payloadOf(frame, now);
      if (payload === undefined) continue;
      const text = JSON.stringify({ event_type: frame.event.eventType, payload });
      for (const workerSid of frame.workerSids) {
        for (const session of this.sessions.get(sessionKey(frame.accountSid, workerSid)) ?? []) {
          if (session.grant.workspace === frame.workspace) session.socket.send(text);
        }
      }
    }
  }

  private payloadOf(frame: PendingFrame, now: number): Snapshot | undefined {
    const { workspace, event } = frame;
    const status = RESERVATION_EVENTS[event.eventType];
    if (status !== undefined && frame.reservation) {
      return reservationSnapshot(workspace, frame.reservation, frame.task, now, status);
    }
    if (frame.worker && event.worker && WORKER_EVENTS.has(event.eventType)) {
      return workerSnapshot(workspace, frame.worker, event.worker);
    }
    if (frame.worker && CHANNEL_EVENTS.has(event.eventType)) {
      const channel = workspace.workerChannels
        .get(frame.worker.sid)
        ?.get(String(event.data?.task_channel_sid ?? event.taskChannelSid));
      return channel ? workerChannelSnapshot(workspace, channel) : undefined;
    }
    if (frame.task) return taskSnapshot(workspace, frame.task, now);
    return undefined;
  }

  private async open(socket: WebSocket, query: URLSearchParams, server: object): Promise<void> {
    const { policy } = this.context;
    const { clock } = policy;
    let grant: WorkerGrant;
    try {
      grant = await authenticateWorkerToken(policy, query.get('token'));
    } catch (error) {
      if (!(error instanceof EmulatorRequestError)) throw error;
      socket.close(error.status === 401 ? CLOSE.expired : CLOSE.refused, closeReason(error.message));
      return;
    }
    if (socket.readyState !== socket.OPEN) return;
    const workerSid = grant.worker.sid;
    const key = sessionKey(grant.accountSid, workerSid);
    if (query.get('closeExistingSessions') === 'true') {
      for (const other of this.sessions.get(key) ?? []) {
        this.end(
          other,
          CLOSE.replaced,
          'Closed: another session of this worker connected with closeExistingSessions',
          true,
        );
      }
    }
    const session: Session = {
      socket,
      grant,
      server,
      connectedAt: clock.nowMs(),
      setWorkerOffline: query.get('setWorkerOfflineIfDisconnected') !== 'false',
      expiry: undefined,
      keepActivity: false,
    };
    let set = this.sessions.get(key);
    if (set === undefined) {
      set = new Set();
      this.sessions.set(key, set);
    }
    set.add(session);
    clearTimeout(this.offlineTimers.get(key));
    this.offlineTimers.delete(key);
    session.expiry = clock.schedule(grant.expiresAt, () =>
      this.end(
        session,
        CLOSE.expired,
        `Access token expired at ${new Date(grant.expiresAt).toISOString()}; call updateToken()`,
        false,
      ),
    );
    socket.on('close', () => this.closed(session));
    socket.on('error', () => socket.terminate());
    socket.send(
      JSON.stringify({
        event_type: 'init',
        payload: {
          channel_id: workerSid,
          account_sid: grant.accountSid,
          workspace_sid: grant.workspace.sid,
          token_lifetime: Math.max(0, grant.expiresAt - clock.nowMs()),
        },
      }),
    );
    this.heartbeat ??= setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
    this.connectionsChanged(grant);
  }

  private beat(): void {
    for (const set of this.sessions.values()) {
      for (const session of set)
        if (session.socket.readyState === session.socket.OPEN) session.socket.send('');
    }
  }

  /** Closes a websocket; `keepActivity` says the worker must not be moved offline for it. */
  private end(session: Session, code: number, reason: string, keepActivity: boolean): void {
    session.keepActivity ||= keepActivity;
    this.forget(session);
    session.socket.close(code, closeReason(reason));
  }

  private closed(session: Session): void {
    this.forget(session);
    const { grant } = session;
    const key = sessionKey(grant.accountSid, grant.worker.sid);
    if (session.keepActivity || !session.setWorkerOffline || this.sessions.has(key)) return;
    clearTimeout(this.offlineTimers.get(key));
    const timer = setTimeout(() => {
      this.offlineTimers.delete(key);
      if (!this.sessions.has(key)) this.moveOffline(grant);
    }, this.offlineGraceMs);
    timer.unref();
    this.offlineTimers.set(key, timer);
  }

  private forget(session: Session): void {
    session.expiry?.cancel();
    const key = sessionKey(session.grant.accountSid, session.grant.worker.sid);
    const set = this.sessions.get(key);
    if (!set?.delete(session)) return;
    if (set.size === 0) this.sessions.delete(key);
    if (this.sessions.size === 0 && this.heartbeat !== undefined) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
    this.connectionsChanged(session.grant);
  }

  /**
   * Moves a disconnected worker to the workspace's offline activity (one named `Offline`, else
   * the default activity when it is unavailable) through the UpdateWorker operation.
   */
  private moveOffline({ accountSid, store, workspace, worker }: WorkerGrant): void {
    if (store.workspaces.get(workspace.sid) !== workspace || !workspace.workers.has(worker.sid)) {
      return;
    }
    const activities = [...workspace.activities.values()];
    const offline =
      activities.find(
        (activity) => !activity.available && activity.friendlyName.toLowerCase() === 'offline',
      ) ??
      activities.find(
        (activity) => !activity.available && activity.sid === workspace.record.defaultActivitySid,
      );
    if (offline === undefined || worker.activitySid === offline.sid) return;
    // A worker whose pending reservations forbid the change keeps its activity, as on a REST call.
    this.context.answer(
      {
        method: 'POST',
        url: new URL(`${workspace.path}/Workers/${worker.sid}`, this.context.origin),
        authorization: null,
        ifMatch: null,
        contentType: 'application/x-www-form-urlencoded',
        body: new URLSearchParams({ ActivitySid: offline.sid }).toString(),
        sourceIpAddress: '127.0.0.1',
        trusted: true,
      },
      accountSid,
    );
  }
}

/** A close reason fits in 123 bytes of UTF-8. */
function closeReason(text: string): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 123) return text;
  return `${new TextDecoder().decode(bytes.slice(0, 120)).replace(/\uFFFD+$/, '')}…`;
}

function positive(name: string, value: number | undefined, fallback: number, minimum = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(
      `createEmulator({ eventBridge: { ${name} } }): must be a whole number of milliseconds of at least ${minimum}, got ${value}`,
    );
  }
  return value;
}
