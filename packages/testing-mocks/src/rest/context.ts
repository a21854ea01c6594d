import { EmulatorRequestError, notFound } from '../domain/errors.js';
import type { Params } from './params.js';
import type { Store, VersionedRecord, WorkspaceState } from '../domain/state.js';

/** What an operation answers before it becomes an HTTP response. */
export interface Reply {
  readonly status: 200 | 201 | 204;
  readonly body?: unknown;
  /** Version of the resource, sent as the ETag header. */
  readonly etag?: string;
}

/** Everything an operation handler may read about its request. */
export interface RequestContext {
  readonly store: Store;
  /** Scheme, host and port the client used; every URL in the answer is built on it. */
  readonly origin: string;
  readonly pathname: string;
  readonly query: URLSearchParams;
  /** Query parameters for GET and DELETE, form fields for POST. */
  readonly params: Params;
  /** Path parameters by their spec names (`WorkspaceSid`, `Sid`, ...). */
  readonly path: Readonly<Record<string, string>>;
  readonly ifMatch: string | null;
  readonly sourceIpAddress: string;
  /** Parsed body of a JSON request (only the bulk statistics call has one). */
  readonly json: unknown;
}

/** An operation of the REST surface. */
export type OperationHandler = (context: RequestContext) => Reply;

/** The workspace named by the path, or 404. */
export function workspaceOf(context: RequestContext): WorkspaceState {
  const sid = context.path.WorkspaceSid ?? '';
  const workspace = context.store.workspaces.get(sid);
  if (!workspace) throw notFound(context.pathname);
  return workspace;
}

/** `map.get(sid)` or 404 for the requested path. */
export function found<T>(map: ReadonlyMap<string, T>, sid: string | undefined, context: RequestContext): T {
  const value = sid === undefined ? undefined : map.get(sid);
  if (value === undefined) throw notFound(context.pathname);
  return value;
}

/** Refuses the request with 412 when `If-Match` names another version than the record's. */
export function checkIfMatch(context: RequestContext, record: VersionedRecord): void {
  const header = context.ifMatch;
  if (header === null) return;
  const wanted = header
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .filter((tag) => tag !== '');
  if (wanted.includes('*') || wanted.includes(String(record.version))) return;
  throw new EmulatorRequestError(
    412,
    20412,
    `If-Match precondition failed: the resource is at version ${record.version}, not ${header}`,
  );
}
