/**
 * Names the samples of packages/core/README.md use without defining them: a core client, a
 * workspace and an assigned task with its current version and reservation, values for the SID
 * helpers, and a session lookup for the browser section.
 */
import { createTaskRouterClient } from '@taskrouter/core';
import { emulator } from './emulator.ts';

export * from './emulator.ts';

export const client = createTaskRouterClient({ ...emulator.credentials });

const workspace = emulator.seed.workspace({ FriendlyName: 'Support', Template: 'FIFO' });
export const WorkspaceSid = workspace.sid;
const worker = emulator.seed.worker(WorkspaceSid, { FriendlyName: 'Alice' });
export const taskSid = emulator.seed.task(WorkspaceSid, { Attributes: { type: 'support' } }).sid;
const reservation = emulator.seed.reservation(WorkspaceSid, { taskSid, workerSid: worker.sid });
await client.POST('/v1/Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations/{Sid}', {
  params: { path: { WorkspaceSid, TaskSid: taskSid, Sid: reservation.sid } },
  body: { ReservationStatus: 'accepted' },
});
const { response } = await client.GET('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
  params: { path: { WorkspaceSid, Sid: taskSid } },
});
export const version = response.headers.get('etag')!;

export const value: unknown = WorkspaceSid;
export const reservationSid = reservation.sid;
/** The browser section's stand-in for an app's session lookup. */
export async function sessionOf(request: Request): Promise<{ workspaceSid: string } | undefined> {
  return request.headers.has('cookie') ? { workspaceSid: WorkspaceSid } : undefined;
}
export const input = { workerSid: worker.sid };
