import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { toMermaid } from '@taskrouter/workflow-builder';
import { describe, expect, test } from 'vitest';
import { fillGeneratedBlocks } from './markdown.ts';
import { typeCheck } from './typecheck.ts';

const docs = path.resolve(import.meta.dirname, '../../docs');
const read = (file: string) => readFileSync(path.join(docs, file), 'utf8');
// Loaded by path: the docs examples are a project of their own, outside this one's rootDir.
const { supportWorkflow } = await import(path.join(docs, 'examples/support-workflow.ts'));

describe('generated blocks', () => {
  test('replace the announced code blocks and nothing else', () => {
    const page = [
      '# Page',
      '<!-- generated: a.ts -->',
      '```ts',
      'old',
      'lines',
      '```',
      'text',
      '```ts',
      'kept',
      '```',
    ];
    expect(fillGeneratedBlocks(page.join('\n'), { 'a.ts': 'new\n' })).toBe(
      ['# Page', '<!-- generated: a.ts -->', '```ts', 'new', '```', 'text', '```ts', 'kept', '```'].join(
        '\n',
      ),
    );
  });

  test('fail on an unknown name, an unused source or a missing fence', () => {
    const page = '<!-- generated: a.ts -->\n```ts\n```';
    expect(() => fillGeneratedBlocks(page, {})).toThrow("no source for the generated block 'a.ts'");
    expect(() => fillGeneratedBlocks(page, { 'a.ts': '', 'b.ts': '' })).toThrow(
      'no generated block for b.ts',
    );
    expect(() => fillGeneratedBlocks('<!-- generated: a.ts -->\ntext', { 'a.ts': '' })).toThrow(
      'a code fence',
    );
  });
});

describe('documentation pages', () => {
  test('the examples type-check', () => {
    expect(typeCheck(path.join(docs, 'tsconfig.json'))).toEqual([]);
  });

  test.each([
    [
      'testing-guide.md',
      {
        'examples/assignment-handler.ts': read('examples/assignment-handler.ts'),
        'examples/assignment-handler.test.ts': read('examples/assignment-handler.test.ts'),
      },
    ],
    [
      'agent-desk.md',
      Object.fromEntries(
        ['server.ts', 'session.ts', 'desk.ts', 'agent-desk.test.ts'].map((file) => [
          `examples/agent-desk/${file}`,
          read(`examples/agent-desk/${file}`),
        ]),
      ),
    ],
    [
      'workflow-diagram.md',
      {
        'examples/support-workflow.ts': read('examples/support-workflow.ts'),
        'toMermaid(supportWorkflow)': toMermaid(supportWorkflow),
      },
    ],
  ])('%s shows the current examples (update with -u)', async (page, sources) => {
    await expect(fillGeneratedBlocks(read(page), sources)).toMatchFileSnapshot(path.join(docs, page));
  });
});
