import { describe, expect, it } from 'vitest';
import {
  ExpressionSyntaxError,
  compileExpression,
  evaluateExpression,
  parseExpression,
} from '../src/index.js';

const task = {
  type: 'support',
  priority: 7,
  vip: true,
  language: 'fr',
  skills: ['billing', 'sales', 3],
  customer: { name: 'Ada Lovelace', phones: [{ country: 'FR' }, { country: 'UK' }] },
  nothing: null,
};

const holds = (source: string, attributes: unknown = task) => evaluateExpression(source, attributes);

describe('evaluateExpression', () => {
  it('treats 1==1 as always true, even without attributes', () => {
    expect(holds('1==1', {})).toBe(true);
    expect(holds('1==1', undefined)).toBe(true);
    expect(holds('1==2', {})).toBe(false);
  });

  it('compares scalars strictly', () => {
    expect(holds('type == "support"')).toBe(true);
    expect(holds("type = 'support'")).toBe(true);
    expect(holds('type == "Support"')).toBe(false);
    expect(holds('priority == 7')).toBe(true);
    expect(holds('priority == "7"')).toBe(false);
    expect(holds('vip == true')).toBe(true);
    expect(holds('type != "sales"')).toBe(true);
    expect(holds('type != "support"')).toBe(false);
  });

  it('orders numbers and strings, never a mix', () => {
    expect(holds('priority > 5')).toBe(true);
    expect(holds('priority >= 7')).toBe(true);
    expect(holds('priority < 7')).toBe(false);
    expect(holds('priority <= 7.5')).toBe(true);
    expect(holds('language > "en"')).toBe(true);
    expect(holds('priority > "5"')).toBe(false);
    expect(holds('missing < 5')).toBe(false);
    expect(holds('missing >= 0')).toBe(false);
  });

  it('reads missing keys as null', () => {
    expect(holds('missing == null')).toBe(true);
    expect(holds('nothing == null')).toBe(true);
    expect(holds('customer.age == null')).toBe(true);
    expect(holds('missing.deeper[3].still == null')).toBe(true);
    expect(holds('missing != null')).toBe(false);
    expect(holds('type != null')).toBe(true);
    expect(holds('missing == "x"')).toBe(false);
  });

  it('follows dotted keys and indexes', () => {
    expect(holds('customer.phones[1].country == "UK"')).toBe(true);
    expect(holds('skills[0] == "billing"')).toBe(true);
    expect(holds('skills[9] == null')).toBe(true);
    expect(holds('customer[0] == null')).toBe(true);
  });

  it('never reads inherited properties', () => {
    expect(holds('constructor == null')).toBe(true);
    expect(holds('type.length == null')).toBe(true);
    expect(holds('skills.length == null')).toBe(true);
  });

  it('implements CONTAINS as a substring test on strings only', () => {
    expect(holds('customer.name CONTAINS "Love"')).toBe(true);
    expect(holds('customer.name contains "love"')).toBe(false);
    expect(holds('skills CONTAINS "billing"')).toBe(false);
    expect(holds('priority CONTAINS "7"')).toBe(false);
  });

  it('implements HAS and IN on the array side only', () => {
    expect(holds('skills HAS "sales"')).toBe(true);
    expect(holds('skills >- 3')).toBe(true);
    expect(holds('skills HAS "marketing"')).toBe(false);
    expect(holds('type HAS "support"')).toBe(false);
    expect(holds('language IN ["en", "fr"]')).toBe(true);
    expect(holds('language <- ["en", "fr"]')).toBe(true);
    expect(holds('language IN ["de"]')).toBe(false);
    expect(holds('language IN "fr"')).toBe(false);
    expect(holds('skills IN ["sales"]')).toBe(false);
    expect(holds('"billing" IN skills')).toBe(true);
  });

  it('implements NOT IN only when the right side is an array', () => {
    expect(holds('language NOT IN ["de", "es"]')).toBe(true);
    expect(holds('language NOT IN ["fr"]')).toBe(false);
    expect(holds('missing NOT IN ["fr"]')).toBe(true);
    expect(holds('language NOT IN "de"')).toBe(false);
    expect(holds('skills NOT IN ["x"]')).toBe(false);
  });

  it('makes a scalar operator on an array false', () => {
    expect(holds('skills == "billing"')).toBe(false);
    expect(holds('skills != "billing"')).toBe(false);
    expect(holds('skills > 1')).toBe(false);
    expect(holds('customer == null')).toBe(false);
    expect(holds('type == ["support"]')).toBe(false);
  });

  it('combines with AND, OR and parentheses, AND binding tighter', () => {
    expect(holds('type == "sales" OR priority > 5 AND vip == true')).toBe(true);
    expect(holds('(type == "sales" OR priority > 5) AND vip == false')).toBe(false);
    expect(holds('type == "support" && (language == "de" || language == "fr")')).toBe(true);
    expect(holds('type == "support" AND language == "de"')).toBe(false);
  });

  it('resolves prefixed keys in scopes and unprefixed keys in attributes', () => {
    const scopes = {
      task: { language: 'fr', preferred_agents: ['alice'], requested_agent: 'bob' },
      worker: { languages: ['en', 'fr'], agent_id: 'bob', id: 'alice' },
    };
    expect(evaluateExpression('task.language IN worker.languages', {}, scopes)).toBe(true);
    expect(evaluateExpression('worker.id IN task.preferred_agents', {}, scopes)).toBe(true);
    expect(evaluateExpression('task.requested_agent == worker.agent_id', {}, scopes)).toBe(true);
    expect(evaluateExpression('task.language == "fr"', { task: { language: 'de' } }, scopes)).toBe(true);
    expect(evaluateExpression('task.language == "de"', { task: { language: 'de' } })).toBe(true);
    expect(evaluateExpression('level == 3 AND task.language == "fr"', { level: 3 }, scopes)).toBe(true);
  });

  it('evaluates skip_if variables through a workers scope', () => {
    const skip = 'workers.available == 0 OR workers.WA00000000000000000000000000000001 > 2';
    expect(evaluateExpression(skip, {}, { workers: { available: 0 } })).toBe(true);
    expect(evaluateExpression(skip, {}, { workers: { available: 1 } })).toBe(false);
    expect(
      evaluateExpression(skip, {}, { workers: { available: 1, WA00000000000000000000000000000001: 3 } }),
    ).toBe(true);
  });

  it('accepts a syntax tree as well as source', () => {
    expect(evaluateExpression(parseExpression('priority > 5'), task)).toBe(true);
  });

  it('throws ExpressionSyntaxError for invalid source', () => {
    expect(() => evaluateExpression('priority >', task)).toThrow(ExpressionSyntaxError);
  });
});

describe('compileExpression', () => {
  it('returns a reusable predicate with its tree and canonical source', () => {
    const compiled = compileExpression("type = 'support' && skills >- 'sales'");
    expect(compiled.source).toBe('type == "support" AND skills HAS "sales"');
    expect(compiled.expression).toEqual(parseExpression(compiled.source));
    expect(compiled(task)).toBe(true);
    expect(compiled({ ...task, skills: [] })).toBe(false);
    expect(compiled({ ...task, type: 'sales' })).toBe(false);
  });

  it('evaluates prefixed keys against the scopes given on each call', () => {
    const compiled = compileExpression('worker.level >= task.required_level');
    expect(compiled({}, { task: { required_level: 2 }, worker: { level: 3 } })).toBe(true);
    expect(compiled({}, { task: { required_level: 4 }, worker: { level: 3 } })).toBe(false);
  });

  it('reads prefixed keys from attributes when no scope of that name is given', () => {
    const compiled = compileExpression('task.language IN worker.languages');
    const task = { language: 'fr' };
    const worker = { languages: ['fr'] };
    expect(compiled({ task, worker })).toBe(true);
    expect(compiled({}, { task, worker })).toBe(true);
    expect(compiled({ task, worker: { languages: ['en'] } })).toBe(false);
  });

  it('stops at the first decisive operand', () => {
    let reads = 0;
    const attributes = {
      get counted() {
        reads++;
        return 1;
      },
    };
    compileExpression('1 == 1 OR counted == 1')(attributes);
    compileExpression('1 == 2 AND counted == 1')(attributes);
    expect(reads).toBe(0);
    compileExpression('1 == 2 OR counted == 1')(attributes);
    expect(reads).toBe(1);
  });
});
