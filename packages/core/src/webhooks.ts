import { base64ToBytes, bytesToBase64 } from './base64.js';
import { TaskRouterValidationError } from './errors.js';
import { decodeForm } from './form.js';

/** Parameters of a webhook request, as {@link decodeForm} returns them. */
export type WebhookParams = Record<string, string | string[]>;

const encoder = /* @__PURE__ */ new TextEncoder();

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
 * followed by its value; a repeated name contributes name + value once per distinct value, values
 * sorted.
 */
function signedText(url: string, params: WebhookParams): string {
  let text = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (Array.isArray(value)) for (const each of [...new Set(value)].sort()) text += name + each;
    else text += name + value;
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

/** A URL cut into its parts without normalising anything, so the signed characters stay as they are. */
function splitUrl(url: string) {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (match === null) return undefined;
  const [prefix, scheme = '', authority = ''] = match;
  const userInfo = authority.slice(0, authority.lastIndexOf('@') + 1);
  const hostPort = authority.slice(userInfo.length);
  const portStart = hostPort.indexOf(':', hostPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo,
    host: portStart === -1 ? hostPort : hostPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

/** The URL without its port, whichever it is: Twilio signs the URL it was configured with. */
function withoutPort(url: string): string {
  const parts = splitUrl(url);
  return parts === undefined ? url : parts.scheme + parts.userInfo + parts.host + parts.rest;
}

/** The URL with its scheme's default port when it has none. */
function withDefaultPort(url: string): string {
  const parts = splitUrl(url);
  if (parts === undefined || parts.port !== '') return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

/**
 * The URLs Twilio may have signed for a received URL, in the order its own helper library tries
 * them: as received, without and with the port; then normalised by the URL parser (which
 * percent-encodes some characters), without and with the port, each also with its query string
 * re-encoded the way Node's legacy `querystring` module does.
 */
function signedUrlCandidates(url: string): string[] {
  const candidates = [withoutPort(url), withDefaultPort(url)];
  let normalized: string;
  try {
    normalized = new URL(url).href;
  } catch {
    return candidates;
  }
  const bare = withoutPort(normalized);
  const ported = withDefaultPort(normalized);
  candidates.push(bare, ported, withLegacyQuery(bare), withLegacyQuery(ported));
  return [...new Set(candidates)];
}

/** The URL with its query string parsed and re-encoded as Node's `querystring` does. */
function withLegacyQuery(url: string): string {
  const start = url.indexOf('?');
  if (start === -1 || start === url.length - 1) return url;
  return `${url.slice(0, start)}?${stringifyLegacyQuery(parseLegacyQuery(url.slice(start + 1)))}`;
}

/** Most pairs `querystring.parse` reads. */
const LEGACY_MAX_KEYS = 1000;

/**
 * `querystring.parse` of Node: `&`-separated pairs, split at the first `=`, `+` as a space,
 * empty pairs skipped, repeated names gathered in order. An object without prototype keeps its
 * key order (integer-like names first), which the re-encoding follows.
 */
function parseLegacyQuery(query: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  const pairs = query.split('&');
  const count = Math.min(pairs.length, LEGACY_MAX_KEYS);
  for (let index = 0; index < count; index++) {
    const pair = pairs[index] as string;
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = legacyUnescape(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : legacyUnescape(pair.slice(equals + 1));
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else fields[name] = [existing, value];
  }
  return fields;
}

/** `querystring.stringify` of Node; its escaping leaves the same characters as `encodeURIComponent`. */
function stringifyLegacyQuery(fields: Record<string, string | string[]>): string {
  const pairs: string[] = [];
  for (const name of Object.keys(fields)) {
    const key = `${encodeURIComponent(name)}=`;
    const value = fields[name] as string | string[];
    for (const each of Array.isArray(value) ? value : [value]) pairs.push(key + encodeURIComponent(each));
  }
  return pairs.join('&');
}

const HEX_DIGIT = /^[0-9a-fA-F]$/;

/**
 * `querystring.unescape` of Node: `decodeURIComponent`, or when that fails, every valid `%XX`
 * decoded to its byte, anything else kept as the low byte of its character, read as UTF-8.
 */
function legacyUnescape(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', '%20') : text;
  try {
    return decodeURIComponent(spaced);
  } catch {
    const bytes: number[] = [];
    for (let index = 0; index < spaced.length; index++) {
      const high = spaced[index + 1] ?? '';
      const low = spaced[index + 2] ?? '';
      if (spaced[index] === '%' && HEX_DIGIT.test(high) && HEX_DIGIT.test(low)) {
        bytes.push(Number.parseInt(high + low, 16));
        index += 2;
      } else bytes.push(spaced.charCodeAt(index) & 0xff);
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
}

/**
 * The 20 bytes of a signature written exactly as Twilio writes one (canonical base64 with its
 * padding, nothing around it), or `undefined`: any other spelling of the same bytes is refused,
 * as Twilio's own helper, which compares the text, refuses it.
 */
function signatureBytes(signature: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]{27}=$/.test(signature)) return undefined;
  const bytes = base64ToBytes(signature);
  return bytes !== undefined && bytesToBase64(bytes) === signature ? bytes : undefined;
}

/** Compares two strings in time that depends on their length only. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}

/**
 * Checks an `X-Twilio-Signature` header against the URL and parameters of a webhook request,
 * in constant time (Web Crypto's HMAC verify), accepting exactly what Twilio's own helper
 * library (`validateRequest` of the `twilio` package) accepts: the URL is tried as received and as
 * the URL parser normalises it, each without its port and with the default one (Twilio signs the
 * URL it was configured with), and with the query re-encoded as Node's `querystring` does; a
 * repeated parameter counts each distinct value once. The signature must be written exactly as
 * Twilio writes it (canonical base64, nothing around it). Resolves to `false` for a missing or
 * malformed signature.
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
  const expected = signatureBytes(signature);
  if (expected === undefined) return false;
  for (const candidate of signedUrlCandidates(url)) {
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
  url?: string | undefined;
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
    if (typeof body !== 'string' || !constantTimeEqual(await sha256Hex(body), bodyHash)) return false;
    return validateRequestSignature(authToken, signature, url);
  }
  const params = typeof body !== 'string' ? body : received.isForm ? decodeForm(body) : {};
  return validateRequestSignature(authToken, signature, url, params);
}
