// The tarkin command line as a function of its arguments: cli.ts runs it on process.argv, the tests
// in process on their own (test/commands/).
import { Command, CommanderError } from "commander";
import { CliError, messagePrefix, setCommandName } from "./core/errors.js";
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

/** A commander error as one line ("unknown option '--mode'\n(Did you mean --model?)" was two), prefixed. */
function outputError(prefix: string): (text: string, write: (text: string) => void) => void {
  return (text, write) => write(`${prefix}: ${text.replace(/^error: /, "").trimEnd().replace(/\s*\n\s*/g, " ")}\n`);
}

function program(): Command {
  const program = new Command("tarkin")
    .description("security-anomaly scoring for log pipelines: a WebAssembly filter for Fluent Bit")
    .version(version())
    .exitOverride()
    .configureOutput({ outputError: outputError("tarkin") });
  for (const command of [trainCommand(), mergeCommand(), packCommand(), inspectCommand(), checkCommand(), explainCommand(), sampleCommand(), serveCommand(), reportCommand(), evalCommand()]) {
    program.addCommand(command.exitOverride().configureOutput({ outputError: outputError(`tarkin ${command.name()}`) }));
    requireAfterUnknownOptions(command);
  }
  return program.hook("preAction", (_, command) => setCommandName(command.name()));
}

/**
 * Commander checks required options before unknown ones, so `train --bogus` would report the
 * missing -o rather than the typo: its required options are checked here instead, just before the
 * action, once the unknown options have been reported.
 */
function requireAfterUnknownOptions(command: Command): void {
  const required = command.options.filter((o) => o.mandatory);
  for (const option of required) option.mandatory = false;
  command.hook("preAction", () => {
    const missing = required.find((o) => command.getOptionValue(o.attributeName()) === undefined);
    if (missing) command.error(`required option '${missing.flags}' not specified`, { code: "commander.missingMandatoryOptionValue", exitCode: 2 });
  });
}

/**
 * Runs `tarkin <args>` and gives its exit code: 0 success, 1 the run failed, 2 the command line is
 * wrong (commander's errors: an unknown option or command, a missing or bad argument; a UsageError).
 */
export async function runTarkin(args: string[]): Promise<number> {
  setCommandName(undefined);
  try {
    await program().parseAsync(args, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`${messagePrefix()}: ${(e as Error)?.message ?? e}\n`);
    return e instanceof CliError ? e.exitCode : 1;
  }
}
