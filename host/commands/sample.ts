// tarkin sample: the project's own sample logs.
import { createWriteStream, type WriteStream } from "node:fs";
import { Command } from "commander";
import { CliError, UsageError } from "../core/errors.js";
import { Output } from "../core/io/output.js";
import { sampleLines } from "../core/sample.js";

export function sampleCommand(): Command {
  return new Command("sample")
    .description("write realistic sample logs (sshd, web, kernel, application) with a few attacks mixed in")
    .option("--lines <n>", "how many lines", "2000")
    .option("--seed <n>", "the generator's seed: the same seed gives the same lines", "1")
    .option("--attacks <share>", "share of attack and failure lines, 0 to 1", "0.02")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (o: { lines: string; seed: string; attacks: string; output?: string }) => {
      const lines = o.lines.trim() === "" ? NaN : Number(o.lines);
      const seed = o.seed.trim() === "" ? NaN : Number(o.seed);
      const attacks = o.attacks.trim() === "" ? NaN : Number(o.attacks);
      if (!Number.isInteger(lines) || lines < 0) throw new UsageError(`--lines must be a whole number, not ${JSON.stringify(o.lines)}`);
      if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, not ${JSON.stringify(o.seed)}`);
      if (!(attacks >= 0 && attacks <= 1)) throw new UsageError(`--attacks must be a number from 0 to 1, not ${JSON.stringify(o.attacks)}`);
      const stream = o.output ? await openForWriting(o.output) : process.stdout;
      const out = new Output(stream);
      for (const line of sampleLines({ lines, seed, attacks })) await out.line(line);
      await out.end();
      if (o.output) await new Promise<void>((resolve) => stream.end(() => resolve()));
    });
}

/** A file stream, opened before anything is written so that a bad path is one clear error. */
function openForWriting(file: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(file);
    stream.once("ready", () => resolve(stream));
    stream.once("error", (e: NodeJS.ErrnoException) => reject(new CliError(`cannot write ${file}: ${e.code === "ENOENT" ? "no such directory" : e.message}`)));
  });
}
