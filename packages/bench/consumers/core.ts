// A consumer of @taskrouter/core.
import { createTaskRouterClient, paginate } from '@taskrouter/core';

const client = createTaskRouterClient({
  accountSid: process.env.TWILIO_ACCOUNT_SID ?? '',
  authToken: process.env.TWILIO_AUTH_TOKEN ?? '',
});
const WorkspaceSid = process.env.TASKROUTER_WORKSPACE_SID ?? '';

export async function createAndList(): Promise<string[]> {
  const { data: task } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
    params: { path: { WorkspaceSid } },
    body: { Attributes: { type: 'support' }, Priority: 5 },
  });
  const statuses: string[] = [task.assignment_status ?? 'unknown'];
  const listed = paginate(client, '/v1/Workspaces/{WorkspaceSid}/Tasks', {
    params: { path: { WorkspaceSid } },
  });
  for await (const item of listed) statuses.push(item.assignment_status ?? 'unknown');
  return statuses;
}
