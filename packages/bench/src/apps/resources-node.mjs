// Creates one TaskRouter task with @taskrouter/resources over core's Node transport (see core-node.mjs).
import { createTaskRouterClient } from '@taskrouter/core/node';
import { tasks } from '@taskrouter/resources';

const api = createTaskRouterClient({
  accountSid: process.env.TWILIO_ACCOUNT_SID,
  authToken: process.env.TWILIO_AUTH_TOKEN,
  baseUrl: process.env.TASKROUTER_BASE_URL,
});
const task = await tasks(api, process.env.TASKROUTER_WORKSPACE_SID).create({
  attributes: { type: 'support', language: 'en' },
  priority: 5,
});
console.log(task.sid);
