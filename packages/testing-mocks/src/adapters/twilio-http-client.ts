import { DIRECT_SEND, type DirectSend } from '@taskrouter/core';

/** The request the official `twilio` package hands to its `httpClient`. */
export interface TwilioHttpRequest {
  method: string;
  uri: string;
  username?: string | undefined;
  password?: string | undefined;
  headers?: Record<string, string> | undefined;
  params?: object | undefined;
  data?: object | undefined;
}

/** The answer the official `twilio` package expects back from its `httpClient`. */
export interface TwilioHttpResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

/** Options of {@link createTwilioHttpClient}. */
export interface TwilioHttpClientOptions {
  /** Send requests to this base URL (an emulator's HTTP server) instead of the URI twilio built. */
  baseUrl?: string | undefined;
}

/**
 * An `httpClient` for the official `twilio` package that sends its requests to an emulator,
 * in-process through `emulator.fetch` (or to a server with `baseUrl` and the global fetch). When the
 * target's fetch offers `@taskrouter/core`'s direct send, as `emulator.fetch` does, requests go
 * through it: twilio only needs the status, headers and text, and building and reading a `Response`
 * body is most of the cost of an in-process call.
 *
 * @example
 * ```ts
 * import twilio from 'twilio';
 * const emulator = createEmulator();
 * const client = twilio(emulator.credentials.accountSid, emulator.credentials.authToken, {
 *   httpClient: createTwilioHttpClient(emulator) as twilio.RequestClient, // twilio types it as its class
 * });
 * const workspace = await client.taskrouter.v1.workspaces.create({ friendlyName: 'Support' });
 * ```
 */
export function createTwilioHttpClient(
  target: { fetch: (input: string | URL, init?: RequestInit) => Promise<Response> },
  options: TwilioHttpClientOptions = {},
): { request(request: TwilioHttpRequest): Promise<TwilioHttpResponse> } {
  return {
    async request(request) {
      const url = new URL(request.uri);
      const destination = options.baseUrl ? new URL(url.pathname + url.search, options.baseUrl) : url;
      for (const [key, value] of formEntries(request.params)) destination.searchParams.append(key, value);
      // Names in lower case: the direct send expects them so, and HTTP does not mind.
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
      if (request.username !== undefined) {
        headers.authorization = `Basic ${Buffer.from(`${request.username}:${request.password ?? ''}`).toString('base64')}`;
      }
      let body: string | undefined;
      if (request.data !== undefined) {
        body = headers['content-type']?.includes('json')
          ? JSON.stringify(request.data)
          : new URLSearchParams(formEntries(request.data)).toString();
      }
      const method = request.method.toUpperCase();
      const directSend = (target.fetch as { [DIRECT_SEND]?: DirectSend })[DIRECT_SEND];
      const { response, text } = directSend
        ? await directSend({ method, url: destination.href, headers, body }).answer
        : await target.fetch(destination, { method, headers, body }).then(async (answer) => ({
            response: answer,
            text: await answer.text(),
          }));
      return { statusCode: response.status, body: text, headers: Object.fromEntries(response.headers) };
    },
  };
}

function formEntries(values: object | undefined): [string, string][] {
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) entries.push([key, String(item)]);
  }
  return entries;
}
