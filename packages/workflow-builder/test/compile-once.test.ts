/**
 * Compiling a configuration read from text parses each expression once: validation already
 * parsed it, and compilation reuses that syntax tree.
 */
import { describe, expect, test, vi } from 'vitest';

const parsed = vi.hoisted(() => ({ sources: [] as string[], printed: 0 }));
vi.mock('../src/expression/print.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/expression/print.js')>();
  return {
    ...original,
    printExpression: (...args: Parameters<typeof original.printExpression>) => {
      parsed.printed++;
      return original.printExpression(...args);
    },
  };
});
vi.mock('../src/expression/parse.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/expression/parse.js')>();
  return {
    ...original,
    parseExpression: (source: string) => {
      parsed.sources.push(source);
      return original.parseExpression(source);
    },
  };
});

const { compileWorkflow, printExpression, WorkflowConfig } = await import('../src/index.js');

const QUEUE = `WQ${'a'.repeat(32)}`;
const configuration = JSON.stringify({
  task_routing: {
    filters: [
      {
        expression: 'type == "support"',
        targets: [
          { queue: QUEUE, expression: 'worker.skills HAS "support"', skip_if: 'workers.available == 0' },
          { queue: QUEUE, expression: 'task.language IN worker.languages' },
        ],
      },
    ],
    default_filter: { queue: QUEUE },
  },
});

describe('compiling a configuration', () => {
  test('parses each expression once, and prints none', () => {
    parsed.sources.length = 0;
    parsed.printed = 0;
    const workflow = compileWorkflow(configuration);
    expect(parsed.printed).toBe(0);
    expect(parsed.sources.sort()).toEqual([
      'task.language IN worker.languages',
      'type == "support"',
      'worker.skills HAS "support"',
      'workers.available == 0',
    ]);
    const [first, second] = workflow.filters[0]!.targets;
    expect(first!.expression!({}, { task: {}, worker: { skills: ['support'] } })).toBe(true);
    expect(second!.expression!({}, { task: { language: 'fr' }, worker: { languages: ['en'] } })).toBe(false);
  });

  test('a WorkflowConfig built by hand is parsed when compiled', () => {
    const built = WorkflowConfig.parse(configuration);
    parsed.sources.length = 0;
    compileWorkflow(new WorkflowConfig(built.rules, built.defaultTarget));
    expect(parsed.sources.length).toBeGreaterThanOrEqual(4);
  });

  test('the canonical source of a compiled expression is printed when read', () => {
    const workflow = compileWorkflow(configuration.replace('support', 'sales'));
    const expression = workflow.filters[0]!.expression;
    expect(expression.source).toBe(printExpression(expression.expression));
    expect(expression.source).toBe('type == "sales"');
    expect(Object.keys(expression)).toEqual(['expression', 'source']);
  });
});
