/**
 * The TaskRouter expression language as the emulator needs it: parse once, evaluate many times
 * against attribute documents. Every expression check of the emulator goes through this module.
 */

/** Reads a value at a key path such as `languages[0]` or `task.skills`; missing keys give null. */
export type KeyResolver = (path: readonly (string | number)[]) => unknown;

/** A parsed expression, ready to evaluate. */
export interface CompiledExpression {
  /** The source text. */
  readonly text: string;
  /** Every key path the expression reads, as written (e.g. `task.type`). */
  readonly keys: readonly string[];
  /** Evaluates the expression; values missing from the resolver count as null. */
  evaluate(resolve: KeyResolver): boolean;
}

/** Thrown for text that is not a valid expression. */
export class ExpressionSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} at position ${position}`);
    this.name = 'ExpressionSyntaxError';
  }
}

type Token =
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'word'; value: string; at: number }
  | { kind: 'punct'; value: string; at: number }
  | { kind: 'end'; at: number };

type Operand = (resolve: KeyResolver) => unknown;
type Predicate = (resolve: KeyResolver) => boolean;

const cache = new Map<string, CompiledExpression>();
const CACHE_LIMIT = 2000;

/** Parses `text` (cached), throwing {@link ExpressionSyntaxError} when it is not an expression. */
export function compileExpression(text: string): CompiledExpression {
  const cached = cache.get(text);
  if (cached) return cached;
  const parser = new Parser(text);
  const predicate = parser.parse();
  const compiled: CompiledExpression = { text, keys: parser.keys, evaluate: predicate };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, compiled);
  return compiled;
}

/** A resolver over one JSON document (keys without any `task.`/`worker.` prefix). */
export function documentResolver(document: unknown): KeyResolver {
  return (path) => readPath(document, path, 0);
}

/** Follows `path` from `start` inside `value`; anything missing is null. */
export function readPath(value: unknown, path: readonly (string | number)[], start: number): unknown {
  let current = value;
  for (let index = start; index < path.length; index++) {
    if (current === null || typeof current !== 'object') return null;
    const key = path[index]!;
    current = (current as Record<string | number, unknown>)[key];
    if (current === undefined) return null;
  }
  return current === undefined ? null : current;
}

const WORD_OPERATORS = new Set(['CONTAINS', 'HAS', 'IN']);
const COMPARISONS = new Set(['==', '=', '!=', '>', '>=', '<', '<=', '>-', '<-']);

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  readonly keys: string[] = [];

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  parse(): Predicate {
    if (this.peek().kind === 'end') throw new ExpressionSyntaxError('empty expression', 0);
    const predicate = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== 'end') throw new ExpressionSyntaxError(`unexpected ${describe(rest)}`, rest.at);
    return predicate;
  }

  private parseOr(): Predicate {
    const parts = [this.parseAnd()];
    while (this.acceptWord('OR') || this.acceptPunct('||')) parts.push(this.parseAnd());
    if (parts.length === 1) return parts[0]!;
    return (resolve) => parts.some((part) => part(resolve));
  }

  private parseAnd(): Predicate {
    const parts = [this.parseComparison()];
    while (this.acceptWord('AND') || this.acceptPunct('&&')) parts.push(this.parseComparison());
    if (parts.length === 1) return parts[0]!;
    return (resolve) => parts.every((part) => part(resolve));
  }

  private parseComparison(): Predicate {
    if (this.acceptPunct('(')) {
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    const left = this.parseOperand();
    const operator = this.parseOperator();
    const right = this.parseOperand();
    return comparison(operator, left, right);
  }

  private parseOperator(): string {
    const token = this.peek();
    if (token.kind === 'punct' && COMPARISONS.has(token.value)) {
      this.index++;
      if (token.value === '>-') return 'HAS';
      if (token.value === '<-') return 'IN';
      return token.value === '=' ? '==' : token.value;
    }
    if (token.kind === 'word') {
      const upper = token.value.toUpperCase();
      if (WORD_OPERATORS.has(upper)) {
        this.index++;
        return upper;
      }
      if (upper === 'NOT') {
        this.index++;
        const next = this.peek();
        const negated = next.kind === 'word' ? next.value.toUpperCase() : '';
        if (!WORD_OPERATORS.has(negated)) {
          throw new ExpressionSyntaxError(
            `expected IN, HAS or CONTAINS after NOT, found ${describe(next)}`,
            next.at,
          );
        }
        this.index++;
        return `NOT ${negated}`;
      }
    }
    throw new ExpressionSyntaxError(`expected a comparison operator, found ${describe(token)}`, token.at);
  }

  private parseOperand(): Operand {
    const token = this.peek();
    this.index++;
    switch (token.kind) {
      case 'string':
      case 'number': {
        const value = token.value;
        return () => value;
      }
      case 'word': {
        const upper = token.value.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') {
          const value = upper === 'TRUE';
          return () => value;
        }
        if (upper === 'NULL') return () => null;
        return this.parseKey(token.value);
      }
      case 'punct':
        if (token.value === '[') return this.parseArray();
        break;
    }
    throw new ExpressionSyntaxError(
      `expected a value or an attribute name, found ${describe(token)}`,
      token.at,
    );
  }

  private parseKey(first: string): Operand {
    const path: (string | number)[] = [];
    let written = '';
    let segment: string | undefined = first;
    for (;;) {
      if (segment !== undefined) {
        const parts = (segment.startsWith('.') ? segment.slice(1) : segment).split('.');
        if (parts.some((part) => part === '')) {
          throw new ExpressionSyntaxError(
            `malformed attribute name '${written + segment}'`,
            this.tokens[this.index - 1]!.at,
          );
        }
        path.push(...parts);
        written += segment;
        segment = undefined;
      }
      if (this.acceptPunct('[')) {
        const position = this.peek();
        if (position.kind !== 'number' || !Number.isInteger(position.value) || position.value < 0) {
          throw new ExpressionSyntaxError('expected an array index', position.at);
        }
        this.index++;
        this.expectPunct(']');
        path.push(position.value);
        written += `[${position.value}]`;
        continue;
      }
      const next = this.peek();
      if (next.kind === 'word' && next.value.startsWith('.')) {
        this.index++;
        segment = next.value;
        continue;
      }
      break;
    }
    this.keys.push(written);
    return (resolve) => resolve(path);
  }

  private parseArray(): Operand {
    const values: unknown[] = [];
    if (!this.acceptPunct(']')) {
      do {
        const token = this.peek();
        this.index++;
        if (token.kind === 'string' || token.kind === 'number') values.push(token.value);
        else if (token.kind === 'word' && /^(true|false|null)$/i.test(token.value)) {
          const lower = token.value.toLowerCase();
          values.push(lower === 'null' ? null : lower === 'true');
        } else
          throw new ExpressionSyntaxError(
            `expected a constant in the list, found ${describe(token)}`,
            token.at,
          );
      } while (this.acceptPunct(','));
      this.expectPunct(']');
    }
    return () => values;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private peekPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.value === value;
  }

  private acceptPunct(value: string): boolean {
    if (!this.peekPunct(value)) return false;
    this.index++;
    return true;
  }

  private acceptWord(value: string): boolean {
    const token = this.peek();
    if (token.kind !== 'word' || token.value.toUpperCase() !== value) return false;
    this.index++;
    return true;
  }

  private expectPunct(value: string): void {
    const token = this.peek();
    if (!this.acceptPunct(value))
      throw new ExpressionSyntaxError(`expected '${value}', found ${describe(token)}`, token.at);
  }
}

function comparison(operator: string, left: Operand, right: Operand): Predicate {
  switch (operator) {
    case '==':
      return (resolve) => scalarEquals(left(resolve), right(resolve));
    case '!=':
      return (resolve) => {
        const a = left(resolve);
        const b = right(resolve);
        return !Array.isArray(a) && !Array.isArray(b) && !scalarEquals(a, b);
      };
    case '>':
      return (resolve) => order(left(resolve), right(resolve), (d) => d > 0);
    case '>=':
      return (resolve) => order(left(resolve), right(resolve), (d) => d >= 0);
    case '<':
      return (resolve) => order(left(resolve), right(resolve), (d) => d < 0);
    case '<=':
      return (resolve) => order(left(resolve), right(resolve), (d) => d <= 0);
    case 'CONTAINS':
      return (resolve) => contains(left(resolve), right(resolve));
    case 'NOT CONTAINS':
      return (resolve) => {
        const a = left(resolve);
        return typeof a === 'string' && !contains(a, right(resolve));
      };
    case 'HAS':
      return (resolve) => has(left(resolve), right(resolve));
    case 'NOT HAS':
      return (resolve) => {
        const a = left(resolve);
        return Array.isArray(a) && !has(a, right(resolve));
      };
    case 'IN':
      return (resolve) => has(right(resolve), left(resolve));
    default: // NOT IN
      return (resolve) => {
        const list = right(resolve);
        const value = left(resolve);
        return Array.isArray(list) && !Array.isArray(value) && !has(list, value);
      };
  }
}

function scalarEquals(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return false;
  if (a !== null && typeof a === 'object') return false;
  return a === b;
}

function order(a: unknown, b: unknown, test: (difference: number) => boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') return test(a - b);
  if (typeof a === 'string' && typeof b === 'string') return test(a < b ? -1 : a > b ? 1 : 0);
  return false;
}

function contains(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.includes(b);
}

function has(list: unknown, value: unknown): boolean {
  if (!Array.isArray(list) || Array.isArray(value)) return false;
  return list.some((item) => scalarEquals(item, value));
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of expression';
    case 'string':
      return `string '${token.value}'`;
    case 'number':
      return `number ${token.value}`;
    default:
      return `'${token.value}'`;
  }
}

const WORD = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z0-9_$]+)*/;
const KEY_CONTINUATION = /^(?:\.[A-Za-z0-9_$]+)+|^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z0-9_$]+)*/;
const NUMBER = /^-?\d+(?:\.\d+)?/;
const PUNCTUATION = ['==', '!=', '>=', '<=', '>-', '<-', '&&', '||', '=', '>', '<', '(', ')', '[', ']', ','];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      index++;
      continue;
    }
    if (char === '"' || char === "'") {
      const end = text.indexOf(char, index + 1);
      if (end === -1) throw new ExpressionSyntaxError('unterminated string', index);
      tokens.push({ kind: 'string', value: text.slice(index + 1, end), at: index });
      index = end + 1;
      continue;
    }
    const numberMatch = NUMBER.exec(text.slice(index, index + 64));
    if (numberMatch && (char !== '-' || expectsOperand(tokens))) {
      tokens.push({ kind: 'number', value: Number(numberMatch[0]), at: index });
      index += numberMatch[0].length;
      continue;
    }
    // After `]` a key may go on with `.name` (as in `object.array[2].name`).
    const afterIndex = tokens.at(-1)?.kind === 'punct' && (tokens.at(-1) as { value: string }).value === ']';
    const wordMatch = (afterIndex ? KEY_CONTINUATION : WORD).exec(text.slice(index, index + 1024));
    if (wordMatch) {
      tokens.push({ kind: 'word', value: wordMatch[0], at: index });
      index += wordMatch[0].length;
      continue;
    }
    const punct = PUNCTUATION.find((candidate) => text.startsWith(candidate, index));
    if (punct) {
      tokens.push({ kind: 'punct', value: punct, at: index });
      index += punct.length;
      continue;
    }
    if (char === '-') {
      throw new ExpressionSyntaxError("unexpected '-' (hyphens are not allowed in names or values)", index);
    }
    throw new ExpressionSyntaxError(`unexpected character '${char}'`, index);
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

function expectsOperand(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return (
    last === undefined ||
    (last.kind === 'punct' && last.value !== ')' && last.value !== ']') ||
    (last.kind === 'word' && /^(AND|OR|IN|HAS|CONTAINS|NOT)$/i.test(last.value))
  );
}
