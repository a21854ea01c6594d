/**
 * Names the samples of packages/testing-mocks/README.md use without defining them: the emulator of
 * the quick start and the functions its imports brought in.
 */
export { createTaskRouterClient } from '@taskrouter/core';
export { createEmulator } from '@taskrouter/testing-mocks';
export * from './emulator.ts';
