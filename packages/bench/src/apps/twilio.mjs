// Creates one TaskRouter task with the official twilio package.
import twilio from 'twilio';

const client = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
if (process.env.TASKROUTER_BASE_URL) client.taskrouter.baseUrl = process.env.TASKROUTER_BASE_URL;

const task = await client.taskrouter.v1.workspaces(process.env.TASKROUTER_WORKSPACE_SID).tasks.create({
  attributes: JSON.stringify({ type: 'support', language: 'en' }),
  priority: 5,
});
console.log(task.sid);
