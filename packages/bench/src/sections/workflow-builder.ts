/** Workflow-builder throughput: compiled expression evaluation and routing over a 50-filter workflow. */
import { compileExpression, compileWorkflow, routeTask } from '@taskrouter/workflow-builder';
import { sidFor } from '../fixtures.js';
import { alternate, medianOf } from '../harness.js';
import { formatNumber, type Section } from '../report.js';
import type { BenchContext } from './context.js';

/** Expressions of typical sizes, with attributes they are evaluated against. */
export const EXPRESSIONS = [
  { name: 'small (1 comparison)', source: 'type == "support"' },
  {
    name: 'medium (3 conditions)',
    source: 'type == "support" AND language IN ["en", "fr", "de"] AND customer.tier != "bronze"',
  },
  {
    name: 'large (8 conditions, nested)',
    source:
      '(type == "support" OR type == "sales") AND language IN ["en", "fr", "de"] AND ' +
      '(customer.tier == "gold" OR customer.value > 1000) AND skills HAS "billing" AND ' +
      'blocked != true AND region CONTAINS "eu"',
  },
];

const TASK_ATTRIBUTES = {
  type: 'support',
  language: 'de',
  customer: { tier: 'gold', value: 2500 },
  skills: ['billing', 'returns'],
  blocked: false,
  region: 'eu-west',
};

const FILTER_COUNT = 50;

/** A configuration whose filter i matches tasks of `type == "t<i>"` in three languages. */
export function fiftyFilterConfiguration(): object {
  return {
    task_routing: {
      filters: Array.from({ length: FILTER_COUNT }, (_, index) => ({
        filter_friendly_name: `filter ${index}`,
        expression: `type == "t${index}" AND language IN ["en", "fr", "de"] AND priority_hint >= 0`,
        targets: [{ queue: sidFor('WQ', index + 1), timeout: 120 }, { queue: sidFor('WQ', 999) }],
      })),
      default_filter: { queue: sidFor('WQ', 1000) },
    },
  };
}

/** Tasks spread over every filter, plus some that fall through to the default. */
function routingTasks(): object[] {
  return Array.from({ length: 1024 }, (_, index) => ({
    type: `t${index % (FILTER_COUNT + 5)}`,
    language: ['en', 'fr', 'de'][index % 3],
    priority_hint: index % 7,
  }));
}

/** Runs `work` in batches until `minMs` have passed; returns nanoseconds per call. */
function timePerCall(work: (index: number) => unknown, batch: number, minMs: number): number {
  let calls = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let index = 0; index < batch; index++) if (work(index)) sink += 1;
    calls += batch;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  if (sink < 0) throw new Error('unreachable: keeps the results alive');
  return (elapsed * 1e6) / calls;
}

/** Measures evaluation time per expression and routing throughput. */
export async function measureWorkflowBuilder(context: BenchContext) {
  const minMs = context.quick ? 100 : 400;
  const compiled = EXPRESSIONS.map((expression) => compileExpression(expression.source));
  compiled.forEach((evaluate, index) => {
    if (!evaluate(TASK_ATTRIBUTES)) throw new Error(`expression ${EXPRESSIONS[index]!.name} should hold`);
  });
  const workflow = compileWorkflow(fiftyFilterConfiguration());
  const tasks = routingTasks();
  const routed = tasks.filter((task) => routeTask(workflow, task).kind === 'filter').length;
  if (routed === 0 || routed === tasks.length)
    throw new Error(`routing sample is degenerate: ${routed} routed`);

  const variants = [
    ...EXPRESSIONS.map((expression, index) => ({
      name: expression.name,
      measure: async () => ({ ns: timePerCall(() => compiled[index]!(TASK_ATTRIBUTES), 10_000, minMs) }),
    })),
    {
      name: 'routeTask, 50 filters',
      measure: async () => ({
        ns: timePerCall((index) => routeTask(workflow, tasks[index & 1023]), 1024, minMs),
      }),
    },
  ];
  const rounds = context.quick ? 3 : 5;
  const series = await alternate(variants, { rounds, warmupRounds: 1 });
  const routeNs = medianOf(series, 'routeTask, 50 filters', 'ns');
  const section: Section = {
    title: 'Workflow builder',
    description:
      `In-process, single thread. Expressions are compiled once with \`compileExpression\` and evaluated ` +
      `against one task's attributes; \`routeTask\` runs over a compiled 50-filter workflow with 1,024 tasks ` +
      `spread over every filter (${routed} match one, the rest take the default filter). ` +
      `Each sample runs for at least ${minMs} ms; medians of ${rounds} rounds.`,
    tables: [
      {
        columns: ['operation', 'time per call', 'calls per second'],
        rows: variants.map(({ name }) => {
          const ns = medianOf(series, name, 'ns');
          return [name, formatNumber(ns, 0, 'ns'), formatNumber(1e9 / ns, 0)];
        }),
      },
    ],
  };
  const worstExpressionNs = Math.max(...EXPRESSIONS.map(({ name }) => medianOf(series, name, 'ns')));
  return { section, worstExpressionNs, routesPerSecond: 1e9 / routeNs };
}
