import type {
  ComparisonOperator,
  Expression,
  KeyOperand,
  KeySegment,
  LogicalOperator,
  Operand,
  ScalarValue,
} from './ast.js';
import { ExpressionSyntaxError } from './syntax-error.js';

/**
 * Longest expression source {@link parseExpression} accepts, in characters. Real expressions are a
 * few hundred characters at most; the cap keeps hostile input from costing time or memory.
 */
export const MAX_EXPRESSION_LENGTH = 32_768;

/** Deepest parenthesis nesting {@link parseExpression} accepts; deeper input is rejected, not recursed into. */
export const MAX_EXPRESSION_DEPTH = 32;

type Token =
  | { readonly kind: 'key'; readonly path: KeySegment[]; readonly start: number; readonly end: number }
  | { readonly kind: 'literal'; readonly value: ScalarValue; readonly start: number; readonly end: number }
  | {
      readonly kind: 'operator';
      readonly operator: ComparisonOperator;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: 'logical';
      readonly operator: LogicalOperator;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: '(' | ')' | '[' | ']' | ',' | 'end';
      readonly start: number;
      readonly end: number;
    };

const SYMBOL_OPERATORS: ReadonlyArray<readonly [string, ComparisonOperator]> = [
  // Longest spellings first so `>=` is not read as `>` followed by `=`.
  ['==', '=='],
  ['!=', '!='],
  ['>=', '>='],
  ['<=', '<='],
  ['>-', 'HAS'],
  ['<-', 'IN'],
  ['=', '=='],
  ['>', '>'],
  ['<', '<'],
];

const WORD_OPERATORS: Readonly<Record<string, ComparisonOperator>> = {
  CONTAINS: 'CONTAINS',
  HAS: 'HAS',
  IN: 'IN',
};

const WORD_CONSTANTS: Readonly<Record<string, ScalarValue>> = { TRUE: true, FALSE: false, NULL: null };

/** Words that are never read as the first segment of a key, whatever their case. */
export const EXPRESSION_KEYWORDS: ReadonlySet<string> = new Set([
  'AND',
  'OR',
  'NOT',
  'IN',
  'HAS',
  'CONTAINS',
  'TRUE',
  'FALSE',
  'NULL',
]);

const HYPHEN_REASON =
  "hyphens are not allowed outside quoted strings, because TaskRouter reads '-' as subtraction, which " +
  'expressions do not support (rename the attribute, e.g. skill_level, or quote the value)';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isWordStart = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isWordPart = (c: string | undefined): boolean => isWordStart(c) || isDigit(c);
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Token kinds after which a `-` followed by a digit starts a negative number rather than a subtraction. */
const NEGATIVE_NUMBER_CONTEXT = new Set(['operator', 'logical', '(', '[', ',']);

function describe(source: string, start: number, end: number): string {
  if (start >= source.length) return 'end of input';
  const text = source.slice(start, Math.max(end, start + 1));
  return JSON.stringify(text.length > 30 ? `${text.slice(0, 30)}…` : text);
}

class Lexer {
  private position = 0;
  readonly tokens: Token[] = [];

  constructor(private readonly source: string) {}

  private fail(expected: string, start: number, end = start + 1, reason?: string): never {
    throw new ExpressionSyntaxError(
      { source: this.source, position: start, expected, found: describe(this.source, start, end) },
      reason,
    );
  }

  run(): Token[] {
    const src = this.source;
    for (;;) {
      while (isSpace(src[this.position])) this.position++;
      const start = this.position;
      const c = src[start];
      if (c === undefined) {
        this.tokens.push({ kind: 'end', start, end: start });
        return this.tokens;
      }
      if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',') {
        this.position++;
        this.tokens.push({ kind: c, start, end: this.position });
      } else if (c === '"' || c === "'") {
        this.readString(c);
      } else if (isDigit(c)) {
        this.readNumber(start);
      } else if (c === '-') {
        const previous = this.tokens.at(-1);
        if (
          isDigit(src[start + 1]) &&
          (previous === undefined || NEGATIVE_NUMBER_CONTEXT.has(previous.kind))
        ) {
          this.position++;
          this.readNumber(start);
        } else {
          this.fail('an operand or operator', start, start + 1, HYPHEN_REASON);
        }
      } else if (isWordStart(c)) {
        this.readWord(start);
      } else if ((c === '&' || c === '|') && src[start + 1] === c) {
        this.position += 2;
        this.tokens.push({ kind: 'logical', operator: c === '&' ? 'AND' : 'OR', start, end: this.position });
      } else {
        const symbol = SYMBOL_OPERATORS.find(([spelling]) => src.startsWith(spelling, start));
        if (symbol === undefined) this.fail('an operand, operator or parenthesis', start);
        this.position += symbol[0].length;
        this.tokens.push({ kind: 'operator', operator: symbol[1], start, end: this.position });
      }
    }
  }

  private readString(quote: string): void {
    const src = this.source;
    const start = this.position;
    let value = '';
    let i = start + 1;
    for (;;) {
      // Copy runs of ordinary characters in one slice; only quotes and backslashes need attention.
      let runEnd = i;
      while (runEnd < src.length && src[runEnd] !== quote && src[runEnd] !== '\\') runEnd++;
      value += src.slice(i, runEnd);
      i = runEnd;
      const c = src[i];
      if (c === undefined) this.fail(`a closing ${quote} for the string started at ${start}`, i);
      if (c === quote) break;
      // A backslash escapes a quote or another backslash; before anything else it is kept as written.
      const next = src[i + 1];
      if (next === quote || next === '\\') {
        value += next;
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    this.position = i + 1;
    this.tokens.push({ kind: 'literal', value, start, end: this.position });
  }

  private readNumber(start: number): void {
    const src = this.source;
    let i = this.position;
    while (isDigit(src[i])) i++;
    if (src[i] === '.' && isDigit(src[i + 1])) {
      i++;
      while (isDigit(src[i])) i++;
    }
    if (src[i] === 'e' || src[i] === 'E') {
      let j = i + 1;
      if (src[j] === '+' || src[j] === '-') j++;
      if (isDigit(src[j])) {
        while (isDigit(src[j])) j++;
        i = j;
      }
    }
    const value = Number(src.slice(start, i));
    if (!Number.isFinite(value)) this.fail('a finite number', start, i);
    this.position = i;
    this.tokens.push({ kind: 'literal', value, start, end: i });
    this.rejectHyphenAfterValue();
  }

  private readIdentifier(): string {
    const src = this.source;
    const start = this.position;
    while (isWordPart(src[this.position])) this.position++;
    return src.slice(start, this.position);
  }

  private readWord(start: number): void {
    const src = this.source;
    const word = this.readIdentifier();
    const upper = word.toUpperCase();
    if (EXPRESSION_KEYWORDS.has(upper)) {
      this.readKeyword(upper, start);
      return;
    }
    const path: KeySegment[] = [word];
    for (;;) {
      const c = src[this.position];
      if (c === '.') {
        this.position++;
        if (!isWordStart(src[this.position])) this.fail('a property name after "."', this.position);
        path.push(this.readIdentifier());
      } else if (c === '[' && isDigit(src[this.position + 1])) {
        const indexStart = this.position + 1;
        let i = indexStart;
        while (isDigit(src[i])) i++;
        if (src[i] !== ']') this.fail('"]" to close the array index', i);
        const index = Number(src.slice(indexStart, i));
        if (!Number.isSafeInteger(index))
          this.fail('an array index that fits in a safe integer', indexStart, i);
        path.push(index);
        this.position = i + 1;
      } else {
        break;
      }
    }
    this.tokens.push({ kind: 'key', path, start, end: this.position });
    this.rejectHyphenAfterValue();
  }

  private readKeyword(upper: string, start: number): void {
    const end = this.position;
    if (upper === 'AND' || upper === 'OR') {
      this.tokens.push({ kind: 'logical', operator: upper, start, end });
    } else if (upper === 'NOT') {
      while (isSpace(this.source[this.position])) this.position++;
      const inStart = this.position;
      const next = this.readIdentifier();
      if (next.toUpperCase() !== 'IN')
        this.fail('IN after NOT', inStart, Math.max(this.position, inStart + 1));
      this.tokens.push({ kind: 'operator', operator: 'NOT IN', start, end: this.position });
    } else if (upper in WORD_OPERATORS) {
      this.tokens.push({ kind: 'operator', operator: WORD_OPERATORS[upper]!, start, end });
    } else {
      this.tokens.push({ kind: 'literal', value: WORD_CONSTANTS[upper]!, start, end });
      this.rejectHyphenAfterValue();
    }
  }

  /** `skill-level` or `5-3`: a hyphen glued to a value can only be meant as part of a name or a subtraction. */
  private rejectHyphenAfterValue(): void {
    if (this.source[this.position] === '-') {
      this.fail(
        'an operator, AND, OR or the end of the condition',
        this.position,
        this.position + 1,
        HYPHEN_REASON,
      );
    }
  }
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    // The lexer always ends the list with an `end` token and the parser never reads past it.
    return this.tokens[this.index]!;
  }

  private fail(expected: string, token = this.peek()): never {
    throw new ExpressionSyntaxError({
      source: this.source,
      position: token.start,
      expected,
      found: describe(this.source, token.start, token.end),
    });
  }

  parse(): Expression {
    const expression = this.parseLogical('OR');
    if (this.peek().kind !== 'end') this.fail('AND, OR or the end of the expression');
    return expression;
  }

  private parseLogical(operator: LogicalOperator): Expression {
    const parseOperand = operator === 'OR' ? () => this.parseLogical('AND') : () => this.parseCondition();
    const first = parseOperand();
    const operands: Expression[] = [first];
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'logical' || token.operator !== operator) break;
      this.index++;
      operands.push(parseOperand());
    }
    return operands.length === 1 ? first : { type: 'logical', operator, operands };
  }

  private parseCondition(): Expression {
    const token = this.peek();
    if (token.kind === '(') {
      if (this.depth >= MAX_EXPRESSION_DEPTH) {
        this.fail(`at most ${MAX_EXPRESSION_DEPTH} levels of nested parentheses`);
      }
      this.index++;
      this.depth++;
      const inner = this.parseLogical('OR');
      if (this.peek().kind !== ')') this.fail('AND, OR or ")"');
      this.index++;
      this.depth--;
      return inner;
    }
    const left = this.parseOperand('a condition (an operand or "(")');
    const operator = this.peek();
    if (operator.kind !== 'operator') this.fail('a comparison operator');
    this.index++;
    const right = this.parseOperand('an operand after the operator');
    return { type: 'comparison', operator: operator.operator, left, right };
  }

  private parseOperand(expected: string): Operand {
    const token = this.peek();
    if (token.kind === 'key') {
      this.index++;
      return { type: 'key', path: token.path } satisfies KeyOperand;
    }
    if (token.kind === 'literal') {
      this.index++;
      return { type: 'literal', value: token.value };
    }
    if (token.kind !== '[') this.fail(expected);
    this.index++;
    const elements: ScalarValue[] = [];
    for (;;) {
      const element = this.peek();
      if (element.kind !== 'literal') this.fail('a constant in the array');
      elements.push(element.value);
      this.index++;
      const separator = this.peek();
      this.index++;
      if (separator.kind === ']') return { type: 'array', elements };
      if (separator.kind !== ',') this.fail('"," or "]"', separator);
    }
  }
}

/**
 * Parses a TaskRouter expression into its syntax tree.
 *
 * Accepts single- or double-quoted strings (a backslash escapes the quote or a backslash), integers
 * and decimals (optionally negative or with an exponent), `true`, `false`, `null`, arrays of constants,
 * dotted keys with `[n]` indexes, the comparison operators `==` (alias `=`), `!=`, `>`, `>=`, `<`, `<=`,
 * `CONTAINS`, `HAS` (alias `>-`), `IN` (alias `<-`) and `NOT IN`, the joiners `AND` (`&&`) and `OR`
 * (`||`), where `AND` binds tighter than `OR`, and parentheses. Keywords are case-insensitive.
 *
 * @param source - the expression text
 * @returns the syntax tree; operator aliases are normalised to their canonical spelling
 * @throws {@link ExpressionSyntaxError} with the position and what was expected, for any invalid
 * input, including hyphens outside quoted strings, sources longer than {@link MAX_EXPRESSION_LENGTH}
 * and parentheses nested deeper than {@link MAX_EXPRESSION_DEPTH}
 *
 * @example
 * ```ts
 * const ast = parseExpression("type == 'support' AND language IN ['en', 'fr']");
 * ast.type; // 'logical'
 * ```
 */
export function parseExpression(source: string): Expression {
  return new Parser(source, tokenize(source)).parse();
}

function tokenize(source: string): Token[] {
  if (typeof source !== 'string') {
    throw new ExpressionSyntaxError({
      source: String(source),
      position: 0,
      expected: 'an expression string',
      found: source === null ? 'null' : typeof source,
    });
  }
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionSyntaxError({
      source,
      position: MAX_EXPRESSION_LENGTH,
      expected: `at most ${MAX_EXPRESSION_LENGTH} characters`,
      found: `${source.length} characters`,
    });
  }
  return new Lexer(source).run();
}

/**
 * Parses a lone attribute reference such as `task.agent_sid` (the form `known_worker_sid` takes).
 * @internal
 */
export function parseKeyReference(source: string): KeyOperand {
  const [first, second] = tokenize(source);
  if (first?.kind === 'key' && second?.kind === 'end') return { type: 'key', path: first.path };
  const token = first?.kind === 'key' ? second : first;
  const position = token?.start ?? 0;
  throw new ExpressionSyntaxError({
    source,
    position,
    expected:
      first?.kind === 'key' ? 'the end of the reference' : 'an attribute reference such as task.agent_sid',
    found: describe(source, position, token?.end ?? position),
  });
}
