import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ComparisonOperator,
  EXPRESSION_KEYWORDS,
  type Expression,
  ExpressionSyntaxError,
  type KeySegment,
  type Operand,
  type ScalarValue,
  compileExpression,
  parseExpression,
  printExpression,
} from '../src/index.js';

const identifier = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/)
  .filter((word) => !EXPRESSION_KEYWORDS.has(word.toUpperCase()));

const keyPath: fc.Arbitrary<KeySegment[]> = fc
  .tuple(
    identifier,
    fc.array(fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/), fc.nat({ max: 99 })), {
      maxLength: 4,
    }),
  )
  .map(([root, rest]) => [root, ...rest]);

const scalar: fc.Arbitrary<ScalarValue> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

const operand: fc.Arbitrary<Operand> = fc.oneof(
  keyPath.map((path) => ({ type: 'key' as const, path })),
  scalar.map((value) => ({ type: 'literal' as const, value })),
  fc.array(scalar, { minLength: 1, maxLength: 4 }).map((elements) => ({ type: 'array' as const, elements })),
);

const comparisonOperator = fc.constantFrom<ComparisonOperator>(
  '==',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'CONTAINS',
  'HAS',
  'IN',
  'NOT IN',
);

const { expression } = fc.letrec<{ expression: Expression; comparison: Expression; logical: Expression }>(
  (tie) => ({
    expression: fc.oneof({ maxDepth: 4, depthIdentifier: 'expression' }, tie('comparison'), tie('logical')),
    comparison: fc
      .tuple(operand, comparisonOperator, operand)
      .map(([left, operator, right]) => ({ type: 'comparison' as const, operator, left, right })),
    logical: fc
      .tuple(
        fc.constantFrom('AND' as const, 'OR' as const),
        fc.array(tie('expression'), { minLength: 2, maxLength: 4 }),
      )
      .map(([operator, operands]) => ({ type: 'logical' as const, operator, operands })),
  }),
);

describe('expression properties', () => {
  it('printing any syntax tree and parsing it back gives the same tree', () => {
    fc.assert(
      fc.property(expression, (ast) => {
        expect(parseExpression(printExpression(ast))).toEqual(ast);
      }),
      { numRuns: 500 },
    );
  });

  it('a compiled expression and its canonical source agree on random attributes', () => {
    const attributes = fc.dictionary(identifier, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })));
    fc.assert(
      fc.property(expression, attributes, (ast, attrs) => {
        const fromTree = compileExpression(ast);
        const fromSource = compileExpression(fromTree.source);
        expect(fromSource(attrs)).toBe(fromTree(attrs));
      }),
      { numRuns: 300 },
    );
  });

  it('random text either parses or throws ExpressionSyntaxError', () => {
    const alphabet = fc.constantFrom(
      ...'abcXYZ_019 .,[]()\'"\\-=!<>&|'.split(''),
      ' AND ',
      ' OR ',
      ' NOT IN ',
      ' HAS ',
      ' CONTAINS ',
      'true',
      'null',
      '1e5',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (source) => {
        try {
          const ast = parseExpression(source);
          // Whatever parses must also print to something that parses to the same tree.
          expect(parseExpression(printExpression(ast))).toEqual(ast);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionSyntaxError);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
