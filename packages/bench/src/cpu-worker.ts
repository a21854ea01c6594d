/**
 * Child process of the client-CPU benchmark: holds one client, warms it up, then on each request
 * from the parent runs a batch of calls and reports the CPU time this process spent on them.
 * Keeping each client in its own process stops one client's heap and JIT state from taxing another.
 */
import { CLIENT_FACTORIES } from './clients.js';

/** A batch the parent asks for. */
export interface CpuJob {
  /** `create` (one task per call), or `list` (one full 1,000-task walk per call). */
  kind: 'create' | 'list';
  calls: number;
  /** Calls in flight at once. */
  concurrency: number;
}

/** What the worker reports for a batch. */
export interface CpuJobResult {
  /** User + system CPU microseconds per call. */
  cpuUsPerCall: number;
  /** Wall-clock milliseconds for the whole batch. */
  wallMs: number;
  /**
   * Page faults (minor and major) of this process per call: the kernel's work of mapping memory the
   * process touches again after the C library or V8 gave it back, counted in the system time.
   */
  pageFaultsPerCall: number;
}

const [clientName, baseUrl] = process.argv.slice(2);
const factory = clientName === undefined ? undefined : CLIENT_FACTORIES[clientName];
if (factory === undefined || baseUrl === undefined) {
  throw new Error(`usage: cpu-worker <${Object.keys(CLIENT_FACTORIES).join('|')}> <base URL>`);
}
const client = await factory(baseUrl);

function pageFaults(): number {
  const { minorPageFault, majorPageFault } = process.resourceUsage();
  return minorPageFault + majorPageFault;
}

async function runJob(job: CpuJob): Promise<CpuJobResult> {
  const call = job.kind === 'create' ? client.createTask : client.walkList;
  let remaining = job.calls;
  const lane = async () => {
    while (remaining > 0) {
      remaining -= 1;
      await call();
    }
  };
  const wallStart = performance.now();
  const faultsBefore = pageFaults();
  const cpuStart = process.cpuUsage();
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  const cpu = process.cpuUsage(cpuStart);
  return {
    cpuUsPerCall: (cpu.user + cpu.system) / job.calls,
    wallMs: performance.now() - wallStart,
    pageFaultsPerCall: (pageFaults() - faultsBefore) / job.calls,
  };
}

const LARGE_BLOCK_BYTES = 4 * 1024 * 1024;
/** Collections a worker waits through for the block's memory to be released. */
const FREE_ATTEMPTS = 10;

/**
 * Brings the C library's allocator to the state of a process that has run for a while. glibc gives
 * the free memory at the top of its heap back to the system once more than a threshold (128 KiB at
 * start) is free there, and raises that threshold the first time it frees a block too large for its
 * heap. Until then, every scavenge that frees a batch of Node's socket read buffers hands their
 * memory back and the next reads fault it in again: hundreds of page faults per walk, whose kernel
 * time made identical code walk up to 70% slower in one process than in another. A
 * long-running process has freed such a block long before (a file read whole, a large answer); each
 * worker frees one before it warms up, so every client is measured in that state.
 */
async function settleAllocator(): Promise<void> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('the CPU worker runs with --expose-gc');
  const before = process.memoryUsage().arrayBuffers;
  touchLargeBlock();
  // V8 may release a dead buffer's memory on a background thread after the collection that found
  // it dead, so the count can lag one collection behind: give it a few turns before giving up.
  for (let attempt = 0; attempt < FREE_ATTEMPTS; attempt++) {
    collect();
    if (process.memoryUsage().arrayBuffers < before + LARGE_BLOCK_BYTES) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the large block survived ${FREE_ATTEMPTS} full collections`);
}

/** Allocates and drops the block in a frame of its own, so that nothing on the stack still holds it. */
function touchLargeBlock(): void {
  Buffer.allocUnsafeSlow(LARGE_BLOCK_BYTES).fill(1);
}

await settleAllocator();
// Warm-up: let the JIT settle and the connection pool fill before anything is measured.
await runJob({ kind: 'create', calls: 200, concurrency: 16 });
await runJob({ kind: 'list', calls: 2, concurrency: 1 });

process.on('message', (job: CpuJob) => {
  runJob(job).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  );
});
process.on('disconnect', () => {
  client.close?.();
  process.exit(0);
});
process.send?.({ ready: true });
