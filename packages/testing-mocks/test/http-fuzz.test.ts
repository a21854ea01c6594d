import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator, type EmulatorServer } from '../src/index.js';
import type { Emulator } from '../src/emulator/types.js';

// Thousands of malformed requests over real HTTP. Each must get a Twilio-shaped 4xx; afterwards
// the emulator's state must be exactly what it was, and it must still answer normally.
// The seed is fixed so every run sends the same requests.
const SEED = 20_261_129;
const RUNS = 2_500;
const FORM = 'application/x-www-form-urlencoded';

interface BadRequest {
  /** What kind of mistake this is, for the failure message and the tally. */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** The statuses a correct emulator may answer with. */
  expected: readonly number[];
  /** The server answers and closes the connection, so the request gets a socket of its own. */
  closes?: boolean;
}

interface Answer {
  status: number;
  text: string;
}

let emulator: Emulator;
let server: EmulatorServer;
let authorization: string;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** Sends a request exactly as given: no URL normalisation, no header repair. */
function send(bad: Pick<BadRequest, 'method' | 'path' | 'headers' | 'body' | 'closes'>): Promise<Answer> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: hostname,
        port,
        method: bad.method,
        path: bad.path,
        headers: bad.headers,
        agent: bad.closes ? false : agent,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error(`no answer to ${bad.method} ${bad.path}`)));
    outgoing.on('error', reject);
    outgoing.end(bad.body);
  });
}

/** Why an answer is not a Twilio-shaped error with one of the expected statuses, or undefined. */
function violation(bad: BadRequest, answer: Answer): string | undefined {
  if (!bad.expected.includes(answer.status))
    return `status ${answer.status}, expected ${bad.expected.join('/')}`;
  if (bad.method === 'HEAD') return answer.text === '' ? undefined : 'a HEAD answer with a body';
  let document: unknown;
  try {
    document = JSON.parse(answer.text);
  } catch {
    return `a body that is not JSON: ${answer.text.slice(0, 80)}`;
  }
  const { code, message, more_info: moreInfo, status } = document as Record<string, unknown>;
  if (typeof code !== 'number' || typeof message !== 'string' || message === '') return 'no code or message';
  if (moreInfo !== `https://www.twilio.com/docs/errors/${code}`) return `more_info ${String(moreInfo)}`;
  if (status !== answer.status) return `body status ${String(status)} on an HTTP ${answer.status}`;
  return undefined;
}

/** Everything the emulator holds, read in-process so nothing is left out. */
function snapshot(): string {
  const { inspect } = emulator;
  return JSON.stringify(
    inspect.workspaces().map((workspace) => {
      const sid = workspace.sid ?? '';
      return {
        workspace,
        activities: inspect.activities(sid),
        taskChannels: inspect.taskChannels(sid),
        taskQueues: inspect.taskQueues(sid),
        workers: inspect.workers(sid).map((worker) => ({
          worker,
          channels: inspect.workerChannels(sid, worker.sid ?? ''),
        })),
        workflows: inspect.workflows(sid),
        tasks: inspect.tasks(sid),
        reservations: inspect.reservations(sid),
        events: inspect.events(sid),
      };
    }),
  );
}

const ids = {
  workspace: '',
  worker: '',
  task: '',
  queue: '',
  workflow: '',
  activity: '',
};

beforeAll(async () => {
  emulator = createEmulator({ clock: 'virtual', startTime: new Date(Date.UTC(2026, 0, 5, 9)) });
  const { seed } = emulator;
  const workspace = seed.workspace({ FriendlyName: 'Support', Template: 'FIFO' });
  ids.workspace = workspace.sid ?? '';
  seed.workspace({ FriendlyName: 'Sales' });
  ids.queue = emulator.inspect.taskQueues(ids.workspace)[0]?.sid ?? '';
  ids.workflow = emulator.inspect.workflows(ids.workspace)[0]?.sid ?? '';
  ids.activity = emulator.inspect.activities(ids.workspace)[0]?.sid ?? '';
  for (const name of ['Alice', 'Bob', 'Chen']) {
    ids.worker = seed.worker(ids.workspace, { FriendlyName: name, Attributes: { skills: ['en'] } }).sid ?? '';
  }
  for (const type of ['support', 'billing', 'sales']) {
    ids.task = seed.task(ids.workspace, { Attributes: { type }, WorkflowSid: ids.workflow }).sid ?? '';
  }
  server = await emulator.listen({ port: 0 });
  const { accountSid, authToken } = emulator.credentials;
  authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
});

afterAll(async () => {
  agent.destroy();
  await server.close();
});

// ---- generators -------------------------------------------------------------------------

const workspacePath = () => `/v1/Workspaces/${ids.workspace}`;

/** Form endpoints that change state, each with a body it would accept. */
const writes = () => [
  { path: '/v1/Workspaces', body: 'FriendlyName=Fuzzed' },
  { path: workspacePath(), body: 'FriendlyName=Renamed' },
  { path: `${workspacePath()}/Workers`, body: 'FriendlyName=Mallory' },
  { path: `${workspacePath()}/Workers/${ids.worker}`, body: 'FriendlyName=Renamed' },
  { path: `${workspacePath()}/Tasks`, body: `WorkflowSid=${ids.workflow}&Attributes=%7B%7D` },
  { path: `${workspacePath()}/Tasks/${ids.task}`, body: 'Priority=5' },
  { path: `${workspacePath()}/TaskQueues`, body: 'FriendlyName=Fuzzed' },
  { path: `${workspacePath()}/TaskQueues/${ids.queue}`, body: 'FriendlyName=Renamed' },
  { path: `${workspacePath()}/Activities`, body: 'FriendlyName=Fuzzed' },
  { path: `${workspacePath()}/Workflows/${ids.workflow}`, body: 'FriendlyName=Renamed' },
  { path: `${workspacePath()}/TaskChannels`, body: 'FriendlyName=Fuzzed&UniqueName=fuzzed' },
];
const write = fc.constant(null).chain(() => fc.constantFrom(...writes()));
const readPaths = () => [
  '/v1/Workspaces',
  `${workspacePath()}/Workers`,
  `${workspacePath()}/Tasks`,
  `${workspacePath()}/TaskQueues`,
  `${workspacePath()}/Activities`,
  `${workspacePath()}/Workflows`,
  `${workspacePath()}/Events`,
];
const readPath = fc.constant(null).chain(() => fc.constantFrom(...readPaths()));
const text = fc.string({ unit: 'grapheme-ascii', maxLength: 12 });
const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/);

const headers = (extra: Record<string, string> = {}) => ({ authorization, ...extra });
const formHeaders = () => headers({ 'content-type': FORM });

const wrongContentType = fc
  .tuple(
    write,
    fc.constantFrom(
      'text/plain',
      'application/json',
      'multipart/form-data; boundary=x',
      'application/xml',
      'image/png',
    ),
  )
  .map(
    ([target, contentType]): BadRequest => ({
      kind: 'wrong content type',
      method: 'POST',
      path: target.path,
      headers: headers({ 'content-type': contentType }),
      body: target.body,
      expected: [400],
    }),
  );

/** Escapes URLSearchParams would repair without a word: bad hex, cut short, or not UTF-8. */
const badEscape = fc.constantFrom(
  '%',
  '%Z',
  '%G1',
  '%4',
  '%E0%A4',
  '%FF',
  '%C0%AF',
  '%ED%A0%80',
  '%F8%88%80%80',
);
const invalidFormEncoding = fc.tuple(write, badEscape, text, fc.boolean()).map(
  ([target, badPart, filler, inQuery]): BadRequest => ({
    kind: 'invalid form encoding',
    method: 'POST',
    path: inQuery ? `${target.path}?Note=${encodeURIComponent(filler)}${badPart}` : target.path,
    headers: formHeaders(),
    body: inQuery ? target.body : `${target.body}&Note=${encodeURIComponent(filler)}${badPart}`,
    expected: [400],
  }),
);
const invalidQueryEncoding = fc.tuple(readPath, badEscape).map(
  ([path, badPart]): BadRequest => ({
    kind: 'invalid form encoding',
    method: 'GET',
    path: `${path}?FriendlyName=x${badPart}`,
    headers: headers(),
    expected: [400],
  }),
);

const invalidUtf8 = fc
  .tuple(
    write,
    fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x90, 0x28, 0xbc], [0xed, 0xa0, 0x80]),
  )
  .map(
    ([target, bytes]): BadRequest => ({
      kind: 'invalid UTF-8',
      method: 'POST',
      path: target.path,
      headers: formHeaders(),
      body: Buffer.concat([Buffer.from(`${target.body}&Note=`), Buffer.from(bytes)]),
      expected: [400],
      closes: true,
    }),
  );

const oversizeBody = fc.tuple(write, fc.integer({ min: 1, max: 64 * 1024 })).map(
  ([target, extra]): BadRequest => ({
    kind: 'body over 1 MB',
    method: 'POST',
    path: target.path,
    headers: formHeaders(),
    body: `${target.body}&Note=${'x'.repeat(1_048_576 + extra)}`,
    expected: [413],
    closes: true,
  }),
);

const jsonTargets = () => [
  { path: `${workspacePath()}/Tasks`, field: 'Attributes', rest: `WorkflowSid=${ids.workflow}&` },
  { path: `${workspacePath()}/Tasks/${ids.task}`, field: 'Attributes', rest: '' },
  { path: `${workspacePath()}/Workers`, field: 'Attributes', rest: 'FriendlyName=Mallory&' },
  { path: `${workspacePath()}/Workers/${ids.worker}`, field: 'Attributes', rest: '' },
  { path: `${workspacePath()}/Workflows`, field: 'Configuration', rest: 'FriendlyName=Fuzzed&' },
  { path: `${workspacePath()}/Workflows/${ids.workflow}`, field: 'Configuration', rest: '' },
];
const jsonTarget = fc.constant(null).chain(() => fc.constantFrom(...jsonTargets()));
const oversizeAttributes = fc
  .tuple(
    jsonTarget.filter((target) => target.field === 'Attributes'),
    fc.integer({ min: 4_097, max: 20_000 }),
  )
  .map(([target, length]): BadRequest => {
    const document = JSON.stringify({ note: 'x'.repeat(length - 11) });
    return {
      kind: 'attributes over 4 KB',
      method: 'POST',
      path: target.path,
      headers: formHeaders(),
      body: `${target.rest}${target.field}=${encodeURIComponent(document)}`,
      expected: [400],
    };
  });
const badJson = fc
  .tuple(
    jsonTarget,
    fc.oneof(
      fc.constantFrom(
        '{',
        '{"a":',
        "{'a':1}",
        'nope',
        '{"a":1}}',
        '[1,2]',
        '42',
        '"text"',
        'null',
        'true',
        '',
      ),
      fc.json().filter((json) => !json.startsWith('{')),
    ),
  )
  .filter(([target, json]) => !(json === '' && target.field === 'Attributes'))
  .map(
    ([target, json]): BadRequest => ({
      kind: 'bad JSON document',
      method: 'POST',
      path: target.path,
      headers: formHeaders(),
      body: `${target.rest}${target.field}=${encodeURIComponent(json)}`,
      expected: [400],
    }),
  );

const unknownPath = fc
  .tuple(
    fc.constantFrom('/v1/', '/v2/', '/', `${workspacePath()}/`, '/v1/Workspaces/'),
    fc.array(word, { minLength: 1, maxLength: 4 }),
  )
  .filter(
    ([prefix, segments]) =>
      !(prefix.startsWith('/v1/Workspaces/') && /^WS[0-9a-f]{32}$/.test(segments[0] ?? '')),
  )
  .map(
    ([prefix, segments]): BadRequest => ({
      kind: 'unknown path',
      method: 'GET',
      path: `${prefix}Zz${segments.join('/')}`,
      headers: headers(),
      expected: [404],
    }),
  );

const wrongMethod = fc
  .tuple(
    fc.constant(null).chain(() => fc.constantFrom(...readPaths(), ...writes().map((target) => target.path))),
    fc.constantFrom('PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'),
  )
  .map(
    ([path, method]): BadRequest => ({
      kind: 'method not allowed',
      method,
      path,
      headers: headers(),
      expected: [405],
    }),
  );
const unparsableMethod = fc
  .tuple(readPath, fc.stringMatching(/^[A-Z]{3,8}$/))
  .filter(([, method]) => !KNOWN_METHODS.has(method))
  .map(
    ([path, method]): BadRequest => ({
      kind: 'unknown method',
      method,
      path,
      headers: headers(),
      expected: [400],
      closes: true,
    }),
  );
/** Methods Node's parser knows; anything else is refused before the emulator sees it. */
const KNOWN_METHODS = new Set(
  'ACL BIND CHECKOUT CONNECT COPY DELETE GET HEAD LINK LOCK MERGE MKACTIVITY MKCALENDAR MKCOL MOVE NOTIFY OPTIONS PATCH POST PROPFIND PROPPATCH PURGE PUT QUERY REBIND REPORT SEARCH SOURCE SUBSCRIBE TRACE UNBIND UNLINK UNLOCK UNSUBSCRIBE'.split(
    ' ',
  ),
);

const pathTraversal = fc
  .tuple(
    fc.constantFrom('..', '.', '%2e%2e', '%2E.', '.%2e', '%2e'),
    fc.integer({ min: 1, max: 6 }),
    fc.constantFrom('etc/passwd', 'Workspaces', '', 'v1/Workspaces', `Workers/${'WK'}`),
    fc
      .constant(null)
      .chain(() => fc.constantFrom('/v1/Workspaces', workspacePath(), `${workspacePath()}/Tasks`)),
  )
  .map(
    ([dots, depth, tail, base]): BadRequest => ({
      kind: 'path traversal',
      method: 'GET',
      path: `${base}${`/${dots}`.repeat(depth)}/${tail}`,
      headers: headers(),
      expected: [400],
    }),
  );
const encodedTraversal = fc
  .constantFrom('..%2f..%2fetc%2fpasswd', '..%5c..%5cwindows', '%252e%252e%252f')
  .map(
    (segment): BadRequest => ({
      kind: 'path traversal',
      method: 'GET',
      path: `/v1/Workspaces/${segment}`,
      headers: headers(),
      // A backslash, even encoded, is refused outright; the other segments name no workspace.
      expected: segment.includes('%5c') ? [400] : [404],
    }),
  );

const badPaging = fc
  .tuple(
    readPath,
    fc.oneof(
      fc.record({
        name: fc.constant('PageSize'),
        value: fc.oneof(fc.integer({ min: 1_001 }), fc.integer({ max: 0 })).map(String),
      }),
      fc.record({
        name: fc.constant('PageSize'),
        value: fc.constantFrom('1e3', '1.5', 'ten', '', '0x10', '99999999999999999999'),
      }),
      fc.record({ name: fc.constant('Page'), value: fc.integer({ max: -1 }).map(String) }),
      fc.record({ name: fc.constant('PageToken'), value: word }),
    ),
  )
  .map(
    ([path, { name, value }]): BadRequest => ({
      kind: 'bad paging',
      method: 'GET',
      path: `${path}?${name}=${encodeURIComponent(value)}`,
      headers: headers(),
      expected: [400],
    }),
  );

const negativeNumbers = fc
  .tuple(
    fc
      .constant(null)
      .chain(() =>
        fc.constantFrom(
          { path: `${workspacePath()}/Tasks`, name: 'Priority', rest: `WorkflowSid=${ids.workflow}&` },
          { path: `${workspacePath()}/Tasks`, name: 'Timeout', rest: `WorkflowSid=${ids.workflow}&` },
          { path: `${workspacePath()}/Tasks/${ids.task}`, name: 'Priority', rest: '' },
          { path: `${workspacePath()}/TaskQueues/${ids.queue}`, name: 'MaxReservedWorkers', rest: '' },
          { path: `${workspacePath()}/Workers/${ids.worker}/Channels/default`, name: 'Capacity', rest: '' },
          { path: `${workspacePath()}/Workflows/${ids.workflow}`, name: 'TaskReservationTimeout', rest: '' },
        ),
      ),
    fc.integer({ min: -2_147_483_648, max: -1 }),
  )
  .map(
    ([target, value]): BadRequest => ({
      kind: 'negative number',
      method: 'POST',
      path: target.path,
      headers: formHeaders(),
      body: `${target.rest}${target.name}=${value}`,
      expected: [400],
    }),
  );

const badSid = fc.oneof(
  fc.tuple(fc.constantFrom('Workers', 'Tasks', 'TaskQueues', 'Workflows', 'Activities'), word).map(
    ([collection, sid]): BadRequest => ({
      kind: 'bad SID',
      method: 'GET',
      path: `${workspacePath()}/${collection}/${sid}`,
      headers: headers(),
      expected: [404],
    }),
  ),
  fc
    .tuple(
      fc
        .constant(null)
        .chain(() =>
          fc.constantFrom(
            { path: `${workspacePath()}/Tasks`, field: 'WorkflowSid', rest: 'Attributes=%7B%7D&' },
            { path: `${workspacePath()}/Workers/${ids.worker}`, field: 'ActivitySid', rest: '' },
            { path: `${workspacePath()}/Workers`, field: 'ActivitySid', rest: 'FriendlyName=Mallory&' },
            { path: `${workspacePath()}/TaskQueues/${ids.queue}`, field: 'AssignmentActivitySid', rest: '' },
            { path: `${workspacePath()}/TaskQueues/${ids.queue}`, field: 'ReservationActivitySid', rest: '' },
            { path: `${workspacePath()}`, field: 'DefaultActivitySid', rest: '' },
            { path: `${workspacePath()}`, field: 'TimeoutActivitySid', rest: '' },
          ),
        ),
      fc.oneof(word, fc.constantFrom(`WW${'z'.repeat(32)}`, `WA${'0'.repeat(31)}`, `wa${'0'.repeat(32)}`)),
    )
    .map(
      ([target, sid]): BadRequest => ({
        kind: 'bad SID',
        method: 'POST',
        path: target.path,
        headers: formHeaders(),
        body: `${target.rest}${target.field}=${encodeURIComponent(sid)}`,
        expected: [400],
      }),
    ),
);

const badCredentials = fc
  .tuple(
    readPath,
    fc.constantFrom(
      '',
      'Basic',
      'Basic !!!',
      'Bearer token',
      `Basic ${Buffer.from('AC:wrong').toString('base64')}`,
    ),
  )
  .map(
    ([path, value]): BadRequest => ({
      kind: 'bad credentials',
      method: 'GET',
      path,
      headers: value === '' ? {} : { authorization: value },
      expected: [401],
    }),
  );

const oversizeHeaders = readPath.map(
  (path): BadRequest => ({
    kind: 'headers over the limit',
    method: 'GET',
    path,
    headers: headers({ 'x-padding': 'x'.repeat(20_000) }),
    expected: [431],
    closes: true,
  }),
);

const badRequest: fc.Arbitrary<BadRequest> = fc.oneof(
  { arbitrary: wrongContentType, weight: 3 },
  { arbitrary: invalidFormEncoding, weight: 3 },
  { arbitrary: invalidQueryEncoding, weight: 2 },
  { arbitrary: invalidUtf8, weight: 2 },
  { arbitrary: oversizeBody, weight: 1 },
  { arbitrary: oversizeAttributes, weight: 2 },
  { arbitrary: badJson, weight: 3 },
  { arbitrary: unknownPath, weight: 2 },
  { arbitrary: wrongMethod, weight: 2 },
  { arbitrary: unparsableMethod, weight: 1 },
  { arbitrary: pathTraversal, weight: 2 },
  { arbitrary: encodedTraversal, weight: 1 },
  { arbitrary: badPaging, weight: 3 },
  { arbitrary: negativeNumbers, weight: 3 },
  { arbitrary: badSid, weight: 3 },
  { arbitrary: badCredentials, weight: 2 },
  { arbitrary: oversizeHeaders, weight: 1 },
);

// ---- the test ---------------------------------------------------------------------------

describe('the emulator over HTTP, under bad input', () => {
  test('answers every malformed request with a Twilio-shaped 4xx, changes nothing, and keeps serving', async () => {
    const before = snapshot();
    const tally = new Map<string, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(badRequest, async (bad) => {
        const answer = await send(bad);
        sent++;
        tally.set(bad.kind, (tally.get(bad.kind) ?? 0) + 1);
        const problem = violation(bad, answer);
        if (problem !== undefined) {
          throw new Error(`${bad.kind}: ${bad.method} ${bad.path.slice(0, 120)} got ${problem}`);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

    expect(sent).toBe(RUNS);
    // Every kind of mistake was tried.
    expect([...tally.keys()].sort()).toEqual([
      'attributes over 4 KB',
      'bad JSON document',
      'bad SID',
      'bad credentials',
      'bad paging',
      'body over 1 MB',
      'headers over the limit',
      'invalid UTF-8',
      'invalid form encoding',
      'method not allowed',
      'negative number',
      'path traversal',
      'unknown method',
      'unknown path',
      'wrong content type',
    ]);
    expect(snapshot()).toBe(before);

    // Still serving: a normal read and a normal write both work over the same server.
    const list = await send({ method: 'GET', path: `${workspacePath()}/Workers`, headers: headers() });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.text).workers).toHaveLength(3);
    const created = await send({
      method: 'POST',
      path: `${workspacePath()}/Workers`,
      headers: formHeaders(),
      body: 'FriendlyName=Dana',
    });
    expect(created.status).toBe(201);
    expect(emulator.inspect.workers(ids.workspace)).toHaveLength(4);
  }, 120_000);
});
