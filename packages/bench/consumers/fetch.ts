// A consumer that talks to TaskRouter with fetch and hand-written types.
interface Task {
  sid: string;
  assignment_status: string;
  attributes: string;
}
interface TaskPage {
  tasks: Task[];
  meta: { next_page_url: string | null };
}

const auth = `Basic ${btoa(`${process.env.TWILIO_ACCOUNT_SID}:${process.env.TWILIO_AUTH_TOKEN}`)}`;
const tasksUrl = `https://taskrouter.twilio.com/v1/Workspaces/${process.env.TASKROUTER_WORKSPACE_SID}/Tasks`;

export async function createAndList(): Promise<string[]> {
  const created = await fetch(tasksUrl, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Attributes: JSON.stringify({ type: 'support' }), Priority: '5' }),
  });
  const task = (await created.json()) as Task;
  const statuses = [task.assignment_status];
  let next: string | null = `${tasksUrl}?PageSize=50`;
  while (next !== null) {
    const page = (await (await fetch(next, { headers: { authorization: auth } })).json()) as TaskPage;
    statuses.push(...page.tasks.map((item) => item.assignment_status));
    next = page.meta.next_page_url;
  }
  return statuses;
}
