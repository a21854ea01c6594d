/**
 * Thrown by {@link parseExpression} (and everything that parses expressions) when the source is not a
 * valid TaskRouter expression.
 *
 * @example
 * ```ts
 * try {
 *   parseExpression('skill-level > 3');
 * } catch (error) {
 *   if (error instanceof ExpressionSyntaxError) console.log(error.position, error.expected);
 * }
 * ```
 */
export class ExpressionSyntaxError extends Error {
  /** Zero-based character offset in {@link ExpressionSyntaxError.source} where the problem was found. */
  readonly position: number;
  /** What the parser would have accepted at that position, e.g. `a comparison operator`. */
  readonly expected: string;
  /** The text found at the position (`end of input` when the source ended early). */
  readonly found: string;
  /** The expression source that failed to parse (truncated to 200 characters when longer). */
  readonly source: string;

  /**
   * @param details - where the problem is, what was expected there and what was found
   * @param reason - an optional explanation appended to the message
   */
  constructor(
    details: { source: string; position: number; expected: string; found: string },
    reason?: string,
  ) {
    const base = `Expected ${details.expected} at position ${details.position} but found ${details.found}`;
    super(reason === undefined ? base : `${base}: ${reason}`);
    this.name = 'ExpressionSyntaxError';
    this.position = details.position;
    this.expected = details.expected;
    this.found = details.found;
    this.source = details.source.length > 200 ? `${details.source.slice(0, 200)}…` : details.source;
  }
}
