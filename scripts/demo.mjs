#!/usr/bin/env node
// The classic TaskRouter story, end to end, against the emulator running in this process:
// a FIFO workspace, a workflow that sends Gold tickets to their own queue, workers with language
// attributes, a task routed to the right worker, the reservation accepted and the task completed.
import { createTaskRouterClient, paginate } from '@taskrouter/core';
import { createEmulator } from '@taskrouter/testing-mocks';
import { WorkflowConfig, WorkflowRule, WorkflowRuleTarget } from '@taskrouter/workflow-builder';

const emulator = createEmulator();
const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });

const say = (step, text) => console.log(`${String(step).padStart(2)}. ${text}`);
function check(condition, message) {
  if (!condition) throw new Error(`demo: ${message}`);
}

const { data: workspace } = await client.POST('/v1/Workspaces', {
  body: { FriendlyName: 'Customer Support', Template: 'FIFO' },
});
const WorkspaceSid = workspace.sid;
say(1, `Workspace "${workspace.friendly_name}" ${WorkspaceSid} created from the FIFO template`);

const activities = [];
for await (const activity of paginate(client, '/v1/Workspaces/{WorkspaceSid}/Activities', {
  params: { path: { WorkspaceSid } },
})) {
  activities.push(activity);
}
const available = activities.find((activity) => activity.available);
check(available, 'the template has an available activity');
say(
  2,
  `Activities: ${activities.map((a) => `${a.friendly_name}${a.available ? ' (available)' : ''}`).join(', ')}`,
);

const { data: goldQueue } = await client.POST('/v1/Workspaces/{WorkspaceSid}/TaskQueues', {
  params: { path: { WorkspaceSid } },
  body: { FriendlyName: 'Gold Desk', TargetWorkers: "skills HAS 'gold'" },
});
const { data: queues } = await client.GET('/v1/Workspaces/{WorkspaceSid}/TaskQueues', {
  params: { path: { WorkspaceSid }, query: { FriendlyName: 'Sample Queue' } },
});
const sampleQueue = queues.task_queues[0];
check(sampleQueue, 'the template made "Sample Queue"');
say(
  3,
  `Queues: "${goldQueue.friendly_name}" (${goldQueue.target_workers}) and "${sampleQueue.friendly_name}"`,
);

const configuration = new WorkflowConfig(
  [
    new WorkflowRule(
      "type == 'ticket' AND tier == 'gold'",
      [new WorkflowRuleTarget(goldQueue.sid, 'task.language IN worker.languages', 10, 60)],
      'Gold tickets',
    ),
  ],
  new WorkflowRuleTarget(sampleQueue.sid),
);
const { data: workflow } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Workflows', {
  params: { path: { WorkspaceSid } },
  body: {
    FriendlyName: 'Ticket routing',
    Configuration: JSON.stringify(configuration),
    TaskReservationTimeout: 120,
  },
});
say(
  4,
  `Workflow "${workflow.friendly_name}": Gold tickets go to "${goldQueue.friendly_name}", the rest to "${sampleQueue.friendly_name}"`,
);

const people = [
  { name: 'Alice', attributes: { skills: ['gold'], languages: ['en', 'es'] } },
  { name: 'Bruno', attributes: { skills: ['gold'], languages: ['fr'] } },
  { name: 'Chen', attributes: { skills: [], languages: ['en', 'zh'] } },
];
const introductions = [];
for (const person of people) {
  const { data: worker } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Workers', {
    params: { path: { WorkspaceSid } },
    body: {
      FriendlyName: person.name,
      Attributes: JSON.stringify(person.attributes),
      ActivitySid: available.sid,
    },
  });
  const skills = `${person.attributes.languages.join('/')}${person.attributes.skills.length ? ', gold' : ''}`;
  introductions.push(`${worker.friendly_name} (${skills}) ${worker.activity_name}`);
}
say(5, `Workers: ${introductions.join('; ')}`);

const { data: task } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
  params: { path: { WorkspaceSid } },
  body: {
    WorkflowSid: workflow.sid,
    Attributes: JSON.stringify({ type: 'ticket', tier: 'gold', language: 'en' }),
  },
});
say(
  6,
  `Gold ticket ${task.sid} created: ${task.assignment_status} in "${task.task_queue_friendly_name}", priority ${task.priority}`,
);
check(task.task_queue_sid === goldQueue.sid, 'the Gold ticket entered the Gold queue');

const { data: reservations } = await client.GET(
  '/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations',
  {
    params: { path: { WorkspaceSid, TaskSid: task.sid } },
  },
);
const reservation = reservations.reservations[0];
check(reservation, 'the task was reserved');
check(reservations.reservations.length === 1, 'exactly one worker was offered the task');
say(
  7,
  `Reservation ${reservation.sid} offered to ${reservation.worker_name} (${reservation.reservation_status})`,
);
check(reservation.worker_name === 'Alice', 'the only gold worker speaking English got it');

const { data: accepted } = await client.POST(
  '/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations/{Sid}',
  {
    params: { path: { WorkspaceSid, TaskSid: task.sid, Sid: reservation.sid } },
    body: { ReservationStatus: 'accepted' },
  },
);
const { data: assigned } = await client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
  params: { path: { WorkspaceSid, Sid: task.sid } },
});
say(
  8,
  `${accepted.worker_name} accepted: reservation ${accepted.reservation_status}, task ${assigned.assignment_status}`,
);
check(assigned.assignment_status === 'assigned', 'the task is assigned');

emulator.clock.advance(95_000);
const { data: completed } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
  params: { path: { WorkspaceSid, Sid: task.sid } },
  body: { AssignmentStatus: 'completed', Reason: 'Refund issued' },
});
say(9, `After 95 s of (virtual) work the task is ${completed.assignment_status}: "${completed.reason}"`);

const { data: events } = await client.GET('/v1/Workspaces/{WorkspaceSid}/Events', {
  params: { path: { WorkspaceSid }, query: { TaskSid: task.sid, PageSize: 50 } },
});
const eventTypes = events.events.map((event) => event.event_type);
say(10, `Events of the task: ${eventTypes.join(' → ')}`);

const { data: stats } = await client.GET('/v1/Workspaces/{WorkspaceSid}/CumulativeStatistics', {
  params: { path: { WorkspaceSid } },
});
say(
  11,
  `Workspace statistics: ${stats.tasks_created} task created, ${stats.tasks_completed} completed, ` +
    `${stats.reservations_created} reservation created, ${stats.reservations_accepted} accepted`,
);
console.log('\nDone: the Gold ticket reached the right worker and was completed.');
