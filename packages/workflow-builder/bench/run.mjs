// Measures the hot paths on the built package: `pnpm --filter @taskrouter/workflow-builder bench`.
import {
  compileExpression,
  compileWorkflow,
  parseExpression,
  routeTask,
  workflowBuilder,
} from '../dist/index.js';

function measure(name, iterations, body) {
  for (let i = 0; i < Math.min(iterations, 50_000); i++) body(i); // warm up the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  const nanoseconds = Number(process.hrtime.bigint() - start);
  const perOp = nanoseconds / iterations;
  console.log(
    `${name.padEnd(52)} ${perOp.toFixed(1).padStart(9)} ns/op ${Math.round(1e9 / perOp)
      .toLocaleString('en-US')
      .padStart(14)} ops/s`,
  );
  return perOp;
}

const typical =
  'type == "support" AND (language IN ["en", "fr", "de"] OR customer.tier == "gold") AND priority >= 5';
const attributes = { type: 'support', language: 'fr', priority: 7, customer: { tier: 'silver', id: 12345 } };
const compiled = compileExpression(typical);
let sink = 0;

measure('parseExpression (typical filter)', 200_000, () => {
  sink += parseExpression(typical).type.length;
});
measure('compiled expression, typical filter', 5_000_000, () => {
  if (compiled(attributes)) sink++;
});
const target = compileExpression('task.language IN worker.languages AND worker.level >= task.level');
const scopes = { task: { language: 'fr', level: 2 }, worker: { languages: ['en', 'fr'], level: 3 } };
measure('compiled expression, target with scopes', 5_000_000, () => {
  if (target({}, scopes)) sink++;
});

const queue = (n) => `WQ${String(n).padStart(32, '0')}`;
let builder = workflowBuilder();
for (let i = 0; i < 50; i++) {
  builder = builder
    .filter(`type == "type${i}" AND priority >= ${i % 5}`, `Filter ${i}`)
    .target(queue(i), { priority: i, timeout: 30 })
    .target({ expression: 'worker.level >= 2', timeout: 60 });
}
const config = builder.defaultFilter(queue(99)).build();
compileWorkflow(config);
// Types 0..59: most tasks match somewhere among the 50 filters (on average halfway), a sixth fall to the default.
const tasks = Array.from({ length: 1024 }, (_, i) => ({ type: `type${(i * 7) % 60}`, priority: i % 10 }));
const perRoute = measure('routeTask, 50 filters', 2_000_000, (i) => {
  sink += routeTask(config, tasks[i & 1023]).kind.length;
});
console.log(
  `routeTask throughput: ${Math.round(1e9 / perRoute).toLocaleString('en-US')} tasks/s on one core`,
);
if (sink === 42) console.log('');
