import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { codeBlocks } from './markdown.ts';

/** A TypeScript code block of a README, as the sample test compiles and runs it. */
export interface Sample {
  /** The README's path relative to the repository, with `/` separators. */
  readme: string;
  /** 1-based position of the block among the README's TypeScript blocks. */
  block: number;
  /** 1-based line of the block's first code line in the README. */
  line: number;
  code: string;
  /** False for blocks marked `<!-- sample: skip-run -->`: they are type-checked only. */
  run: boolean;
  /** Absolute path of the setup module that provides the names the block uses without defining. */
  setup: string;
}

const TYPESCRIPT = new Set(['ts', 'typescript']);
const DIRECTIVES = new Set(['skip-run']);

/**
 * Finds the TypeScript samples of the root README and of every `packages/<name>/README.md`. The
 * setup of a package's README is `<setups>/<name>.ts` when it exists, `<setups>/emulator.ts`
 * otherwise. An unknown `<!-- sample: … -->` word is an error, so a typo cannot silently disable a
 * sample.
 */
export function readmeSamples(repo: string, setups: string): Sample[] {
  const packageReadmes = readdirSync(path.join(repo, 'packages'), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(repo, 'packages', entry.name, 'README.md')),
    )
    .map((entry) => `packages/${entry.name}/README.md`)
    .sort();
  return ['README.md', ...packageReadmes].flatMap((readme) => {
    const named = path.join(setups, `${path.basename(path.dirname(path.join(repo, readme)))}.ts`);
    const setup = readme !== 'README.md' && existsSync(named) ? named : path.join(setups, 'emulator.ts');
    const blocks = codeBlocks(readFileSync(path.join(repo, readme), 'utf8')).filter((block) =>
      TYPESCRIPT.has(block.language),
    );
    return blocks.map((block, index) => {
      const unknown = block.directives.filter((word) => !DIRECTIVES.has(word));
      if (unknown.length > 0) {
        throw new Error(`${readme}:${block.line - 1}: unknown sample directive ${unknown.join(', ')}`);
      }
      return {
        readme,
        block: index + 1,
        line: block.line,
        code: block.code,
        run: !block.directives.includes('skip-run'),
        setup,
      };
    });
  });
}

/**
 * Names a piece of code reads (or might read) without declaring them at its top level: every
 * identifier except property names, minus the names its imports and top-level declarations bind.
 */
export function undeclaredNames(code: string): Set<string> {
  const source = ts.createSourceFile('sample.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const declared = new Set<string>();
  for (const statement of source.statements) {
    for (const name of boundNames(statement)) declared.add(name);
  }
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && !isPropertyName(node) && !declared.has(node.text)) used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return used;
}

function boundNames(statement: ts.Statement): string[] {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause) return [];
    const names = clause.name ? [clause.name.text] : [];
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings))
      names.push(...bindings.elements.map((item) => item.name.text));
    return names;
  }
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((declaration) => bindingNames(declaration.name));
  }
  if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement)) &&
    statement.name
  ) {
    return [statement.name.text];
  }
  return [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) =>
    ts.isOmittedExpression(element) ? [] : bindingNames(element.name),
  );
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
    (ts.isPropertyAssignment(parent) && parent.name === node) ||
    (ts.isPropertySignature(parent) && parent.name === node) ||
    (ts.isPropertyDeclaration(parent) && parent.name === node) ||
    (ts.isMethodDeclaration(parent) && parent.name === node) ||
    (ts.isMethodSignature(parent) && parent.name === node) ||
    (ts.isQualifiedName(parent) && parent.right === node) ||
    (ts.isBindingElement(parent) && parent.propertyName === node)
  );
}

/** The value names each module exports, following `export *`, as the compiler resolves them. */
export function moduleExports(
  files: readonly string[],
  options: ts.CompilerOptions,
): Map<string, Set<string>> {
  const program = ts.createProgram({ rootNames: files, options: { ...options, noEmit: true } });
  const checker = program.getTypeChecker();
  return new Map(
    files.map((file) => {
      const source = program.getSourceFile(file);
      const symbol = source && checker.getSymbolAtLocation(source);
      if (!symbol) throw new Error(`cannot read the exports of ${file}`);
      const values = checker
        .getExportsOfModule(symbol)
        .filter((item) => {
          const target = item.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(item) : item;
          return (target.flags & ts.SymbolFlags.Value) !== 0;
        })
        .map((item) => item.name);
      return [file, new Set(values)];
    }),
  );
}

/** Names of vitest's API a sample may use as globals, the way a test file with `globals: true` would. */
const VITEST_API = new Set([
  'afterAll',
  'afterEach',
  'beforeAll',
  'beforeEach',
  'describe',
  'expect',
  'it',
  'test',
  'vi',
]);

/** A sample as it is compiled and run. */
export interface SampleModule {
  /**
   * One line of imports, then the block unchanged, so compiler lines are README lines shifted by
   * `sample.line - 2`. The line imports the setup (for the names the block uses from it, and in
   * any case for its side effects) and the vitest functions the block uses without importing. A
   * test block with hooks but no test gets an empty test after it, so that the hooks run.
   */
  source: string;
  /** Whether the block is a test file (it uses vitest), to be run by vitest rather than imported. */
  isTest: boolean;
}

/** Turns a sample into the module that is compiled and run; see {@link SampleModule}. */
export function sampleModule(
  sample: Sample,
  setupSpecifier: string,
  setupExports: ReadonlySet<string>,
): SampleModule {
  const undeclared = [...undeclaredNames(sample.code)].sort();
  const fromSetup = undeclared.filter((name) => setupExports.has(name));
  const fromVitest = undeclared.filter((name) => VITEST_API.has(name) && !setupExports.has(name));
  const source = ts.createSourceFile(
    'sample.ts',
    sample.code,
    ts.ScriptTarget.Latest,
    false,
    ts.ScriptKind.TS,
  );
  const importsVitest = source.statements.some(
    (statement) =>
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      /(^|\/)vitest$/.test(statement.moduleSpecifier.text),
  );
  const isTest = fromVitest.length > 0 || importsVitest;
  // A block of hooks alone (an msw server's setup, say) gets an empty test, so that its hooks run.
  const hooksOnly = isTest && !/\b(test|it)(\.\w+)*\s*\(/.test(sample.code);
  if (hooksOnly && !fromVitest.includes('test')) fromVitest.push('test');
  const imports = [
    fromSetup.length > 0
      ? `import { ${fromSetup.join(', ')} } from '${setupSpecifier}';`
      : `import '${setupSpecifier}';`,
    ...(fromVitest.length > 0 ? [`import { ${fromVitest.sort().join(', ')} } from 'vitest';`] : []),
  ];
  const tail = hooksOnly ? "test('runs its hooks', () => {});\n" : '';
  return { source: `${imports.join(' ')}\n${sample.code}\n${tail}`, isTest };
}
