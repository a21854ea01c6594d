/**
 * The agent desk's page script: one agent's view of TaskRouter through the official worker SDK
 * (`twilio-taskrouter`). It asks its own server for an access token, shows the agent's activity
 * with a button per activity, lists the offers (reservations) that arrive and lets the agent accept,
 * reject and complete them. The same code runs against Twilio or against the emulator: only the
 * server's answer at `/token` differs.
 */
import TaskRouter from 'twilio-taskrouter';
import type { Reservation, Worker } from 'twilio-taskrouter';
import type { DeskSession } from './session.js';

const agent = new URLSearchParams(location.search).get('agent') ?? '';

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found;
}

async function fetchSession(): Promise<DeskSession> {
  const response = await fetch(`/token?agent=${encodeURIComponent(agent)}`);
  if (!response.ok) throw new Error(`/token answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as DeskSession;
}

function showStatus(text: string): void {
  element('status').textContent = text;
}

function button(label: string, action: () => Promise<unknown>): HTMLButtonElement {
  const control = document.createElement('button');
  control.textContent = label;
  control.addEventListener('click', () => {
    action().catch((error: unknown) => showStatus(`${label} failed: ${String(error)}`));
  });
  return control;
}

function showActivities(worker: Worker): void {
  const list = element('activities');
  list.replaceChildren(
    ...[...worker.activities.values()].map((activity) => {
      const control = button(activity.name, () => activity.setAsCurrent());
      control.dataset.activity = activity.name;
      control.setAttribute('aria-pressed', String(activity.sid === worker.activity.sid));
      return control;
    }),
  );
  element('status').dataset.activity = worker.activity.name;
  showStatus(`Ready · ${worker.activity.name}`);
}

/** One offer on the page, redrawn whenever the SDK reports a change to it. */
function showReservation(reservation: Reservation): void {
  const item = document.createElement('li');
  item.dataset.reservation = reservation.sid;
  item.dataset.task = reservation.task.sid;
  const redraw = () => {
    item.dataset.status = reservation.status;
    const summary = document.createElement('div');
    summary.className = 'task-attributes';
    summary.textContent = JSON.stringify(reservation.task.attributes);
    const status = document.createElement('span');
    status.className = 'reservation-status';
    status.textContent = reservation.status;
    const controls: HTMLButtonElement[] = [];
    if (reservation.status === 'pending') {
      controls.push(
        button('Accept', () => reservation.accept()),
        button('Reject', () => reservation.reject()),
      );
    } else if (reservation.status === 'accepted') {
      controls.push(button('Complete', () => reservation.task.complete('resolved at the desk')));
    }
    item.replaceChildren(summary, status, ...controls);
  };
  for (const change of [
    'accepted',
    'rejected',
    'timeout',
    'canceled',
    'rescinded',
    'completed',
    'wrapup',
  ] as const) {
    reservation.on(change, redraw);
  }
  // Completing the task reports on the task first; the reservation follows.
  reservation.task.on('completed', redraw);
  redraw();
  element('reservations').prepend(item);
}

async function start(): Promise<void> {
  element('agent').textContent = `Agent desk · ${agent}`;
  const session = await fetchSession();
  const worker = new TaskRouter.Worker(session.token, {
    ...(session.eventBridge ?? {}),
    logLevel: 'warn',
  });
  worker.on('ready', () => showActivities(worker));
  worker.on('activityUpdated', () => showActivities(worker));
  worker.on('reservationCreated', showReservation);
  worker.on('disconnected', () => showStatus('Disconnected, reconnecting…'));
  worker.on('error', (error) => showStatus(`Error: ${error.message}`));
  worker.on('tokenExpired', () => {
    fetchSession()
      .then((renewed) => worker.updateToken(renewed.token))
      .catch((error: unknown) => showStatus(`Token renewal failed: ${String(error)}`));
  });
}

start().catch((error: unknown) => showStatus(`Could not start: ${String(error)}`));
