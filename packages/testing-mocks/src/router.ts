import { type OperationId, operationTable } from '@taskrouter/core';

interface RouteNode {
  readonly literals: Map<string, RouteNode>;
  param: { readonly name: string; readonly node: RouteNode } | null;
  readonly methods: Map<string, OperationId>;
}

/** Result of matching a method and path against the operation table. */
export type RouteMatch =
  | { readonly kind: 'operation'; readonly operationId: OperationId; readonly path: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

function newNode(): RouteNode {
  return { literals: new Map(), param: null, methods: new Map() };
}

/**
 * Matches requests to operations with a segment tree built once from the spec's operation
 * table. Literal segments win over parameters, so `/Workers/Statistics` is never read as a
 * worker SID.
 */
export class Router {
  private readonly root = newNode();

  constructor() {
    for (const [operationId, info] of Object.entries(operationTable) as [
      OperationId,
      { method: string; path: string },
    ][]) {
      let node = this.root;
      for (const segment of info.path.split('/').slice(1)) {
        if (segment.startsWith('{')) {
          const name = segment.slice(1, -1);
          node.param ??= { name, node: newNode() };
          node = node.param.node;
        } else {
          let next = node.literals.get(segment);
          if (!next) {
            next = newNode();
            node.literals.set(segment, next);
          }
          node = next;
        }
      }
      node.methods.set(info.method, operationId);
    }
  }

  match(method: string, pathname: string): RouteMatch {
    const segments = pathname.split('/');
    const path: Record<string, string> = {};
    let node: RouteNode | undefined = this.root;
    for (let index = 1; index < segments.length && node; index++) {
      const segment = segments[index]!;
      const literal = node.literals.get(segment);
      if (literal) node = literal;
      else if (node.param && segment !== '') {
        path[node.param.name] = decodeSegment(segment);
        node = node.param.node;
      } else node = undefined;
    }
    if (!node || node.methods.size === 0) return { kind: 'not-found' };
    const operationId = node.methods.get(method);
    if (operationId === undefined) return { kind: 'method-not-allowed', allowed: [...node.methods.keys()] };
    return { kind: 'operation', operationId, path };
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
