import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The subset of JSON Schema (OpenAPI 3.0 flavour) our spec uses. */
export interface SchemaNode {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  allOf?: SchemaNode[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
}

interface Spec {
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; responses: Record<string, { content?: Record<string, { schema: SchemaNode }> }> }
    >
  >;
  components: { schemas: Record<string, SchemaNode> };
}

/** The project's OpenAPI description. */
export const spec = parse(
  readFileSync(new URL('../../../specs/taskrouter.v1.yaml', import.meta.url), 'utf8'),
) as Spec;

/** Success-response schema of every operation, keyed by operationId (null for empty bodies). */
export function responseSchemas(): Map<string, SchemaNode | null> {
  const result = new Map<string, SchemaNode | null>();
  for (const methods of Object.values(spec.paths)) {
    for (const operation of Object.values(methods)) {
      const [status, response] = Object.entries(operation.responses).find(([code]) => code.startsWith('2'))!;
      result.set(
        operation.operationId,
        status === '204' ? null : (response.content?.['application/json']?.schema ?? null),
      );
    }
  }
  return result;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every way `value` breaks `schema`, as `path: problem` lines. */
export function validate(value: unknown, schema: SchemaNode, path = '$'): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = spec.components.schemas[name];
    if (!target) return [`${path}: unknown $ref ${schema.$ref}`];
    return validate(value, target, path);
  }
  if (value === null) return schema.nullable ? [] : [`${path}: null is not allowed`];
  const problems: string[] = [];
  for (const part of schema.allOf ?? []) problems.push(...validate(value, part, path));
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value))
        return [...problems, `${path}: expected an object`];
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? [])
        if (!(key in record)) problems.push(`${path}: missing required ${key}`);
      for (const [key, item] of Object.entries(record)) {
        const property = schema.properties?.[key];
        if (property) problems.push(...validate(item, property, `${path}.${key}`));
        else if (
          schema.additionalProperties === false ||
          (schema.properties && schema.additionalProperties === undefined)
        ) {
          problems.push(`${path}: unexpected property ${key}`);
        } else if (typeof schema.additionalProperties === 'object') {
          problems.push(...validate(item, schema.additionalProperties, `${path}.${key}`));
        }
      }
      break;
    }
    case 'array':
      if (!Array.isArray(value)) return [...problems, `${path}: expected an array`];
      if (schema.minItems !== undefined && value.length < schema.minItems)
        problems.push(`${path}: too few items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        problems.push(`${path}: too many items`);
      if (schema.items) {
        for (const [index, item] of value.entries())
          problems.push(...validate(item, schema.items, `${path}[${index}]`));
      }
      break;
    case 'string':
      if (typeof value !== 'string')
        return [...problems, `${path}: expected a string, got ${JSON.stringify(value)}`];
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        problems.push(`${path}: ${value} does not match ${schema.pattern}`);
      if (schema.minLength !== undefined && value.length < schema.minLength)
        problems.push(`${path}: too short`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        problems.push(`${path}: too long`);
      if (schema.format === 'date-time' && !DATE_TIME.test(value))
        problems.push(`${path}: ${value} is not a date-time`);
      if (schema.format === 'uri' && !URL.canParse(value)) problems.push(`${path}: ${value} is not a URI`);
      break;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || (schema.type === 'integer' && !Number.isInteger(value))) {
        return [...problems, `${path}: expected ${schema.type}, got ${JSON.stringify(value)}`];
      }
      if (schema.minimum !== undefined && value < schema.minimum)
        problems.push(`${path}: below ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum)
        problems.push(`${path}: above ${schema.maximum}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`);
      break;
  }
  return problems;
}
