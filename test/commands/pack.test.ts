// tarkin pack end to end: the module it writes, its settings and lexicons, its errors.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { sampleLines } from "../../host/core/sample.js";
import { SKETCH_COUNTERS } from "../../host/core/module/model.js";
import { useTestDirectory, CLI, dir, runHere as run, ok, fails, write, read, exists, linesOf, records, summary, trained, packed } from "./cli.helpers.js";

useTestDirectory();

describe("tarkin pack", () => {
  it("writes a module that imports nothing, byte-identical when packed twice from the same inputs", async () => {
    await trained("m.json");
    const r = ok(await run(["pack", "--model", "m.json", "-o", "one.wasm"]));
    expect(r.stderr).toContain("one.wasm");
    ok(await run(["pack", "--model", "m.json", "-o", "two.wasm"]));
    const one = readFileSync(join(dir, "one.wasm"));
    const two = readFileSync(join(dir, "two.wasm"));
    expect(WebAssembly.Module.imports(new WebAssembly.Module(one))).toEqual([]);
    expect(two.equals(one)).toBe(true);
  });

  it("--lexicon overlay.tsv: a word the overlay gives -3 reads negative", async () => {
    await trained("m.json");
    write("overlay.tsv", "# an operator's words\nblorptastic\t-3\n");
    ok(await run(["pack", "--model", "m.json", "--lexicon", "overlay.tsv", "-o", "ov.wasm"]));
    ok(await run(["pack", "--model", "m.json", "-o", "plain.wasm"]));

    const withOverlay = records(ok(await run(["check", "--wasm", "ov.wasm"], "blorptastic\n")).stdout);
    expect(withOverlay).toHaveLength(1);
    expect(withOverlay[0].tarkin_sentiment as number).toBeLessThan(0);
    const without = records(ok(await run(["check", "--wasm", "plain.wasm"], "blorptastic\n")).stdout);
    expect(without[0].tarkin_sentiment).toBe(0);

    const explained = JSON.parse(ok(await run(["explain", "blorptastic", "--wasm", "ov.wasm", "--json"])).stdout);
    expect(explained.sentiment.sentiment.compound).toBeLessThan(0);
    expect(explained.sentiment.words).toEqual([expect.objectContaining({ word: "blorptastic", valence: -3 })]);

    expect(ok(await run(["inspect", "ov.wasm"])).stdout).toContain("overlay.tsv (1)");
  });

  it("warns when the module is over the 1 MiB a Kubernetes ConfigMap holds, and still writes it", async () => {
    await trained("m.json");
    write("large.tsv", Array.from({ length: 40_000 }, (_, i) => `w${i.toString(36)}aaaaaaaaaaaa\t-1.5`).join("\n") + "\n");
    const large = ok(await run(["pack", "--model", "m.json", "--lexicon", "large.tsv", "-o", "large.wasm"]));
    expect(readFileSync(join(dir, "large.wasm")).length).toBeGreaterThan(1024 * 1024);
    expect(large.stderr).toMatch(/warning: large\.wasm is over the 1048576 bytes a Kubernetes ConfigMap holds/);
    expect(ok(await run(["pack", "--model", "m.json", "-o", "small.wasm"])).stderr).not.toContain("warning");
  });

  it("warns when the model's sketch is so full that what is new reads as seen, and still writes the module", async () => {
    await trained("m.json");
    const m = JSON.parse(read("m.json")) as { fields: { counters: number[] } };
    // Every other counter of the value half taken: a block of 8 taken of 16 takes both counters of an item 23% of the time.
    const counts = new Map<number, number>();
    for (let i = 0; i < m.fields.counters.length; i += 2) counts.set(m.fields.counters[i], m.fields.counters[i + 1]);
    for (let index = SKETCH_COUNTERS / 2; index < SKETCH_COUNTERS; index += 2) counts.set(index, counts.get(index) ?? 1);
    m.fields.counters = [...counts.keys()].sort((a, b) => a - b).flatMap((index) => [index, counts.get(index)!]);
    write("full.json", JSON.stringify(m));
    const full = ok(await run(["pack", "--model", "full.json", "-o", "full.wasm"]));
    expect(full.stderr).toMatch(/warning: full\.json's sketch is full: a value never seen reads as seen 2\d\.\d% of the time, a shape \d+\.\d%/);
    expect(exists("full.wasm")).toBe(true);
    expect(ok(await run(["pack", "--model", "m.json", "-o", "small.wasm"])).stderr).not.toContain("warning");
  });

  it.each([
    ["no tab", "good\t1\nbadline\n", ":2:"],
    ["a valence that is not a number", "# comment\ngood\t1\nword\tabc\n", ":3:"],
    ["a valence out of range", "word\t301\n", ":1:"],
  ])("a malformed overlay line (%s) fails naming the file and line", async (_why, content, line) => {
    await trained("m.json");
    write("bad.tsv", content);
    fails(await run(["pack", "--model", "m.json", "--lexicon", "bad.tsv", "-o", "t.wasm"]), `bad.tsv${line}`);
    expect(exists("t.wasm")).toBe(false);
  });

  it.each([
    ["truncated", (text: string) => text.slice(0, 200)],
    ["with a stray comma inside", (text: string) => text.replace('"K": 1,', '"K": 1,,')],
    ["garbage", () => "not a model at all\nreally not\n"],
    ["a few bytes of text", () => "oops\n"],
  ])("a corrupt model JSON (%s) fails clearly", async (_why, corrupt) => {
    await trained("m.json");
    const text = read("m.json");
    const bad = corrupt(text);
    expect(bad).not.toBe(text);
    write("bad.json", bad);
    fails(await run(["pack", "--model", "bad.json", "-o", "t.wasm"]), /bad\.json: not JSON/);
    expect(exists("t.wasm")).toBe(false);
  });

  it("a JSON file that is not a model, or a missing model, fails clearly", async () => {
    write("other.json", "[1, 2, 3]\n");
    fails(await run(["pack", "--model", "other.json", "-o", "t.wasm"]), /other\.json: not a tarkin model/);
    fails(await run(["pack", "--model", "missing.json", "-o", "t.wasm"]), /missing\.json: no such file/);
    expect(exists("t.wasm")).toBe(false);
  });

  it("packs the default settings when given none", async () => {
    await packed("t.wasm");
    const info = JSON.parse(ok(await run(["inspect", "t.wasm", "--json"])).stdout);
    expect(info.settings).toEqual({ fields: ["log", "message", "msg"], mode: "annotate", surprise: "default", gateSpreads: 0, minFear: 0, prefix: "tarkin_" });
  });

  it("settings options round-trip through inspect --json", async () => {
    await packed("s.wasm", ["--mode", "drop", "--surprise", "tarkin", "--field", "a.b", "msg", "--prefix", "x_", "--gate-spreads", "2.5", "--min-fear", "0.3"]);
    const info = JSON.parse(ok(await run(["inspect", "s.wasm", "--json"])).stdout);
    expect(info.settings).toEqual({ fields: ["a.b", "msg"], mode: "drop", surprise: "tarkin", gateSpreads: 2.5, minFear: 0.3, prefix: "x_" });
  });

  it("packed settings take effect in check: --mode drop and --prefix", async () => {
    await packed("d.wasm", ["--mode", "drop", "--prefix", "x_", "--field", "a.b"]);
    const text = ok(await run(["sample", "--lines", "300", "--seed", "4", "--attacks", "0.2"])).stdout;
    const input = linesOf(text).map((l) => JSON.stringify({ a: { b: l } })).join("\n") + "\n";
    const r = ok(await run(["check", "--format", "ndjson", "--wasm", "d.wasm"], input));
    const out = records(r.stdout);
    const s = summary(r.stderr);
    expect(s.recordsIn).toBe(300);
    expect(s.out).toBe(out.length);
    expect(out.length).toBe(s.anomalous);
    expect(out.length).toBeGreaterThan(0);
    for (const rec of out) {
      expect(rec.x_anomaly).toBe(true);
      expect(rec).not.toHaveProperty("tarkin_anomaly");
    }
  });

  it.each([
    [["--min-fear", "2"]],
    [["--min-fear", "abc"]],
    [["--prefix", 'a"b']],
    [["--prefix", ""]],
    [["--mode", "nope"]],
    [["--surprise", "nope"]],
    [["--gate-spreads", "-1"]],
    [["--field", "a..b"]],
  ])("rejects the invalid setting %j with a non-zero exit", async (option) => {
    await trained("m.json");
    fails(await run(["pack", "--model", "m.json", ...option, "-o", "t.wasm"]), option[0]);
    expect(exists("t.wasm")).toBe(false);
  });

  it("--aot without flb-wamrc (not on PATH, no $FLB_WAMRC) fails saying what it needs, and writes nothing", async () => {
    await trained("m.json");
    const env = { ...process.env, PATH: dirname(process.execPath), FLB_WAMRC: "" };
    const r = spawnSync(process.execPath, [CLI, "pack", "--model", "m.json", "-o", "t.wasm", "--aot"], { cwd: dir, encoding: "utf8", env });
    fails({ status: r.status, stdout: r.stdout, stderr: r.stderr }, /--aot needs flb-wamrc, Fluent Bit's AOT compiler .* same Fluent Bit version/);
    expect(exists("t.wasm")).toBe(false);
    expect(exists("t.aot")).toBe(false);
  });

  it("requires --model and -o", async () => {
    fails(await run(["pack", "-o", "t.wasm"]), "--model");
    await trained("m.json");
    fails(await run(["pack", "--model", "m.json"]), "--output");
  });

  it("--calibrate day.log --false-alarms 0.2%: min fear placed so the module flags at most 0.2% of the day, and says so", async () => {
    await trained("m.json");
    const day = [...sampleLines({ lines: 2000, seed: 21 })];
    write("day.log", day.join("\n") + "\n");
    const plain = records(ok(await run(["check", "--wasm", await packed("plain.wasm"), "day.log"])).stdout).filter((r) => r.tarkin_anomaly).length;
    expect(plain).toBeGreaterThan(4); // the sample's attacks

    const r = ok(await run(["pack", "--model", "m.json", "--calibrate", "day.log", "--false-alarms", "0.2%", "-o", "cal.wasm"]));
    const said = /calibrated on 2000 lines for at most 0\.2% false alarms: min fear 0 -> (0\.\d+); flagged (\d+) \([\d.]+%\) -> (\d+) /.exec(r.stderr);
    expect(said, r.stderr).not.toBeNull();
    expect(Number(said![2])).toBe(plain);
    const flagged = records(ok(await run(["check", "--wasm", "cal.wasm", "day.log"])).stdout).filter((r) => r.tarkin_anomaly).length;
    expect(flagged).toBe(Number(said![3]));
    expect(flagged).toBeLessThanOrEqual(4);
    expect(ok(await run(["inspect", "cal.wasm"])).stdout).toContain(`min fear ${said![1]}`);
  });

  it.each([
    [["--false-alarms", "1%"], "--false-alarms needs --calibrate"],
    [["--calibrate", "day.log", "--false-alarms", "0.5"], "--false-alarms must be a percentage"],
    [["--calibrate", "day.log", "--false-alarms", "101%"], "--false-alarms must be a percentage"],
    [["--calibrate", "empty.log"], "no lines to calibrate on"],
    [["--calibrate", "missing.log"], "missing.log"],
  ])("%j fails saying why, and writes nothing", async (option, message) => {
    await trained("m.json");
    write("day.log", "GET /index.html\n");
    write("empty.log", "");
    fails(await run(["pack", "--model", "m.json", ...option, "-o", "t.wasm"]), message);
    expect(exists("t.wasm")).toBe(false);
  });
});
