// `npm run bench`'s Fluent Bit rows, where the real binary is installed: the CPU time of the
// Fluent Bit process (user + system; its wall time ends on a flush tick) for one file of records
// through tail -> [filter] -> file, with no filter, the pass-through filter and tarkin, each
// interpreted (WAMR's fast interpreter, what a .wasm gets) and, with flb-wamrc, compiled ahead of
// time. The runs are interleaved round by round, and the median of each is reported.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileAot, fluentBitBinary, fluentBitVersion, runPipeline, wamrcBinary, type Pipeline } from "../host/core/module/fluent-bit.js";
import { AOT_CPU } from "../host/commands/pack.js";

export interface FluentBitRow {
  name: string;
  /** The row it is compared with (the pass-through of the same kind), by name. */
  against?: string;
  /** The goal for the ratio to `against`. */
  goal?: number;
  filter?: Pipeline["filter"];
  cpu: number[];
}

export interface FluentBitRun {
  version: string;
  records: number;
  rows: FluentBitRow[];
}

/**
 * Runs the rows; null when fluent-bit is not installed. `lines` are written to one file (as many
 * as `records`, repeating them), `tarkin` and `passthrough` are .wasm files, `work` a directory.
 */
export async function fluentBitRows(lines: string[], records: number, tarkin: string, passthrough: string, work: string, rounds: number): Promise<FluentBitRun | null> {
  const binary = fluentBitBinary();
  if (!binary) return null;
  const input = join(work, "bench-fluent-bit.log");
  const text: string[] = [];
  for (let i = 0; i < records; i++) text.push(lines[i % lines.length]);
  writeFileSync(input, text.join("\n") + "\n");

  const interpreted = "pass-through filter, interpreted";
  const compiled = "pass-through filter, AOT";
  const rows: FluentBitRow[] = [
    { name: "no filter", cpu: [] },
    { name: interpreted, filter: { module: passthrough, functionName: "passthrough_filter", eventFormat: "json" }, cpu: [] },
    { name: "tarkin, interpreted", against: interpreted, goal: 2, filter: { module: tarkin, functionName: "tarkin_filter", eventFormat: "json" }, cpu: [] },
  ];
  if (wamrcBinary()) {
    const passthroughAot = join(work, "passthrough.aot");
    compileAot(passthrough, passthroughAot, AOT_CPU);
    rows.push({ name: compiled, filter: { module: passthroughAot, functionName: "passthrough_filter", eventFormat: "json" }, cpu: [] });
    // The default CPU model (any x86-64) and a newer baseline (AVX2, BMI2: most servers since 2015), for the choice `pack --aot` makes.
    for (const cpu of [AOT_CPU, "x86-64-v3"]) {
      const tarkinAot = join(work, `tarkin-${cpu}.aot`);
      compileAot(tarkin, tarkinAot, cpu);
      const goal = cpu === AOT_CPU ? 1.3 : undefined;
      rows.push({ name: `tarkin, AOT (flb-wamrc --cpu=${cpu})`, against: compiled, goal, filter: { module: tarkinAot, functionName: "tarkin_filter", eventFormat: "json" }, cpu: [] });
    }
  }
  const output = join(work, "bench-fluent-bit.out");
  for (let round = 0; round < rounds; round++) {
    for (const row of rows) {
      rmSync(output, { force: true });
      const run = await runPipeline(
        binary,
        { input, output, log: join(work, "bench-fluent-bit.fb.log"), filter: row.filter },
        join(work, "bench-fluent-bit.yaml"),
        records,
        { timeoutMs: 600_000 },
      );
      row.cpu.push(run.cpuSeconds);
    }
  }
  rmSync(output, { force: true });
  return { version: fluentBitVersion(binary), records, rows };
}
