// Creates one TaskRouter task through the TaskRouterClient class of @taskrouter/resources, which
// reaches every resource.
import { TaskRouterClient } from '@taskrouter/resources';

const client = new TaskRouterClient({
  accountSid: process.env.TWILIO_ACCOUNT_SID,
  authToken: process.env.TWILIO_AUTH_TOKEN,
  baseUrl: process.env.TASKROUTER_BASE_URL,
});
const task = await client.tasks(process.env.TASKROUTER_WORKSPACE_SID).create({
  attributes: { type: 'support', language: 'en' },
  priority: 5,
});
console.log(task.sid);
