/**
 * The emulator's dashboard: every workspace's queues with their waiting tasks, workers with their
 * activity, reservations and worker SDK websockets, workflows drawn from their Mermaid flowcharts,
 * the live event stream and a clock control. Reads `/__emulator/overview`, listens to `/__emulator/events` and advances
 * the clock through `/__emulator/clock/advance`; the browser sends the page's Basic credentials
 * along, as the requests are on the same origin. It shows one account: the one those credentials
 * stand for, or the one picked in the account list (sent as `?AccountSid=`, since an event stream
 * cannot send a header of its own).
 */

interface WaitingTask {
  sid: string;
  assignment_status: string;
  priority: number;
  age: number;
  attributes: string;
}

interface Overview {
  clock: { now: string };
  account_sid: string;
  accounts: { sid: string; own: boolean }[];
  workspaces: {
    sid: string;
    friendly_name: string;
    queues: { sid: string; friendly_name: string; target_workers: string; waiting: WaitingTask[] }[];
    workers: {
      sid: string;
      friendly_name: string;
      activity_name: string;
      available: boolean;
      /** Open websockets of the worker SDK. */
      sdk_connections: number;
      reservations: { sid: string; task_sid: string; reservation_status: string }[];
    }[];
    workflows: { sid: string; friendly_name: string; mermaid: string }[];
  }[];
}

interface StreamedEvent {
  event_type: string;
  event_date?: string;
  description?: string;
  sid?: string;
}

interface MermaidApi {
  initialize(options: Record<string, unknown>): void;
  render(id: string, source: string): Promise<{ svg: string }>;
}

const MAX_EVENTS = 200;

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page lacks #${id}`);
  return element as T;
};

/** Creates an element with text and attributes; text is never parsed as HTML. */
function element(
  tag: string,
  options: { text?: string; className?: string; data?: Record<string, string> } = {},
  ...children: Node[]
): HTMLElement {
  const created = document.createElement(tag);
  if (options.text !== undefined) created.textContent = options.text;
  if (options.className !== undefined) created.className = options.className;
  for (const [key, value] of Object.entries(options.data ?? {})) created.dataset[key] = value;
  created.append(...children);
  return created;
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin', ...init });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.message ?? `${response.status} ${response.statusText}`);
  return body as T;
}

/** Loads Mermaid when the emulator serves it (an optional install); undefined otherwise. */
const mermaid: Promise<MermaidApi | undefined> = new Promise((resolve) => {
  const script = document.createElement('script');
  script.src = '/__emulator/ui/mermaid.js';
  script.onload = () => {
    const api = (window as unknown as { mermaid?: MermaidApi }).mermaid;
    api?.initialize({ startOnLoad: false, securityLevel: 'strict' });
    resolve(api);
  };
  script.onerror = () => resolve(undefined);
  document.head.append(script);
});

/** Drawn diagrams by flowchart source, so a refresh does not draw them again. */
const diagrams = new Map<string, Promise<Node>>();
let diagramCount = 0;

function diagram(source: string): Promise<Node> {
  let drawn = diagrams.get(source);
  if (!drawn) {
    drawn = mermaid.then(async (api) => {
      const sourceBlock = element('pre', { text: source, className: 'mermaid-source' });
      if (!api) {
        return element(
          'div',
          {},
          element('p', {
            className: 'muted',
            text: 'Mermaid source (install mermaid beside the emulator to draw it):',
          }),
          sourceBlock,
        );
      }
      try {
        const { svg } = await api.render(`workflow-diagram-${++diagramCount}`, source);
        const template = document.createElement('template');
        // Mermaid's own output, made with securityLevel 'strict'.
        template.innerHTML = svg;
        return element('div', { className: 'diagram' }, template.content);
      } catch {
        return sourceBlock;
      }
    });
    diagrams.set(source, drawn);
  }
  // Each refresh needs its own copy of the drawing.
  return drawn.then((node) => node.cloneNode(true));
}

function taskItem(task: WaitingTask): HTMLElement {
  return element(
    'li',
    { data: { taskSid: task.sid, status: task.assignment_status } },
    element('code', { text: task.sid.slice(0, 10) }),
    document.createTextNode(` ${task.assignment_status}, priority ${task.priority}, ${task.age} s `),
    element('span', { className: 'muted', text: task.attributes }),
  );
}

async function renderOverview(overview: Overview): Promise<void> {
  const container = byId('workspaces');
  const sections = await Promise.all(
    overview.workspaces.map(async (workspace) => {
      const queues = workspace.queues.map((queue) =>
        element(
          'div',
          { className: 'card', data: { queueSid: queue.sid, queueName: queue.friendly_name } },
          element('strong', { text: queue.friendly_name }),
          element('span', { className: 'muted', text: queue.target_workers }),
          element(
            'ul',
            {},
            ...(queue.waiting.length === 0
              ? [element('li', { className: 'muted', text: 'no task waiting' })]
              : queue.waiting.map(taskItem)),
          ),
        ),
      );
      const workers = workspace.workers.map((worker) =>
        element(
          'div',
          { className: 'card', data: { workerSid: worker.sid } },
          element('strong', { text: worker.friendly_name }),
          element('span', {
            className: `badge ${worker.available ? 'available' : 'unavailable'}`,
            text: worker.activity_name,
          }),
          document.createTextNode(' '),
          element('span', {
            className: `badge ${worker.sdk_connections > 0 ? 'connected' : 'muted'}`,
            data: { sdkConnections: String(worker.sdk_connections) },
            text:
              worker.sdk_connections === 0
                ? 'SDK offline'
                : `SDK connected${worker.sdk_connections > 1 ? ` ×${worker.sdk_connections}` : ''}`,
          }),
          element(
            'ul',
            {},
            ...worker.reservations.map((reservation) =>
              element('li', {
                data: { reservationSid: reservation.sid },
                text: `${reservation.reservation_status}: task ${reservation.task_sid.slice(0, 10)}`,
              }),
            ),
          ),
        ),
      );
      const workflows = await Promise.all(
        workspace.workflows.map(async (workflow) =>
          element(
            'div',
            { className: 'card', data: { workflowSid: workflow.sid } },
            element('strong', { text: workflow.friendly_name }),
            await diagram(workflow.mermaid),
          ),
        ),
      );
      return element(
        'section',
        { className: 'workspace', data: { workspaceSid: workspace.sid } },
        element(
          'h2',
          { text: `${workspace.friendly_name} ` },
          element('code', { className: 'muted', text: workspace.sid }),
        ),
        element('h3', { text: 'Queues and waiting tasks' }),
        element('div', { className: 'columns' }, ...queues),
        element('h3', { text: 'Workers' }),
        element('div', { className: 'columns' }, ...workers),
        element('h3', { text: 'Workflows' }),
        element('div', { className: 'columns' }, ...workflows),
      );
    }),
  );
  container.replaceChildren(
    ...(sections.length > 0 ? sections : [element('p', { className: 'muted', text: 'No workspace yet.' })]),
  );
}

/** The account picked in the list; undefined: the one the page's credentials stand for. */
let pickedAccount = new URLSearchParams(window.location.search).get('AccountSid') ?? undefined;

/** A control path for the account shown. */
function forAccount(path: string): string {
  return pickedAccount === undefined ? path : `${path}?AccountSid=${encodeURIComponent(pickedAccount)}`;
}

/** Lists the accounts there are, the one shown selected. */
function renderAccounts(overview: Overview): void {
  const list = byId<HTMLSelectElement>('account');
  const known = [...list.options].map((option) => option.value).join(' ');
  if (known !== overview.accounts.map((account) => account.sid).join(' ')) {
    list.replaceChildren(
      ...overview.accounts.map((account) => {
        const option = document.createElement('option');
        option.value = account.sid;
        option.textContent = account.own ? `${account.sid} (emulator's own)` : account.sid;
        return option;
      }),
    );
  }
  list.value = overview.account_sid;
}

async function refreshClock(): Promise<void> {
  const clock = await request<{ now: string; mode: string }>('/__emulator/clock');
  byId('clock').textContent = clock.now.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  byId('clock-mode').textContent = clock.mode;
}

let refreshing: Promise<void> | undefined;
let refreshAgain = false;

/** Reloads the overview; calls while one runs lead to one more run after it. */
function refresh(): void {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = Promise.all([
    request<Overview>(forAccount('/__emulator/overview')).then((overview) => {
      renderAccounts(overview);
      return renderOverview(overview);
    }),
    refreshClock(),
  ])
    .then(() => undefined)
    .catch((error: unknown) => {
      byId('workspaces').replaceChildren(element('p', { text: `Cannot load the state: ${String(error)}` }));
    })
    .finally(() => {
      refreshing = undefined;
      if (refreshAgain) {
        refreshAgain = false;
        refresh();
      }
    });
}

function showEvent(event: StreamedEvent): void {
  const list = byId('events');
  const time = event.event_date ? `${event.event_date.slice(11, 19)} ` : '';
  list.prepend(
    element(
      'li',
      { data: { eventType: event.event_type } },
      element('span', { className: 'muted', text: time }),
      element('strong', { text: event.event_type }),
      document.createTextNode(event.description ? ` ${event.description}` : ''),
    ),
  );
  while (list.childElementCount > MAX_EVENTS) list.lastElementChild?.remove();
}

let stream: EventSource | undefined;

/** Follows the event stream of the account shown (again, after another one is picked). */
function listen(): void {
  stream?.close();
  byId('events').replaceChildren();
  const events = new EventSource(forAccount('/__emulator/events'));
  stream = events;
  const state = byId('stream-state');
  state.textContent = 'connecting';
  events.onopen = () => {
    state.textContent = 'live';
  };
  events.onerror = () => {
    state.textContent = 'reconnecting';
  };
  events.onmessage = (message: MessageEvent<string>) => {
    showEvent(JSON.parse(message.data) as StreamedEvent);
    refresh();
  };
}

byId<HTMLSelectElement>('account').addEventListener('change', (change) => {
  pickedAccount = (change.target as HTMLSelectElement).value;
  // The address keeps the pick, so a reload shows the same account.
  const address = new URL(window.location.href);
  address.searchParams.set('AccountSid', pickedAccount);
  window.history.replaceState(null, '', address);
  listen();
  refresh();
});

byId<HTMLFormElement>('advance-form').addEventListener('submit', (submit) => {
  submit.preventDefault();
  const seconds = Number(byId<HTMLInputElement>('advance-seconds').value);
  request('/__emulator/clock/advance', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds }),
  }).then(refresh, (error: unknown) => window.alert(String(error)));
});

refresh();
listen();
// A real clock moves on its own; the display follows it.
setInterval(() => void refreshClock().catch(() => undefined), 1000);
