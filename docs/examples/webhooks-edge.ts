import { type EventCallback, instruction, receiveWebhook } from '@taskrouter/resources/webhooks';

/** What the support desk's tasks and workers carry in their attributes. */
export interface Ticket {
  language: string;
}
/** A worker's attributes. */
export interface Agent {
  languages: string[];
}

/** Options of {@link createEdgeHandler}. */
export interface EdgeHandlerOptions {
  /** The account's auth token: TaskRouter signs every callback with it. */
  authToken: string;
  /** The public URL base TaskRouter calls, when a proxy changes what the handler sees. */
  publicOrigin?: string;
  /** Activity a worker is moved to after declining a task in a language they do not speak. */
  declineActivitySid: string;
  /** Receives every event callback. */
  onEvent?: (event: EventCallback<Ticket, Agent>) => void;
}

/**
 * A fetch-style handler (Cloudflare Workers, Deno, Bun, Vercel edge functions) for both kinds of
 * TaskRouter callbacks: a worker gets a task only if they speak its language.
 */
export function createEdgeHandler(options: EdgeHandlerOptions): {
  fetch(request: Request): Promise<Response>;
} {
  return {
    async fetch(request) {
      const path = new URL(request.url);
      const url = options.publicOrigin ? `${options.publicOrigin}${path.pathname}${path.search}` : undefined;
      const outcome = await receiveWebhook<Ticket, Agent>(request, { authToken: options.authToken, url });
      if (!outcome.ok) return new Response(outcome.rejection.message, { status: outcome.rejection.status });

      const { callback } = outcome;
      if (callback.kind === 'event') {
        options.onEvent?.(callback);
        return new Response(null, { status: 204 });
      }
      const speaks = callback.workerAttributes.languages?.includes(callback.taskAttributes.language);
      return Response.json(
        speaks ? instruction.accept() : instruction.reject({ activitySid: options.declineActivitySid }),
      );
    },
  };
}
