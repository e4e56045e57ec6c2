// tarkin report: run logs through the module as check does, and write one self-contained HTML page
// of what it found: the letter space, the score distributions with the decision's thresholds, the
// gate along the run, and the top anomalies explained.
import { writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { version } from "../core/assets.js";
import { CliError } from "../core/errors.js";
import { records, sources, type Format } from "../core/input.js";
import { readPack } from "../core/pack.js";
import { addSettingsOptions, type SettingsOptions } from "../core/settings.js";
import { eventTime } from "../core/harness.js";
import { Tarkin } from "../core/tarkin.js";
import { annotatingModule, ReportData } from "../core/report-data.js";
import { renderReport } from "../core/report-html.js";
import { filterModule, harnessFor } from "../core/filter-module.js";

interface ReportOptions extends SettingsOptions {
  wasm?: string;
  format: Format;
  header: boolean;
  tag: string;
  output: string;
  top: string;
}

export function reportCommand(): Command {
  return addSettingsOptions(
    new Command("report")
      .description("run logs through the module as check does and write one self-contained HTML report: letter space, score distributions, top anomalies explained")
      .argument("[files...]", "log files; - or none for standard input")
      .option("--wasm <module.wasm>", "a module from tarkin pack (default: the embedded default model)")
      .addOption(new Option("--format <format>", "lines: each becomes {\"log\": line}; ndjson: each line is a record; csv: rows become objects by header").choices(["lines", "ndjson", "csv"]).default("lines"))
      .option("--no-header", "csv: there is no header row; columns are named 1, 2, ...")
      .option("--tag <tag>", "the tag records carry", "tarkin")
      .option("--top <n>", "how many of the top anomalies to list and explain", "25")
      .requiredOption("-o, --output <report.html>", "where to write the report"),
  ).action((files: string[], o: ReportOptions) => report(files, o));
}

async function report(files: string[], o: ReportOptions): Promise<void> {
  const top = Number(o.top);
  if (!Number.isInteger(top) || top < 0 || top > 10000) throw new CliError(`--top must be a whole number from 0 to 10000, not ${JSON.stringify(o.top)}`);
  const inputs = sources(files);
  const given = filterModule(o);
  const pack = readPack(given);
  if (!pack) throw new CliError(`${o.wasm}: a tarkin module with no packed model; build one with tarkin pack`);
  const wasm = annotatingModule(given, pack);
  const filter = harnessFor(wasm, o.wasm);
  // The threshold the module judges the next record against, read from the module itself.
  const gateThreshold = filter.exports.gate_threshold as () => number;
  // A second instance explains (and lowercases) messages, so the scoring run's gate is untouched.
  const data = new ReportData(pack, Tarkin.fromBytes(wasm), top);
  for (const input of inputs) {
    const source = data.source(input.name, input.size);
    for await (const { record, line } of records(input, o.format, o.header)) {
      const gate = gateThreshold();
      const result = filter.filter(record, o.tag, eventTime());
      if (result === null) data.addLost(source);
      else data.add(result, source, line, gate);
    }
  }
  data.gateAtEnd = gateThreshold();
  const page = renderReport(data, {
    module: o.wasm ?? "the embedded default model (models/default.json)",
    format: o.format,
    generated: new Date(),
    version: version(),
    annotated: wasm !== given,
  });
  try {
    writeFileSync(o.output, page);
  } catch (e) {
    throw new CliError(`cannot write ${o.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const s = filter.stats();
  process.stderr.write(
    `tarkin report: ${s.recordsIn} records in, ${s.infrequent} infrequent, ${s.anomalous} anomalous, ${s.errors} errors` +
      (data.lost ? `, ${data.lost} LOST` : "") +
      ` -> ${o.output} (${Math.ceil(Buffer.byteLength(page) / 1024)} KiB)\n`,
  );
  if (data.lost) throw new CliError(`${data.lost} records were lost: the module trapped or returned no string`);
}
