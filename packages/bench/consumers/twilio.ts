// A consumer of the official twilio package.
import twilio from 'twilio';

const client = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
const tasks = client.taskrouter.v1.workspaces(process.env.TASKROUTER_WORKSPACE_SID ?? '').tasks;

export async function createAndList(): Promise<string[]> {
  const task = await tasks.create({ attributes: JSON.stringify({ type: 'support' }), priority: 5 });
  const statuses: string[] = [task.assignmentStatus];
  for (const item of await tasks.list({ pageSize: 50 })) statuses.push(item.assignmentStatus);
  return statuses;
}
