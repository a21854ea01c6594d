/**
 * Names the samples of packages/resources/README.md use without defining them: a client, a FIFO
 * workspace with its queue and workflow, an assigned task, and the exports the later samples
 * assume were imported in the quick start.
 */
import { TaskRouterClient } from '@taskrouter/resources';
import { emulator } from './emulator.ts';

export { isTaskRouterApiError, TaskRouterClient, TaskRouterValidationError } from '@taskrouter/resources';
export * from './emulator.ts';

export const client = new TaskRouterClient({ ...emulator.credentials });

const workspace = emulator.seed.workspace({ FriendlyName: 'Support', Template: 'FIFO' });
export const workspaceSid = workspace.sid;
export const taskQueueSid = emulator.inspect.taskQueues(workspaceSid)[0]!.sid;
export const workflowSid = emulator.inspect.workflows(workspaceSid)[0]!.sid;
const worker = emulator.seed.worker(workspaceSid, { FriendlyName: 'Alice' });
export const taskSid = emulator.seed.task(workspaceSid, { Attributes: { type: 'support' } }).sid;
const reservation = emulator.seed.reservation(workspaceSid, { taskSid, workerSid: worker.sid });
await client
  .taskReservations(workspaceSid, taskSid)
  .update(reservation.sid, { reservationStatus: 'accepted' });
