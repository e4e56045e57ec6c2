// The options several commands share, turned into the typed values core/ takes: commander stops
// here, in commands/.
import { Option, type Command } from "commander";
import type { Format } from "../core/io/input.js";

/** How logs become records, and the tag they carry: check's and report's options. */
export interface RecordOptions {
  format: Format;
  header: boolean;
  tag: string;
}

export function addRecordOptions(command: Command): Command {
  return command
    .addOption(new Option("--format <format>", "lines: each becomes {\"log\": line}; ndjson: each line is a record; csv: rows become objects by header").choices(["lines", "ndjson", "csv"]).default("lines"))
    .option("--no-header", "csv: there is no header row; columns are named 1, 2, ...")
    .option("--tag <tag>", "the tag records carry", "tarkin");
}
