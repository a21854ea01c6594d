import { TaskRouterValidationError } from '@taskrouter/core';
import { describe, expect, it } from 'vitest';
import { taskChannels, workerChannels } from '../src/index.js';
import { recordingClient, WK, WS } from './helpers.js';

// A channel is addressed by SID or by unique name, so its segment is free text: a dot segment
// there would resolve to the workspace or the worker once the URL is parsed.
describe('a channel name that would change the path is refused before sending', () => {
  const hostile = ['.', '..', '%2e%2e', '.%2E', 'voice/..', 'a\\b', 'a?b', 'a#b'];

  it.each(hostile)('%j', async (name) => {
    const { api, requests } = recordingClient();
    const calls = [
      () => taskChannels(api, WS).delete(name),
      () => taskChannels(api, WS).update(name, { friendlyName: 'x' }),
      () => taskChannels(api, WS).get(name),
      () => workerChannels(api, WS, WK).update(name, { capacity: 1 }),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(TaskRouterValidationError);
    expect(requests).toHaveLength(0);
  });

  it('while an ordinary unique name still goes to its channel', async () => {
    const { api, requests } = recordingClient();
    await taskChannels(api, WS).delete('voice');
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `DELETE /v1/Workspaces/${WS}/TaskChannels/voice`,
    ]);
  });
});
