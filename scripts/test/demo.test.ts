import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './spec-helpers.ts';

describe('pnpm demo', () => {
  it('routes the Gold ticket to the right worker and completes it, against the in-process emulator', () => {
    const run = spawnSync(process.execPath, [join(repoRoot, 'scripts/demo.mjs')], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    const line = (step: number) =>
      lines.find((text) => text.startsWith(`${String(step).padStart(2)}. `)) ?? '';
    expect(line(6)).toMatch(/reserved|pending/);
    expect(line(6)).toContain('"Gold Desk"');
    expect(line(7)).toContain('offered to Alice (pending)');
    expect(line(8)).toContain('reservation accepted, task assigned');
    expect(line(9)).toContain('task is completed: "Refund issued"');
    expect(line(10)).toMatch(/task\.created.*reservation\.created.*reservation\.accepted.*task\.completed/);
    expect(line(11)).toContain('1 task created, 1 completed, 1 reservation created, 1 accepted');
  });
});
