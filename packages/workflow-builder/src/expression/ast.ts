/** A constant value an expression can contain or an attribute can resolve to for comparison. */
export type ScalarValue = string | number | boolean | null;

/**
 * One step of a key path: a property name (`skills` in `task.skills`) or an array index
 * (`2` in `languages[2]`). The first step of a key is always a property name.
 */
export type KeySegment = string | number;

/** Operators that compare two operands, spelled the canonical way (aliases are normalised by the parser). */
export type ComparisonOperator = '==' | '!=' | '>' | '>=' | '<' | '<=' | 'CONTAINS' | 'HAS' | 'IN' | 'NOT IN';

/** Operators that join conditions. `&&` and `||` are parsed as `AND` and `OR`. */
export type LogicalOperator = 'AND' | 'OR';

/** A reference to an attribute, such as `task.skills` or `languages[0]`. */
export interface KeyOperand {
  /** Discriminant. */
  readonly type: 'key';
  /** The path from the root object to the value; never empty, and its first element is a property name. */
  readonly path: readonly KeySegment[];
}

/** A quoted string, a number, `true`, `false` or `null`. */
export interface LiteralOperand {
  /** Discriminant. */
  readonly type: 'literal';
  /** The constant's value. */
  readonly value: ScalarValue;
}

/** A bracketed list of constants, such as `['en', 'fr']`. */
export interface ArrayOperand {
  /** Discriminant. */
  readonly type: 'array';
  /** The constants in source order (at least one). */
  readonly elements: readonly ScalarValue[];
}

/** Either side of a comparison. */
export type Operand = KeyOperand | LiteralOperand | ArrayOperand;

/** `left operator right`, for example `task.priority > 5`. */
export interface ComparisonExpression {
  /** Discriminant. */
  readonly type: 'comparison';
  /** The comparison performed. */
  readonly operator: ComparisonOperator;
  /** The operand before the operator. */
  readonly left: Operand;
  /** The operand after the operator. */
  readonly right: Operand;
}

/**
 * Two or more conditions joined by the same operator. A chain such as `a AND b AND c` is one node
 * with three operands; a parenthesised group stays a child node of its own.
 */
export interface LogicalExpression {
  /** Discriminant. */
  readonly type: 'logical';
  /** How the operands combine. */
  readonly operator: LogicalOperator;
  /** The joined conditions (at least two). */
  readonly operands: readonly Expression[];
}

/** The syntax tree of a TaskRouter expression, as returned by {@link parseExpression}. */
export type Expression = ComparisonExpression | LogicalExpression;
