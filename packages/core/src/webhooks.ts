import { base64ToBytes, bytesToBase64 } from './base64.js';
import { TaskRouterValidationError } from './errors.js';
import { decodeForm } from './form.js';

/** Parameters of a webhook request, as {@link decodeForm} returns them. */
export type WebhookParams = Record<string, string | string[]>;

const encoder = new TextEncoder();

async function hmacKey(authToken: string): Promise<CryptoKey> {
  if (typeof authToken !== 'string' || authToken === '') {
    throw new TaskRouterValidationError('authToken', 'must be a non-empty string');
  }
  return globalThis.crypto.subtle.importKey(
    'raw',
    encoder.encode(authToken),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign', 'verify'],
  );
}

/**
 * The text Twilio signs: the full URL, then for each parameter name in sorted order the name
 * followed by its value (a repeated name contributes name + value once per value, values sorted).
 */
function signedText(url: string, params: WebhookParams): string {
  let text = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name] ?? [];
    for (const each of Array.isArray(value) ? [...value].sort() : [value]) text += name + each;
  }
  return text;
}

/**
 * Computes the `X-Twilio-Signature` value Twilio sends with a webhook: HMAC-SHA1 of the URL and
 * the sorted form parameters, keyed by the account's auth token, in base64. Useful to sign
 * requests in tests. Uses Web Crypto, hence async; works in Node, browsers and edge runtimes.
 *
 * @param url - The exact URL Twilio requested, query string included.
 * @param params - The form parameters of a POST (leave out for GET or JSON-bodied requests).
 * @example
 * ```ts
 * const signature = await computeRequestSignature(authToken, 'https://example.com/assignment', {
 *   TaskSid: 'WTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
 * });
 * ```
 */
export async function computeRequestSignature(
  authToken: string,
  url: string,
  params: WebhookParams = {},
): Promise<string> {
  const key = await hmacKey(authToken);
  const mac = await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(signedText(url, params)));
  return bytesToBase64(new Uint8Array(mac));
}

/**
 * Both spellings of a URL's default port: Twilio may have signed `https://host/…` or
 * `https://host:443/…` depending on how the webhook URL was configured.
 */
function portVariants(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/is.exec(url);
  if (match === null) return [url];
  const [, scheme = '', authority = '', rest = ''] = match;
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
  const userInfo = authority.slice(0, authority.lastIndexOf('@') + 1);
  const hostPort = authority.slice(userInfo.length);
  const port = /:(\d*)$/.exec(hostPort);
  if (port === null) return [url, `${scheme}://${userInfo}${hostPort}:${defaultPort}${rest}`];
  if (port[1] !== defaultPort) return [url];
  return [url, `${scheme}://${userInfo}${hostPort.slice(0, port.index)}${rest}`];
}

/**
 * Checks an `X-Twilio-Signature` header against the URL and parameters of a webhook request,
 * in constant time (Web Crypto's HMAC verify). The URL is tried with and without its default
 * port. Resolves to `false` for a missing or malformed signature.
 *
 * @throws {@link TaskRouterValidationError} when `authToken` is empty.
 * @example
 * ```ts
 * const valid = await validateRequestSignature(authToken, signatureHeader, 'https://example.com/events', params);
 * if (!valid) return new Response('forbidden', { status: 403 });
 * ```
 */
export async function validateRequestSignature(
  authToken: string,
  signature: string,
  url: string,
  params: WebhookParams = {},
): Promise<boolean> {
  const key = await hmacKey(authToken);
  const expected = typeof signature === 'string' && signature !== '' ? base64ToBytes(signature) : undefined;
  if (expected === undefined) return false;
  for (const candidate of portVariants(url)) {
    const text = encoder.encode(signedText(candidate, params));
    if (await globalThis.crypto.subtle.verify('HMAC', key, expected, text)) return true;
  }
  return false;
}

/** Options of {@link validateWebhookRequest}. */
export interface ValidateWebhookOptions {
  /**
   * The public URL Twilio called, when it differs from the request's own URL (behind a proxy or
   * a load balancer that rewrites the host or scheme).
   */
  url?: string;
}

/**
 * An incoming request the way Node's `http` module and the frameworks built on it (Express,
 * Fastify, Koa's `ctx.req`) present it, with its body already read.
 */
export interface NodeWebhookRequest {
  /** Path and query as received, such as `/taskrouter/events?tenant=eu` (Express: `originalUrl`). */
  url?: string | undefined;
  /** Header names in lower case, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /**
   * The body: its raw text or bytes, or the form fields a body parser made of it
   * (`express.urlencoded()`). Leave out for a GET webhook.
   */
  body?: string | Uint8Array | Record<string, unknown> | undefined;
}

/** What the signature check needs, whichever kind of request carried it. */
interface ReceivedWebhook {
  signature: string | null;
  url: string;
  isForm: boolean;
  body: string | WebhookParams;
}

async function fromFetchRequest(request: Request): Promise<ReceivedWebhook> {
  return {
    signature: request.headers.get('X-Twilio-Signature'),
    url: request.url,
    isForm: request.headers.get('Content-Type')?.includes('application/x-www-form-urlencoded') ?? false,
    body: request.body === null ? '' : await request.clone().text(),
  };
}

function fromNodeRequest(request: NodeWebhookRequest): ReceivedWebhook | undefined {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  };
  const { body } = request;
  let received: string | WebhookParams;
  if (body === undefined) received = '';
  else if (typeof body === 'string') received = body;
  else if (body instanceof Uint8Array) received = new TextDecoder().decode(body);
  else {
    // Fields from a body parser: only flat strings can have been signed.
    const fields = Object.entries(body);
    const flat = fields.every(
      ([, value]) =>
        typeof value === 'string' ||
        (Array.isArray(value) && value.every((each) => typeof each === 'string')),
    );
    if (!flat) return undefined;
    received = Object.fromEntries(fields) as WebhookParams;
  }
  return {
    signature: header('x-twilio-signature'),
    // Twilio calls public URLs, normally https ones; options.url covers the rest.
    url: `https://${header('host') ?? ''}${request.url ?? '/'}`,
    isForm:
      typeof received !== 'string' ||
      (header('content-type')?.includes('application/x-www-form-urlencoded') ?? false),
    body: received,
  };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Validates an incoming webhook (assignment callback, event callback) in one call: reads the
 * `X-Twilio-Signature` header and the body, then checks the signature. Accepts a Fetch API
 * `Request`, whose body is left unread for the handler, or a Node request whose body was
 * already read (see {@link NodeWebhookRequest}; its URL is taken as `https://{Host}{url}`
 * unless `options.url` says otherwise). For JSON-bodied webhooks, whose URL carries
 * `bodySHA256`, the body's hash is checked too. Resolves to `false` for a missing or wrong
 * signature.
 *
 * @throws {@link TaskRouterValidationError} when `authToken` is empty.
 * @example
 * ```ts
 * export async function POST(request: Request): Promise<Response> {
 *   if (!(await validateWebhookRequest(request, process.env.TWILIO_AUTH_TOKEN!))) {
 *     return new Response('invalid signature', { status: 403 });
 *   }
 *   const params = decodeForm(await request.text());
 *   // … handle params.EventType, params.TaskSid …
 *   return Response.json({ instruction: 'accept' });
 * }
 * ```
 * @example
 * ```ts
 * // Express, with app.use(express.urlencoded({ extended: false }))
 * app.post('/taskrouter/assignment', async (req, res) => {
 *   const incoming = { url: req.originalUrl, headers: req.headers, body: req.body };
 *   if (!(await validateWebhookRequest(incoming, process.env.TWILIO_AUTH_TOKEN!))) {
 *     return res.sendStatus(403);
 *   }
 *   res.json({ instruction: 'accept' });
 * });
 * ```
 */
export async function validateWebhookRequest(
  request: Request | NodeWebhookRequest,
  authToken: string,
  options: ValidateWebhookOptions = {},
): Promise<boolean> {
  const received =
    typeof (request.headers as Headers).get === 'function'
      ? await fromFetchRequest(request as Request)
      : fromNodeRequest(request as NodeWebhookRequest);
  if (received === undefined || received.signature === null) return false;
  const url = options.url ?? received.url;
  let bodyHash: string | null = null;
  try {
    bodyHash = new URL(url).searchParams.get('bodySHA256');
  } catch {
    return false;
  }
  const { body, signature } = received;
  if (bodyHash !== null) {
    if (typeof body !== 'string' || (await sha256Hex(body)) !== bodyHash.toLowerCase()) return false;
    return validateRequestSignature(authToken, signature, url);
  }
  const params = typeof body !== 'string' ? body : received.isForm ? decodeForm(body) : {};
  return validateRequestSignature(authToken, signature, url, params);
}
