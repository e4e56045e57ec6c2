// Preloaded into the spawned `tarkin train` (node --require bench/peak-rss.cjs dist/tarkin.js ...):
// when the process exits, writes its peak resident set size in bytes (VmHWM from /proc/self/status,
// or process.resourceUsage().maxRSS where there is no /proc) to the file named by BENCH_PEAK_RSS_FILE.
// It changes nothing else about the run.
"use strict";
const fs = require("node:fs");

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) {
  process.on("exit", () => {
    let bytes = 0;
    try {
      const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
      if (m) bytes = Number(m[1]) * 1024;
    } catch {
      // no /proc
    }
    if (!bytes) bytes = process.resourceUsage().maxRSS * 1024;
    fs.writeFileSync(file, String(bytes));
  });
}
