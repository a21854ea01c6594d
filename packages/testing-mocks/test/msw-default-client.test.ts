/**
 * msw's `setupServer` started before `@taskrouter/core` is loaded (nothing else in this file
 * loads it): on Node, a client made without a `fetch` option sends through the Node transport,
 * not through the global fetch msw patched, and msw intercepts it there, at `http.request`.
 * (Started after the package was loaded, msw is reached through the global fetch instead:
 * `helpers-msw-fixtures.test.ts`.)
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, expect, test } from 'vitest';

const WORKSPACE_SID = `WS${'a'.repeat(32)}`;
const seen: { method: string; url: string; acceptEncoding: string | null; body: string }[] = [];
const server = setupServer(
  http.all('https://taskrouter.twilio.com/v1/*', async ({ request }) => {
    seen.push({
      method: request.method,
      url: request.url,
      acceptEncoding: request.headers.get('accept-encoding'),
      body: await request.text(),
    });
    return HttpResponse.json({ sid: WORKSPACE_SID, friendly_name: 'Via msw' }, { status: 201 });
  }),
);
server.listen({ onUnhandledRequest: 'error' });
afterAll(() => server.close());

const { createTaskRouterClient } = await import('@taskrouter/core');

test('a default client reaches msw handlers through the Node transport', async () => {
  const client = createTaskRouterClient({ accountSid: `AC${'1'.repeat(32)}`, authToken: 'token' });
  const { data } = await client.POST('/v1/Workspaces', { body: { FriendlyName: 'Via msw' } });
  expect(data).toEqual({ sid: WORKSPACE_SID, friendly_name: 'Via msw' });
  expect(seen).toEqual([
    {
      method: 'POST',
      url: 'https://taskrouter.twilio.com/v1/Workspaces',
      // Only the Node transport asks for brotli: the request did not go through the global fetch.
      acceptEncoding: 'gzip, deflate, br',
      body: 'FriendlyName=Via+msw',
    },
  ]);
});
