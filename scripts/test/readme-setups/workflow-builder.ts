/**
 * Names the samples of packages/workflow-builder/README.md use without defining them: two queue
 * SIDs, a configuration built from them, a workflow as the API returns it, configuration text, and
 * the exports the later samples assume were imported before.
 */
import { workflowBuilder } from '@taskrouter/workflow-builder';

export { WorkflowConfig, workflowBuilder } from '@taskrouter/workflow-builder';
export * from './emulator.ts';

export const SUPPORT = 'WQ00000000000000000000000000000001';
export const EVERYONE = 'WQ00000000000000000000000000000002';

export const config = workflowBuilder()
  .filter('type == "support"', 'Support')
  .target(SUPPORT, { priority: 10, timeout: 30 })
  .defaultFilter(EVERYONE)
  .build();
export const text = JSON.stringify(config);
export const workflow = { configuration: text };
