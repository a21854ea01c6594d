// The README's examples (importing from src instead of '@taskrouter/core'), kept compiling by `pnpm typecheck`.
import {
  assertSid,
  createTaskRouterClient,
  decodeForm,
  isSid,
  isTaskRouterApiError,
  paginate,
  paginatePages,
  validateWebhookRequest,
} from '../src/index.js';

const client = createTaskRouterClient({
  accountSid: process.env.TWILIO_ACCOUNT_SID!,
  authToken: process.env.TWILIO_AUTH_TOKEN!,
});

export async function quickStart(): Promise<void> {
  const { data: workspace } = await client.POST('/v1/Workspaces', { body: { FriendlyName: 'Support' } });
  const WorkspaceSid = workspace.sid!;

  const { data: task } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
    params: { path: { WorkspaceSid } },
    body: { Attributes: { type: 'support', language: 'fr' }, Priority: 5 },
  });
  console.log(task.sid);

  for await (const pending of paginate(client, '/v1/Workspaces/{WorkspaceSid}/Tasks', {
    params: { path: { WorkspaceSid }, query: { AssignmentStatus: ['pending', 'reserved'] } },
  })) {
    console.log(pending.sid, pending.age, pending.assignment_status);
  }
}

export async function completeTask(WorkspaceSid: string, taskSid: string, version: string): Promise<void> {
  try {
    await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      params: { path: { WorkspaceSid, Sid: taskSid }, header: { 'If-Match': version } },
      body: { AssignmentStatus: 'completed', Reason: 'resolved' },
    });
  } catch (error) {
    if (isTaskRouterApiError(error) && error.status === 412) {
      // someone else changed the task first: fetch it again and retry
    } else throw error;
  }
}

export async function pages(WorkspaceSid: string): Promise<void> {
  for await (const worker of paginate(
    client,
    '/v1/Workspaces/{WorkspaceSid}/Workers',
    { params: { path: { WorkspaceSid }, query: { Available: 'true' } } },
    { pageSize: 200, limit: 1000 },
  )) {
    if (worker.activity_name === 'Offline') break;
  }
  for await (const page of paginatePages(client, '/v1/Workspaces', undefined, { pageSize: 50 })) {
    console.log(page.meta.page, page.workspaces.length);
  }
}

export function sids(value: unknown, input: { workerSid: unknown }): boolean {
  assertSid(input.workerSid, 'WK', 'workerSid');
  return isSid(value, 'WS') || isSid(value);
}

export async function POST(request: Request): Promise<Response> {
  if (!(await validateWebhookRequest(request, process.env.TWILIO_AUTH_TOKEN!))) {
    return new Response('invalid signature', { status: 403 });
  }
  const { TaskSid, TaskAttributes } = decodeForm(await request.text());
  console.log(TaskSid, TaskAttributes);
  return Response.json({ instruction: 'accept' });
}
