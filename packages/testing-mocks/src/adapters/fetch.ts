/**
 * The emulator as a `fetch`: requests answered in-process, without sockets, plus `@taskrouter/core`'s
 * direct send, which skips building a `Request` and reading body streams.
 */
import { DIRECT_SEND, type DirectSend, ReadResponse, type WireRequest } from '@taskrouter/core';
import {
  answerFor,
  answerHeaders,
  type IncomingCall,
  MAX_BODY_BYTES,
  type OutgoingAnswer,
  tooLarge,
} from '../rest/dispatch.js';
import { NO_BODY_STATUSES } from '../rest/overrides.js';

/** A `fetch` that hands every call to `answer`; it also offers core's `DIRECT_SEND`. */
export function createFetchAdapter(
  answer: (call: IncomingCall) => OutgoingAnswer,
  fetchAnswer: (call: IncomingCall) => OutgoingAnswer | Promise<OutgoingAnswer> = answer,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const call = plainCall(input, init) ?? (await readRequest(new Request(input, init)));
    const answered = call === null ? answerFor(tooLarge()) : await fetchAnswer(call);
    await afterDelay(answered, init?.signal ?? (input instanceof Request ? input.signal : undefined));
    const response = toResponse(answered);
    // As a fetched answer: the URL of its request, without a fragment.
    const url = call?.url.href ?? (input instanceof Request ? input.url : String(input));
    Object.defineProperty(response, 'url', { value: url.split('#', 1)[0] });
    return response;
  };
  // Core's client sends through this instead: no Request to build, no body stream to read.
  const directSend: DirectSend = (request) => {
    const answered = answer(wireCall(request));
    // The client reads the text and the status; headers are made only if someone reads them.
    const response = new ReadResponse({
      status: answered.status,
      url: request.url,
      headers: () => new Headers(answerHeaders(answered)),
    });
    const result = { response, text: answered.body ?? '' };
    // An AbortController costs more than the rest of a call on Node 20: made only for a delay.
    if (answered.delayMs === undefined || answered.delayMs <= 0) {
      return { answer: Promise.resolve(result), cancel: () => {} };
    }
    const stop = new AbortController();
    return {
      answer: afterDelay(answered, stop.signal).then(() => result),
      cancel: (reason) => stop.abort(reason),
    };
  };
  Object.defineProperty(fetch, DIRECT_SEND, { value: directSend });
  return fetch;
}

/**
 * The call described by a URL and a plain `init` (string, URLSearchParams or no body), read
 * without building a Request; undefined when only a Request can interpret the arguments.
 */
function plainCall(input: string | URL | Request, init: RequestInit | undefined): IncomingCall | undefined {
  if (input instanceof Request) return undefined;
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof URLSearchParams)) {
    return undefined;
  }
  const headers = init?.headers;
  const header = (name: string): string | null => {
    if (headers === undefined) return null;
    if (headers instanceof Headers) return headers.get(name);
    const entries = Array.isArray(headers) ? headers : Object.entries(headers);
    const found = entries.find(([key]) => key.toLowerCase() === name);
    return found === undefined ? null : found[1];
  };
  const text = body === undefined || body === null ? null : String(body);
  return {
    method: (init?.method ?? 'GET').toUpperCase(),
    url: new URL(input),
    ...(typeof input === 'string' ? { target: input } : {}),
    authorization: header('authorization'),
    ifMatch: header('if-match'),
    contentType:
      header('content-type') ??
      (body instanceof URLSearchParams ? 'application/x-www-form-urlencoded' : null),
    body: text,
    sourceIpAddress: '127.0.0.1',
  };
}

/** The call a client hands to the emulator's direct send (header names arrive in lower case). */
function wireCall(request: WireRequest): IncomingCall {
  const { headers, body } = request;
  return {
    method: request.method,
    url: new URL(request.url),
    target: request.url,
    authorization: headers.authorization ?? null,
    ifMatch: headers['if-match'] ?? null,
    contentType: headers['content-type'] ?? null,
    body: body === undefined ? null : typeof body === 'string' ? body : new TextDecoder().decode(body),
    sourceIpAddress: '127.0.0.1',
  };
}

/** Reads a Request into a call; null when its declared body is over the limit. */
async function readRequest(request: Request): Promise<IncomingCall | null> {
  const headers = request.headers;
  let body: string | null = null;
  if (request.body !== null) {
    if (Number(headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return null;
    body = await request.text();
  }
  return {
    method: request.method,
    url: new URL(request.url),
    authorization: headers.get('authorization'),
    ifMatch: headers.get('if-match'),
    contentType: headers.get('content-type'),
    body,
    sourceIpAddress: '127.0.0.1',
  };
}

/**
 * Waits for an answer's `delayMs`, if an override asked for one; rejects with the signal's reason
 * when it aborts first, as a fetch does.
 */
export function afterDelay(answer: OutgoingAnswer, signal?: AbortSignal | null): Promise<void> {
  const ms = answer.delayMs;
  if (ms === undefined || ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function toResponse(answer: OutgoingAnswer): Response {
  return textResponse(answer.body, { status: answer.status, headers: answerHeaders(answer) });
}

/** Code units a UTF-8 round trip would change: a lone surrogate anywhere, a byte order mark first. */
const CHANGED_BY_UTF8 = /[\uD800-\uDFFF]|^\uFEFF/u;

/**
 * A `Response` with `text` as its body, made as cheaply as the text allows; it behaves as
 * `new Response(text, init)` in every observable way.
 * @internal
 */
export function textResponse(text: string | null, init: ResponseInit): Response {
  if (text === null || CHANGED_BY_UTF8.test(text) || NO_BODY_STATUSES.has(init.status ?? 200)) {
    return new Response(text, init);
  }
  return new TextBodyResponse(text, init);
}

/**
 * A `Response` whose body is a string kept as it is (one that UTF-8 leaves unchanged). `text()`,
 * `json()` and `arrayBuffer()` answer from the string; anything else that needs the body as bytes
 * or a stream (`body`, `blob()`, `bytes()`, `formData()`, `clone()` after a read) goes to a
 * standard `Response` holding the same text, made on first use. Why: on Node 20 a `Response` built
 * with a body makes a transferable stream, 15 µs with reading it back, against about 1 µs without
 * a body, and most callers only ever call `text()` or `json()`.
 */
class TextBodyResponse extends Response {
  static {
    // Logged or inspected, it shows as the Response it stands for.
    Object.defineProperty(TextBodyResponse, 'name', { value: 'Response' });
  }

  readonly #text: string;
  #read = false;
  #standard: Response | undefined;

  constructor(text: string, init: ResponseInit) {
    super(null, init);
    this.#text = text;
    // What a standard Response built from a string adds when the caller gives no type.
    if (!this.headers.has('content-type')) this.headers.set('content-type', 'text/plain;charset=UTF-8');
  }

  override get body(): Response['body'] {
    return this.#asStandard().body;
  }

  override get bodyUsed(): boolean {
    return this.#standard === undefined ? this.#read : this.#standard.bodyUsed;
  }

  override text(): Promise<string> {
    if (this.#taken()) return this.#asStandard().text();
    return Promise.resolve(this.#text);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the signature of Response.json
  override json(): Promise<any> {
    if (this.#taken()) return this.#asStandard().json();
    return new Promise((resolve) => resolve(JSON.parse(this.#text)));
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#taken()) return this.#asStandard().arrayBuffer();
    return Promise.resolve(new TextEncoder().encode(this.#text).buffer);
  }

  override blob(): Promise<Blob> {
    return this.#asStandard().blob();
  }

  override formData(): Promise<FormData> {
    return this.#asStandard().formData();
  }

  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#asStandard().bytes();
  }

  override clone(): Response {
    if (this.#handedOver()) return this.#asStandard().clone();
    return new TextBodyResponse(this.#text, this.#init());
  }

  /** True once the text was read or a standard Response holds it: that one answers from then on. */
  #handedOver(): boolean {
    return this.#read || this.#standard !== undefined;
  }

  /**
   * True when the body was handed over before: the caller then asks the standard Response, which
   * fails as a standard Response does. Otherwise marks the body read.
   */
  #taken(): boolean {
    if (this.#handedOver()) return true;
    this.#read = true;
    return false;
  }

  #init(): ResponseInit {
    return { status: this.status, statusText: this.statusText, headers: this.headers };
  }

  /** The standard Response holding the text, read already if this one was. */
  #asStandard(): Response {
    if (this.#standard === undefined) {
      this.#standard = new Response(this.#text, this.#init());
      if (this.#read) this.#standard.text().catch(() => {});
    }
    return this.#standard;
  }
}
