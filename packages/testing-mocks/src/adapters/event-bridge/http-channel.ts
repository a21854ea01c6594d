/**
 * The event bridge's JSON-over-HTTP half: the worker SDK sends every REST call as
 * `POST <ebServer>` with `{ url, method, params, token }` and reads `{ payload }` back. Calls run
 * through the emulator's own operations (same validation, errors, versions and If-Match); the
 * answers are the SDK's snapshots.
 */
import type { OperationId } from '@taskrouter/core';
import { answerFor, type IncomingCall, type OutgoingAnswer } from '../../rest/dispatch.js';
import { EmulatorRequestError, notFound } from '../../domain/errors.js';
import { Router } from '../../rest/router.js';
import type { WorkspaceState } from '../../domain/state.js';
import {
  activitySnapshot,
  reservationSnapshot,
  type Snapshot,
  taskSnapshot,
  workerChannelSnapshot,
  workerSnapshot,
} from './snapshots.js';
import { authenticateWorkerToken, type TokenPolicy, type WorkerGrant } from './worker-tokens.js';

/** Where the SDK's `ebServer` and `wsServer` point, below the emulator's base URL. */
export const EVENT_BRIDGE_PATH = '/v1/wschannels';

/** Whether a request path is the event bridge's. */
export function isEventBridgePath(pathname: string): boolean {
  return pathname === EVENT_BRIDGE_PATH || pathname === `${EVENT_BRIDGE_PATH}/`;
}

/** CORS for pages on any origin: the token travels in the body, so no credentials are involved. */
const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'apiVersion, clientVersion, If-Match, Content-Type, *',
  'Access-Control-Max-Age': '600',
};

/** Paths of SDK features the emulator does not have, with the feature's name. */
const MISSING_FEATURES: Readonly<Record<string, string>> = {
  Transfers: 'Task transfers',
  CustomerParticipant: 'Conference participant control (customer leg)',
  WorkerParticipant: 'Conference participant control (worker leg)',
  HoldWorkerParticipant: 'Conference participant hold',
  KickWorkerParticipant: 'Conference participant removal',
};

/** The operations the bridge forwards, and the snapshot each answers with. */
const FORWARDED: Partial<Record<OperationId, 'worker' | 'task' | 'reservation' | 'channel' | 'activity'>> = {
  FetchWorker: 'worker',
  UpdateWorker: 'worker',
  CreateTask: 'task',
  FetchTask: 'task',
  UpdateTask: 'task',
  FetchTaskReservation: 'reservation',
  UpdateTaskReservation: 'reservation',
  FetchWorkerReservation: 'reservation',
  UpdateWorkerReservation: 'reservation',
  FetchWorkerChannel: 'channel',
  UpdateWorkerChannel: 'channel',
  FetchActivity: 'activity',
};

const MAX_PAGE_SIZE = 1000;
const router = new Router();

/** What the HTTP half needs from the emulator. */
export interface HttpChannelContext {
  readonly policy: TokenPolicy;
  /** The emulator's REST answer on one account's state; calls the bridge vouches for are marked `trusted`. */
  readonly answer: (call: IncomingCall, accountSid: string) => OutgoingAnswer;
}

/** One SDK request, as its JSON body says. */
interface BridgeRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly params: Readonly<Record<string, unknown>>;
  readonly token: unknown;
}

/** Answers a request to the event bridge's HTTP endpoint (a preflight too). */
export async function answerBridgeHttp(
  context: HttpChannelContext,
  call: IncomingCall,
): Promise<OutgoingAnswer> {
  if (call.method === 'OPTIONS') return { status: 204, body: null, headers: CORS_HEADERS };
  let answer: OutgoingAnswer;
  try {
    if (call.method !== 'POST') {
      const error = new EmulatorRequestError(
        405,
        20004,
        `Method ${call.method} not allowed on ${EVENT_BRIDGE_PATH}; the worker SDK POSTs its calls there`,
      );
      return { ...answerFor(error), allow: 'POST, OPTIONS', headers: CORS_HEADERS };
    }
    const request = parseRequest(call.body);
    const grant = await authenticateWorkerToken(context.policy, request.token);
    answer = answerRequest(context, call, request, grant);
  } catch (error) {
    if (!(error instanceof EmulatorRequestError)) throw error;
    answer = answerFor(error);
  }
  return { ...answer, headers: CORS_HEADERS };
}

function parseRequest(body: string | null): BridgeRequest {
  const malformed = (why: string) =>
    new EmulatorRequestError(
      400,
      20001,
      `Event bridge request body must be JSON { url, method, params, token }: ${why}`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    throw malformed('the body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformed('the body is not a JSON object');
  }
  const { url, method, params = {}, token } = parsed as Record<string, unknown>;
  if (typeof url !== 'string' || url === '') throw malformed('url must be a path such as Workspaces/WS…');
  if (method !== 'GET' && method !== 'POST' && method !== 'DELETE') {
    throw malformed(`method must be GET, POST or DELETE, got ${JSON.stringify(method)}`);
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw malformed('params must be an object');
  }
  return { url, method, params: params as Record<string, unknown>, token };
}

function answerRequest(
  context: HttpChannelContext,
  call: IncomingCall,
  request: BridgeRequest,
  grant: WorkerGrant,
): OutgoingAnswer {
  const segments = request.url.replace(/^\/+/, '').replace(/^v1\//, '').split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new EmulatorRequestError(400, 20001, `Malformed event bridge url ${JSON.stringify(request.url)}`);
  }
  const { workspace, worker } = grant;
  if (segments[0] !== 'Workspaces' || segments[1] !== workspace.sid) {
    throw new EmulatorRequestError(
      403,
      20403,
      `The access token's grant is for workspace ${workspace.sid}; ${request.url} is outside it`,
    );
  }
  const feature = segments[2] === 'Workers' ? MISSING_FEATURES[segments[4] ?? ''] : undefined;
  if (feature !== undefined) {
    throw new EmulatorRequestError(
      501,
      20501,
      `${feature} (${request.method} ${request.url}, apiVersion v2) is not emulated by @taskrouter/testing-mocks`,
    );
  }
  const workerSid = segments[2] === 'Workers' ? segments[3] : undefined;
  if (workerSid !== undefined && workerSid !== worker.sid && grant.role === 'worker') {
    throw new EmulatorRequestError(
      403,
      20403,
      `The access token's grant is for worker ${worker.sid}; role 'worker' cannot act on worker ${workerSid}`,
    );
  }
  const now = context.policy.clock.nowMs();
  const listed =
    request.method === 'GET' ? listFromState(workspace, segments, request.params, now) : undefined;
  if (listed !== undefined) return { status: 200, body: JSON.stringify({ payload: listed }) };

  // WorkerChannels is the SDK's name for the REST API's Channels.
  if (segments[2] === 'Workers' && segments[4] === 'WorkerChannels') segments[4] = 'Channels';
  const pathname = `/v1/${segments.join('/')}`;
  const match = router.match(request.method, pathname);
  const kind = match.kind === 'operation' ? FORWARDED[match.operationId] : undefined;
  if (kind === undefined) {
    throw new EmulatorRequestError(
      404,
      20404,
      `The event bridge does not serve ${request.method} ${request.url}`,
    );
  }
  const form = formOf(request.params);
  const url = new URL(pathname, call.url.origin);
  if (request.method !== 'POST') url.search = form.toString();
  const answer = context.answer(
    {
      method: request.method,
      url,
      authorization: null,
      ifMatch: call.ifMatch,
      contentType: 'application/x-www-form-urlencoded',
      body: request.method === 'POST' ? form.toString() : null,
      sourceIpAddress: call.sourceIpAddress,
      trusted: true,
    },
    grant.accountSid,
  );
  if (answer.status >= 300 || answer.body === null) return answer;
  const sid = String((JSON.parse(answer.body) as { sid?: unknown }).sid);
  const payload = snapshotOf(workspace, kind, sid, now);
  return { status: 200, body: JSON.stringify({ payload }), ...(answer.etag ? { etag: answer.etag } : {}) };
}

/** The resource an operation answered with, as the SDK reads it. */
function snapshotOf(
  workspace: WorkspaceState,
  kind: NonNullable<(typeof FORWARDED)[OperationId]>,
  sid: string,
  now: number,
): Snapshot | null {
  switch (kind) {
    case 'worker': {
      const worker = workspace.workers.get(sid);
      return worker ? workerSnapshot(workspace, worker) : null;
    }
    case 'task': {
      const task = workspace.tasks.get(sid);
      return task ? taskSnapshot(workspace, task, now) : null;
    }
    case 'reservation': {
      const reservation = workspace.reservations.get(sid);
      return reservation
        ? reservationSnapshot(workspace, reservation, workspace.tasks.get(reservation.taskSid), now)
        : null;
    }
    case 'channel': {
      const channel = workspace.workerChannelsBySid.get(sid);
      return channel ? workerChannelSnapshot(workspace, channel) : null;
    }
    case 'activity': {
      const activity = workspace.activities.get(sid);
      return activity ? activitySnapshot(workspace, activity) : null;
    }
  }
}

/** Reservations the SDK keeps: those still open. */
const OPEN_RESERVATION = new Set(['pending', 'accepted', 'wrapping']);

/**
 * The lists the SDK reads on connect, paged its way (`PageSize`, `AfterSid` → `after_sid`);
 * undefined for any other path.
 */
function listFromState(
  workspace: WorkspaceState,
  segments: readonly string[],
  params: Readonly<Record<string, unknown>>,
  now: number,
): { contents: Snapshot[]; after_sid: string | null } | undefined {
  const [, , collection, workerSid, sub, extra] = segments;
  const page = <T extends { sid: string }>(items: readonly T[], render: (item: T) => Snapshot) => {
    const pageSize = pageSizeOf(params.PageSize);
    const after =
      params.AfterSid === undefined ? -1 : items.findIndex((item) => item.sid === params.AfterSid);
    const shown = items.slice(after + 1, after + 1 + pageSize);
    const more = after + 1 + pageSize < items.length;
    return { contents: shown.map(render), after_sid: more ? (shown[shown.length - 1]?.sid ?? null) : null };
  };
  if (collection === 'Activities' && workerSid === undefined) {
    return page([...workspace.activities.values()], (activity) => activitySnapshot(workspace, activity));
  }
  if (collection !== 'Workers' || workerSid === undefined || extra !== undefined) return undefined;
  if (sub !== 'WorkerChannels' && sub !== 'Reservations') return undefined;
  if (!workspace.workers.has(workerSid)) throw notFound(`${workspace.path}/Workers/${workerSid}`);
  if (sub === 'WorkerChannels') {
    return page([...(workspace.workerChannels.get(workerSid)?.values() ?? [])], (channel) =>
      workerChannelSnapshot(workspace, channel),
    );
  }
  const active = String(params.Active ?? '') === 'true';
  const status = params.ReservationStatus === undefined ? undefined : String(params.ReservationStatus);
  const reservations = (workspace.reservationsByWorker.get(workerSid) ?? []).filter(
    (reservation) =>
      (!active || OPEN_RESERVATION.has(reservation.status)) &&
      (status === undefined || reservation.status === status),
  );
  return page(reservations, (reservation) =>
    reservationSnapshot(workspace, reservation, workspace.tasks.get(reservation.taskSid), now),
  );
}

function pageSizeOf(value: unknown): number {
  if (value === undefined) return MAX_PAGE_SIZE;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new EmulatorRequestError(
      400,
      20001,
      `Invalid parameter PageSize: must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
      'PageSize',
    );
  }
  return size;
}

/**
 * The SDK's params as a REST form: objects (such as `Attributes`) become JSON text, lists become
 * repeated fields, everything else its string form.
 */
function formOf(params: Readonly<Record<string, unknown>>): URLSearchParams {
  const form = new URLSearchParams();
  const text = (value: unknown) => (typeof value === 'object' ? JSON.stringify(value) : String(value));
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const each of value) form.append(name, text(each));
    else form.append(name, text(value));
  }
  return form;
}
