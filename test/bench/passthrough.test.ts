// bench/passthrough.ts, the filters `npm run bench` measures tarkin against: the fixed annotation
// carries all the fields tarkin writes for an ordinary record, and the floors under any scoring
// do what they are named for (a byte scan's operations grow with the record's bytes, the lookup
// floor's with its tokens too) before handing back the same record.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countInstructions } from "../../bench/instructions.js";
import { FluentBitFilter, fluentBitRecord } from "../../host/core/module/harness.js";
import { ROOT } from "../helpers.js";

const work = mkdtempSync(join(tmpdir(), "tarkin-passthrough-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function compiled(): Uint8Array {
  const out = join(work, "passthrough.wasm");
  const asc = resolve(ROOT, "node_modules", "assemblyscript", "bin", "asc.js");
  const r = spawnSync(process.execPath, [asc, "--config", resolve(ROOT, "bench", "passthrough.asconfig.json"), "--target", "release", "--outFile", out], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`asc failed: ${r.stderr}${r.stdout}`);
  return readFileSync(out);
}

const FILTERS = ["annotate_filter", "scan_annotate_filter", "lookup_annotate_filter"] as const;
type Filter = (tag: number, tagLength: number, sec: number, nsec: number, record: number, recordLength: number) => number;

describe("bench/passthrough.ts", () => {
  const wasm = compiled();
  const exports = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource), {}).exports as Record<string, unknown> & {
    memory: WebAssembly.Memory;
    malloc(n: number): number;
    free(p: number): void;
  };
  /** The filter's output for one record, as Fluent Bit calls it (record copied in with a NUL). */
  function run(name: (typeof FILTERS)[number], record: string): string {
    const bytes = new TextEncoder().encode(record);
    const at = exports.malloc(bytes.length + 1);
    new Uint8Array(exports.memory.buffer).set([...bytes, 0], at);
    const out = (exports[name] as Filter)(0, 0, 0, 0, at, bytes.length);
    const memory = new Uint8Array(exports.memory.buffer);
    const text = new TextDecoder().decode(memory.subarray(out, memory.indexOf(0, out)));
    exports.free(at);
    return text;
  }

  it("the fixed annotation and both floors hand back the record with every field tarkin writes for an ordinary one", () => {
    const record = fluentBitRecord([["log", "Accepted password for dave from 10.0.0.5 port 22 ssh2"]]);
    // The packed default module (npm run build), as the bench runs it.
    const tarkin = JSON.parse(new FluentBitFilter(readFileSync(resolve(ROOT, "build", "tarkin.wasm"))).filter(new TextEncoder().encode(record))!) as Record<string, unknown>;
    const fields = Object.keys(tarkin).filter((k) => k.startsWith("tarkin_"));
    expect(fields.length).toBeGreaterThanOrEqual(7);
    const outputs = FILTERS.map((name) => run(name, record));
    for (const output of outputs) {
      expect(output).toBe(outputs[0]);
      const parsed = JSON.parse(output) as Record<string, unknown>;
      expect(parsed.log).toBe(tarkin.log);
      expect(Object.keys(parsed).filter((k) => k.startsWith("tarkin_"))).toEqual(fields);
    }
  });

  it("the byte-scan floor's operations grow with the record's bytes, the lookup floor's with its tokens too", () => {
    const record = (message: string) => new TextEncoder().encode(fluentBitRecord([["log", message]]));
    const ops = (name: (typeof FILTERS)[number], message: string) => countInstructions(wasm, [record(message)], 0, false, name).perRecord;
    const word = "x".repeat(400);
    const words = Array.from({ length: 200 }, () => "x").join(" "); // 399 bytes, 200 tokens
    const short = "x".repeat(40);
    // A byte scan: the same cost a byte of record, whatever the record, over the fixed annotation's.
    const scanPerByte = (message: string) => (ops("scan_annotate_filter", message) - ops("annotate_filter", message)) / record(message).length;
    expect(scanPerByte(word)).toBeGreaterThan(3);
    expect(Math.abs(scanPerByte(word) - scanPerByte(short))).toBeLessThan(0.1 * scanPerByte(word));
    expect(Math.abs(ops("scan_annotate_filter", words) - ops("scan_annotate_filter", word))).toBeLessThan(20);
    // The lookup floor: each of 200 tokens hashed and looked up, over the one token's cost.
    expect(ops("lookup_annotate_filter", words) - ops("lookup_annotate_filter", word)).toBeGreaterThan(200 * 3);
    expect(ops("lookup_annotate_filter", word)).toBeGreaterThan(ops("scan_annotate_filter", word));
  });

  it("the lookup floor looks each token up once (its table's counts are 1: floorSum counts the lookups)", () => {
    const sum = exports.floorSum as WebAssembly.Global;
    for (const message of ["x", "Accepted password for dave from 10.0.0.5 port 22 ssh2", 'a\t"b  c" d', words200()]) {
      const record = fluentBitRecord([["log", message]]);
      const tokens = record.split(/[ \t"]+/).filter((t) => t.length > 0).length;
      const before = Number(sum.value);
      run("lookup_annotate_filter", record);
      expect((Number(sum.value) - before) >>> 0, message).toBe(tokens);
    }
  });
  function words200(): string {
    return Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
  }
});
