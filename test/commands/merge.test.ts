// tarkin merge end to end: shard models merged equal one training, fleet training in parallel
// processes, and no training counted twice.
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { useTestDirectory, CLI, dir, runHere as run, ok, fails, write, read, exists, model, learned, linesOf, sample, trained } from "./cli.helpers.js";

useTestDirectory();

describe("tarkin merge", () => {
  it("merging shard models gives exactly the model of training on the shards in one go", async () => {
    const text = ok(await run(["sample", "--lines", "300", "--seed", "9"])).stdout;
    const lines = linesOf(text);
    write("A.log", lines.slice(0, 150).join("\n") + "\n");
    write("B.log", lines.slice(150).join("\n") + "\n");
    write("AB.log", text);
    ok(await run(["train", "A.log", "-o", "A.json"]));
    ok(await run(["train", "B.log", "-o", "B.json"]));
    ok(await run(["train", "AB.log", "-o", "AB.json"]));
    const r = ok(await run(["merge", "A.json", "B.json", "-o", "C.json"]));
    expect(r.stderr).toContain("300 messages");
    const merged = model("C.json");
    expect(merged.format).toBe("tarkin-model");
    expect(learned(merged)).toEqual(learned(model("AB.json")));
    expect(merged.provenance?.trainedOn?.map((t) => t.source)).toEqual(["A.log", "B.log"]);
  });

  it("handles characters one shard has and the other lacks, in both directions, and three shards", async () => {
    write("A.log", "aaa b\nab\n");
    write("B.log", "xyz é 日本\nzz ΣΑΣ\n");
    write("C.log", "b a\nqq!\n");
    write("AB.log", read("A.log") + read("B.log"));
    write("ABC.log", read("A.log") + read("B.log") + read("C.log"));
    for (const f of ["A", "B", "C", "AB", "ABC"]) ok(await run(["train", `${f}.log`, "-o", `${f}.json`]));
    expect(model("B.json").characters.map((c) => c.char)).not.toContain("a");
    ok(await run(["merge", "A.json", "B.json", "-o", "ab.json"]));
    expect(learned(model("ab.json"))).toEqual(learned(model("AB.json")));
    ok(await run(["merge", "A.json", "B.json", "C.json", "-o", "abc.json"]));
    expect(learned(model("abc.json"))).toEqual(learned(model("ABC.json")));
  });

  it("fleet training: 8 shards trained in parallel processes and merged give the model of one pass over them all, and byte-identical packed modules", async () => {
    const lines = linesOf(ok(await run(["sample", "--lines", "16000", "--seed", "12"])).stdout);
    const shards = Array.from({ length: 8 }, (_, i) => write(`shard${i}.log`, lines.slice(i * 2000, (i + 1) * 2000).join("\n") + "\n"));
    const training = shards.map(
      (shard, i) =>
        new Promise<number | null>((done) => {
          const child = spawn(process.execPath, [CLI, "train", shard, "-o", `shard${i}.json`], { cwd: dir, stdio: "ignore" });
          child.on("exit", done);
        }),
    );
    expect(await Promise.all(training)).toEqual(Array(8).fill(0));
    ok(await run(["merge", ...shards.map((_, i) => `shard${i}.json`), "-o", "merged.json"]));
    ok(await run(["train", ...shards, "-o", "one-pass.json"]));
    expect(learned(model("merged.json"))).toEqual(learned(model("one-pass.json")));
    expect(model("merged.json").provenance?.trainedOn?.map((t) => t.source)).toEqual(shards);
    ok(await run(["pack", "--model", "merged.json", "-o", "merged.wasm"]));
    ok(await run(["pack", "--model", "one-pass.json", "-o", "one-pass.wasm"]));
    expect(readFileSync(join(dir, "merged.wasm")).equals(readFileSync(join(dir, "one-pass.wasm")))).toBe(true);
    // inspect's sha256 of the pack says which model a node runs: the same for both.
    const sha = async (file: string) => JSON.parse(ok(await run(["inspect", file, "--json"])).stdout).sha256;
    expect(await sha("merged.wasm")).toMatch(/^[0-9a-f]{64}$/);
    expect(await sha("merged.wasm")).toBe(await sha("one-pass.wasm"));
  });

  it("fails with one model", async () => {
    await trained("A.json");
    fails(await run(["merge", "A.json", "-o", "C.json"]), "at least two models");
    expect(exists("C.json")).toBe(false);
  });

  it("fails on a JSON file that is not a model", async () => {
    await trained("A.json");
    write("other.json", '{"hello": "world"}\n');
    fails(await run(["merge", "A.json", "other.json", "-o", "C.json"]), /other\.json: not a tarkin model/);
    expect(exists("C.json")).toBe(false);
  });

  it("fails on a missing model file", async () => {
    await trained("A.json");
    fails(await run(["merge", "A.json", "missing.json", "-o", "C.json"]), /missing\.json: no such file/);
  });
});

describe("merge refuses to count a training twice", () => {
  it("the same file given twice, by the same name or another (a link): exit 2, and no model written", async () => {
    await trained("m.json");
    const r = fails(await run(["merge", "m.json", "m.json", "-o", "out.json"]), "tarkin merge: m.json is given twice: merging would count its training twice (--allow-duplicates merges them anyway)");
    expect(r.status).toBe(2);
    mkdirSync(join(dir, "sub"));
    fails(await run(["merge", "m.json", "sub/../m.json", "-o", "out.json"]), "m.json and sub/../m.json are the same file");
    expect(exists("out.json")).toBe(false);
  });

  it("two files of identical training (a copy, whatever its provenance): exit 1", async () => {
    await trained("m.json");
    const copy = model("m.json");
    copy.provenance = { trainedOn: [{ source: "elsewhere.log", format: "lines", messages: copy.messages }] };
    write("copy.json", JSON.stringify(copy));
    const r = fails(await run(["merge", "m.json", "copy.json", "-o", "out.json"]), "m.json and copy.json hold identical training, as of the same shard: merging would count it twice");
    expect(r.status).toBe(1);
    expect(exists("out.json")).toBe(false);
  });

  it("--allow-duplicates merges them, counting the training twice", async () => {
    await trained("m.json");
    ok(await run(["merge", "m.json", "m.json", "--allow-duplicates", "-o", "twice.json"]));
    expect(model("twice.json").messages).toBe(2 * model("m.json").messages);
  });

  it("shards of different training with the same file name in two directories merge", async () => {
    mkdirSync(join(dir, "a"));
    mkdirSync(join(dir, "b"));
    await sample("a/shard.log", 100, 1);
    await sample("b/shard.log", 100, 2);
    ok(await run(["train", "a/shard.log", "-o", "a/m.json"]));
    ok(await run(["train", "b/shard.log", "-o", "b/m.json"]));
    ok(await run(["merge", "a/m.json", "b/m.json", "-o", "ab.json"]));
    expect(model("ab.json").messages).toBe(200);
  });
});
