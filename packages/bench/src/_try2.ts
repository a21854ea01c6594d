import { CLIENT_FACTORIES } from './clients.js';
import { startStubProcess } from './processes.js';
const stub = await startStubProcess();
const name = process.argv[2]!;
const c = await CLIENT_FACTORIES[name]!(stub.url);
for (let i = 0; i < 500; i++) await c.createTask();
for (let r = 0; r < 3; r++) {
  const t = process.cpuUsage();
  for (let i = 0; i < 2000; i++) await c.createTask();
  const u = process.cpuUsage(t);
  console.log(name, ((u.user + u.system) / 2000).toFixed(1));
}
c.close?.();
await stub.stop();
