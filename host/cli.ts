// tarkin: train, pack, inspect, check and explain the security-anomaly filter.
import { runTarkin } from "./program.js";

// A reader that stops early (head, less) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

process.exitCode = await runTarkin(process.argv.slice(2));
