import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  changesetFor,
  diffSpecs,
  formatReport,
  loadSpecFile,
  type SpecChange,
  SpecInputError,
  suggestBumps,
} from '../spec-diff.ts';
import { loadSpec, repoRoot } from './spec-helpers.ts';

const fixtures = join(repoRoot, 'scripts/test/fixtures/spec-diff');
const fixture = (name: string) => loadSpecFile(join(fixtures, name)).doc;
const scratch = mkdtempSync(join(tmpdir(), 'taskrouter-spec-diff-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The fields a reader acts on, without the method and path repeated on every line. */
const summarize = (changes: readonly SpecChange[]) =>
  changes.map(({ operation, target, kind, impact, message }) => ({
    operation,
    target,
    kind,
    impact,
    message,
  }));

/** A one-operation document; `operation` replaces the parts under test. */
function docWith(operation: Record<string, unknown>, schemas: Record<string, unknown> = {}) {
  return {
    openapi: '3.0.3',
    paths: {
      '/v1/Things': {
        post: {
          operationId: 'CreateThing',
          responses: { '201': { description: 'Created.' } },
          ...operation,
        },
      },
    },
    components: { schemas },
  };
}
const jsonResponse = (schema: unknown, status = '201') => ({
  responses: { [status]: { description: 'Ok.', content: { 'application/json': { schema } } } },
});
const formBody = (schema: unknown) => ({
  requestBody: { content: { 'application/x-www-form-urlencoded': { schema } } },
});

describe('diffSpecs on the fixtures', () => {
  it('classifies new operations, parameters, fields and enum values as compatible', () => {
    const diff = diffSpecs(fixture('base.yaml'), fixture('additive.yaml'));
    const assignmentStatusNote =
      'code that switches over the values of this response field must expect new ones';
    expect(summarize(diff.changes)).toEqual([
      {
        operation: 'ListTask',
        target: 'enum value',
        kind: 'added',
        impact: 'compatible',
        message: 'added value `canceled` to query parameter `AssignmentStatus`',
      },
      {
        operation: 'ListTask',
        target: 'parameter',
        kind: 'added',
        impact: 'compatible',
        message: 'added optional query parameter `HasAddons` (boolean)',
      },
      {
        operation: 'ListTask',
        target: 'enum value',
        kind: 'added',
        impact: 'compatible',
        message: 'added value `canceled` to response field `assignment_status`',
      },
      {
        operation: 'ListTask',
        target: 'response field',
        kind: 'added',
        impact: 'compatible',
        message: 'added optional response field `age` (integer)',
      },
      {
        operation: 'CreateTask',
        target: 'body field',
        kind: 'added',
        impact: 'compatible',
        message: 'added optional body field `VirtualStartTime` (string)',
      },
      {
        operation: 'CreateTask',
        target: 'enum value',
        kind: 'added',
        impact: 'compatible',
        message: 'added value `canceled` to response field `assignment_status`',
      },
      {
        operation: 'CreateTask',
        target: 'response field',
        kind: 'added',
        impact: 'compatible',
        message: 'added optional response field `age` (integer)',
      },
      {
        operation: 'FetchTask',
        target: 'enum value',
        kind: 'added',
        impact: 'compatible',
        message: 'added value `canceled` to response field `assignment_status`',
      },
      {
        operation: 'FetchTask',
        target: 'response field',
        kind: 'added',
        impact: 'compatible',
        message: 'added optional response field `age` (integer)',
      },
      {
        operation: 'UpdateTask',
        target: 'operation',
        kind: 'added',
        impact: 'compatible',
        message: 'added operation UpdateTask',
      },
    ]);
    // Only response enums carry the note: a request enum that grows accepts more, nothing to handle.
    const noted = diff.changes.filter((change) => change.note);
    expect(noted.map((change) => change.message)).toEqual([
      'added value `canceled` to response field `assignment_status`',
      'added value `canceled` to response field `assignment_status`',
      'added value `canceled` to response field `assignment_status`',
    ]);
    expect(noted.every((change) => change.note === assignmentStatusNote)).toBe(true);
    expect(diff.bumps).toEqual({
      '@taskrouter/core': 'minor',
      '@taskrouter/resources': 'minor',
      '@taskrouter/testing-mocks': 'minor',
    });
  });

  it('classifies removals, new required fields, type and nullability changes as breaking', () => {
    const diff = diffSpecs(fixture('base.yaml'), fixture('breaking.yaml'));
    const perResponse = (operation: string) => [
      `${operation}: made response field \`priority\` nullable`,
      `${operation}: removed value \`reserved\` from response field \`assignment_status\``,
      `${operation}: made response field \`links\` optional`,
    ];
    expect(diff.changes.map((change) => `${change.operation}: ${change.message}`)).toEqual([
      'ListTask: removed value `reserved` from query parameter `AssignmentStatus`',
      'ListTask: removed query parameter `Ordering`',
      ...perResponse('ListTask'),
      'CreateTask: changed the type of body field `Priority` from integer to string',
      'CreateTask: added required body field `WorkflowSid` (string)',
      ...perResponse('CreateTask'),
      ...perResponse('FetchTask'),
      'DeleteTask: removed operation DeleteTask',
    ]);
    expect(diff.changes.every((change) => change.impact === 'breaking')).toBe(true);
    expect(diff.changes.find((change) => change.operation === 'DeleteTask')).toMatchObject({
      method: 'DELETE',
      path: '/v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}',
      target: 'operation',
      kind: 'removed',
    });
    expect(diff.bumps).toEqual({
      '@taskrouter/core': 'major',
      '@taskrouter/resources': 'major',
      '@taskrouter/testing-mocks': 'major',
    });
  });

  it('treats the reverse of loosening changes as compatible and of additions as breaking', () => {
    const undoBreaking = diffSpecs(fixture('breaking.yaml'), fixture('base.yaml'));
    const impactOf = (changes: readonly SpecChange[], message: string) =>
      changes.find((change) => change.operation === 'CreateTask' && change.message === message)?.impact;
    expect(impactOf(undoBreaking.changes, 'made response field `links` required')).toBe('compatible');
    expect(impactOf(undoBreaking.changes, 'made response field `priority` non-nullable')).toBe('compatible');
    expect(impactOf(undoBreaking.changes, 'removed body field `WorkflowSid`')).toBe('breaking');
    expect(
      undoBreaking.changes.find(
        (change) => change.message === 'added value `reserved` to query parameter `AssignmentStatus`',
      ),
    ).toMatchObject({ impact: 'compatible', kind: 'added' });

    const undoAdditive = diffSpecs(fixture('additive.yaml'), fixture('base.yaml'));
    expect(undoAdditive.changes.length).toBe(10);
    expect(undoAdditive.changes.every((change) => change.impact === 'breaking')).toBe(true);
    expect(undoAdditive.bumps['@taskrouter/core']).toBe('major');
  });

  it('reads JSON and reports prose-only edits as a core patch', () => {
    const diff = diffSpecs(fixture('base.yaml'), fixture('descriptions.json'));
    expect(diff.changes.map((change) => `${change.operation}: ${change.message}`)).toEqual([
      'ListTask: reworded the summary or description',
      'ListTask: reworded the description of query parameter `PageSize`',
      'ListTask: reworded the description of response field `links.workspace`',
      'CreateTask: reworded the description of body field `Priority`',
      'CreateTask: reworded the description of response field `links.workspace`',
      'FetchTask: reworded the description of response field `links.workspace`',
    ]);
    expect(diff.changes.every((change) => change.impact === 'description')).toBe(true);
    expect(diff.bumps).toEqual({ '@taskrouter/core': 'patch' });
  });

  it('finds nothing between a fixture and itself', () => {
    expect(diffSpecs(fixture('additive.yaml'), fixture('additive.yaml'))).toEqual({ changes: [], bumps: {} });
  });
});

describe('diffSpecs on the TaskRouter spec', () => {
  it('finds no change between the spec and itself', () => {
    const diff = diffSpecs(loadSpec(), loadSpec());
    expect(diff).toEqual({ changes: [], bumps: {} });
    expect(formatReport(diff, { before: 'a', after: 'b' })).toContain('No differences');
  });

  it('sees a removed operation and a removed field through list envelopes and allOf', () => {
    const edited = loadSpec() as unknown as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    delete edited.paths['/v1/Workspaces']!.post;
    delete edited.components.schemas['taskrouter.v1.workspace']!.properties.prioritize_queue_order;
    const diff = diffSpecs(loadSpec(), edited);
    expect(diff.changes.map((change) => `${change.operation}: ${change.message}`).sort()).toEqual([
      'CreateWorkspace: removed operation CreateWorkspace',
      'FetchWorkspace: removed response field `prioritize_queue_order`',
      'ListWorkspace: removed response field `prioritize_queue_order`',
      'UpdateWorkspace: removed response field `prioritize_queue_order`',
    ]);
  });
});

describe('diffSpecs rules', () => {
  it('accepts nullable request fields and rejects newly non-nullable ones', () => {
    const plain = docWith(formBody({ type: 'object', properties: { Reason: { type: 'string' } } }));
    const nullable = docWith(
      formBody({ type: 'object', properties: { Reason: { type: 'string', nullable: true } } }),
    );
    expect(summarize(diffSpecs(plain, nullable).changes)).toEqual([
      {
        operation: 'CreateThing',
        target: 'body field',
        kind: 'changed',
        impact: 'compatible',
        message: 'made body field `Reason` nullable',
      },
    ]);
    expect(diffSpecs(nullable, plain).changes[0]?.impact).toBe('breaking');
  });

  it('reads OpenAPI 3.1 null types as nullability', () => {
    const before = docWith(jsonResponse({ type: 'object', properties: { name: { type: 'string' } } }));
    const after = {
      ...docWith(jsonResponse({ type: 'object', properties: { name: { type: ['string', 'null'] } } })),
      openapi: '3.1.0',
    };
    expect(diffSpecs(before, after).changes.map((change) => [change.message, change.impact])).toEqual([
      ['made response field `name` nullable', 'breaking'],
    ]);
  });

  it('flags optional parameters that become required, and the reverse as compatible', () => {
    const param = (required: boolean) =>
      docWith({ parameters: [{ name: 'If-Match', in: 'header', required, schema: { type: 'string' } }] });
    expect(diffSpecs(param(false), param(true)).changes.map((c) => [c.message, c.impact])).toEqual([
      ['made header parameter `If-Match` required', 'breaking'],
    ]);
    expect(diffSpecs(param(true), param(false)).changes.map((c) => [c.message, c.impact])).toEqual([
      ['made header parameter `If-Match` optional', 'compatible'],
    ]);
  });

  it('treats a new enum as narrowing a request and dropping one as widening a response', () => {
    const withEnum = (values?: string[]) => ({
      ...docWith({
        parameters: [
          { name: 'Mode', in: 'query', schema: { type: 'string', ...(values && { enum: values }) } },
        ],
        ...jsonResponse({
          type: 'object',
          properties: { mode: { type: 'string', ...(values && { enum: values }) } },
        }),
      }),
    });
    const narrowed = diffSpecs(withEnum(), withEnum(['a', 'b'])).changes;
    expect(narrowed.map((change) => [change.message, change.impact])).toEqual([
      ['restricted query parameter `Mode` to `a`, `b`', 'breaking'],
      ['restricted response field `mode` to `a`, `b`', 'compatible'],
    ]);
    const widened = diffSpecs(withEnum(['a', 'b']), withEnum()).changes;
    expect(widened.map((change) => [change.message, change.impact, change.note !== undefined])).toEqual([
      [
        'dropped the allowed values of query parameter `Mode`, which now takes any value',
        'compatible',
        false,
      ],
      ['dropped the allowed values of response field `mode`, which now takes any value', 'compatible', true],
    ]);
  });

  it('compares enums of array items, nested fields and array element fields', () => {
    const schema = (events: string[], queueType: string) => ({
      type: 'object',
      properties: {
        Events: { type: 'array', items: { type: 'string', enum: events } },
        Rules: {
          type: 'array',
          items: {
            type: 'object',
            properties: { Targets: { type: 'object', properties: { Queue: { type: queueType } } } },
          },
        },
      },
    });
    const diff = diffSpecs(
      docWith(formBody(schema(['start', 'end'], 'string'))),
      docWith(formBody(schema(['start'], 'integer'))),
    );
    expect(diff.changes.map((change) => change.message)).toEqual([
      'removed value `end` from body field `Events`',
      'changed the type of body field `Rules[].Targets.Queue` from string to integer',
    ]);
  });

  it('stops at recursive schemas', () => {
    const node = (extra: Record<string, unknown>) =>
      docWith(jsonResponse({ $ref: '#/components/schemas/node' }), {
        node: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/components/schemas/node' } },
            ...extra,
          },
        },
      });
    const diff = diffSpecs(node({}), node({ label: { type: 'string' } }));
    expect(diff.changes.map((change) => change.message)).toEqual([
      'added optional response field `children[].label` (string)',
      'added optional response field `label` (string)',
    ]);
  });

  it('reports moved operations, new success statuses, list keys and body encodings as breaking', () => {
    const before = docWith({ ...formBody({ type: 'object' }), ...jsonResponse({ type: 'object' }) });
    const moved = {
      ...before,
      paths: { '/v1/Items': { put: before.paths['/v1/Things'].post } },
    };
    expect(diffSpecs(before, moved).changes.map((change) => change.message)).toEqual([
      'moved CreateThing from POST /v1/Things to PUT /v1/Items',
    ]);

    const json = docWith({
      requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
      ...jsonResponse({ type: 'object' }, '200'),
    });
    expect(diffSpecs(before, json).changes.map((change) => [change.message, change.impact])).toEqual([
      ['changed the request body from application/x-www-form-urlencoded to application/json', 'breaking'],
      ['changed the success status from 201 to 200', 'breaking'],
    ]);

    const envelope = (key: string) =>
      docWith(
        jsonResponse({
          type: 'object',
          properties: {
            meta: { type: 'object' },
            [key]: { type: 'array', items: { $ref: '#/components/schemas/thing' } },
          },
        }),
        { thing: { type: 'object', properties: { sid: { type: 'string' } } } },
      );
    expect(diffSpecs(envelope('things'), envelope('items')).changes.map((change) => change.message)).toEqual([
      'changed the list key from things to items',
    ]);
  });

  it('merges path-level parameters into each operation', () => {
    const withPathParameter = (type: string) => {
      const doc = docWith({});
      return {
        ...doc,
        paths: {
          '/v1/Things': {
            parameters: [{ name: 'Region', in: 'query', schema: { type } }],
            ...doc.paths['/v1/Things'],
          },
        },
      };
    };
    expect(diffSpecs(withPathParameter('string'), withPathParameter('integer')).changes[0]?.message).toBe(
      'changed the type of query parameter `Region` from string to integer',
    );
  });
});

describe('bad input', () => {
  it('names the file and the field when a document is not OpenAPI 3', () => {
    const file = join(fixtures, 'not-openapi.yaml');
    const error = (() => {
      try {
        loadSpecFile(file);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SpecInputError);
    expect(error).toMatchObject({ source: file, field: 'openapi' });
    expect((error as SpecInputError).reason).toContain('starting with "3."');
  });

  it('rejects missing files, broken YAML, missing paths, dangling references and reused ids', () => {
    expect(() => loadSpecFile(join(fixtures, 'missing.yaml'))).toThrow(
      /missing\.yaml: \(file\): no such file/,
    );
    const broken = join(scratch, 'broken.yaml');
    writeFileSync(broken, 'openapi: [3.0\n');
    expect(() => loadSpecFile(broken)).toThrow(/not valid YAML or JSON/);
    expect(() => diffSpecs({ openapi: '3.0.3' }, docWith({}))).toThrow(/old spec: paths: expected an object/);
    const dangling = docWith(jsonResponse({ $ref: '#/components/schemas/nowhere' }));
    expect(() => diffSpecs(docWith({}), dangling)).toThrow(
      new SpecInputError('new spec', '#/components/schemas/nowhere', 'the reference does not resolve'),
    );
    const reused = docWith({});
    const twice = { ...reused, paths: { ...reused.paths, '/v1/Other': reused.paths['/v1/Things'] } };
    expect(() => diffSpecs(twice, reused)).toThrow(/"CreateThing" is used twice/);
  });
});

describe('suggestBumps', () => {
  const change = (impact: SpecChange['impact']): SpecChange => ({
    operation: 'FetchTask',
    method: 'GET',
    path: '/x',
    target: 'response field',
    kind: 'changed',
    impact,
    message: 'm',
  });

  it('takes the strongest impact, and leaves dependents alone for prose', () => {
    expect(suggestBumps([])).toEqual({});
    expect(suggestBumps([change('description')])).toEqual({ '@taskrouter/core': 'patch' });
    expect(suggestBumps([change('description'), change('compatible')])).toEqual({
      '@taskrouter/core': 'minor',
      '@taskrouter/resources': 'minor',
      '@taskrouter/testing-mocks': 'minor',
    });
    expect(suggestBumps([change('compatible'), change('breaking')])['@taskrouter/resources']).toBe('major');
  });
});

describe('report and changeset', () => {
  it('renders bumps and changes by impact, one heading per operation', () => {
    const diff = diffSpecs(fixture('base.yaml'), fixture('additive.yaml'));
    const report = formatReport(diff, { before: 'base.yaml', after: 'additive.yaml' });
    expect(report).toContain('10 changes: 0 breaking, 10 compatible, 0 description only.');
    expect(report).toContain('| @taskrouter/resources | minor |');
    expect(report).toContain('## Compatible changes');
    expect(report).not.toContain('## Breaking changes');
    expect(
      report.match(/^### CreateTask \(POST \/v1\/Workspaces\/\{WorkspaceSid\}\/Tasks\)$/gm),
    ).toHaveLength(1);
    expect(report).toContain(
      '- added value `canceled` to response field `assignment_status`\n  - note: code that switches',
    );
  });

  it('writes the bumps as frontmatter and names the file after the new spec', () => {
    const text = readFileSync(join(fixtures, 'descriptions.json'), 'utf8');
    const changeset = changesetFor(diffSpecs(fixture('base.yaml'), fixture('descriptions.json')), text);
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
    expect(changeset?.fileName).toBe(`spec-${hash}.md`);
    const [, frontmatter, summary] = changeset!.content.split('---\n');
    expect(parse(frontmatter!)).toEqual({ '@taskrouter/core': 'patch' });
    expect(summary).toContain('(6 changes, 0 breaking)');
    expect(summary).toContain('- CreateTask: reworded the description of body field `Priority`');

    const breaking = changesetFor(diffSpecs(fixture('base.yaml'), fixture('breaking.yaml')), 'x');
    expect(parse(breaking!.content.split('---\n')[1]!)).toEqual({
      '@taskrouter/core': 'major',
      '@taskrouter/resources': 'major',
      '@taskrouter/testing-mocks': 'major',
    });
    expect(breaking!.content).toContain('- **breaking** DeleteTask: removed operation DeleteTask');
    expect(changesetFor(diffSpecs(fixture('base.yaml'), fixture('base.yaml')), 'x')).toBeNull();
  });
});

describe('pnpm spec:diff', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/spec-diff.ts'), ...args], {
      cwd: fixtures,
      env: { ...process.env, INIT_CWD: fixtures },
      encoding: 'utf8',
    });

  it('prints the report, exits 0 even for breaking changes, and writes the changeset on request', () => {
    const dir = join(scratch, 'changesets');
    const result = run('base.yaml', 'breaking.yaml', `--changeset=${dir}`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('- old: base.yaml\n- new: breaking.yaml');
    expect(result.stdout).toContain('| @taskrouter/core | major |');
    const expected = changesetFor(
      diffSpecs(fixture('base.yaml'), fixture('breaking.yaml')),
      readFileSync(join(fixtures, 'breaking.yaml'), 'utf8'),
    )!;
    expect(readdirSync(dir)).toEqual([expected.fileName]);
    expect(readFileSync(join(dir, expected.fileName), 'utf8')).toBe(expected.content);
    expect(result.stdout).toContain(`wrote ${join(dir, expected.fileName)}`);
  });

  it('writes no changeset when nothing changed', () => {
    const dir = join(scratch, 'unchanged');
    const result = run('base.yaml', 'base.yaml', `--changeset=${dir}`);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No changeset written');
    expect(() => readdirSync(dir)).toThrow();
  });

  it('exits 2 with a reason on bad arguments or files', () => {
    const missing = run('base.yaml');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('usage: pnpm spec:diff OLD NEW');
    const unknown = run('base.yaml', 'additive.yaml', '--write');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown option --write');
    const invalid = run('base.yaml', 'not-openapi.yaml');
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('not-openapi.yaml: openapi: expected a version string');
    expect(invalid.stdout).toBe('');
  });
});
