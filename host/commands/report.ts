// tarkin report: run logs through the module as check does, and write one self-contained HTML page
// of what it found: the alerts grouped by kind, then the charts in the order of what drives the
// decision (the score distributions with its thresholds, the gate along the run, the letter space).
import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { version } from "../core/module/assets.js";
import { CliError, UsageError } from "../core/errors.js";
import { records, sources } from "../core/io/input.js";
import { annotatingModule, readPack } from "../core/module/pack.js";
import { eventTime } from "../core/module/harness.js";
import { Progress } from "../core/io/progress.js";
import { ModuleDriver } from "../core/module/driver.js";
import { ReportData } from "../core/report/report-data.js";
import { renderReport } from "../core/report/report-html.js";
import { filterModule, harnessFor } from "../core/module/filter-module.js";
import { countersLine, failure, judge, writeSummaryJson } from "../core/module/run-summary.js";
import { addJudgeOptions, addModuleOptions, addRecordOptions, limitsFrom, moduleChoice, type JudgeOptions, type ModuleOptions, type RecordOptions } from "./options.js";

interface ReportOptions extends ModuleOptions, RecordOptions, JudgeOptions {
  output: string;
  top: string;
}

export function reportCommand(): Command {
  const command = new Command("report")
    .description("run logs through the module as check does and write one self-contained HTML report: alerts grouped by kind and explained, score distributions, letter space")
    .argument("[files...]", "log files; - or none for standard input");
  addRecordOptions(command)
    .option("--top <n>", "how many kinds of alert to list and explain (highest fear first)", "25")
    .requiredOption("-o, --output <report.html>", "where to write the report");
  addJudgeOptions(command);
  // The report runs the module in annotate mode and reads its fields whatever their prefix: --mode and --prefix would change nothing.
  return addModuleOptions(command, ["field", "surprise", "gateSpreads", "minFear"]).action((files: string[], o: ReportOptions) => report(files, o));
}

async function report(files: string[], o: ReportOptions): Promise<void> {
  const top = Number(o.top);
  if (!Number.isInteger(top) || top < 0 || top > 10000) throw new UsageError(`--top must be a whole number from 0 to 10000, not ${JSON.stringify(o.top)}`);
  const limits = limitsFrom(o);
  const inputs = sources(files);
  const given = filterModule(moduleChoice(o));
  const pack = readPack(given)!;
  const wasm = annotatingModule(given);
  const filter = harnessFor(wasm, o.wasm);
  // The threshold the module judges the next record against, read from the module itself.
  const gateThreshold = filter.exports.gate_threshold as () => number;
  // A second instance explains (and lowercases) messages, so the scoring run's gate is untouched.
  const data = new ReportData(pack, ModuleDriver.fromBytes(wasm), top);
  const progress = Progress.over("scoring", inputs);
  try {
    for (const input of inputs) {
      const source = data.source(input.name, input.size);
      for await (const { record, line } of records(input, o.format, o.header, progress?.advance)) {
        const gate = gateThreshold();
        const result = filter.filter(record, o.tag, eventTime());
        if (result === null) data.addLost(source);
        else data.add(result, source, line, gate);
      }
    }
  } finally {
    progress?.stop();
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
  // The report's module annotates every record, so its records out say nothing.
  process.stderr.write(
    `tarkin report: ${countersLine(s, ["recordsOut"])}` + (data.lost ? `, ${data.lost} LOST` : "") + ` -> ${o.output} (${Math.ceil(Buffer.byteLength(page) / 1024)} KiB)\n`,
  );
  const first = data.unreadable[0];
  const summary = judge("report", s, data.lost, limits, first && { source: first.source, line: first.line, error: first.error });
  if (o.summaryJson) writeSummaryJson(o.summaryJson, summary);
  const failed = failure(summary);
  if (failed) throw new CliError(failed);
}
