// Preloaded into every cold-start child: reports peak memory and uptime on exit, outside the
// measured app so the app itself stays a plain user program.
process.on('exit', () => {
  const report = { maxRssKb: process.resourceUsage().maxRSS, uptimeMs: performance.now() };
  process.stderr.write(`\n@bench ${JSON.stringify(report)}\n`);
});
