/**
 * The stage of a soak run: a multitasking workspace, queues by skill, a workflow with timeouts,
 * skip_if and a known-worker step, and workers with random skills.
 */
import type { WorkspaceState } from '../domain/state.js';
import { stateOf } from '../emulator/internals.js';
import type { SoakSession } from './soak-session.js';

/** Task skills, each with its queue. */
export const SKILLS = ['billing', 'sales', 'support', 'vip'];
/** Task channels tasks use. */
export const CHANNELS = ['default', 'voice', 'chat'];
const ASSIGNMENT_URL = 'https://soak.invalid/assignment';

/** What the operations of a run work on. */
export interface SoakStage {
  /** Path of the workspace. */
  readonly base: string;
  readonly activities: readonly { readonly sid: string; readonly available: boolean }[];
  /** Queue SIDs, one per skill, in {@link SKILLS} order. */
  readonly queues: readonly string[];
  readonly workflows: readonly string[];
  readonly workers: readonly string[];
  /** The workflow configuration with the given step timeout (seconds). */
  readonly configuration: (timeout: number) => string;
  /** The workspace's stored state, read to pick existing tasks and reservations. */
  readonly state: WorkspaceState;
}

/** Creates the stage through the REST API, choosing at random with the session's generator. */
export async function setUpStage(session: SoakSession, workerCount: number): Promise<SoakStage> {
  const { rng } = session;
  const call = session.call.bind(session);
  const workspace = (
    await call('POST', '/v1/Workspaces', {
      FriendlyName: 'Soak',
      PrioritizeQueueOrder: rng.pick(['FIFO', 'LIFO'])!,
    })
  ).body;
  const base = `/v1/Workspaces/${workspace.sid}`;
  const activities = (await call('GET', `${base}/Activities`)).body.activities as {
    sid: string;
    available: boolean;
  }[];
  const queues: string[] = [];
  for (const skill of SKILLS) {
    const queue = await call('POST', `${base}/TaskQueues`, {
      FriendlyName: skill,
      TargetWorkers: `skills HAS '${skill}'`,
      MaxReservedWorkers: 1 + rng.int(3),
      TaskOrder: rng.chance(0.25) ? 'LIFO' : 'FIFO',
    });
    queues.push(queue.body.sid);
  }
  const everyone = (await call('POST', `${base}/TaskQueues`, { FriendlyName: 'everyone' })).body
    .sid as string;
  const configuration = (timeout: number) =>
    JSON.stringify({
      task_routing: {
        filters: [
          {
            expression: 'returning == true',
            targets: [
              { queue: everyone, known_worker_sid: 'task.agent', timeout: 20 },
              { queue: everyone, timeout },
            ],
          },
          ...SKILLS.map((skill, index) => ({
            expression: `skill == '${skill}'`,
            targets: [
              { queue: queues[index]!, timeout, priority: 5, skip_if: 'workers.available == 0' },
              { queue: queues[index]!, expression: 'worker.level >= task.level', timeout },
              { queue: everyone, priority: 10, timeout: timeout * 2 },
            ],
          })),
        ],
        default_filter: { queue: everyone },
      },
    });
  const workflows: string[] = [];
  for (const [index, callback] of [
    [0, true],
    [1, false],
  ] as const) {
    const workflow = await call('POST', `${base}/Workflows`, {
      FriendlyName: `Soak ${index}`,
      Configuration: configuration(30 + 30 * index),
      TaskReservationTimeout: 20 + 40 * index,
      ...(callback ? { AssignmentCallbackUrl: ASSIGNMENT_URL } : {}),
    });
    workflows.push(workflow.body.sid);
  }
  const workers: string[] = [];
  for (let index = 0; index < workerCount; index++) {
    const skills = SKILLS.filter(() => rng.chance(0.4));
    const worker = await call('POST', `${base}/Workers`, {
      FriendlyName: `Worker ${index}`,
      Attributes: JSON.stringify({ skills, level: rng.int(4) }),
      ActivitySid: rng.pick(activities)!.sid,
    });
    workers.push(worker.body.sid);
  }

  const state = stateOf(session.emulator).workspaces.get(workspace.sid)!;
  return { base, activities, queues, workflows, workers, configuration, state };
}
