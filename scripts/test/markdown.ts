/** A fenced code block of a Markdown document. */
export interface CodeBlock {
  /** The info string's first word, lower-cased (`ts`, `sh`…); empty when the fence has none. */
  language: string;
  /** The block's text, without the fences and without the fence's indentation. */
  code: string;
  /** 1-based line of the block's first code line in the document. */
  line: number;
  /** Words of a `<!-- sample: word word -->` comment on the line before the fence. */
  directives: string[];
}

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/;
const DIRECTIVE = /^<!--\s*sample:\s*(.*?)\s*-->$/;

/** Lists the fenced code blocks of a Markdown document in order, with their positions. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index]!);
    if (!open) continue;
    const [, indent = '', fence = '', info = ''] = open;
    const body: string[] = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const line = lines[end]!;
      const close = FENCE.exec(line);
      if (close && close[2]![0] === fence[0] && close[2]!.length >= fence.length && close[3] === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    const previous =
      lines
        .slice(0, index)
        .findLast((line) => line.trim() !== '')
        ?.trim() ?? '';
    blocks.push({
      language: info.toLowerCase(),
      code: body.join('\n'),
      line: index + 2,
      directives: DIRECTIVE.exec(previous)?.[1]?.split(/\s+/).filter(Boolean) ?? [],
    });
    index = end;
  }
  return blocks;
}

const GENERATED = /^<!--\s*generated:\s*(.+?)\s*-->$/;

/**
 * Replaces the content of every code block announced by `<!-- generated: NAME -->` on the line
 * before its fence with `sources[NAME]`. Every name must be known and every source used, so a
 * renamed block or a forgotten source fails loudly.
 */
export function fillGeneratedBlocks(markdown: string, sources: Record<string, string>): string {
  const lines = markdown.split('\n');
  const unused = new Set(Object.keys(sources));
  for (let index = 0; index < lines.length; index++) {
    const name = GENERATED.exec(lines[index]!.trim())?.[1];
    if (name === undefined) continue;
    const source = sources[name];
    if (source === undefined)
      throw new Error(`line ${index + 1}: no source for the generated block '${name}'`);
    const fence = FENCE.exec(lines[index + 1] ?? '')?.[2];
    if (fence === undefined) throw new Error(`line ${index + 2}: a code fence must follow '${name}'`);
    let end = index + 2;
    while (end < lines.length && !lines[end]!.startsWith(fence)) end++;
    const content = source.replace(/\n$/, '').split('\n');
    if (content.some((line) => line.startsWith(fence)))
      throw new Error(`'${name}' contains the fence ${fence}`);
    lines.splice(index + 2, end - index - 2, ...content);
    unused.delete(name);
  }
  if (unused.size > 0) throw new Error(`no generated block for ${[...unused].join(', ')}`);
  return lines.join('\n');
}
