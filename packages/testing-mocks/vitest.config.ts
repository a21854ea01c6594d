import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'testing-mocks',
    include: ['test/**/*.test.ts'],
    // Many tests drive real processes, the worker SDK over websockets or Chromium, and wait up to 8 s
    // for what they expect: vitest's 5 s default would cut them short on a loaded machine.
    testTimeout: 15_000,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
