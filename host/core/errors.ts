/** An error the CLI reports as one line on stderr, exiting non-zero (1: the run failed), without a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** A command line the command cannot run as given (a bad option value, options that do not go together): exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** The command running, which every message names: `tarkin check: ...`. */
let commandName: string | undefined;

export function setCommandName(name: string | undefined): void {
  commandName = name;
}

/** `tarkin <command>` (just `tarkin` before a command is known), the prefix of every message on stderr. */
export function messagePrefix(): string {
  return commandName ? `tarkin ${commandName}` : "tarkin";
}

/** A warning on stderr: the run goes on. */
export function warn(message: string): void {
  process.stderr.write(`${messagePrefix()}: warning: ${message}\n`);
}
