// @ts-check
import ts from 'typescript';
import { Converter, ReflectionKind, ReflectionType } from 'typedoc';

/**
 * Keeps references between core's generated types readable.
 *
 * openapi-typescript writes members such as `get: operations["ListWorkspace"]`. TypeDoc converts
 * a property from its resolved type, so every path would repeat its whole operation and every
 * operation every schema, turning the pages into megabytes of copies. For properties declared in
 * a generated file with an indexed-access type, this plugin converts the declared type instead,
 * which renders as a link such as `operations["ListWorkspace"]`.
 *
 * @param {import('typedoc').Application} app
 */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Property)) return;
    const declaration = context.getSymbolFromReflection(reflection)?.declarations?.[0];
    if (!declaration || !ts.isPropertySignature(declaration) || !declaration.type) return;
    if (!ts.isIndexedAccessTypeNode(declaration.type)) return;
    if (!/[\\/]generated[\\/]/.test(declaration.getSourceFile().fileName)) return;
    const expanded = reflection.type;
    reflection.type = context.converter.convertType(context.withScope(reflection), declaration.type);
    if (expanded instanceof ReflectionType) context.project.removeReflection(expanded.declaration);
  });
}
