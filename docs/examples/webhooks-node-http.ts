import type { RequestListener } from 'node:http';
import { text } from 'node:stream/consumers';
import { instruction, receiveWebhook } from '@taskrouter/resources/webhooks';
import type { Agent, Ticket } from './webhooks-edge.js';

/** Options of {@link callbackListener}. */
export interface CallbackListenerOptions {
  /** The account's auth token: TaskRouter signs every callback with it. */
  authToken: string;
  /** The scheme, host and port TaskRouter calls, such as `https://desk.example.com`. */
  publicOrigin: string;
  /** Activity a worker is moved to after declining a task in a language they do not speak. */
  declineActivitySid: string;
  /** Receives the type of every event callback. */
  onEvent?: (eventType: string) => void;
}

/**
 * TaskRouter's callbacks on a plain `node:http` server, with no framework:
 * `createServer(callbackListener(options)).listen(3000)`.
 */
export function callbackListener(options: CallbackListenerOptions): RequestListener {
  return async (req, res) => {
    const body = await text(req);
    const outcome = await receiveWebhook<Ticket, Agent>(
      { method: req.method, url: req.url, headers: req.headers, body },
      // Node does not know the scheme and host TaskRouter used: give the public URL.
      { authToken: options.authToken, url: new URL(req.url ?? '/', options.publicOrigin).href },
    );
    if (!outcome.ok) {
      res
        .writeHead(outcome.rejection.status, { 'content-type': 'text/plain' })
        .end(outcome.rejection.message);
      return;
    }
    const { callback } = outcome;
    if (callback.kind === 'event') {
      options.onEvent?.(callback.eventType);
      res.writeHead(204).end();
      return;
    }
    const speaks = callback.workerAttributes.languages?.includes(callback.taskAttributes.language);
    const answer = speaks
      ? instruction.accept()
      : instruction.reject({ activitySid: options.declineActivitySid });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  };
}
