import * as path from 'node:path';
import ts from 'typescript';

/** One compiler error, with the file it is in (absolute path) and a 1-based position. */
export interface CompileError {
  file: string | undefined;
  line: number;
  column: number;
  message: string;
}

/** Reads a tsconfig file the way `tsc -p` does; its own problems are thrown. */
export function readProject(tsconfig: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  const [problem] = parsed.errors;
  if (problem) throw new Error(`${tsconfig}: ${ts.flattenDiagnosticMessageText(problem.messageText, '\n')}`);
  return parsed;
}

/**
 * Type-checks `files` (or the files of the project when omitted) with the compiler options of the
 * `tsconfig` project, the way `tsc --noEmit -p` would, and returns every error.
 */
export function typeCheck(tsconfig: string, files?: readonly string[]): CompileError[] {
  const project = readProject(tsconfig);
  const program = ts.createProgram({
    rootNames: files ?? project.fileNames,
    options: { ...project.options, noEmit: true },
  });
  return ts.getPreEmitDiagnostics(program).map(toCompileError);
}

function toCompileError(diagnostic: ts.Diagnostic): CompileError {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) {
    return { file: undefined, line: 0, column: 0, message };
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { file: path.resolve(diagnostic.file.fileName), line: line + 1, column: character + 1, message };
}
