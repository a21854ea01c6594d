// @ts-check
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { JSX, MarkdownEvent, RendererEvent } from 'typedoc';

/** Where the site keeps its own copy of Mermaid, relative to the output directory. */
export const mermaidAssetUrl = 'assets/mermaid.min.js';

/** The browser bundle of the Mermaid version pinned in the root `package.json`. */
export const mermaidBundlePath = createRequire(new URL('../package.json', import.meta.url)).resolve(
  'mermaid/dist/mermaid.min.js',
);

/**
 * Whether rendered Markdown holds a fenced mermaid block (TypeDoc highlights one as
 * `<pre><code class="mermaid">`).
 *
 * @param {string} html
 */
export function containsMermaidBlock(html) {
  return html.includes('<code class="mermaid">');
}

/**
 * Runs in the browser once the page is parsed: swaps each highlighted mermaid block for a
 * `<div class="mermaid">` holding its source, then draws the diagrams in the site's light or dark
 * theme, again whenever the reader switches theme.
 */
function drawMermaidBlocks() {
  const diagrams = Array.from(document.querySelectorAll('pre > code.mermaid'), (code) => {
    // The highlighter separates lines with <br>, which has no text of its own.
    for (const lineBreak of code.querySelectorAll('br')) lineBreak.replaceWith('\n');
    const diagram = document.createElement('div');
    diagram.className = 'mermaid';
    diagram.dataset.source = code.textContent ?? '';
    code.parentElement?.replaceWith(diagram);
    return diagram;
  });
  const root = document.documentElement;
  const darkScheme = matchMedia('(prefers-color-scheme: dark)');
  /** @type {string | undefined} */
  let drawnTheme;
  const redraw = () => {
    // The site hides the body while it loads, and Mermaid measures text as it draws.
    if (document.body.style.display === 'none') return;
    const siteTheme = root.dataset.theme;
    const dark = siteTheme === 'dark' || (siteTheme !== 'light' && darkScheme.matches);
    const theme = dark ? 'dark' : 'default';
    if (theme === drawnTheme) return;
    drawnTheme = theme;
    for (const diagram of diagrams) {
      diagram.removeAttribute('data-processed');
      diagram.textContent = diagram.dataset.source ?? '';
    }
    // @ts-expect-error the global that mermaid.min.js defines
    const { mermaid } = window;
    mermaid.initialize({ startOnLoad: false, theme });
    mermaid.run({ nodes: diagrams });
  };
  const observer = new MutationObserver(redraw);
  observer.observe(document.body, { attributes: true, attributeFilter: ['style'] });
  observer.observe(root, { attributes: true, attributeFilter: ['data-theme'] });
  darkScheme.addEventListener('change', redraw);
  redraw();
}

/**
 * The tags a page with diagrams ends with: Mermaid itself, loaded from the site, and the code that
 * draws the page's mermaid blocks with it.
 *
 * @param {string} mermaidUrl URL of the Mermaid bundle relative to the page.
 */
export function mermaidScripts(mermaidUrl) {
  return JSX.createElement(
    JSX.Fragment,
    null,
    JSX.createElement('script', { defer: true, src: mermaidUrl }),
    JSX.createElement(
      'script',
      null,
      // Deferred scripts run before DOMContentLoaded, so Mermaid is loaded by then.
      JSX.createElement(JSX.Raw, {
        html: `document.addEventListener("DOMContentLoaded", ${drawMermaidBlocks});`,
      }),
    ),
  );
}

/**
 * Draws the mermaid code blocks of the guides as diagrams in the generated site, with no network
 * needed to view it: Mermaid is copied into the site's assets, and only pages that contain a
 * mermaid block load it.
 *
 * @param {import('typedoc').Application} app
 */
export function load(app) {
  /** @type {Set<unknown>} */
  const pagesWithDiagrams = new Set();

  // Runs after TypeDoc's own listener has turned the Markdown into HTML.
  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      if (containsMermaidBlock(event.parsedText)) pagesWithDiagrams.add(event.page);
    },
    -100,
  );

  // A page's content is rendered before its body.end hook is asked for, so the set is up to date.
  app.renderer.hooks.on('body.end', (context) =>
    pagesWithDiagrams.has(context.page)
      ? mermaidScripts(context.relativeURL(mermaidAssetUrl, true))
      : JSX.createElement(JSX.Fragment, null),
  );

  app.renderer.on(RendererEvent.END, (event) => {
    if (pagesWithDiagrams.size === 0) return;
    const target = path.join(event.outputDirectory, mermaidAssetUrl);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(mermaidBundlePath, target);
    pagesWithDiagrams.clear();
  });
}
