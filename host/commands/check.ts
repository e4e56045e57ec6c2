// tarkin check: the harness. Every record goes through the module exactly as Fluent Bit sends it;
// what comes out goes to stdout as NDJSON, a summary to stderr.
import { Command, Option } from "commander";
import { CliError } from "../core/errors.js";
import { encodeMsgpack, msgpackToJson } from "../core/io/msgpack.js";
import { eventTime, type EventFormat } from "../core/module/harness.js";
import { addModuleOptions, filterModule, harnessFor, type ModuleOptions } from "../core/module/filter-module.js";
import { addRecordOptions, records, sources, type RecordOptions } from "../core/io/input.js";
import { Output } from "../core/io/output.js";
import { Progress } from "../core/io/progress.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface CheckOptions extends ModuleOptions, RecordOptions {
  eventFormat: EventFormat;
}

export function checkCommand(): Command {
  const command = new Command("check")
    .description("run logs through the module as Fluent Bit does; records out on stdout, a summary on stderr")
    .argument("[files...]", "log files; - or none for standard input");
  addRecordOptions(command)
    .addOption(new Option("--event-format <format>", "how Fluent Bit hands records to the module: json text, or the msgpack map").choices(["json", "msgpack"]).default("json"));
  return addModuleOptions(command).action((files: string[], o: CheckOptions) => check(files, o));
}

async function check(files: string[], o: CheckOptions): Promise<void> {
  const inputs = sources(files);
  const filter = harnessFor(filterModule(o), o.wasm, o.eventFormat);
  const out = new Output(process.stdout);
  let lost = 0;
  const send = async (record: string | Uint8Array) => {
    const time = eventTime();
    if (o.eventFormat === "json") {
      const result = filter.filter(record, o.tag, time);
      if (result === null) lost++;
      else if (result !== "") await out.line(result);
      return;
    }
    const result = filter.filterBytes(toMsgpack(record), o.tag, time);
    if (result === null) lost++;
    else if (result.length) await out.line(msgpackToJson(result));
  };
  const progress = Progress.over("checking", inputs, { stdoutIsRecords: true });
  try {
    for (const source of inputs) {
      for await (const { record } of records(source, o.format, o.header, progress?.advance)) await send(record);
    }
  } finally {
    progress?.stop();
  }
  await out.end();
  const s = filter.stats();
  process.stderr.write(
    `tarkin check: ${s.recordsIn} records in, ${s.recordsOut} out, ${s.infrequent} infrequent, ${s.anomalous} anomalous, ${s.errors} errors` +
      (lost ? `, ${lost} LOST` : "") + "\n",
  );
  if (lost) throw new CliError(`${lost} records were lost: the module trapped or returned no string`);
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
