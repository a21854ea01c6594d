import { NULL_BODY_STATUSES } from './transport.js';

/** What a {@link ReadResponse} is made of. */
export interface ReadResponseInit {
  /** HTTP status of the answer, such as 200. */
  status: number;
  /** The reason phrase; empty when the answer had none. */
  statusText?: string;
  /** URL of the request the answer belongs to. */
  url: string;
  /**
   * The answer's headers, or a function that makes them when they are first read: most callers
   * never read them, and building a `Headers` costs more than the rest of this object.
   */
  headers: Headers | (() => Headers);
}

/**
 * An answer whose body has already been read into text, with the Fetch `Response` interface: status,
 * headers and URL as received; `body` null, `bodyUsed` true, the body methods rejecting and `clone`
 * throwing, as on a `Response` whose body was read. An answer whose status has no body (204, 205,
 * 304) behaves as a `Response` without one: `bodyUsed` false, `text()` resolving to `''`, `clone()`
 * working. A {@link DirectSend} answers with it to save building a `Response` for a body the client
 * no longer needs; the Node transport does the same.
 *
 * @example
 * ```ts
 * import { ReadResponse } from '@taskrouter/core';
 *
 * const response = new ReadResponse({
 *   status: 200,
 *   url: 'https://taskrouter.twilio.com/v1/Workspaces',
 *   headers: () => new Headers({ 'content-type': 'application/json' }),
 * });
 * console.log(response.ok, response.headers.get('content-type')); // true application/json
 * ```
 */
export class ReadResponse implements Response {
  /** HTTP status of the answer. */
  declare readonly status: number;
  /** The reason phrase of the answer. */
  declare readonly statusText: string;
  /** URL of the request the answer belongs to. */
  declare readonly url: string;
  /** True: the body has been read; false for a status without a body. */
  declare readonly bodyUsed: boolean;
  /** Always null: the body has been read. */
  readonly body = null;
  /** Always false: the client never follows a redirect. */
  readonly redirected = false;
  /** Always `basic`, as for a same-origin answer. */
  readonly type: Response['type'] = 'basic';
  #headers: Headers | (() => Headers);

  constructor(init: ReadResponseInit) {
    this.status = init.status;
    this.statusText = init.statusText ?? '';
    this.url = init.url;
    this.bodyUsed = !NULL_BODY_STATUSES.has(init.status);
    this.#headers = init.headers;
  }

  /** The headers of the answer, made on first use when given as a function. */
  get headers(): Headers {
    if (typeof this.#headers === 'function') this.#headers = this.#headers();
    return this.#headers;
  }

  /** True for a status from 200 to 299. */
  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  /** Rejects: the body has been read; answers as an empty body for a status without one. */
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#bodiless()?.arrayBuffer() ?? bodyUnusable();
  }

  /** Rejects: the body has been read; answers as an empty body for a status without one. */
  blob(): Promise<Blob> {
    return this.#bodiless()?.blob() ?? bodyUnusable();
  }

  /** Rejects: the body has been read; answers as an empty body for a status without one. */
  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#bodiless()?.bytes() ?? bodyUnusable();
  }

  /** Rejects: the body has been read; answers as an empty body for a status without one. */
  formData(): Promise<FormData> {
    return this.#bodiless()?.formData() ?? bodyUnusable();
  }

  /** Rejects: the body has been read; answers as an empty body for a status without one. */
  json(): Promise<unknown> {
    return this.#bodiless()?.json() ?? bodyUnusable();
  }

  /** Rejects: the body has been read; answers as an empty body for a status without one. */
  text(): Promise<string> {
    return this.#bodiless()?.text() ?? bodyUnusable();
  }

  /** Throws: a response whose body has been read cannot be cloned; one without a body can. */
  clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: the body has already been read');
    const { status, statusText, url } = this;
    return new ReadResponse({ status, statusText, url, headers: new Headers(this.headers) });
  }

  /** A standard Response without a body, to answer body methods for a status that has none. */
  #bodiless(): Response | undefined {
    if (this.bodyUsed) return undefined;
    return new Response(null, { status: this.status, statusText: this.statusText, headers: this.headers });
  }
}

function bodyUnusable(): Promise<never> {
  return Promise.reject(new TypeError('Body is unusable: the client has already read it into `data`'));
}
