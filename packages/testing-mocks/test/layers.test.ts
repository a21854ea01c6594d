import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { importCycles, LAYERS, layerViolations, readImportGraph } from './import-graph.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

describe('the layers of src', () => {
  const graph = readImportGraph(SRC);

  test('every import goes to the same layer or a lower one', () => {
    expect(graph.size).toBeGreaterThan(40);
    expect(layerViolations(graph)).toEqual([]);
  });

  test('no file takes part in an import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  test('the domain imports nothing above it, and entry points are the only files at the top of src', () => {
    for (const [file, targets] of graph) {
      if (file.startsWith('domain/')) for (const target of targets) expect(target).toMatch(/^domain\//);
      if (!file.includes('/'))
        expect(['index.ts', 'msw.ts', 'vitest.ts', 'cli.ts', 'emulator.ts']).toContain(file);
    }
  });
});

describe('the types of src', () => {
  test('are never silenced with `as never` or `as unknown as`', () => {
    const silenced = [...readImportGraph(SRC).keys()].filter((file) =>
      /\bas (never|unknown as)\b/.test(readFileSync(join(SRC, file), 'utf8')),
    );
    expect(silenced).toEqual([]);
  });
});

describe('the import graph check', () => {
  test('names the files of an import against the layer order', () => {
    const graph = new Map([
      ['domain/state.ts', ['rest/handlers/workflows.ts']],
      ['rest/handlers/workflows.ts', ['domain/state.ts']],
      ['loose.ts', []],
    ]);
    expect(layerViolations(graph)).toEqual([
      'domain/state.ts (domain) imports rest/handlers/workflows.ts (rest), a higher layer',
      'loose.ts is in no layer',
    ]);
  });

  test('names every file of a cycle, also within one layer', () => {
    const graph = new Map([
      ['rest/context.ts', ['rest/paging.ts']],
      ['rest/paging.ts', ['rest/dispatch.ts']],
      ['rest/dispatch.ts', ['rest/context.ts', 'domain/state.ts']],
      ['domain/state.ts', []],
      ['domain/clock.ts', ['domain/clock.ts']],
    ]);
    expect(importCycles(graph)).toEqual([
      ['domain/clock.ts'],
      ['rest/context.ts', 'rest/dispatch.ts', 'rest/paging.ts'],
    ]);
  });

  test('reads type-only imports, re-exports and dynamic imports', () => {
    const graph = readImportGraph(SRC);
    const index = graph.get('index.ts') ?? [];
    expect(index).toContain('emulator/types.ts');
    expect(LAYERS.map((layer) => layer.name)).toContain('adapters');
  });
});
