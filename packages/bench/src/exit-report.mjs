// Preloaded into every cold-start and type-check child: reports peak memory, CPU time and uptime on
// exit, outside the measured program so the program itself stays a plain user program.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  const report = {
    maxRssKb: process.resourceUsage().maxRSS,
    cpuMs: (user + system) / 1000,
    uptimeMs: performance.now(),
  };
  process.stderr.write(`\n@bench ${JSON.stringify(report)}\n`);
});
