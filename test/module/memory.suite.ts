// Bounded memory: after many records of mixed sizes through the ABI (allocate, copy in, call,
// copy out, free, as Fluent Bit does), the module's linear memory has grown by at most 1 MiB
// beyond what its largest record needed on its own, and past warm-up the per-record path allocates
// nothing. Declared at a size by test/module/memory.test.ts (every change) and test/module/memory.volume.test.ts
// (a million records).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { encode } from "@msgpack/msgpack";
import { coreWasm, defaultLexicon, ROOT } from "../helpers.js";
import { FluentBitFilter, fluentBitRecord, type EventFormat } from "../../host/core/module/harness.js";
import { packModule, DEFAULT_SETTINGS } from "../../host/core/module/pack.js";
import { parseModel } from "../../host/core/module/model.js";
import { sampleLines } from "../../host/core/sample.js";

const MiB = 1 << 20;
const wasm = packModule(coreWasm(), {
  model: parseModel(readFileSync(resolve(ROOT, "models/default.json"), "utf8"), "default"),
  lexicon: defaultLexicon(),
  settings: DEFAULT_SETTINGS,
});

const encoder = new TextEncoder();
const lines = [...sampleLines({ lines: 4_000, seed: 5 })];
const largest = "a horrible failure, ".repeat(MiB / 20);

/** Record i of the run: mostly log lines, some of several KiB to 40 KiB, every 100,003rd from the 50,000th the largest. */
function record(i: number, format: EventFormat): Uint8Array {
  let message = lines[i % lines.length];
  if (i % 997 === 0) message = message.repeat(1 + (i % 400));
  if (i % 100_003 === 50_000) message = largest;
  return format === "json" ? encoder.encode(fluentBitRecord([["log", message], ["host", `web${i % 7}`]])) : encode({ log: message, host: `web${i % 7}` });
}

function run(format: EventFormat, records: number) {
  const alone = new FluentBitFilter(wasm, format);
  expect(alone.filterBytes(record(50_000, format))).not.toBeNull();
  const needed = alone.memoryBytes();

  const f = new FluentBitFilter(wasm, format);
  for (let i = 0; i < records; i++) {
    if (f.filterBytes(record(i, format)) === null) throw new Error(`record ${i} was lost`);
  }
  const grown = f.memoryBytes() - needed;
  console.log(`${format}: ${records} records, memory ${f.memoryBytes()} bytes, ${needed} for the largest alone, grown ${grown} beyond it`);
  expect(f.stats().recordsIn).toBe(records);
  expect(grown).toBeLessThanOrEqual(MiB);
}

/** The tests, over `records` records of each format (more than 50,000, so the largest comes mid-run). */
export function describeMemory(records: { json: number; msgpack: number }): void {
  describe("the per-record path allocates nothing", () => {
    for (const format of ["json", "msgpack"] as const) {
      it(`${format}: ${records[format].toLocaleString("en")} records after warm-up make no heap allocation`, () => {
        const f = new FluentBitFilter(wasm, format);
        const allocations = () => (f.exports.allocation_count as () => number)();
        // Warm-up: one pass over the records the run repeats, so every buffer has grown to its largest need.
        f.filterBytes(record(50_000, format));
        for (let i = 0; i < 49_999; i++) f.filterBytes(record(i, format));
        const before = allocations();
        for (let i = 1; i <= records[format]; i++) f.filterBytes(record(i % 49_999, format));
        console.log(`${format}: ${records[format]} records after warm-up, ${allocations() - before} heap allocations (${before} during warm-up)`);
        expect(allocations() - before).toBe(0);
      });
    }
  });

  describe("memory stays bounded", () => {
    it(`over ${records.json.toLocaleString("en")} JSON records of mixed sizes`, () => run("json", records.json));
    it(`over ${records.msgpack.toLocaleString("en")} msgpack records of mixed sizes`, () => run("msgpack", records.msgpack));
  });
}
