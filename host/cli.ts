// tarkin: train, pack, inspect, check and explain the security-anomaly filter.
import { Command, CommanderError } from "commander";
import { CliError } from "./core/errors.js";
import { version } from "./core/module/assets.js";
import { trainCommand } from "./commands/train.js";
import { mergeCommand } from "./commands/merge.js";
import { packCommand } from "./commands/pack.js";
import { inspectCommand } from "./commands/inspect.js";
import { checkCommand } from "./commands/check.js";
import { explainCommand } from "./commands/explain.js";
import { sampleCommand } from "./commands/sample.js";
import { serveCommand } from "./commands/serve.js";
import { reportCommand } from "./commands/report.js";
import { evalCommand } from "./commands/eval.js";
import { ModelError } from "./core/module/model.js";
import { LexiconError } from "./core/module/lexicon.js";
import { PackError } from "./core/module/pack.js";

const program = new Command("tarkin")
  .description("security-anomaly scoring for log pipelines: a WebAssembly filter for Fluent Bit")
  .version(version())
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`tarkin: ${text.replace(/^error: /, "")}`) });
for (const command of [trainCommand(), mergeCommand(), packCommand(), inspectCommand(), checkCommand(), explainCommand(), sampleCommand(), serveCommand(), reportCommand(), evalCommand()]) {
  program.addCommand(command.exitOverride().configureOutput({ outputError: (text, write) => write(`tarkin ${command.name()}: ${text.replace(/^error: /, "")}`) }));
}

// A reader that stops early (head, less) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof CliError || e instanceof ModelError || e instanceof LexiconError || e instanceof PackError) {
    process.stderr.write(`tarkin: ${e.message}\n`);
    process.exitCode = e instanceof CliError ? e.exitCode : 1;
  } else {
    process.stderr.write(`tarkin: ${(e as Error)?.message ?? e}\n`);
    process.exitCode = 1;
  }
}
