import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as testingMocks from '@taskrouter/testing-mocks';
import * as workflowBuilder from '@taskrouter/workflow-builder';
import { transform } from 'esbuild';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import * as resources from '../src/index.js';
import * as webhooks from '../src/webhooks.js';

const packageDir = new URL('..', import.meta.url);

interface Snippet {
  name: string;
  code: string;
}

/** The ```ts blocks of the README. */
function readmeSnippets(): Snippet[] {
  const readme = readFileSync(new URL('README.md', packageDir), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match, index) => ({
    name: `README example ${index + 1}`,
    code: match[1] ?? '',
  }));
}

/** The ```ts blocks of the `@example` tags in the sources' doc comments. */
function docSnippets(): Snippet[] {
  const sourceDir = new URL('src/', packageDir);
  return readdirSync(fileURLToPath(sourceDir))
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const source = readFileSync(new URL(file, sourceDir), 'utf8');
      return [...source.matchAll(/\/\*\*([\s\S]*?)\*\//g)].flatMap((comment) => {
        const text = (comment[1] ?? '').replace(/^[ \t]*\* ?/gm, '');
        const example = /@example\s*\n```ts\n([\s\S]*?)```/.exec(text);
        const line = source.slice(0, comment.index).split('\n').length;
        return example?.[1] ? [{ name: `${file}:${line}`, code: example[1] }] : [];
      });
    });
}

/** Everything a snippet may import, by name. */
const library: Record<string, unknown> = { ...workflowBuilder, ...testingMocks, ...resources, ...webhooks };

/**
 * A fresh emulator with a FIFO workspace, an offline worker and a task reserved for it (through
 * the emulator's seeding helper), exposed under the names the examples use.
 */
async function exampleScope(emulator: ReturnType<typeof testingMocks.createEmulator>) {
  const { accountSid, authToken } = emulator.credentials;
  const client = new resources.TaskRouterClient({ accountSid, authToken, fetch: emulator.fetch });
  const workspace = await client.workspaces.create({ friendlyName: 'Customer Support', template: 'FIFO' });
  const workspaceSid = workspace.sid;
  const [workflow] = await client.workflows(workspaceSid).list().toArray();
  const [taskQueue] = await client.taskQueues(workspaceSid).list().toArray();
  const [unavailable] = await client.activities(workspaceSid).list({ friendlyName: 'Unavailable' }).toArray();
  const worker = await client.workers(workspaceSid).create({
    friendlyName: 'Example Worker',
    attributes: { languages: ['en'] },
  });
  const task = await client
    .tasks(workspaceSid)
    .create({ workflowSid: workflow?.sid, attributes: { type: 'support' } });
  const reservation = emulator.seed.reservation(workspaceSid, { taskSid: task.sid, workerSid: worker.sid });
  return {
    accountSid,
    authToken,
    baseUrl: emulator.baseUrl,
    fetch: emulator.fetch,
    client,
    api: client.api,
    workspaceSid,
    workflowSid: workflow?.sid,
    taskQueueSid: taskQueue?.sid,
    activitySid: unavailable?.sid,
    workerSid: worker.sid,
    taskSid: task.sid,
    reservationSid: reservation.sid,
  };
}

/** Runs a TypeScript snippet with the library and the scope in reach; what it logs is dropped. */
async function run(code: string, scope: Record<string, unknown>): Promise<void> {
  const withoutImports = code.replace(/^import[\s\S]*?from\s+['"][^'"]+['"];?$/gm, '');
  const { code: script } = await transform(withoutImports, { loader: 'ts', format: 'esm' });
  const names = { ...library, ...scope, console: { log: () => {} } };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  // The inner block lets a snippet declare a name the scope already provides.
  await new AsyncFunction(...Object.keys(names), `{\n${script}\n}`)(...Object.values(names));
}

/** The package's entry points: source module and the specifier users import. */
const ENTRY_POINTS = [
  { file: 'src/index.ts', module: '../src/index.js', specifier: '@taskrouter/resources', values: resources },
  {
    file: 'src/webhooks.ts',
    module: '../src/webhooks.js',
    specifier: '@taskrouter/resources/webhooks',
    values: webhooks,
  },
] as const;

/** Names exported by the package's entry points, types included, with the module to import each from. */
function exportedNames(): Map<string, (typeof ENTRY_POINTS)[number]> {
  const names = new Map<string, (typeof ENTRY_POINTS)[number]>();
  for (const entry of ENTRY_POINTS) {
    const index = readFileSync(new URL(entry.file, packageDir), 'utf8');
    for (const block of index.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
      for (const raw of (block[1] ?? '').split(',')) {
        const name = raw.replace(/^\s*type\s+/, '').trim();
        if (name && !names.has(name)) names.set(name, entry);
      }
    }
  }
  return names;
}

/** What the examples may use without declaring it, as the documentation presumes. */
const SCOPE_DECLARATIONS = `
import type { createTaskRouterClient, TaskRouterClient } from '../src/index.js';
declare global {
  const client: TaskRouterClient;
  const api: ReturnType<typeof createTaskRouterClient>;
  const accountSid: string;
  const authToken: string;
  const baseUrl: string;
  const workspaceSid: string;
  const workflowSid: string;
  const taskQueueSid: string;
  const activitySid: string;
  const workerSid: string;
  const taskSid: string;
  const reservationSid: string;
}
export {};
`;

/**
 * Type-checks every snippet as its own module, with the package's exports imported where a
 * snippet uses them without importing them itself; returns the compiler's complaints.
 */
function typeErrors(snippets: Snippet[]): string[] {
  const testDir = fileURLToPath(new URL('.', import.meta.url));
  const names = exportedNames();
  const files = new Map<string, string>([[join(testDir, 'example-scope.d.ts'), SCOPE_DECLARATIONS]]);
  const snippetByFile = new Map<string, string>();
  snippets.forEach((snippet, index) => {
    const code = ENTRY_POINTS.reduce(
      (text, entry) => text.replaceAll(`'${entry.specifier}'`, `'${entry.module}'`),
      snippet.code,
    );
    const declared = new Set(
      [...code.matchAll(/\b(?:const|let|function|class|interface|type|import\s*\{[^}]*)\s*\b(\w+)/g)].map(
        (m) => m[1],
      ),
    );
    for (const block of code.matchAll(/import\s*\{([^}]*)\}/g)) {
      for (const name of (block[1] ?? '').split(',')) declared.add(name.trim());
    }
    const header = ENTRY_POINTS.map((entry) => {
      const used = [...names]
        .filter(
          ([name, from]) => from === entry && !declared.has(name) && new RegExp(`\\b${name}\\b`).test(code),
        )
        .map(([name]) => (name in entry.values ? name : `type ${name}`));
      return used.length > 0 ? `import { ${used.join(', ')} } from '${entry.module}';\n` : '';
    }).join('');
    const file = join(testDir, `example-${index}.ts`);
    files.set(file, `${header}${code}\nexport {};\n`);
    snippetByFile.set(file, snippet.name);
  });
  const configPath = fileURLToPath(new URL('tsconfig.json', packageDir));
  const config = ts.parseJsonConfigFileContent(
    ts.readConfigFile(configPath, ts.sys.readFile).config,
    ts.sys,
    fileURLToPath(packageDir),
  );
  const options = { ...config.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists(file);
  host.readFile = (file) => files.get(file) ?? readFile(file);
  host.getSourceFile = (file, language, ...rest) => {
    const text = files.get(file);
    return text === undefined
      ? getSourceFile(file, language, ...rest)
      : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file && files.has(diagnostic.file.fileName))
    .map((diagnostic) => {
      const where = snippetByFile.get(diagnostic.file?.fileName ?? '') ?? 'scope';
      return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('documentation examples run against the emulator', () => {
  const snippets = [...readmeSnippets(), ...docSnippets()];

  // One compiler program over every snippet: seconds of work, more on a busy machine.
  it('type-check against the public API', { timeout: 120_000 }, () => {
    expect(typeErrors(snippets)).toEqual([]);
  });

  it('finds the README examples and an example on every method kind and standalone function', () => {
    expect(readmeSnippets().length).toBeGreaterThanOrEqual(10);
    expect(docSnippets().length).toBeGreaterThanOrEqual(40);
  });

  it.each(snippets.map((snippet) => [snippet.name, snippet] as const))('%s', async (_name, snippet) => {
    const emulator = testingMocks.createEmulator();
    // Examples that build a client without a fetch reach the emulator through the global one.
    globalThis.fetch = emulator.fetch as typeof fetch;
    await run(snippet.code, await exampleScope(emulator));
  });
});
