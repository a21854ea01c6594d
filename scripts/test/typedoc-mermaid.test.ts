import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Application, JSX, LogLevel, OptionDefaults, TSConfigReader } from 'typedoc';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const pluginPath = path.join(root, 'docs/typedoc-mermaid.mjs');
// Loaded by path: the plugin is plain JavaScript for TypeDoc, outside this project.
const plugin: {
  mermaidAssetUrl: string;
  mermaidBundlePath: string;
  containsMermaidBlock(html: string): boolean;
  mermaidScripts(mermaidUrl: string): JSX.Element;
} = await import(pluginPath);

describe('mermaid plugin parts', () => {
  test('the bundle is the browser build of the pinned Mermaid', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    const bundledManifest = path.join(path.dirname(plugin.mermaidBundlePath), '../package.json');
    expect(JSON.parse(readFileSync(bundledManifest, 'utf8')).version).toBe(manifest.devDependencies.mermaid);
    // The browser build defines a global rather than exporting a module.
    expect(readFileSync(plugin.mermaidBundlePath, 'utf8')).toContain('globalThis["mermaid"]');
  });

  test('only fenced mermaid blocks count as diagrams', () => {
    expect(
      plugin.containsMermaidBlock('<pre><code class="mermaid"><span>flowchart TD</span></code></pre>'),
    ).toBe(true);
    expect(plugin.containsMermaidBlock('<pre><code class="ts">const mermaid = 1;</code></pre>')).toBe(false);
    expect(plugin.containsMermaidBlock('<p>Draw it with <code>mermaid</code>.</p>')).toBe(false);
  });

  test('the page scripts load Mermaid from the given URL, then draw once the page is parsed', () => {
    const html = JSX.renderElement(plugin.mermaidScripts('../assets/mermaid.min.js'));
    const [loader, init, ...rest] = html.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? [];
    expect(rest).toEqual([]);
    expect(loader).toBe('<script defer src="../assets/mermaid.min.js"></script>');
    const initCode = init?.replace(/^<script>|<\/script>$/g, '') ?? '';
    expect(initCode).toMatch(
      /^document\.addEventListener\("DOMContentLoaded", function drawMermaidBlocks\(\)/,
    );
    expect(initCode).toContain('mermaid.run(');
    // The serialized function must still be valid script on its own.
    expect(() => new Function(initCode)).not.toThrow();
  });
});

describe('a site built with the plugin', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'typedoc-mermaid-'));
  const out = path.join(work, 'site');
  const warnings: string[] = [];

  beforeAll(async () => {
    writeFileSync(path.join(work, 'index.ts'), '/** The answer. */\nexport const answer = 42;\n');
    writeFileSync(
      path.join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'NodeNext', skipLibCheck: true },
        files: ['index.ts'],
      }),
    );
    writeFileSync(path.join(work, 'diagram.md'), '# Diagram\n\n```mermaid\nflowchart TD\n  a --> b\n```\n');
    writeFileSync(path.join(work, 'plain.md'), '# Plain\n\n```ts\nconst mermaid = 1;\n```\n');
    const config = (await import(path.join(root, 'typedoc.config.mjs'))).default;
    const app = await Application.bootstrapWithPlugins(
      {
        entryPoints: [path.join(work, 'index.ts')],
        tsconfig: path.join(work, 'tsconfig.json'),
        projectDocuments: [path.join(work, 'diagram.md'), path.join(work, 'plain.md')],
        name: 'Diagrams',
        readme: 'none',
        highlightLanguages: [...OptionDefaults.highlightLanguages, 'mermaid'],
        // The plugins of the real site, resolved from the root as TypeDoc does there.
        plugin: config.plugin.map((file: string) => path.resolve(root, file)),
        disableSources: true,
      },
      [new TSConfigReader()],
    );
    app.logger.log = (message, level) => {
      if (level >= LogLevel.Warn) warnings.push(message);
    };
    const project = await app.convert();
    if (!project) throw new Error(`conversion failed: ${warnings.join('\n')}`);
    await app.generateDocs(project, out);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('builds without a warning', () => {
    expect(warnings).toEqual([]);
  });

  test('loads Mermaid and the drawing code on the page with a mermaid block only', () => {
    const diagramPage = readFileSync(path.join(out, 'documents/diagram.html'), 'utf8');
    const plainPage = readFileSync(path.join(out, 'documents/plain.html'), 'utf8');
    expect(diagramPage).toContain('<script defer src="../assets/mermaid.min.js"></script>');
    expect(diagramPage).toContain('function drawMermaidBlocks()');
    expect(plainPage).not.toContain('mermaid.min.js');
    expect(plainPage).not.toContain('drawMermaidBlocks');
  });

  test('copies the Mermaid bundle into the site assets', () => {
    const copy = path.join(out, plugin.mermaidAssetUrl);
    expect(existsSync(copy)).toBe(true);
    expect(readFileSync(copy).equals(readFileSync(plugin.mermaidBundlePath))).toBe(true);
  });
});
