import { createEmulator } from '../src/index.js';
import type { Emulator, EmulatorOptions } from '../src/emulator/types.js';

/** One answer of the emulator, with its JSON body parsed. */
export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields
  body: any;
  headers: Headers;
}

/** Sends form-encoded requests the way TaskRouter clients do, with valid credentials. */
export function apiClient(emulator: Emulator) {
  const authorization = `Basic ${Buffer.from(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`).toString('base64')}`;
  const send = async (
    method: string,
    path: string,
    params: Record<string, string | number | boolean | string[]> = {},
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> => {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      for (const item of Array.isArray(value) ? value : [value]) form.append(key, String(item));
    }
    const url = path.startsWith('http') ? path : `${emulator.baseUrl}${path}`;
    const init: RequestInit = { method, headers: { authorization, ...headers } };
    let target = url;
    if (method === 'POST') {
      init.body = form;
    } else if (form.size > 0) {
      target = `${url}${url.includes('?') ? '&' : '?'}${form}`;
    }
    const response = await emulator.fetch(target, init);
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? null : JSON.parse(text),
      headers: response.headers,
    };
  };
  return {
    get: (
      path: string,
      query?: Record<string, string | number | boolean | string[]>,
      headers?: Record<string, string>,
    ) => send('GET', path, query, headers),
    post: (
      path: string,
      body?: Record<string, string | number | boolean | string[]>,
      headers?: Record<string, string>,
    ) => send('POST', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => send('DELETE', path, {}, headers),
    send,
  };
}

/** A fresh emulator at a fixed time, and a client for it. */
export function setup(options: EmulatorOptions = {}) {
  const emulator = createEmulator({ startTime: new Date('2030-01-01T00:00:00Z'), ...options });
  return { emulator, api: apiClient(emulator) };
}

/** Creates a workspace (optionally with the FIFO template) and returns its SID and path. */
export async function workspaceWith(api: ReturnType<typeof apiClient>, template: 'NONE' | 'FIFO' = 'NONE') {
  const { body } = await api.post('/v1/Workspaces', {
    FriendlyName: `Workspace ${Math.random()}`,
    Template: template,
  });
  return { sid: body.sid as string, path: `/v1/Workspaces/${body.sid}`, body };
}
