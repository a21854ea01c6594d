import { workflowBuilder } from '@taskrouter/workflow-builder';

/** Queue SIDs of the example; in an application they come from the API or the environment. */
export const queues = {
  vip: 'WQ0000000000000000000000000000a001',
  french: 'WQ0000000000000000000000000000a002',
  everyone: 'WQ0000000000000000000000000000a003',
};

/**
 * A support desk: VIP customers first try the agent they spoke to last, then the most senior
 * free agent; French speakers wait for a French-speaking agent before anyone may take the task;
 * every other task goes to the shared queue.
 */
export const supportWorkflow = workflowBuilder()
  .filter('customer.tier == "vip"', 'VIP customers')
  .target(queues.vip, { knownWorkerSid: 'task.last_agent_sid', priority: 20, timeout: 30 })
  .target({ orderBy: [{ attribute: 'seniority', direction: 'DESC' }], timeout: 90 })
  .target(queues.everyone, { priority: 20 })
  .filter('language == "fr"', 'French speakers')
  .target(queues.french, { expression: 'task.language IN worker.languages', timeout: 120 })
  .target(queues.everyone, { skipIf: 'workers.available == 0' })
  .defaultFilter(queues.everyone)
  .build();
