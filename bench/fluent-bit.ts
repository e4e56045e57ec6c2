// `npm run bench`'s Fluent Bit rows, where the real binary is installed: the CPU time of the
// Fluent Bit process (user + system; its wall time ends on a flush tick) for one file of records
// through tail -> [filter] -> file, with no filter, the pass-through filter and tarkin, each
// interpreted (WAMR's fast interpreter, what a .wasm gets) in both event formats and, with
// flb-wamrc, compiled ahead of time. The runs are interleaved round by round, and the median of each is reported.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileAot, fluentBitBinary, fluentBitVersion, runPipeline, wamrcBinary, type Pipeline } from "../host/core/module/fluent-bit.js";
import { AOT_CPU } from "../host/commands/pack.js";

export interface FluentBitRow {
  name: string;
  /** The row it is compared with (the pass-through of the same kind), by name. */
  against?: string;
  /** A second row it is compared with, by name (a floor with the fixed annotation of its kind). */
  alsoAgainst?: string;
  /** The goal: at most `ratio` times the CPU of the row named `of` (the fixed annotation of its kind: issue 25). */
  goal?: { ratio: number; of: string };
  filter?: Pipeline["filter"];
  /** The file of records it reads, when not the common one. */
  input?: string;
  cpu: number[];
}

export interface FluentBitRun {
  version: string;
  records: number;
  rows: FluentBitRow[];
}

/** The filters compared, as .wasm files: tarkin, tarkin built without its scoring, the pass-through. */
export interface FluentBitFilters {
  tarkin: string;
  recordIo: string;
  passthrough: string;
}

/**
 * Runs the rows; null when fluent-bit is not installed. `lines` are written to one file (as many
 * as `records`, repeating them), `work` is a directory.
 */
export async function fluentBitRows(lines: string[], records: number, filters: FluentBitFilters, work: string, rounds: number): Promise<FluentBitRun | null> {
  const { tarkin, recordIo, passthrough } = filters;
  const binary = fluentBitBinary();
  if (!binary) return null;
  const write = (name: string, from: string[]): string => {
    const file = join(work, name);
    const text: string[] = [];
    for (let i = 0; i < records; i++) text.push(from[i % from.length]);
    writeFileSync(file, text.join("\n") + "\n");
    return file;
  };
  const input = write("bench-fluent-bit.log", lines);
  // A message of a multiple of 256 bytes has no msgpack encoding without a NUL (its str 16 length),
  // so no msgpack filter can hand its record back: the msgpack rows read the other lines.
  const msgpackInput = write("bench-fluent-bit-msgpack.log", lines.filter((l) => Buffer.byteLength(l) % 256 !== 0));

  const interpreted = "pass-through filter, interpreted";
  const compiled = "pass-through filter, AOT";
  const json = "json" as const;
  const msgpack = "msgpack" as const;
  const msgpackInterpreted = "pass-through filter, msgpack, interpreted";
  // Per kind of run, the floors before tarkin: returning the record, appending tarkin's fields as
  // fixed text (what Fluent Bit spends carrying them), that after reading each byte once or looking
  // each token up once (what any scoring costs at the least), tarkin without its scoring.
  const floors = (kind: string, against: string, passthroughModule: string, recordIoModule: string): FluentBitRow[] => {
    const fixed = `fixed annotation, ${kind}`;
    return [
      { name: against, filter: { module: passthroughModule, functionName: "passthrough_filter", eventFormat: json }, cpu: [] },
      { name: fixed, against, filter: { module: passthroughModule, functionName: "annotate_filter", eventFormat: json }, cpu: [] },
      { name: `byte-scan floor, ${kind}`, against, alsoAgainst: fixed, filter: { module: passthroughModule, functionName: "scan_annotate_filter", eventFormat: json }, cpu: [] },
      { name: `lookup floor, ${kind}`, against, alsoAgainst: fixed, filter: { module: passthroughModule, functionName: "lookup_annotate_filter", eventFormat: json }, cpu: [] },
      { name: `tarkin's record I/O alone, ${kind}`, against, alsoAgainst: fixed, filter: { module: recordIoModule, functionName: "tarkin_filter", eventFormat: json }, cpu: [] },
    ];
  };
  const rows: FluentBitRow[] = [
    { name: "no filter", cpu: [] },
    ...floors("interpreted", interpreted, passthrough, recordIo),
    { name: "tarkin, interpreted", against: interpreted, goal: { ratio: 2.5, of: "fixed annotation, interpreted" }, filter: { module: tarkin, functionName: "tarkin_filter", eventFormat: json }, cpu: [] },
    // event_format msgpack: the same three with the record as msgpack, in and out.
    { name: msgpackInterpreted, input: msgpackInput, filter: { module: passthrough, functionName: "passthrough_msgpack_filter", eventFormat: msgpack }, cpu: [] },
    { name: "fixed annotation, msgpack, interpreted", against: msgpackInterpreted, input: msgpackInput, filter: { module: passthrough, functionName: "annotate_msgpack_filter", eventFormat: msgpack }, cpu: [] },
    { name: "tarkin, msgpack, interpreted", against: msgpackInterpreted, goal: { ratio: 2.5, of: "fixed annotation, msgpack, interpreted" }, input: msgpackInput, filter: { module: tarkin, functionName: "tarkin_filter_msgpack", eventFormat: msgpack }, cpu: [] },
  ];
  if (wamrcBinary()) {
    const aot = (wasm: string, name: string, cpu = AOT_CPU): string => {
      const file = join(work, `${name}.aot`);
      compileAot(wasm, file, cpu);
      return file;
    };
    rows.push(...floors("AOT", compiled, aot(passthrough, "passthrough"), aot(recordIo, "tarkin-record-io")));
    // The default CPU model (any x86-64) and a newer baseline (AVX2, BMI2: most servers since 2015), for the choice `pack --aot` makes.
    for (const cpu of [AOT_CPU, "x86-64-v3"]) {
      const goal = cpu === AOT_CPU ? { ratio: 1.1, of: "fixed annotation, AOT" } : undefined;
      rows.push({ name: `tarkin, AOT (flb-wamrc --cpu=${cpu})`, against: compiled, goal, filter: { module: aot(tarkin, `tarkin-${cpu}`, cpu), functionName: "tarkin_filter", eventFormat: json }, cpu: [] });
    }
  }
  const output = join(work, "bench-fluent-bit.out");
  for (let round = 0; round < rounds; round++) {
    for (const row of rows) {
      rmSync(output, { force: true });
      const run = await runPipeline(
        binary,
        { input: row.input ?? input, output, log: join(work, "bench-fluent-bit.fb.log"), filter: row.filter },
        join(work, "bench-fluent-bit.yaml"),
        records,
        { timeoutMs: 600_000 },
      );
      row.cpu.push(run.cpuSeconds);
    }
  }
  rmSync(output, { force: true });
  rmSync(msgpackInput, { force: true });
  return { version: fluentBitVersion(binary), records, rows };
}
