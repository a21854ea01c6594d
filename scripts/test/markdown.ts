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
