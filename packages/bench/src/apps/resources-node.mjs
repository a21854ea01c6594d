// Creates one TaskRouter task with @taskrouter/resources over the node:http transport (see core-node.mjs).
import { createTaskRouterClient } from '@taskrouter/core';
import { tasks } from '@taskrouter/resources';
import { createNodeFetch } from '../../node_modules/.cache/taskrouter-bench/node-fetch.mjs';

const fetch = createNodeFetch();
const api = createTaskRouterClient({
  accountSid: process.env.TWILIO_ACCOUNT_SID,
  authToken: process.env.TWILIO_AUTH_TOKEN,
  baseUrl: process.env.TASKROUTER_BASE_URL,
  fetch,
});
const task = await tasks(api, process.env.TASKROUTER_WORKSPACE_SID).create({
  attributes: { type: 'support', language: 'en' },
  priority: 5,
});
console.log(task.sid);
fetch.close();
