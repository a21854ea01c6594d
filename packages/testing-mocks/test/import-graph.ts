import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The layers of `src`, lowest first. A file may import files of its own layer and of the layers
 * below it, never above.
 */
export const LAYERS: readonly { readonly name: string; readonly paths: readonly string[] }[] = [
  { name: 'domain', paths: ['domain/'] },
  { name: 'render', paths: ['render/'] },
  { name: 'routing', paths: ['routing/'] },
  { name: 'rest', paths: ['rest/'] },
  { name: 'adapters', paths: ['adapters/'] },
  { name: 'emulator', paths: ['emulator.ts', 'emulator/'] },
  { name: 'verify', paths: ['verify/'] },
  { name: 'entry points', paths: ['index.ts', 'msw.ts', 'vitest.ts', 'cli.ts'] },
];

/** Relative file path (from `src`, with `/`) → the relative files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Reads the import, export-from and dynamic import statements of every `.ts` file below `root`. */
export function readImportGraph(root: string): ImportGraph {
  const graph = new Map<string, string[]>();
  const visit = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts')) {
        const { importedFiles } = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
        const targets = importedFiles
          .map((imported) => imported.fileName)
          .filter((specifier) => specifier.startsWith('.'))
          .map((specifier) => toKey(root, resolve(dirname(path), specifier.replace(/\.js$/, '.ts'))));
        graph.set(toKey(root, path), targets);
      }
    }
  };
  visit(root);
  return graph;
}

function toKey(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}

/** The index in {@link LAYERS} of the layer a file belongs to, or -1. */
export function layerOf(file: string): number {
  return LAYERS.findIndex((layer) =>
    layer.paths.some((path) => (path.endsWith('/') ? file.startsWith(path) : file === path)),
  );
}

/** Files in no layer, and imports from a lower layer into a higher one, each named. */
export function layerViolations(graph: ImportGraph): string[] {
  const problems: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    if (from < 0) {
      problems.push(`${file} is in no layer`);
      continue;
    }
    for (const target of targets) {
      const to = layerOf(target);
      if (!graph.has(target)) problems.push(`${file} imports ${target}, which does not exist`);
      else if (to > from) {
        problems.push(
          `${file} (${LAYERS[from]!.name}) imports ${target} (${LAYERS[to]!.name}), a higher layer`,
        );
      }
    }
  }
  return problems;
}

/** Every import cycle (strongly connected component of more than one file, or a self-import), as file lists. */
export function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm: each component found is a set of files that reach each other.
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const connect = (file: string): void => {
    index.set(file, counter);
    lowLink.set(file, counter);
    counter++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        connect(target);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(target)!));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(target)!));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file);
  return cycles;
}
