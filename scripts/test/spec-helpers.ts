import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface Schema {
  $ref?: string;
  type?: string;
  allOf?: Schema[];
  items?: Schema;
  enum?: string[];
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
}
export interface Parameter {
  $ref?: string;
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
export interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
export interface OpenApiSpec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; parameters: Record<string, Parameter> };
}

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function loadSpec(path = join(repoRoot, 'specs/taskrouter.v1.yaml')): OpenApiSpec {
  return parse(readFileSync(path, 'utf8')) as OpenApiSpec;
}

/**
 * The API reference lives beside the repository (in `shared/reference`), as in CI; the environment
 * variable TASKROUTER_REFERENCE_DIR overrides the folder. `undefined` when it is nowhere to be found.
 */
export function findReferenceFile(name: string): string | undefined {
  const candidates = [
    process.env.TASKROUTER_REFERENCE_DIR,
    join(repoRoot, '../shared/reference'),
    join(repoRoot, '../../shared/reference'),
  ].filter((dir): dir is string => Boolean(dir));
  return candidates.map((dir) => join(dir, name)).find((file) => existsSync(file));
}
