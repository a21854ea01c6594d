// Creates one TaskRouter task with nothing but the platform's fetch.
const baseUrl = process.env.TASKROUTER_BASE_URL ?? 'https://taskrouter.twilio.com';
const accountSid = process.env.TWILIO_ACCOUNT_SID;
const authToken = process.env.TWILIO_AUTH_TOKEN;
const workspaceSid = process.env.TASKROUTER_WORKSPACE_SID;

const response = await fetch(`${baseUrl}/v1/Workspaces/${workspaceSid}/Tasks`, {
  method: 'POST',
  headers: {
    authorization: `Basic ${btoa(`${accountSid}:${authToken}`)}`,
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  },
  body: new URLSearchParams({
    Attributes: JSON.stringify({ type: 'support', language: 'en' }),
    Priority: '5',
  }),
});
if (!response.ok) throw new Error(`TaskRouter answered ${response.status}`);
const task = await response.json();
console.log(task.sid);
