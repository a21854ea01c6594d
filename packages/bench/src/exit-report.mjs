// Preloaded into every cold-start and type-check child: reports peak memory, CPU time and uptime on
// exit, outside the measured program so the program itself stays a plain user program.
import { readFileSync } from 'node:fs';

/**
 * Peak resident memory of this program, in KiB. Linux carries the getrusage peak over exec from the
 * forked copy of the parent, so a child of a large parent would report at least the parent's size;
 * VmHWM belongs to this program's own address space.
 */
function peakRssKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: the getrusage figure is the best there is.
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  const report = { maxRssKb: peakRssKb(), cpuMs: (user + system) / 1000, uptimeMs: performance.now() };
  process.stderr.write(`\n@bench ${JSON.stringify(report)}\n`);
});
