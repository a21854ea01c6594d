// Creates one TaskRouter task with @taskrouter/core over the node:http transport. The runner
// compiles src/node-fetch.ts into node_modules/.cache first; the import becomes a core subpath once it
// ships there.
import { createTaskRouterClient } from '@taskrouter/core';
import { createNodeFetch } from '../../node_modules/.cache/taskrouter-bench/node-fetch.mjs';

const fetch = createNodeFetch();
const client = createTaskRouterClient({
  accountSid: process.env.TWILIO_ACCOUNT_SID,
  authToken: process.env.TWILIO_AUTH_TOKEN,
  baseUrl: process.env.TASKROUTER_BASE_URL,
  fetch,
});
const { data: task } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
  params: { path: { WorkspaceSid: process.env.TASKROUTER_WORKSPACE_SID } },
  body: { Attributes: { type: 'support', language: 'en' }, Priority: 5 },
});
console.log(task.sid);
fetch.close();
