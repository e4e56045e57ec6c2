// tarkin check: the harness. Every record goes through the module exactly as Fluent Bit sends it;
// what comes out goes to stdout as NDJSON, a summary to stderr. The run fails (exit 1) when records
// are lost or a counter passes its limit (--max-errors), so that it can gate a rollout.
import { Command, Option } from "commander";
import { CliError } from "../core/errors.js";
import { encodeMsgpack, msgpackToJson } from "../core/io/msgpack.js";
import { eventTime, type EventFormat } from "../core/module/harness.js";
import { filterModule, harnessFor } from "../core/module/filter-module.js";
import { readPack } from "../core/module/pack.js";
import { countersLine, failure, judge, writeSummaryJson, type FirstRecord } from "../core/module/run-summary.js";
import { records, sources } from "../core/io/input.js";
import { addJudgeOptions, addModuleOptions, addRecordOptions, limitsFrom, moduleChoice, type JudgeOptions, type ModuleOptions, type RecordOptions } from "./options.js";
import { Output } from "../core/io/output.js";
import { Progress } from "../core/io/progress.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface CheckOptions extends ModuleOptions, RecordOptions, JudgeOptions {
  eventFormat: EventFormat;
}

export function checkCommand(): Command {
  const command = new Command("check")
    .description("run logs through the module as Fluent Bit does; records out on stdout, a summary on stderr; exit 1 when records fail")
    .argument("[files...]", "log files; - or none for standard input");
  addRecordOptions(command)
    .addOption(new Option("--event-format <format>", "how Fluent Bit hands records to the module: json text, or the msgpack map").choices(["json", "msgpack"]).default("json"));
  addJudgeOptions(command);
  return addModuleOptions(command).action((files: string[], o: CheckOptions) => check(files, o));
}

async function check(files: string[], o: CheckOptions): Promise<void> {
  const limits = limitsFrom(o);
  const inputs = sources(files);
  const wasm = filterModule(moduleChoice(o));
  const errorField = readPack(wasm)!.settings.prefix + "error";
  const filter = harnessFor(wasm, o.wasm, o.eventFormat);
  const out = new Output(process.stdout);
  let lost = 0;
  let firstError: FirstRecord | undefined;
  /** The record through the module, and its output as JSON text ("" when dropped, null when lost). */
  const send = (record: string | Uint8Array): string | null => {
    const time = eventTime();
    if (o.eventFormat === "json") return filter.filter(record, o.tag, time);
    const result = filter.filterBytes(toMsgpack(record), o.tag, time);
    return result === null ? null : result.length ? msgpackToJson(result) : "";
  };
  const progress = Progress.over("checking", inputs, { stdoutIsRecords: true });
  try {
    for (const source of inputs) {
      for await (const { record, line } of records(source, o.format, o.header, progress?.advance)) {
        const result = send(record);
        if (result === null) lost++;
        else if (result !== "") await out.line(result);
        if (!firstError && filter.counter("errors") > 0) firstError = { source: source.name, line, ...errorOf(result, errorField) };
      }
    }
  } finally {
    progress?.stop();
  }
  await out.end();
  const s = filter.stats();
  process.stderr.write(`tarkin check: ${countersLine(s)}` + (lost ? `, ${lost} LOST` : "") + "\n");
  const summary = judge("check", s, lost, limits, firstError);
  if (o.summaryJson) writeSummaryJson(o.summaryJson, summary);
  const failed = failure(summary);
  if (failed) throw new CliError(failed);
}

/** What the module said of a record it could not read, when the record came out. */
function errorOf(result: string | null, field: string): { error?: string } {
  if (!result) return {};
  try {
    const error = (JSON.parse(result) as Record<string, unknown>)[field];
    return typeof error === "string" ? { error } : {};
  } catch {
    return {};
  }
}

/**
 * A JSON record as Fluent Bit holds it before an event_format msgpack filter: its msgpack map. A
 * record that is not JSON goes as its raw bytes, which the module must then mark as unreadable.
 */
function toMsgpack(json: string | Uint8Array): Uint8Array {
  try {
    return encodeMsgpack(JSON.parse(typeof json === "string" ? json : decoder.decode(json)));
  } catch {
    return typeof json === "string" ? encoder.encode(json) : json;
  }
}
