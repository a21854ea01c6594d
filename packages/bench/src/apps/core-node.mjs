// Creates one TaskRouter task with @taskrouter/core over its Node transport (`@taskrouter/core/node`).
import { createTaskRouterClient } from '@taskrouter/core/node';

const client = createTaskRouterClient({
  accountSid: process.env.TWILIO_ACCOUNT_SID,
  authToken: process.env.TWILIO_AUTH_TOKEN,
  baseUrl: process.env.TASKROUTER_BASE_URL,
});
const { data: task } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
  params: { path: { WorkspaceSid: process.env.TASKROUTER_WORKSPACE_SID } },
  body: { Attributes: { type: 'support', language: 'en' }, Priority: 5 },
});
console.log(task.sid);
