// tarkin inspect end to end: what a packed module says of itself, and its errors.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SKETCH_COUNTERS } from "../../host/core/module/model.js";
import { useTestDirectory, CORE_WASM, dir, runHere as run, ok, fails, write, model, packed } from "./cli.helpers.js";

useTestDirectory();

describe("tarkin inspect", () => {
  it("names the model's characters, messages, settings, provenance and a sha256", async () => {
    await packed("t.wasm", ["--mode", "drop"]);
    const m = model("m.json");
    const out = ok(await run(["inspect", "t.wasm"])).stdout;
    expect(out).toContain(`${m.characters.length} characters, ${m.messages} messages`);
    expect(out).toContain("trained on train-1.log (lines, 300 messages)");
    expect(out).toMatch(/^settings +fields log, message, msg; mode drop; surprise default/m);
    expect(out).toMatch(/sha256 [0-9a-f]{64}\b/);
    expect(out).toContain("t.wasm");
    expect(out).toMatch(/^sketch +shapes \d+\.\d% of counters taken, values \d+\.\d%: a shape never seen reads as seen \d+\.\d% of the time, a value \d+\.\d%/m);
    expect(out).toMatch(/access words: \d+/);
  });

  it("--json parses and agrees with the text output and the model", async () => {
    await packed("t.wasm");
    const m = model("m.json");
    const info = JSON.parse(ok(await run(["inspect", "t.wasm", "--json"])).stdout);
    expect(info.file).toBe("t.wasm");
    expect(info.bytes).toBe(readFileSync(join(dir, "t.wasm")).length);
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info.characters).toBe(m.characters.map((c) => c.char).join(""));
    expect(info.info.model).toMatchObject({ messages: m.messages, characters: m.characters.length });
    expect(info.lexiconEntries).toBeGreaterThan(7000);
    // The sketch's fill, from the model's counters: every counter taken is counted once.
    const taken = m.fields.counters.filter((_, i) => i % 2 === 0).length;
    expect((info.sketch.shapes.taken + info.sketch.values.taken) * (SKETCH_COUNTERS / 2)).toBeCloseTo(taken, 6);
    expect(info.sketch.values.collisions).toBeGreaterThanOrEqual(0);
    expect(info.sketch.values.collisions).toBeLessThan(info.sketch.values.taken);
    expect(ok(await run(["inspect", "t.wasm"])).stdout).toContain(`sha256 ${info.sha256}`);
  });

  it("fails clearly on a file that is not wasm", async () => {
    write("notes.txt", "hello\n");
    fails(await run(["inspect", "notes.txt"]), /notes\.txt: not a WebAssembly module/);
  });

  it("fails on the bare core module, saying nothing is packed", async () => {
    fails(await run(["inspect", CORE_WASM]), /no packed model/);
  });

  it("fails clearly on a WebAssembly module that is not tarkin's", async () => {
    write("empty.wasm", new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    fails(await run(["inspect", "empty.wasm"]), /empty\.wasm: not a tarkin module/);
  });

  it("fails clearly on a missing file or a directory", async () => {
    fails(await run(["inspect", "missing.wasm"]), /missing\.wasm: no such file/);
    fails(await run(["inspect", "."]), /directory/);
  });
});
