/**
 * Child process of the emulator benchmark (started with --expose-gc so memory can be measured).
 *
 *   emulator-bench.ts serve            seeds a workspace, serves it on 127.0.0.1, prints its address
 *   emulator-bench.ts in-process <ms>  API calls per second through `emulator.fetch`, raw, via core
 *                                      and via the official twilio client
 *   emulator-bench.ts lifecycle <ms>   full task lifecycles per second, 1,000 workers and 10 queues,
 *                                      through `emulator.fetch` and through the core client
 *   emulator-bench.ts routing <ms>     cost per routed task with 100 and with 10,000 workers, with
 *                                      a target that accepts every worker and one that rejects all
 *   emulator-bench.ts hostile          serves 200 available workers, 100 waiting tasks and a 32 KB
 *                                      target expression that rejects every worker, prints its address
 *   emulator-bench.ts memory <tasks>   heap bytes per idle (pending) task
 *   emulator-bench.ts soak <steps>     the package's invariant soak with 16 clients, seeds 1 to 3
 *
 * Every mode prints one JSON line. Loops are bounded by time and by count.
 */
import { createTaskRouterClient } from '@taskrouter/core';
import twilio from 'twilio';
import { createEmulator, createTwilioHttpClient, type Emulator, runSoak } from '@taskrouter/testing-mocks';
import { MAX_EXPRESSION_LENGTH } from '@taskrouter/workflow-builder';

const MAX_ITERATIONS = 5_000_000;

function basicAuth(emulator: Emulator): string {
  const { accountSid, authToken } = emulator.credentials;
  return `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
}

/** Sends one form-encoded request straight to the emulator's fetch and returns the parsed body. */
function caller(emulator: Emulator) {
  const authorization = basicAuth(emulator);
  return async (
    method: string,
    path: string,
    form?: Record<string, string>,
  ): Promise<Record<string, unknown>> => {
    const response = await emulator.fetch(emulator.baseUrl + path, {
      method,
      headers: form
        ? { authorization, 'content-type': 'application/x-www-form-urlencoded' }
        : { authorization },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  };
}

/**
 * Runs `step` untimed for a third of `durationMs`, then until `durationMs` have passed; returns the
 * timed steps per second. Without the warm-up, whichever variant ran first in a process paid for
 * compiling the emulator's code: the raw in-process calls, measured first, read 16,800/s, and
 * 21,900/s measured again after them in the same process.
 */
async function stepsPerSecond(durationMs: number, step: (index: number) => Promise<void>): Promise<number> {
  let index = 0;
  const warmUntil = performance.now() + durationMs / 3;
  while (performance.now() < warmUntil && index < MAX_ITERATIONS) await step(index++);
  const start = performance.now();
  let steps = 0;
  while (performance.now() - start < durationMs && steps < MAX_ITERATIONS) {
    await step(index++);
    steps += 1;
  }
  return steps / ((performance.now() - start) / 1000);
}

function availableActivity(emulator: Emulator, workspaceSid: string): string {
  const activity = emulator.inspect.activities(workspaceSid).find((candidate) => candidate.available);
  if (!activity?.sid) throw new Error('the workspace has no available activity');
  return activity.sid;
}

/**
 * A legal target expression close to the length limit that no bench worker satisfies; it reads
 * only `worker.` unless `prefix` reads more. `variant` makes distinct expressions of the same size.
 */
function rejectingExpression(variant: string, prefix = ''): string {
  const parts: string[] = [];
  for (let length = prefix.length + 2, index = 0; length < MAX_EXPRESSION_LENGTH - 100; index++) {
    const part = `worker.skill == "${variant}-${index}"`;
    parts.push(part);
    length += part.length + 4;
  }
  return `${prefix}(${parts.join(' OR ')})`;
}

/** The languages tasks of the task-reading rejecting target ask for; no bench worker speaks one. */
const LANGUAGES = ['fr', 'es', 'de', 'it'];

/**
 * A workspace with `queueCount` queues, one filter per queue, and `workerCount` available workers;
 * `targetExpression` is set on every target when given.
 */
function routedWorkspace(
  emulator: Emulator,
  workerCount: number,
  queueCount: number,
  targetExpression?: string,
) {
  const workspace = emulator.seed.workspace({ FriendlyName: 'Bench' });
  const workspaceSid = workspace.sid;
  const available = availableActivity(emulator, workspaceSid);
  const queues = Array.from({ length: queueCount }, (_, index) =>
    emulator.seed.taskQueue(workspaceSid, {
      FriendlyName: `q${index}`,
      TargetWorkers: `queue == "q${index}"`,
    }),
  );
  for (let index = 0; index < workerCount; index++) {
    emulator.seed.worker(workspaceSid, {
      FriendlyName: `worker ${index}`,
      ActivitySid: available,
      Attributes: { queue: `q${index % queueCount}` },
    });
  }
  const workflow = emulator.seed.workflow(workspaceSid, {
    FriendlyName: 'By queue attribute',
    Configuration: {
      task_routing: {
        filters: queues.map((queue, index) => ({
          expression: `queue == "q${index}"`,
          targets: [{ queue: queue.sid, ...(targetExpression ? { expression: targetExpression } : {}) }],
        })),
        default_filter: { queue: queues[0]!.sid },
      },
    },
  });
  return { workspaceSid, workflowSid: workflow.sid, path: `/v1/Workspaces/${workspaceSid}` };
}

/** Creates a task and returns its SID and the SID of the reservation routing made for it. */
async function createRouted(
  emulator: Emulator,
  call: ReturnType<typeof caller>,
  path: string,
  workflowSid: string,
  queue: string,
): Promise<{ taskSid: string; reservationSid: string }> {
  const task = await call('POST', `${path}/Tasks`, {
    Attributes: JSON.stringify({ queue }),
    WorkflowSid: workflowSid,
  });
  const taskSid = String(task.sid);
  let listed = await call('GET', `${path}/Tasks/${taskSid}/Reservations`);
  if ((listed.reservations as unknown[]).length === 0) {
    // Routing may run on the virtual clock rather than inside the create call.
    emulator.clock.advance(0);
    listed = await call('GET', `${path}/Tasks/${taskSid}/Reservations`);
  }
  const reservation = (listed.reservations as { sid: string }[])[0];
  if (reservation === undefined)
    throw new Error('routing made no reservation for a task with an idle worker');
  return { taskSid, reservationSid: reservation.sid };
}

async function inProcess(durationMs: number) {
  const emulator = createEmulator();
  const call = caller(emulator);
  const workspace = emulator.seed.workspace({ FriendlyName: 'Bench', Template: 'FIFO' });
  const path = `/v1/Workspaces/${workspace.sid}`;
  const rawCallsPerSecond =
    3 *
    (await stepsPerSecond(durationMs, async () => {
      const task = await call('POST', `${path}/Tasks`, { Attributes: '{"type":"support"}', Priority: '5' });
      await call('GET', `${path}/Tasks/${task.sid}`);
      await call('GET', path);
    }));
  emulator.reset();
  const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
  const again = emulator.seed.workspace({ FriendlyName: 'Bench', Template: 'FIFO' });
  const WorkspaceSid = again.sid;
  const coreCallsPerSecond =
    3 *
    (await stepsPerSecond(durationMs, async () => {
      const { data: task } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
        params: { path: { WorkspaceSid } },
        body: { Attributes: { type: 'support' }, Priority: 5 },
      });
      await client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
        params: { path: { WorkspaceSid, Sid: task.sid! } },
      });
      await client.GET('/v1/Workspaces/{Sid}', { params: { path: { Sid: WorkspaceSid } } });
    }));
  emulator.reset();
  const twilioClient = twilio(emulator.credentials.accountSid, emulator.credentials.authToken, {
    httpClient: createTwilioHttpClient(emulator) as twilio.RequestClient,
  });
  const third = emulator.seed.workspace({ FriendlyName: 'Bench', Template: 'FIFO' });
  const twilioWorkspace = twilioClient.taskrouter.v1.workspaces(third.sid);
  const twilioCallsPerSecond =
    3 *
    (await stepsPerSecond(durationMs, async () => {
      const task = await twilioWorkspace.tasks.create({ attributes: '{"type":"support"}', priority: 5 });
      await twilioWorkspace.tasks(task.sid).fetch();
      await twilioWorkspace.fetch();
    }));
  return { rawCallsPerSecond, coreCallsPerSecond, twilioCallsPerSecond };
}

async function lifecycle(durationMs: number) {
  const emulator = createEmulator();
  const call = caller(emulator);
  const { path, workflowSid } = routedWorkspace(emulator, 1000, 10);
  const lifecyclesPerSecond = await stepsPerSecond(durationMs, async (index) => {
    const { taskSid, reservationSid } = await createRouted(
      emulator,
      call,
      path,
      workflowSid,
      `q${index % 10}`,
    );
    await call('POST', `${path}/Tasks/${taskSid}/Reservations/${reservationSid}`, {
      ReservationStatus: 'accepted',
    });
    const done = await call('POST', `${path}/Tasks/${taskSid}`, { AssignmentStatus: 'completed' });
    if (done.assignment_status !== 'completed')
      throw new Error(`task ended ${String(done.assignment_status)}`);
  });
  return { lifecyclesPerSecond, coreLifecyclesPerSecond: await coreLifecycles(durationMs) };
}

/** The same lifecycle through the core client, as a test suite written against the emulator runs it. */
async function coreLifecycles(durationMs: number): Promise<number> {
  const emulator = createEmulator();
  const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
  const { workspaceSid: WorkspaceSid, workflowSid } = routedWorkspace(emulator, 1000, 10);
  const reservationsOf = async (TaskSid: string) =>
    (
      await client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations', {
        params: { path: { WorkspaceSid, TaskSid } },
      })
    ).data.reservations;
  return stepsPerSecond(durationMs, async (index) => {
    const { data: task } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks', {
      params: { path: { WorkspaceSid } },
      body: { Attributes: { queue: `q${index % 10}` }, WorkflowSid: workflowSid },
    });
    const TaskSid = task.sid!;
    let reservations = await reservationsOf(TaskSid);
    if (reservations.length === 0) {
      emulator.clock.advance(0);
      reservations = await reservationsOf(TaskSid);
    }
    const Sid = reservations[0]?.sid;
    if (!Sid) throw new Error('routing made no reservation for a task with an idle worker');
    await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations/{Sid}', {
      params: { path: { WorkspaceSid, TaskSid, Sid } },
      body: { ReservationStatus: 'accepted' },
    });
    const { data: done } = await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
      params: { path: { WorkspaceSid, Sid: TaskSid } },
      body: { AssignmentStatus: 'completed' },
    });
    if (done.assignment_status !== 'completed')
      throw new Error(`task ended ${String(done.assignment_status)}`);
  });
}

/**
 * Microseconds per routed task (create, route, cancel) with 100 and 10,000 workers: `us<workers>`
 * when the target takes any worker of the queue, `rejectingUs<workers>` when a 32 KB target
 * expression rejects every one (the task is created, left waiting and canceled), and
 * `taskRejectingUs<workers>` when that expression also reads the task's language (the skills
 * pattern `worker.languages HAS task.language`).
 */
async function routing(durationMs: number) {
  const costs: Record<string, number> = {};
  for (const workers of [100, 10_000]) {
    const emulator = createEmulator();
    const call = caller(emulator);
    const { path, workflowSid } = routedWorkspace(emulator, workers, 10);
    const perSecond = await stepsPerSecond(durationMs, async (index) => {
      const { taskSid } = await createRouted(emulator, call, path, workflowSid, `q${index % 10}`);
      await call('POST', `${path}/Tasks/${taskSid}`, { AssignmentStatus: 'canceled' });
    });
    costs[`us${workers}`] = 1e6 / perSecond;
  }
  const variants = [
    { metric: 'rejectingUs', expression: rejectingExpression('skill'), languages: [undefined] },
    {
      metric: 'taskRejectingUs',
      expression: rejectingExpression('skill', 'worker.languages HAS task.language AND '),
      languages: LANGUAGES,
    },
  ];
  for (const { metric, expression, languages } of variants) {
    for (const workers of [100, 10_000]) {
      const emulator = createEmulator();
      const call = caller(emulator);
      const { path, workflowSid } = routedWorkspace(emulator, workers, 10, expression);
      const waitingTask = async (index: number) => {
        const language = languages[Math.floor(index / 10) % languages.length];
        const task = await call('POST', `${path}/Tasks`, {
          Attributes: JSON.stringify({ queue: `q${index % 10}`, language }),
          WorkflowSid: workflowSid,
        });
        const listed = await call('GET', `${path}/Tasks/${task.sid}/Reservations`);
        if ((listed.reservations as unknown[]).length > 0)
          throw new Error('a target expression that rejects every worker got a reservation');
        await call('POST', `${path}/Tasks/${task.sid}`, { AssignmentStatus: 'canceled' });
      };
      // The first task of each queue and language evaluates the expression once per worker; later
      // ones reuse it.
      for (let index = 0; index < 10 * languages.length; index++) await waitingTask(index);
      costs[`${metric}${workers}`] = 1e6 / (await stepsPerSecond(durationMs, waitingTask));
    }
  }
  return costs;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with --expose-gc to measure memory');
  collect();
  collect();
}

async function memory(taskCount: number) {
  const emulator = createEmulator();
  const workspace = emulator.seed.workspace({ FriendlyName: 'Bench', Template: 'FIFO' });
  emulator.seed.task(workspace.sid, { Attributes: { type: 'support' } });
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let index = 0; index < taskCount; index++) {
    emulator.seed.task(workspace.sid, {
      Attributes: { type: 'support', ticket: index },
      Priority: index % 10,
    });
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  const pending = emulator.inspect
    .tasks(workspace.sid)
    .filter((task) => task.assignment_status === 'pending');
  if (pending.length < taskCount)
    throw new Error(`expected ${taskCount} idle tasks, found ${pending.length}`);
  return { bytesPerTask: (after - before) / taskCount };
}

/** The invariant soak, seeds 1 to 3: totals over the runs, and the violations found. */
async function soak(steps: number) {
  const totals = { runs: 0, steps: 0, requests: 0, refused: 0, tasks: 0, reservations: 0, listWalks: 0 };
  const violations: string[] = [];
  const start = performance.now();
  for (const seed of [1, 2, 3]) {
    const report = await runSoak({ seed, steps });
    totals.runs += 1;
    totals.steps += report.steps;
    totals.requests += report.requests;
    totals.refused += report.refused;
    totals.tasks += report.tasks.created;
    totals.reservations += report.reservations.created;
    totals.listWalks += report.listWalks;
    for (const violation of report.violations) {
      violations.push(`seed ${seed}, step ${violation.step}: ${violation.invariant}: ${violation.message}`);
    }
  }
  if (violations.length > 0) throw new Error(`invariants broken: ${violations.slice(0, 5).join('; ')}`);
  return { ...totals, violations: 0, seconds: (performance.now() - start) / 1000 };
}

async function serve() {
  const emulator = createEmulator();
  const workspace = emulator.seed.workspace({ FriendlyName: 'Bench', Template: 'FIFO' });
  const task = emulator.seed.task(workspace.sid, { Attributes: { type: 'support' } });
  const server = await emulator.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(
    `${JSON.stringify({ url: server.url, workspaceSid: workspace.sid, taskSid: task.sid, authorization: basicAuth(emulator) })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', () => void emulator.close().then(() => process.exit(0)));
}

/**
 * The hostile scenario, served: 200 available workers in one queue, 100 tasks waiting in it, and
 * a workflow whose only target has a 32 KB expression that rejects every worker.
 */
async function hostile() {
  const emulator = createEmulator();
  const workspace = emulator.seed.workspace({ FriendlyName: 'Hostile' });
  const workspaceSid = workspace.sid;
  const available = availableActivity(emulator, workspaceSid);
  const queue = emulator.seed.taskQueue(workspaceSid, { FriendlyName: 'Everyone', TargetWorkers: '1==1' });
  for (let index = 0; index < 200; index++) {
    emulator.seed.worker(workspaceSid, {
      FriendlyName: `worker ${index}`,
      ActivitySid: available,
      Attributes: { team: `t${index % 4}` },
    });
  }
  const configuration = (expression: string) => ({
    task_routing: { filters: [{ expression: '1==1', targets: [{ queue: queue.sid, expression }] }] },
  });
  const workflow = emulator.seed.workflow(workspaceSid, {
    FriendlyName: 'Rejects everyone',
    Configuration: configuration(rejectingExpression('a')),
  });
  const tasks = Array.from({ length: 100 }, (_, index) =>
    emulator.seed.task(workspaceSid, { WorkflowSid: workflow.sid, Attributes: { ticket: index } }),
  );
  if (emulator.inspect.reservations(workspaceSid).length > 0)
    throw new Error('a target expression that rejects every worker got a reservation');
  const server = await emulator.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(
    `${JSON.stringify({
      url: server.url,
      workspaceSid,
      queueSid: queue.sid,
      workflowSid: workflow.sid,
      taskSid: tasks[0]!.sid,
      // Configurations with distinct 32 KB expressions, so each update brings a new one.
      configurations: Array.from({ length: 10 }, (_, index) =>
        JSON.stringify(configuration(rejectingExpression(`v${index}`))),
      ),
      authorization: basicAuth(emulator),
    })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', () => void emulator.close().then(() => process.exit(0)));
}

const [mode, amount] = process.argv.slice(2);
const size = Number(amount ?? 1000);
const modes: Record<string, () => Promise<Record<string, number>>> = {
  'in-process': () => inProcess(size),
  lifecycle: () => lifecycle(size),
  routing: () => routing(size),
  memory: () => memory(size),
  soak: () => soak(size),
};
if (mode === 'serve') await serve();
else if (mode === 'hostile') await hostile();
else {
  const run = mode === undefined ? undefined : modes[mode];
  if (run === undefined) throw new Error(`unknown mode ${mode}; use serve, ${Object.keys(modes).join(', ')}`);
  try {
    process.stdout.write(`${JSON.stringify({ ok: true, ...(await run()) })}\n`);
  } catch (error) {
    process.stdout.write(
      `${JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) })}\n`,
    );
  }
}
