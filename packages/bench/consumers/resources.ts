// A consumer of @taskrouter/resources.
import { TaskRouterClient } from '@taskrouter/resources';

const client = new TaskRouterClient({
  accountSid: process.env.TWILIO_ACCOUNT_SID ?? '',
  authToken: process.env.TWILIO_AUTH_TOKEN ?? '',
});
const tasks = client.tasks(process.env.TASKROUTER_WORKSPACE_SID ?? '');

export async function createAndList(): Promise<string[]> {
  const task = await tasks.create({ attributes: { type: 'support' }, priority: 5 });
  const statuses: string[] = [task.assignmentStatus];
  for await (const item of tasks.list({ pageSize: 50 })) statuses.push(item.assignmentStatus);
  return statuses;
}
