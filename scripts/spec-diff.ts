/**
 * Compares two OpenAPI 3 descriptions of TaskRouter and reports what changed for the packages built
 * from them: operations, parameters, request body fields, response fields and enum values, each
 * classified as breaking, compatible or description-only, plus the semver bump each package needs.
 *
 * Usage: pnpm spec:diff OLD NEW [--changeset[=DIR]]
 *
 * With --changeset it also writes `spec-<hash>.md` (hash of NEW) into the repository's .changeset
 * folder, or into DIR.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Bad input: a file that cannot be read or is not an OpenAPI 3 document, or a dangling `$ref`. */
export class SpecInputError extends Error {
  /** The file or document the problem was found in. */
  readonly source: string;
  /** Where in the document: a JSON pointer or field name. */
  readonly field: string;
  /** Why the input was rejected. */
  readonly reason: string;

  constructor(source: string, field: string, reason: string) {
    super(`${source}: ${field}: ${reason}`);
    this.name = 'SpecInputError';
    this.source = source;
    this.field = field;
    this.reason = reason;
  }
}

interface Schema {
  $ref?: string;
  type?: string | string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  description?: string;
}
interface Parameter {
  $ref?: string;
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface MediaType {
  schema?: Schema;
}
interface Response {
  $ref?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { $ref?: string; content?: Record<string, MediaType> };
  responses?: Record<string, Response>;
}
/** The parts of an OpenAPI 3 document this comparison reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

/**
 * How a change affects code written against the old description: `breaking` code may stop
 * compiling or working; `compatible` adds or loosens something; `description` touches prose only.
 */
export type Impact = 'breaking' | 'compatible' | 'description';

/** One difference between two descriptions, attached to the operation it belongs to. */
export interface SpecChange {
  /** operationId, or `METHOD path` for an operation without one. */
  readonly operation: string;
  /** HTTP method (upper case) and path of the operation in the newer description when it exists. */
  readonly method: string;
  readonly path: string;
  /** Which part of the operation changed. */
  readonly target: 'operation' | 'parameter' | 'body field' | 'response field' | 'enum value';
  readonly kind: 'added' | 'removed' | 'changed';
  readonly impact: Impact;
  /** One readable sentence, such as "added optional query parameter `Ordering` (string)". */
  readonly message: string;
  /** Why a compatible change may still need attention. */
  readonly note?: string;
}

/** A semver bump level. */
export type Bump = 'major' | 'minor' | 'patch';

/** The packages whose code follows the spec, in report order. */
export const specPackages = [
  '@taskrouter/core',
  '@taskrouter/resources',
  '@taskrouter/testing-mocks',
] as const;

/** The name of a package whose code follows the spec. */
export type SpecPackage = (typeof specPackages)[number];

/** Everything that differs between two descriptions, and what to release because of it. */
export interface SpecDiff {
  readonly changes: readonly SpecChange[];
  /** Suggested bump per package; a package that needs none is absent. */
  readonly bumps: Partial<Record<SpecPackage, Bump>>;
}

/** The facts compared for one parameter or schema field. */
interface Field {
  type: string;
  required: boolean;
  nullable: boolean;
  enumValues: string[] | null;
  description: string;
}

/** The facts compared for one operation, flattened so both sides can be walked key by key. */
interface OperationShape {
  method: string;
  path: string;
  text: string;
  /** Keyed by `<location> <name>`, such as `query PageSize`. */
  parameters: Map<string, Field>;
  bodyType: string | null;
  body: Map<string, Field>;
  status: string | null;
  listKey: string | null;
  response: Map<string, Field>;
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Follows a local `$ref` (`#/components/...`) to the object it names. */
function follow<T extends { $ref?: string }>(doc: OpenApiDocument, value: T, source: string): T {
  let current = value;
  const seen = new Set<string>();
  while (current.$ref !== undefined) {
    const ref = current.$ref;
    if (!ref.startsWith('#/') || seen.has(ref)) {
      throw new SpecInputError(
        source,
        ref,
        seen.has(ref) ? 'the reference points to itself' : 'only local references are supported',
      );
    }
    seen.add(ref);
    let target: unknown = doc;
    for (const segment of ref.slice(2).split('/')) {
      const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
      target =
        typeof target === 'object' && target !== null ? (target as Record<string, unknown>)[key] : undefined;
    }
    if (typeof target !== 'object' || target === null) {
      throw new SpecInputError(source, ref, 'the reference does not resolve');
    }
    current = target as T;
  }
  return current;
}

/** Resolves `$ref` and the single-element `allOf` our spec uses to attach a description to a shared enum. */
function resolveSchema(doc: OpenApiDocument, schema: Schema | undefined, source: string): Schema {
  let current = follow(doc, schema ?? {}, source);
  while (current.allOf?.length === 1) {
    const { allOf, ...siblings } = current;
    current = { ...resolveSchema(doc, allOf[0], source), ...siblings };
  }
  return current;
}

/** Splits OpenAPI 3.1 `type: [x, 'null']` into a type and nullability. */
function typeAndNullable(schema: Schema): { type: string | undefined; nullable: boolean } {
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((type) => type !== 'null');
    return { type: types.join(' | ') || undefined, nullable: types.length < schema.type.length };
  }
  return { type: schema.type, nullable: schema.nullable === true };
}

/** A compact type name such as `string`, `integer[]`, `object` or `Record<string, integer>`. */
function typeName(doc: OpenApiDocument, raw: Schema | undefined, source: string): string {
  const schema = resolveSchema(doc, raw, source);
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return union.map((member) => typeName(doc, member, source)).join(' | ');
  const { type } = typeAndNullable(schema);
  if (type === 'array') return `${typeName(doc, schema.items, source)}[]`;
  if (type === 'object' || (type === undefined && (schema.properties || schema.additionalProperties))) {
    if (schema.properties) return 'object';
    if (typeof schema.additionalProperties === 'object') {
      return `Record<string, ${typeName(doc, schema.additionalProperties, source)}>`;
    }
    return schema.additionalProperties === true ? 'Record<string, unknown>' : 'object';
  }
  return type ?? 'unknown';
}

function fieldOf(doc: OpenApiDocument, schema: Schema, required: boolean, source: string): Field {
  const items = typeAndNullable(schema).type === 'array' ? resolveSchema(doc, schema.items, source) : null;
  const values = schema.enum ?? items?.enum;
  return {
    type: typeName(doc, schema, source),
    required,
    nullable: typeAndNullable(schema).nullable,
    enumValues: values ? values.map(String) : null,
    description: schema.description ?? '',
  };
}

/**
 * Flattens an object schema into dotted field names (`links.workspace`, `rules[].targets[].queue`),
 * so nested changes are reported where they happen. `path` holds the raw schemas being expanded,
 * which stops recursive schemas.
 */
function collectFields(
  doc: OpenApiDocument,
  schema: Schema,
  prefix: string,
  into: Map<string, Field>,
  source: string,
  path: ReadonlySet<Schema> = new Set(),
): Map<string, Field> {
  const required = new Set(schema.required ?? []);
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const resolved = resolveSchema(doc, child, source);
    const key = prefix + name;
    into.set(key, fieldOf(doc, resolved, required.has(name), source));
    if (path.has(child)) continue;
    const inside = new Set(path).add(child);
    if (resolved.properties) collectFields(doc, resolved, `${key}.`, into, source, inside);
    const items =
      typeAndNullable(resolved).type === 'array' ? resolveSchema(doc, resolved.items, source) : null;
    if (items?.properties) collectFields(doc, items, `${key}[].`, into, source, inside);
  }
  return into;
}

/** A list envelope is `{ meta, <key>: Item[] }`; its items are what callers read. */
function listEnvelope(
  doc: OpenApiDocument,
  schema: Schema,
  source: string,
): { key: string; item: Schema } | null {
  const properties = schema.properties ?? {};
  if (!('meta' in properties)) return null;
  for (const [key, child] of Object.entries(properties)) {
    const resolved = resolveSchema(doc, child, source);
    if (key !== 'meta' && typeAndNullable(resolved).type === 'array') {
      return { key, item: resolveSchema(doc, resolved.items, source) };
    }
  }
  return null;
}

function shapeOf(
  doc: OpenApiDocument,
  path: string,
  method: string,
  pathParameters: Parameter[],
  raw: Operation,
  source: string,
): OperationShape {
  const parameters: OperationShape['parameters'] = new Map();
  for (const ref of [...pathParameters, ...(raw.parameters ?? [])]) {
    const parameter = follow(doc, ref, source);
    const schema = resolveSchema(doc, parameter.schema, source);
    const field = fieldOf(doc, schema, parameter.required === true, source);
    parameters.set(`${parameter.in} ${parameter.name}`, {
      ...field,
      description: parameter.description ?? field.description,
    });
  }

  const body = raw.requestBody ? follow(doc, raw.requestBody, source) : undefined;
  const [bodyType, bodyMedia] = Object.entries(body?.content ?? {})[0] ?? [null, undefined];

  const statuses = Object.keys(raw.responses ?? {});
  const status =
    statuses.find((code) => /^2\d\d$/.test(code)) ?? statuses.find((code) => code === '2XX') ?? null;
  const response = status ? follow(doc, raw.responses![status]!, source) : undefined;
  const content = response?.content ?? {};
  const media = content['application/json'] ?? Object.values(content)[0];
  let responseSchema = media?.schema ? resolveSchema(doc, media.schema, source) : undefined;
  const envelope = responseSchema ? listEnvelope(doc, responseSchema, source) : null;
  if (envelope) responseSchema = envelope.item;

  return {
    method: method.toUpperCase(),
    path,
    text: [raw.summary, raw.description].filter(Boolean).join('\n'),
    parameters,
    bodyType,
    body: bodyMedia
      ? collectFields(doc, resolveSchema(doc, bodyMedia.schema, source), '', new Map(), source)
      : new Map(),
    status,
    listKey: envelope?.key ?? null,
    response: responseSchema ? collectFields(doc, responseSchema, '', new Map(), source) : new Map(),
  };
}

/** Every operation of a document keyed by operationId (or `METHOD path` without one). */
function operationsOf(doc: OpenApiDocument, source: string): Map<string, OperationShape> {
  const operations = new Map<string, OperationShape>();
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const item = follow(doc, rawItem as { $ref?: string } & Record<string, unknown>, source);
    const pathParameters = (item.parameters as Parameter[] | undefined) ?? [];
    for (const method of methods) {
      const raw = item[method] as Operation | undefined;
      if (!raw) continue;
      const id = raw.operationId ?? `${method.toUpperCase()} ${path}`;
      if (operations.has(id)) {
        throw new SpecInputError(source, `paths.${path}.${method}.operationId`, `"${id}" is used twice`);
      }
      operations.set(id, shapeOf(doc, path, method, pathParameters, raw, source));
    }
  }
  return operations;
}

/**
 * Checks that a parsed value is an OpenAPI 3 document with paths, naming the offending field if not.
 * @param value - the parsed YAML or JSON.
 * @param source - a name for the input in error messages, usually the file path.
 */
function asOpenApiDocument(value: unknown, source: string): OpenApiDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SpecInputError(source, '(root)', 'expected a YAML or JSON object');
  }
  const doc = value as Partial<OpenApiDocument>;
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
    throw new SpecInputError(
      source,
      'openapi',
      `expected a version string starting with "3.", got ${JSON.stringify(doc.openapi)}`,
    );
  }
  if (typeof doc.paths !== 'object' || doc.paths === null || Array.isArray(doc.paths)) {
    throw new SpecInputError(source, 'paths', 'expected an object of paths');
  }
  return doc as OpenApiDocument;
}

/**
 * Reads an OpenAPI 3 description from a YAML or JSON file.
 * @returns the document and its source text (the text names the changeset).
 */
export function loadSpecFile(file: string): { doc: OpenApiDocument; text: string } {
  if (!existsSync(file)) throw new SpecInputError(file, '(file)', 'no such file');
  const text = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new SpecInputError(
      file,
      '(file)',
      `not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return { doc: asOpenApiDocument(parsed, file), text };
}

const quote = (name: string) => '`' + name + '`';
const sameValues = (a: readonly string[] | null, b: readonly string[] | null) =>
  JSON.stringify(a) === JSON.stringify(b);

type Reporter = (change: Omit<SpecChange, 'operation' | 'method' | 'path'>) => void;

/**
 * Compares two parameter or field maps of one operation. The target decides what breaks: callers
 * send parameters and body fields (narrowing breaks them) and read responses (widening breaks them).
 */
function compareFields(
  before: ReadonlyMap<string, Field>,
  after: ReadonlyMap<string, Field>,
  target: 'parameter' | 'body field' | 'response field',
  report: Reporter,
): void {
  const isRequest = target !== 'response field';
  const label = (key: string) => {
    if (target !== 'parameter') return `${target} ${quote(key)}`;
    const [location, name] = key.split(' ') as [string, string];
    return `${location} parameter ${quote(name)}`;
  };
  for (const [key, old] of before) {
    const next = after.get(key);
    if (!next) {
      report({ target, kind: 'removed', impact: 'breaking', message: `removed ${label(key)}` });
      continue;
    }
    if (old.type !== next.type) {
      report({
        target,
        kind: 'changed',
        impact: 'breaking',
        message: `changed the type of ${label(key)} from ${old.type} to ${next.type}`,
      });
    }
    if (old.required !== next.required) {
      // A request field that becomes required, or a response field that may now be absent, breaks callers.
      const breaking = isRequest ? next.required : !next.required;
      report({
        target,
        kind: 'changed',
        impact: breaking ? 'breaking' : 'compatible',
        message: `made ${label(key)} ${next.required ? 'required' : 'optional'}`,
      });
    }
    if (old.nullable !== next.nullable) {
      const breaking = isRequest ? !next.nullable : next.nullable;
      report({
        target,
        kind: 'changed',
        impact: breaking ? 'breaking' : 'compatible',
        message: `made ${label(key)} ${next.nullable ? 'nullable' : 'non-nullable'}`,
      });
    }
    compareEnums(old.enumValues, next.enumValues, isRequest, label(key), report);
    if (old.description !== next.description) {
      report({
        target,
        kind: 'changed',
        impact: 'description',
        message: `reworded the description of ${label(key)}`,
      });
    }
  }
  for (const [key, next] of after) {
    if (before.has(key)) continue;
    const breaking = isRequest && next.required;
    report({
      target,
      kind: 'added',
      impact: breaking ? 'breaking' : 'compatible',
      message: `added ${next.required ? 'required' : 'optional'} ${label(key)} (${next.type}${next.nullable ? ', nullable' : ''})`,
    });
  }
}

function compareEnums(
  before: string[] | null,
  after: string[] | null,
  isRequest: boolean,
  subject: string,
  report: Reporter,
): void {
  if (sameValues(before, after)) return;
  const responseNote = 'code that switches over the values of this response field must expect new ones';
  if (before === null || after === null) {
    // Dropping the enum widens the type; introducing one narrows it, which only requests feel.
    const widened = before !== null;
    report({
      target: 'enum value',
      kind: 'changed',
      impact: !widened && isRequest ? 'breaking' : 'compatible',
      message: widened
        ? `dropped the allowed values of ${subject}, which now takes any value`
        : `restricted ${subject} to ${after!.map(quote).join(', ')}`,
      ...(widened && !isRequest ? { note: responseNote } : {}),
    });
    return;
  }
  for (const value of before.filter((value) => !after.includes(value))) {
    report({
      target: 'enum value',
      kind: 'removed',
      impact: 'breaking',
      message: `removed value ${quote(value)} from ${subject}`,
    });
  }
  for (const value of after.filter((value) => !before.includes(value))) {
    report({
      target: 'enum value',
      kind: 'added',
      impact: 'compatible',
      message: `added value ${quote(value)} to ${subject}`,
      ...(isRequest ? {} : { note: responseNote }),
    });
  }
}

/** Suggested bump per package for a list of changes. */
export function suggestBumps(changes: readonly SpecChange[]): Partial<Record<SpecPackage, Bump>> {
  const has = (impact: Impact) => changes.some((change) => change.impact === impact);
  const level: Bump | null = has('breaking')
    ? 'major'
    : has('compatible')
      ? 'minor'
      : has('description')
        ? 'patch'
        : null;
  const bumps: Partial<Record<SpecPackage, Bump>> = {};
  if (level === null) return bumps;
  bumps['@taskrouter/core'] = level;
  // The resources client and the emulator must follow new and changed surface, not reworded prose.
  if (level !== 'patch') {
    bumps['@taskrouter/resources'] = level;
    bumps['@taskrouter/testing-mocks'] = level;
  }
  return bumps;
}

/**
 * Compares two OpenAPI 3 descriptions of TaskRouter. Pure: reads only its arguments.
 * @param before - the older description (parsed YAML or JSON).
 * @param after - the newer description.
 * @param labels - names of the two inputs for error messages.
 * @example
 * ```ts
 * const { changes, bumps } = diffSpecs(loadSpecFile('old.yaml').doc, loadSpecFile('new.yaml').doc);
 * console.log(formatReport({ changes, bumps }, { before: 'old.yaml', after: 'new.yaml' }));
 * ```
 */
export function diffSpecs(
  before: unknown,
  after: unknown,
  labels: { before: string; after: string } = { before: 'old spec', after: 'new spec' },
): SpecDiff {
  const oldDoc = asOpenApiDocument(before, labels.before);
  const newDoc = asOpenApiDocument(after, labels.after);
  const oldOps = operationsOf(oldDoc, labels.before);
  const newOps = operationsOf(newDoc, labels.after);
  const changes: SpecChange[] = [];

  for (const [id, old] of oldOps) {
    const next = newOps.get(id);
    const report: Reporter = (change) =>
      changes.push({ operation: id, method: (next ?? old).method, path: (next ?? old).path, ...change });
    if (!next) {
      report({
        target: 'operation',
        kind: 'removed',
        impact: 'breaking',
        message: `removed operation ${id}`,
      });
      continue;
    }
    if (old.method !== next.method || old.path !== next.path) {
      report({
        target: 'operation',
        kind: 'changed',
        impact: 'breaking',
        message: `moved ${id} from ${old.method} ${old.path} to ${next.method} ${next.path}`,
      });
    }
    if (old.text !== next.text) {
      report({
        target: 'operation',
        kind: 'changed',
        impact: 'description',
        message: 'reworded the summary or description',
      });
    }
    compareFields(old.parameters, next.parameters, 'parameter', report);
    if (old.bodyType && next.bodyType && old.bodyType !== next.bodyType) {
      report({
        target: 'operation',
        kind: 'changed',
        impact: 'breaking',
        message: `changed the request body from ${old.bodyType} to ${next.bodyType}`,
      });
    }
    compareFields(old.body, next.body, 'body field', report);
    if (old.status !== next.status) {
      report({
        target: 'operation',
        kind: 'changed',
        impact: 'breaking',
        message: `changed the success status from ${old.status ?? 'none'} to ${next.status ?? 'none'}`,
      });
    }
    if (old.listKey !== next.listKey) {
      report({
        target: 'operation',
        kind: 'changed',
        impact: 'breaking',
        message: `changed the list key from ${old.listKey ?? 'none'} to ${next.listKey ?? 'none'}`,
      });
    }
    compareFields(old.response, next.response, 'response field', report);
  }
  for (const [id, next] of newOps) {
    if (oldOps.has(id)) continue;
    changes.push({
      operation: id,
      method: next.method,
      path: next.path,
      target: 'operation',
      kind: 'added',
      impact: 'compatible',
      message: `added operation ${id}`,
    });
  }
  return { changes, bumps: suggestBumps(changes) };
}

const sections: ReadonlyArray<[Impact, string]> = [
  ['breaking', 'Breaking changes'],
  ['compatible', 'Compatible changes'],
  ['description', 'Description changes'],
];

/**
 * Renders a diff as a Markdown report: counts, suggested bumps, then the changes by impact.
 * @param labels - how to name the two inputs in the heading.
 */
export function formatReport(diff: SpecDiff, labels: { before: string; after: string }): string {
  const count = (impact: Impact) => diff.changes.filter((change) => change.impact === impact).length;
  const lines = ['# TaskRouter spec diff', '', `- old: ${labels.before}`, `- new: ${labels.after}`, ''];
  if (diff.changes.length === 0) {
    lines.push('No differences in operations, parameters, body fields, response fields or enum values.', '');
    return lines.join('\n');
  }
  lines.push(
    `${diff.changes.length} changes: ${count('breaking')} breaking, ${count('compatible')} compatible, ` +
      `${count('description')} description only.`,
    '',
    '## Suggested bumps',
    '',
    '| package | bump |',
    '| --- | --- |',
    ...specPackages.map((name) => `| ${name} | ${diff.bumps[name] ?? 'none'} |`),
  );
  for (const [impact, title] of sections) {
    const matching = diff.changes.filter((change) => change.impact === impact);
    if (matching.length === 0) continue;
    lines.push('', `## ${title}`);
    // Changes come out operation by operation, so one heading per run of the same operation.
    matching.forEach((change, index) => {
      if (matching[index - 1]?.operation !== change.operation) {
        lines.push('', `### ${change.operation} (${change.method} ${change.path})`, '');
      }
      lines.push(`- ${change.message}`);
      if (change.note) lines.push(`  - note: ${change.note}`);
    });
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * The changeset that releases a spec update: frontmatter with the suggested bumps, then a summary.
 * @param diff - the comparison to release.
 * @param specText - source text of the newer description; its SHA-256 names the file.
 * @returns the file name (`spec-<8 hex>.md`) and its content, or null when nothing needs a release.
 */
export function changesetFor(diff: SpecDiff, specText: string): { fileName: string; content: string } | null {
  const packages = specPackages.filter((name) => diff.bumps[name]);
  if (packages.length === 0) return null;
  const hash = createHash('sha256').update(specText).digest('hex').slice(0, 8);
  const breaking = diff.changes.filter((change) => change.impact === 'breaking').length;
  const content = [
    '---',
    ...packages.map((name) => `"${name}": ${diff.bumps[name]}`),
    '---',
    '',
    `Follow the updated TaskRouter API description (${diff.changes.length} changes, ${breaking} breaking).`,
    '',
    ...diff.changes.map(
      (change) =>
        `- ${change.impact === 'breaking' ? '**breaking** ' : ''}${change.operation}: ${change.message}`,
    ),
    '',
  ].join('\n');
  return { fileName: `spec-${hash}.md`, content };
}

const usage = 'usage: pnpm spec:diff OLD NEW [--changeset[=DIR]]';

/**
 * Command-line entry: prints the report and optionally writes the changeset.
 * @param args - the arguments after the script name.
 * @param cwd - the folder relative file names are resolved from.
 * @returns the process exit code: 0 after a report, 2 on bad input.
 */
function main(args: readonly string[], cwd: string): number {
  const files = args.filter((arg) => !arg.startsWith('--'));
  const flags = args.filter((arg) => arg.startsWith('--'));
  const unknown = flags.filter((flag) => flag !== '--changeset' && !flag.startsWith('--changeset='));
  if (files.length !== 2 || unknown.length > 0) {
    console.error(unknown.length > 0 ? `unknown option ${unknown[0]}\n${usage}` : usage);
    return 2;
  }
  try {
    const [before, after] = files.map((file) => resolve(cwd, file)) as [string, string];
    const oldSpec = loadSpecFile(before);
    const newSpec = loadSpecFile(after);
    const labels = { before: files[0]!, after: files[1]! };
    const diff = diffSpecs(oldSpec.doc, newSpec.doc, labels);
    console.log(formatReport(diff, labels));
    const changesetFlag = flags.at(-1);
    if (changesetFlag) {
      const changeset = changesetFor(diff, newSpec.text);
      if (!changeset) {
        console.log('No changeset written: nothing changed.');
        return 0;
      }
      const dir = changesetFlag.includes('=')
        ? resolve(cwd, changesetFlag.slice(changesetFlag.indexOf('=') + 1))
        : join(repoRoot, '.changeset');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, changeset.fileName), changeset.content);
      console.log(`wrote ${join(dir, changeset.fileName)}`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof SpecInputError)) throw error;
    console.error(error.message);
    return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // pnpm runs scripts from the repository root; INIT_CWD is where the user typed the command.
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for this script, which turbo never runs.
  process.exitCode = main(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
}
