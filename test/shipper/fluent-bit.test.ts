// The packed module in the real Fluent Bit (fluent-bit on PATH, or $FLUENT_BIT): the shipped
// example as it is, the same verdicts as `tarkin check` field for field in both event formats and
// both modes, the hostile records, a hot reload with the module replaced, and the AOT-compiled
// module (with flb-wamrc); the million-record run is in test/shipper/fluent-bit.volume.test.ts. Fluent Bit is
// in no package registry this project reaches: without it every test here skips with a notice.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "../helpers.js";
import { BINARY, CLI, dir, input, lines, modules, records, tarkin, useFluentBitFixture, WASM_ERRORS, type Record } from "./fluent-bit.helpers.js";
import { isAot, runFluentBit, runPipeline, wamrcBinary, type Pipeline, type Run } from "../../host/core/module/fluent-bit.js";
import { sampleLines } from "../../host/core/sample.js";

const WAMRC = wamrcBinary();
if (BINARY && !WAMRC) console.log("[notice] flb-wamrc is not on PATH (nor in $FLB_WAMRC): skipping the AOT tests");

const EXAMPLE = resolve(ROOT, "fluent-bit.yaml.example");
const VERDICT = ["tarkin_surprise", "tarkin_infrequent", "tarkin_sentiment", "tarkin_fear", "tarkin_anomaly", "tarkin_covered", "tarkin_reason"] as const;

async function pipeline(module: string, eventFormat: "json" | "msgpack", file: string, expected: number, extra: Partial<Pipeline> = {}): Promise<Run & { out: Record[] }> {
  const name = `${eventFormat}-${Math.random().toString(36).slice(2, 8)}`;
  const output = join(dir, `${name}.out`);
  const run = await runPipeline(
    BINARY!,
    {
      input: file,
      output,
      log: join(dir, `${name}.fluent-bit.log`),
      filter: { module, functionName: eventFormat === "json" ? "tarkin_filter" : "tarkin_filter_msgpack", eventFormat },
      ...extra,
    },
    join(dir, `${name}.yaml`),
    expected,
  );
  return { ...run, out: records(readFileSync(output, "utf8")) };
}

/** A verdict's fields as numbers and booleans: msgpack mode writes the numbers as strings. */
function verdict(r: Record): unknown[] {
  return VERDICT.map((k) => (typeof r[k] === "string" ? Number(r[k]) : r[k]));
}

describe.skipIf(!BINARY)("the real Fluent Bit", () => {
  useFluentBitFixture();

  it("runs fluent-bit.yaml.example as shipped (only its paths changed): every record comes out annotated", async () => {
    const config = readFileSync(EXAMPLE, "utf8").replace("path: /var/log/auth.log", `path: ${input}`).replace("wasm_path: ./tarkin.wasm", `wasm_path: ${resolve(ROOT, "build/tarkin.wasm")}`);
    expect(config).not.toBe(readFileSync(EXAMPLE, "utf8"));
    const file = join(dir, "example.yaml");
    writeFileSync(file, config);
    const run = await runFluentBit(BINARY!, file, lines.length, { timeoutMs: 120_000 });
    const out = records(run.stdout);
    expect(out).toHaveLength(lines.length);
    expect(out.map((r) => r.log)).toEqual(lines);
    for (const r of out) {
      expect(r).not.toHaveProperty("tarkin_error");
      for (const k of VERDICT) expect(r).toHaveProperty(k);
    }
    expect(run.log).not.toMatch(WASM_ERRORS);
  });

  for (const eventFormat of ["json", "msgpack"] as const) {
    it(`event_format ${eventFormat}, annotate: field for field the verdicts of tarkin check on the same records`, async () => {
      const expected = records(tarkin(["check", input, "--wasm", modules.annotate]));
      expect(expected).toHaveLength(lines.length);
      const run = await pipeline(modules.annotate, eventFormat, input, lines.length);
      expect(run.out).toHaveLength(lines.length);
      for (let i = 0; i < lines.length; i++) {
        expect(run.out[i].log, `record ${i}`).toBe(lines[i]);
        expect(verdict(run.out[i]), `record ${i}: ${lines[i]}`).toEqual(verdict(expected[i]));
      }
      expect(expected.filter((r) => r.tarkin_anomaly).length).toBeGreaterThan(10);
      expect(run.log).not.toMatch(WASM_ERRORS);
    });

    it(`event_format ${eventFormat}, drop: ${eventFormat === "json" ? "the anomalous records of tarkin check, and only those" : "every record goes on annotated (Fluent Bit cannot skip one in msgpack mode)"}`, async () => {
      const expected = records(tarkin(["check", input, "--wasm", modules.drop, "--event-format", eventFormat]));
      if (eventFormat === "json") {
        expect(expected.length).toBeGreaterThan(10);
        expect(expected.length).toBeLessThan(lines.length / 2);
        expect(expected.every((r) => r.tarkin_anomaly === true)).toBe(true);
      } else expect(expected).toHaveLength(lines.length);
      // The records dropped never reach the output: the run ends when the last one that goes on is out.
      const run = await pipeline(modules.drop, eventFormat, input, expected.length);
      expect(run.out.map((r) => r.log)).toEqual(expected.map((r) => r.log));
      expect(run.out.map(verdict)).toEqual(expected.map(verdict));
      expect(run.log).not.toMatch(WASM_ERRORS);
    });
  }

  it("hostile records through both event formats: as many out as in, none lost, marked where unreadable, no wasm error in Fluent Bit's log", async () => {
    const huge = "x".repeat(1 << 20);
    const hostile = [
      JSON.stringify({ log: "a plain message" }),
      JSON.stringify({ log: "spoofed", tarkin_anomaly: false, tarkin_fear: 0, tarkin_error: "none" }),
      JSON.stringify({ message: "the message in another field" }),
      JSON.stringify({ event: { original: "nested, not looked for by default" } }),
      JSON.stringify({ log: 42 }),
      JSON.stringify({ log: null }),
      JSON.stringify({ log: ["an", "array"] }),
      JSON.stringify({ log: { nested: "object" } }),
      JSON.stringify({}),
      JSON.stringify({ log: "" }),
      JSON.stringify({ log: "quotes \" and \\ backslashes, \u0001 controls, \u0000 a NUL" }),
      JSON.stringify({ log: "\u202e reversed \u200b zero width \ud83d\ude00 astral" }),
      JSON.stringify({ log: huge }),
      JSON.stringify({ log: "GET /tienda1/publico/anadir.jsp?id=2&nombre=' OR 1=1 -- HTTP/1.1" }),
      JSON.stringify({ log: "deep", a: { b: { c: { d: { e: { f: [1, 2, { g: 3 }] } } } } } }),
      JSON.stringify({ log: "numbers", zero: 0, float: 1.5, big: 12345678901234, negative: -1, t: true, f: false, n: null }),
      "not json at all: it stays the log field",
      "{ broken json",
      "   leading spaces",
      "ÿ\u00fe latin-1 looking text",
    ];
    const file = join(dir, "hostile.log");
    // Raw bytes that are not UTF-8 too: tail passes them on as they are.
    writeFileSync(file, Buffer.concat([Buffer.from(hostile.join("\n") + "\n"), Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a])]));
    const count = hostile.length + 1;
    for (const eventFormat of ["json", "msgpack"] as const) {
      const run = await pipeline(modules.annotate, eventFormat, file, count, { jsonLines: true });
      expect(run.out, eventFormat).toHaveLength(count);
      for (const r of run.out) {
        expect(typeof r.tarkin_anomaly === "boolean" || typeof r.tarkin_anomaly === "string").toBe(true);
        if (r.tarkin_error !== undefined) expect(r.tarkin_anomaly).toBe(true);
      }
      const spoofed = run.out.find((r) => r.log === "spoofed")!;
      expect(spoofed.tarkin_spoofed).toBe(true);
      expect(spoofed.tarkin_error).toBeUndefined();
      expect(run.out.find((r) => r.log === 42)!.tarkin_error).toBe("message field log is not a string");
      expect((run.out.find((r) => typeof r.log === "string" && r.log.length === huge.length) ?? {}).tarkin_error).toBeUndefined();
      expect(run.log, eventFormat).not.toMatch(WASM_ERRORS);
    }
  });

  it("a hot reload (-Y, SIGHUP) with the module replaced while records flow: every record out once, the new module's verdicts after it", async () => {
    const total = 40_000;
    const file = join(dir, "reload.log");
    writeFileSync(file, "");
    const module = join(dir, "reload.wasm");
    copyFileSync(modules.annotate, module);
    // The new module: another model (trained on other logs), telling itself apart by its fields' names.
    const next = join(dir, "reload-next.wasm");
    writeFileSync(join(dir, "other.log"), [...sampleLines({ lines: 8000, seed: 33 })].join("\n") + "\n");
    tarkin(["train", join(dir, "other.log"), "-o", join(dir, "other.json")]);
    tarkin(["pack", "--model", join(dir, "other.json"), "--prefix", "v2_", "-o", next]);
    const output = join(dir, "reload.out");
    const run = await runPipeline(
      BINARY!,
      {
        input: file,
        output,
        log: join(dir, "reload.fluent-bit.log"),
        tailDb: join(dir, "reload.db"),
        filter: { module, functionName: "tarkin_filter", eventFormat: "json" },
      },
      join(dir, "reload.yaml"),
      total,
      {
        args: ["-Y"],
        timeoutMs: 180_000,
        // 40 batches of 1,000 numbered lines, 50 ms apart; after the 20th, the module file is
        // replaced (a rename, as a ConfigMap update is) and Fluent Bit told to reload.
        during: async (child) => {
          for (let b = 0; b < 40; b++) {
            appendFileSync(file, Array.from({ length: 1000 }, (_, k) => `seq=${b * 1000 + k} ${lines[(b * 1000 + k) % lines.length]}`).join("\n") + "\n");
            if (b === 19) {
              copyFileSync(next, module + ".new");
              renameSync(module + ".new", module);
              child.kill("SIGHUP");
            }
            await new Promise((r) => setTimeout(r, 50));
          }
        },
      },
    );
    const out = records(readFileSync(output, "utf8"));
    expect(out).toHaveLength(total);
    const seqs = out.map((r) => Number(/^seq=(\d+) /.exec(r.log as string)![1])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i));
    const firstNew = out.findIndex((r) => "v2_anomaly" in r);
    console.log(`hot reload: ${firstNew} records by the old module, then ${total - firstNew} by the new one; ${run.cpuSeconds.toFixed(1)} s of CPU`);
    expect(firstNew).toBeGreaterThan(0);
    expect(out.slice(0, firstNew).every((r) => "tarkin_anomaly" in r && !("v2_anomaly" in r))).toBe(true);
    expect(out.slice(firstNew).every((r) => "v2_anomaly" in r && !("tarkin_anomaly" in r))).toBe(true);
    // After the reload, the new model's verdicts: those of tarkin check with it, from a fresh instance, on the same records.
    const after = join(dir, "reload-after.log");
    writeFileSync(after, out.slice(firstNew).map((r) => r.log as string).join("\n") + "\n");
    // (a model of other logs: most of these records are not covered, which the gate would refuse)
    const expected = records(tarkin(["check", after, "--wasm", next, "--max-uncovered", "100%"]));
    const v2 = (r: Record) => ["v2_surprise", "v2_infrequent", "v2_sentiment", "v2_fear", "v2_anomaly", "v2_covered", "v2_reason"].map((k) => r[k]);
    expect(out.slice(firstNew).map(v2)).toEqual(expected.map(v2));
    expect(run.log).not.toMatch(WASM_ERRORS);
  });

  describe.skipIf(!WAMRC)("compiled ahead of time (flb-wamrc)", () => {
    it("tarkin pack --aot writes a .aot beside the .wasm that Fluent Bit runs with the same verdicts", async () => {
      const wasm = join(dir, "aot.wasm");
      const r = spawnSync(process.execPath, [CLI, "pack", "--model", resolve(ROOT, "models/default.json"), "-o", wasm, "--aot"], { cwd: dir, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/compiled ahead of time for x86-64 -> .*aot\.aot/);
      const aot = join(dir, "aot.aot");
      expect(existsSync(aot)).toBe(true);
      expect(isAot(readFileSync(aot))).toBe(true);
      const expected = records(tarkin(["check", input, "--wasm", wasm]));
      const run = await pipeline(aot, "json", input, lines.length);
      expect(run.out.map(verdict)).toEqual(expected.map(verdict));
      expect(run.log).not.toMatch(WASM_ERRORS);
    });
  });
});
