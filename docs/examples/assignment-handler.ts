import { decodeForm, validateWebhookRequest } from '@taskrouter/core';

/** The answer TaskRouter acts on when it receives it from an assignment callback. */
export type AssignmentInstruction =
  | { instruction: 'accept' }
  | { instruction: 'reject'; activity_sid?: string };

/** Options of {@link createAssignmentHandler}. */
export interface AssignmentHandlerOptions {
  /** The account's auth token: TaskRouter signs every callback with it. */
  authToken: string;
  /** The public URL TaskRouter calls, when a proxy changes what the server sees in `request.url`. */
  publicUrl?: string;
  /** From this task age on, any worker may take the task, whatever languages they speak. */
  acceptAnyoneAfterSeconds: number;
  /** Activity a worker is moved to after declining, so the task is offered to someone else. */
  declineActivitySid?: string;
}

/**
 * An assignment callback handler for a support desk: a worker is given a task only if they
 * speak its language, unless the task has already waited too long.
 */
export function createAssignmentHandler(options: AssignmentHandlerOptions) {
  return async (request: Request): Promise<Response> => {
    const authentic = await validateWebhookRequest(request, options.authToken, { url: options.publicUrl });
    if (!authentic) return new Response('invalid signature', { status: 403 });

    const params = decodeForm(await request.text());
    const task = parseAttributes(params.TaskAttributes);
    const worker = parseAttributes(params.WorkerAttributes);
    const speaksLanguage = Array.isArray(worker.languages) && worker.languages.includes(task.language);
    const waitedTooLong = Number(params.TaskAge) >= options.acceptAnyoneAfterSeconds;

    const answer: AssignmentInstruction =
      speaksLanguage || waitedTooLong
        ? { instruction: 'accept' }
        : { instruction: 'reject', activity_sid: options.declineActivitySid };
    return Response.json(answer);
  };
}

function parseAttributes(value: string | string[] | undefined): Record<string, unknown> {
  if (typeof value !== 'string') return {};
  const parsed: unknown = JSON.parse(value);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}
