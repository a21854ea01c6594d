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
   * The public URL Twilio called, when it differs from `request.url` (behind a proxy or a
   * load balancer that rewrites the host or scheme).
   */
  url?: string;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Validates a webhook given as a Fetch API `Request` (assignment callbacks, event callbacks):
 * reads the `X-Twilio-Signature` header and the form body, then checks the signature. For
 * JSON-bodied webhooks, whose URL carries `bodySHA256`, the body's hash is checked too. The
 * request itself is left unread, so the handler can still consume its body.
 *
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
 */
export async function validateWebhookRequest(
  request: Request,
  authToken: string,
  options: ValidateWebhookOptions = {},
): Promise<boolean> {
  const signature = request.headers.get('X-Twilio-Signature');
  if (signature === null) return false;
  const url = options.url ?? request.url;
  const body = request.body === null ? '' : await request.clone().text();
  let bodyHash: string | null = null;
  try {
    bodyHash = new URL(url).searchParams.get('bodySHA256');
  } catch {
    return false;
  }
  if (bodyHash !== null) {
    if ((await sha256Hex(body)) !== bodyHash.toLowerCase()) return false;
    return validateRequestSignature(authToken, signature, url);
  }
  const isForm = request.headers.get('Content-Type')?.includes('application/x-www-form-urlencoded') ?? false;
  return validateRequestSignature(authToken, signature, url, isForm ? decodeForm(body) : {});
}
