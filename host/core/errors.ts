/** An error the CLI reports as one line on stderr, exiting non-zero, without a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
