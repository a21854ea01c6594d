import { type OperationId, operationTable } from '@taskrouter/core';

interface RouteEndpoint {
  readonly operationId: OperationId;
  /** Names of the path parameters, in path order (sibling operations name them differently). */
  readonly parameterNames: readonly string[];
}

interface RouteNode {
  readonly literals: Map<string, RouteNode>;
  param: RouteNode | null;
  readonly methods: Map<string, RouteEndpoint>;
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
      const parameterNames: string[] = [];
      for (const segment of info.path.split('/').slice(1)) {
        if (segment.startsWith('{')) {
          parameterNames.push(segment.slice(1, -1));
          node.param ??= newNode();
          node = node.param;
        } else {
          let next = node.literals.get(segment);
          if (!next) {
            next = newNode();
            node.literals.set(segment, next);
          }
          node = next;
        }
      }
      node.methods.set(info.method, { operationId, parameterNames });
    }
  }

  match(method: string, pathname: string): RouteMatch {
    const segments = pathname.split('/');
    const values: string[] = [];
    let node: RouteNode | undefined = this.root;
    for (let index = 1; index < segments.length && node; index++) {
      const segment = segments[index]!;
      const literal = node.literals.get(segment);
      if (literal) node = literal;
      else if (node.param && segment !== '') {
        values.push(decodeSegment(segment));
        node = node.param;
      } else node = undefined;
    }
    if (!node || node.methods.size === 0) return { kind: 'not-found' };
    const endpoint = node.methods.get(method);
    if (endpoint === undefined) return { kind: 'method-not-allowed', allowed: [...node.methods.keys()] };
    const path: Record<string, string> = {};
    endpoint.parameterNames.forEach((name, index) => {
      path[name] = values[index]!;
    });
    return { kind: 'operation', operationId: endpoint.operationId, path };
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
