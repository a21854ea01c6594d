/**
 * A path that climbs (`Tasks/WT1\..\WT2`, `%5C`, `..`) is refused by every way into the emulator,
 * not only its HTTP server: the check lives in the dispatch they share.
 */
import { createTaskRouterClient, DIRECT_SEND, type DirectSend } from '@taskrouter/core';
import { setupServer } from 'msw/node';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator, createTwilioHttpClient, type Emulator } from '../src/index.js';
import { taskRouterHandlers } from '../src/msw.js';

/** A workspace with two tasks; `climbing` names the second through the first. */
function twoTasks(emulator: Emulator) {
  const ws = emulator.seed.workspace({ Template: 'FIFO' });
  const first = emulator.seed.task(ws.sid!);
  const second = emulator.seed.task(ws.sid!);
  const tasksPath = `/v1/Workspaces/${ws.sid}/Tasks`;
  return {
    ws: ws.sid!,
    tasksPath,
    climbing: [
      `${first.sid}\\..\\${second.sid}`,
      `${first.sid}%5C..%5C${second.sid}`,
      `${first.sid}%5c${second.sid}`,
    ],
    remaining: () => emulator.inspect.tasks(ws.sid!).length,
  };
}

const authorization = (emulator: Emulator) =>
  `Basic ${btoa(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`)}`;

describe('paths that climb are refused by every adapter', () => {
  test('emulator.fetch with a URL string: raw and encoded backslashes, and dot segments', async () => {
    const emulator = createEmulator();
    const { tasksPath, climbing, remaining } = twoTasks(emulator);
    const dotted = `${tasksPath}/${climbing[0]!.split('\\')[0]}/../${climbing[0]!.split('\\')[2]}`;
    for (const path of [...climbing.map((segment) => `${tasksPath}/${segment}`), dotted]) {
      const answer = await emulator.fetch(`${emulator.baseUrl}${path}`, {
        method: 'DELETE',
        headers: { authorization: authorization(emulator) },
      });
      expect(answer.status, path).toBe(400);
      expect((await answer.json()).message).toMatch(/Malformed request target/);
    }
    expect(remaining()).toBe(2);
  });

  test('emulator.fetch with a Request: an encoded backslash', async () => {
    const emulator = createEmulator();
    const { tasksPath, climbing, remaining } = twoTasks(emulator);
    const answer = await emulator.fetch(
      new Request(`${emulator.baseUrl}${tasksPath}/${climbing[1]}`, {
        method: 'DELETE',
        headers: { authorization: authorization(emulator) },
      }),
    );
    expect(answer.status).toBe(400);
    expect(remaining()).toBe(2);
  });

  test("the emulator's direct send (what core's client sends through)", async () => {
    const emulator = createEmulator();
    const { ws, tasksPath, climbing, remaining } = twoTasks(emulator);
    const directSend = (emulator.fetch as unknown as Record<symbol, DirectSend>)[DIRECT_SEND]!;
    for (const segment of climbing) {
      const { answer } = directSend({
        method: 'DELETE',
        url: `${emulator.baseUrl}${tasksPath}/${segment}`,
        headers: { authorization: authorization(emulator) },
        body: undefined,
      });
      expect((await answer).response.status, segment).toBe(400);
    }
    // Core's client itself refuses such a SID before sending anything.
    const client = createTaskRouterClient({ ...emulator.credentials, fetch: emulator.fetch });
    await expect(
      client.DELETE('/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}', {
        params: { path: { WorkspaceSid: ws, Sid: climbing[0]! } },
      }),
    ).rejects.toMatchObject({ name: 'TaskRouterValidationError' });
    expect(remaining()).toBe(2);
  });

  // twilio resolves a raw `\..\` itself before its httpClient sees the URI (so its requests
  // to TaskRouter name the other task too); an encoded backslash reaches the emulator as written.
  test('the official twilio package, in-process and over HTTP: an encoded backslash', async () => {
    const emulator = createEmulator();
    const { ws, climbing, remaining } = twoTasks(emulator);
    const server = await emulator.listen();
    try {
      for (const httpClient of [
        createTwilioHttpClient(emulator),
        createTwilioHttpClient({ fetch }, { baseUrl: server.url }),
      ]) {
        const client = twilio(emulator.credentials.accountSid, emulator.credentials.authToken, {
          httpClient: httpClient as twilio.RequestClient,
        });
        for (const sid of climbing.slice(1)) {
          await expect(client.taskrouter.v1.workspaces(ws).tasks(sid).remove()).rejects.toMatchObject({
            status: 400,
          });
        }
      }
      expect(remaining()).toBe(2);
    } finally {
      await server.close();
    }
  });

  describe('msw handlers', () => {
    const emulator = createEmulator();
    const server = setupServer(...taskRouterHandlers(emulator));
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());

    test('an encoded backslash (a fetch has already read a raw one as a slash)', async () => {
      const { tasksPath, climbing, remaining } = twoTasks(emulator);
      for (const segment of climbing.slice(1)) {
        const answer = await fetch(`${emulator.baseUrl}${tasksPath}/${segment}`, {
          method: 'DELETE',
          headers: { authorization: authorization(emulator) },
        });
        expect(answer.status).toBe(400);
      }
      expect(remaining()).toBe(2);
    });
  });
});
