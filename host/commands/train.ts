// tarkin train: learn a character-frequency model from logs, streaming, in constant memory.
import { existsSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { Command, Option } from "commander";
import { ModuleDriver } from "../core/module/driver.js";
import { coreModule } from "../core/module/assets.js";
import { CliError, UsageError } from "../core/errors.js";
import { readText } from "../core/io/files.js";
import { atPath, csvRows, lineBlocks, lines, messageOf, sources, type Format, type Source } from "../core/io/input.js";
import { parseModel, type Model } from "../core/module/model.js";
import { Progress } from "../core/io/progress.js";
import { DEFAULT_SETTINGS } from "../core/module/pack.js";

interface TrainOptions {
  output: string;
  format: Format;
  field?: string;
  column: string;
  header?: boolean;
  update?: boolean;
  force?: boolean;
}

export function trainCommand(): Command {
  return new Command("train")
    .description("train a model on normal logs")
    .argument("[files...]", "log files; - or none for standard input")
    .requiredOption("-o, --output <model.json>", "where to write the model")
    .addOption(new Option("--format <format>", "lines: a message per line; ndjson: a JSON object per line; csv").choices(["lines", "ndjson", "csv"]).default("lines"))
    .option("--field <path>", `ndjson: the message field, a dotted path (default the first of ${DEFAULT_SETTINGS.fields.join(", ")})`)
    .option("--column <n|name>", "csv: the message column, a 1-based number or a header name (the original's CSV: 9)", "9")
    .option("--header", "csv: the first row is a header (implied by a column name)")
    .option("--update", "continue training the model already at --output")
    .addOption(new Option("--force", "replace a model already at --output (without it, train refuses to)").conflicts("update"))
    .action((files: string[], options: TrainOptions) => train(files, options));
}

/** The records (NDJSON lines, CSV rows) read, and why those skipped were, counted for the summary and the errors. */
interface Tally {
  read: number;
  skipped: Map<string, number>;
}

function skip(tally: Tally, why: string): void {
  tally.skipped.set(why, (tally.skipped.get(why) ?? 0) + 1);
}

/** "the field a.b", "a field log, message or msg". */
function fieldsPhrase(fields: string[]): string {
  return fields.length === 1 ? `the field ${fields[0]}` : `a field ${fields.slice(0, -1).join(", ")} or ${fields[fields.length - 1]}`;
}

async function trainSource(t: ModuleDriver, source: Source, o: TrainOptions, tally: Tally, onBytes?: (n: number) => void): Promise<void> {
  const decoder = new TextDecoder();
  if (o.format === "lines") {
    for await (const block of lineBlocks(source, onBytes)) t.trainLines(block);
  } else if (o.format === "ndjson") {
    const fields = o.field ? [o.field] : DEFAULT_SETTINGS.fields;
    for await (const line of lines(source, onBytes)) {
      const text = decoder.decode(line);
      if (text.trim() === "") continue;
      tally.read++;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        skip(tally, "not JSON");
        continue;
      }
      const message = messageOf(record, fields);
      if (message !== undefined) {
        t.train(message);
        continue;
      }
      const present = fields.find((f) => atPath(record, f) !== undefined);
      skip(tally, present ? `whose ${present} is not a string` : `without ${fieldsPhrase(fields)}`);
    }
  } else {
    const byName = !/^\d+$/.test(o.column);
    const header = o.header || byName;
    let index = byName ? -1 : Number(o.column) - 1;
    if (!byName && index < 0) throw new UsageError(`--column ${o.column}: columns count from 1`);
    let first = true;
    for await (const row of csvRows(source, onBytes)) {
      if (first && header) {
        first = false;
        if (byName) {
          index = row.indexOf(o.column);
          if (index < 0) throw new CliError(`${source.name}: no column named ${JSON.stringify(o.column)} in the header (${row.slice(0, 12).join(", ")})`);
        }
        continue;
      }
      first = false;
      tally.read++;
      if (index < row.length) t.train(row[index]);
      else skip(tally, `with fewer than ${index + 1} columns`);
    }
  }
}

async function train(files: string[], o: TrainOptions): Promise<void> {
  const inputs = sources(files);
  const t = ModuleDriver.fromBytes(coreModule());
  let previous: Model | undefined;
  if (!o.update && !o.force && existsSync(o.output)) throw new CliError(`${o.output} exists: --update continues training it, --force replaces it`);
  if (o.update) {
    if (!existsSync(o.output)) throw new CliError(`--update: there is no model at ${o.output} to continue`);
    previous = parseModel(readText(o.output), o.output);
    t.loadModel(previous);
  }
  const progress = Progress.over("training", inputs);
  const trainedOn: Record<string, unknown>[] = [];
  const tally: Tally = { read: 0, skipped: new Map() };
  try {
    for (const source of inputs) {
      const before = t.messages();
      await trainSource(t, source, o, tally, progress?.advance);
      const where = o.format === "ndjson" ? { field: o.field ?? DEFAULT_SETTINGS.fields.join("|") } : o.format === "csv" ? { column: o.column } : {};
      trainedOn.push({ source: basename(source.name), format: o.format, ...where, messages: t.messages() - before });
    }
  } finally {
    progress?.stop();
  }
  const model = t.model();
  const skipped = [...tally.skipped].map(([why, n]) => `${n} ${why}`).join(", ");
  if (model.messages === 0) throw new CliError(`no messages to train on: ${nothingUsable(o, tally.read, skipped)}`);
  const earlier = (previous?.provenance?.trainedOn as Record<string, unknown>[] | undefined) ?? [];
  model.provenance = { trainedOn: [...earlier, ...trainedOn] };
  writeFileSync(o.output, JSON.stringify(model, null, 1) + "\n");
  process.stderr.write(
    `tarkin train: ${model.messages - (previous?.messages ?? 0)} messages` +
      (previous ? ` added to ${previous.messages}` : "") +
      `, ${model.characters.length} characters -> ${o.output}` + (skipped ? ` (skipped: ${skipped})` : "") + "\n",
  );
}

/** Why training found nothing: the input was empty, or what its records lacked and what says where the message is. */
function nothingUsable(o: TrainOptions, read: number, skipped: string): string {
  if (read === 0) return o.format === "csv" ? "the input has no rows (a header row aside)" : "the input is empty";
  const where = o.format === "csv" ? "--column picks the message column" : "--field names the message field";
  return `${read} ${o.format === "csv" ? "rows" : "records"} read, none usable: ${skipped}; ${where}, --format the input's format`;
}
