/**
 * The TaskRouter expression language, from @taskrouter/workflow-builder so that the emulator and
 * offline simulation can never disagree. Compiled expressions are cached by their text, as list
 * filters repeat the same few expressions on every page.
 */
import {
  type CompiledExpression,
  compileExpression as compile,
  ExpressionSyntaxError,
} from '@taskrouter/workflow-builder';
import { invalidParameter } from './errors.js';

export type { CompiledExpression };

const cache = new Map<string, CompiledExpression>();
const CACHE_LIMIT = 2000;

/** Compiles an expression parameter, turning syntax errors into a 400 that names the parameter. */
export function expressionParameter(name: string, text: string): CompiledExpression {
  const cached = cache.get(text);
  if (cached) return cached;
  let compiled: CompiledExpression;
  try {
    compiled = compile(text);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) {
      throw invalidParameter(name, `is not a valid expression: ${error.message}`);
    }
    throw error;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, compiled);
  return compiled;
}
