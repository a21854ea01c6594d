// Creates one TaskRouter task with node:http directly: the floor for a Node client. The module is
// taken with process.getBuiltinModule: on Node 24 `import { request } from 'node:http'` builds the
// module's ES namespace, which reads its lazy `WebSocket` export and so loads undici (about 12 MiB).
const { request } = process.getBuiltinModule('node:http');

const baseUrl = new URL(process.env.TASKROUTER_BASE_URL ?? 'http://127.0.0.1');
const body = new URLSearchParams({
  Attributes: JSON.stringify({ type: 'support', language: 'en' }),
  Priority: '5',
}).toString();
const task = await new Promise((resolve, reject) => {
  const req = request(
    new URL(`/v1/Workspaces/${process.env.TASKROUTER_WORKSPACE_SID}/Tasks`, baseUrl),
    {
      method: 'POST',
      auth: `${process.env.TWILIO_ACCOUNT_SID}:${process.env.TWILIO_AUTH_TOKEN}`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
        accept: 'application/json',
      },
    },
    (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () =>
        res.statusCode < 300
          ? resolve(JSON.parse(text))
          : reject(new Error(`TaskRouter answered ${res.statusCode}`)),
      );
    },
  );
  req.on('error', reject);
  req.end(body);
});
console.log(task.sid);
