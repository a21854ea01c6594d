/** The runtimes and the npm version of each that the tests use. */
export const RUNTIMES: { readonly bun: string; readonly deno: string };
/** The npm prefix the runtimes are installed into. */
export const RUNTIMES_DIR: string;
/** The binary of a runtime at its pinned version, or `undefined` when it is not installed there. */
export function findRuntime(name: keyof typeof RUNTIMES): string | undefined;
