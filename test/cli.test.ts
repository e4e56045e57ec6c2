// The CLI end to end: the bundled dist/tarkin.js run as a child process, each test in a fresh
// temporary directory, checking what a user sees (stdout, stderr, the exit status, the files written).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { ROOT, shared } from "./helpers.js";
import type { Model } from "../host/core/module/model.js";

const CLI = resolve(ROOT, "dist/tarkin.js");
const CORE_WASM = resolve(ROOT, "build/tarkin-core.wasm");
const APACHE = shared("data/loghub/Apache_2k.log");

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A model file as written, read back without the checks parseModel makes. */
type ModelFile = Omit<Model, "provenance"> & { provenance?: { trainedOn?: Record<string, unknown>[] } };

type Annotated = Record<string, unknown>;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tarkin-cli-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the bundled CLI in the test's directory, with `input` on standard input (empty if none). */
function run(args: string[], input?: string): Result {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, input: input ?? "", encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The command succeeded (stderr shown when it did not). */
function ok(r: Result): Result {
  expect(r.status, `stderr: ${r.stderr}`).toBe(0);
  return r;
}

/** The command failed the way the CLI promises: a non-zero exit, one line on stderr, no stack trace. */
function fails(r: Result, message?: RegExp | string): Result {
  expect(r.status, `stdout: ${r.stdout.slice(0, 300)}`).not.toBe(0);
  expect(r.status).not.toBeNull();
  expect(r.stderr).not.toContain("    at ");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, `stderr: ${r.stderr}`).toHaveLength(1);
  expect(lines[0]).toMatch(/^tarkin( [a-z]+)?: \S/);
  if (message !== undefined) {
    if (typeof message === "string") expect(r.stderr).toContain(message);
    else expect(r.stderr).toMatch(message);
  }
  return r;
}

function write(name: string, content: string | Uint8Array): string {
  writeFileSync(join(dir, name), content);
  return name;
}

function read(name: string): string {
  return readFileSync(join(dir, name), "utf8");
}

function exists(name: string): boolean {
  return existsSync(join(dir, name));
}

function model(name: string): ModelFile {
  return JSON.parse(read(name)) as ModelFile;
}

/** What training determines: the messages and every character's statistics, in order. */
function learned(m: ModelFile) {
  return { messages: m.messages, characters: m.characters.map(({ char, n, K, Ex, Ex2, max, min }) => ({ char, n, K, Ex, Ex2, max, min })) };
}

/** Lines of text, without the final newline's empty remainder. */
function linesOf(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function records(stdout: string): Annotated[] {
  return linesOf(stdout).map((l) => JSON.parse(l) as Annotated);
}

/** The numbers of check's summary line. */
function summary(stderr: string) {
  const m = /tarkin check: (\d+) records in, (\d+) out, (\d+) infrequent, (\d+) anomalous, (\d+) errors/.exec(stderr);
  expect(m, `stderr: ${stderr}`).not.toBeNull();
  const [recordsIn, out, infrequent, anomalous, errors] = m!.slice(1).map(Number);
  return { recordsIn, out, infrequent, anomalous, errors };
}

/** `tarkin sample` into a file of the test directory. */
function sample(name: string, lines = 300, seed = 1, attacks?: number): string {
  ok(run(["sample", "--lines", String(lines), "--seed", String(seed), ...(attacks === undefined ? [] : ["--attacks", String(attacks)]), "-o", name]));
  return name;
}

/** Models trained on 300 sample lines, by seed: trained once in this file, for the tests that need a model rather than test training. */
let models: string;
beforeAll(() => {
  models = mkdtempSync(join(tmpdir(), "tarkin-cli-models-"));
});
afterAll(() => {
  rmSync(models, { recursive: true, force: true });
});

/** A model trained on 300 sample lines (train-SEED.log), copied into the test's directory. */
function trained(name = "m.json", seed = 1): string {
  const model = join(models, `train-${seed}.json`);
  if (!existsSync(model)) {
    const log = join(models, `train-${seed}.log`);
    ok(run(["sample", "--lines", "300", "--seed", String(seed), "-o", log]));
    ok(run(["train", log, "-o", model]));
  }
  copyFileSync(model, join(dir, name));
  return name;
}

function packed(name = "t.wasm", extra: string[] = []): string {
  ok(run(["pack", "--model", trained(), ...extra, "-o", name]));
  return name;
}

const SCORE_FIELDS = ["tarkin_surprise", "tarkin_infrequent", "tarkin_sentiment", "tarkin_fear", "tarkin_anomaly"];

function expectAnnotated(r: Annotated): void {
  for (const f of SCORE_FIELDS) expect(r, JSON.stringify(r)).toHaveProperty(f);
  expect(typeof r.tarkin_surprise).toBe("number");
  expect(typeof r.tarkin_infrequent).toBe("boolean");
  expect(typeof r.tarkin_sentiment).toBe("number");
  expect(typeof r.tarkin_fear).toBe("number");
  expect(typeof r.tarkin_anomaly).toBe("boolean");
}

describe("tarkin sample", () => {
  it("is deterministic: the same --seed gives byte-identical output, on stdout and with -o", () => {
    const a = ok(run(["sample", "--lines", "300", "--seed", "7"])).stdout;
    const b = ok(run(["sample", "--lines", "300", "--seed", "7"])).stdout;
    expect(a.length).toBeGreaterThan(0);
    expect(b).toBe(a);
    sample("s.log", 300, 7);
    expect(readFileSync(join(dir, "s.log"))).toEqual(Buffer.from(a, "utf8"));
  });

  it("differs for different seeds", () => {
    const a = ok(run(["sample", "--lines", "300", "--seed", "1"])).stdout;
    const b = ok(run(["sample", "--lines", "300", "--seed", "2"])).stdout;
    expect(b).not.toBe(a);
  });

  it.each([0, 1, 300])("--lines %i writes exactly that many lines", (n) => {
    const out = ok(run(["sample", "--lines", String(n), "--seed", "3"])).stdout;
    expect(linesOf(out)).toHaveLength(n);
    if (n) expect(out.endsWith("\n")).toBe(true);
    else expect(out).toBe("");
  });

  it("--attacks changes the mix but not the count", () => {
    const none = ok(run(["sample", "--lines", "300", "--attacks", "0"])).stdout;
    const all = ok(run(["sample", "--lines", "300", "--attacks", "1"])).stdout;
    expect(linesOf(none)).toHaveLength(300);
    expect(linesOf(all)).toHaveLength(300);
    expect(all).not.toBe(none);
  });

  it.each([
    ["--lines", "abc"],
    ["--lines", "-3"],
    ["--lines", "1.5"],
    ["--lines", ""],
    ["--seed", "abc"],
    ["--seed", "1.5"],
    ["--seed", ""],
    ["--attacks", "2"],
    ["--attacks", "-0.1"],
    ["--attacks", "abc"],
    ["--attacks", ""],
  ])("rejects %s %j with one tarkin: line and a non-zero exit", (option, value) => {
    const r = fails(run(["sample", "--lines", "5", option, value]));
    expect(r.stderr).toMatch(/^tarkin: /);
    expect(r.stderr).toContain(option);
    expect(r.stdout).toBe("");
  });

  it.each([3, 3000])("-o into a missing directory fails clearly (%i lines)", (n) => {
    fails(run(["sample", "--lines", String(n), "-o", "missing-dir/s.log"]), /missing-dir/);
  });
});

describe("tarkin train", () => {
  it("trains plain lines: CRLF and LF, a last line without newline; the model names its source", () => {
    mkdirSync(join(dir, "logs"));
    write("logs/abc.log", "a\r\nb\nc");
    const r = ok(run(["train", "logs/abc.log", "-o", "m.json"]));
    expect(r.stderr).toContain("3 messages");
    const m = model("m.json");
    expect(m.format).toBe("tarkin-model");
    expect(m.version).toBe(3);
    expect(m.messages).toBe(3);
    expect(m.characters.map((c) => c.char)).toEqual(["a", "b", "c"]);
    // The field model: per message its one field's value count, two trigrams (^^a, ^a$) and its whole shape, two counters each.
    const counts = m.fields.counters.filter((_, i) => i % 2 === 1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3 * 4 * 2);
    for (const c of m.characters) expect(c).toMatchObject({ n: 1, K: 1, Ex: 0, Ex2: 0, max: 1 });
    expect(m.provenance?.trainedOn).toEqual([{ source: "abc.log", format: "lines", messages: 3 }]);
  });

  it("CRLF and LF files train the same model", () => {
    const text = ok(run(["sample", "--lines", "300"])).stdout;
    write("lf.log", text);
    write("crlf.log", text.replace(/\n/g, "\r\n"));
    ok(run(["train", "lf.log", "-o", "lf.json"]));
    ok(run(["train", "crlf.log", "-o", "crlf.json"]));
    expect(learned(model("crlf.json"))).toEqual(learned(model("lf.json")));
    expect(model("lf.json").messages).toBe(300);
  });

  it("--format ndjson --field a.b reads a nested field, skipping and reporting lines that are not JSON", () => {
    write(
      "r.ndjson",
      ['{"a":{"b":"session opened for alice"}}', "this is not json", "", '{"a":{"b":"session closed for bob"},"x":1}', '{"a":{"c":"no b"}}'].join("\n") + "\n",
    );
    const r = ok(run(["train", "r.ndjson", "--format", "ndjson", "--field", "a.b", "-o", "n.json"]));
    expect(r.stderr).toMatch(/skipped:.*1 not JSON/);
    expect(r.stderr).toContain("no a.b field");
    const m = model("n.json");
    expect(m.messages).toBe(2);
    expect(m.provenance?.trainedOn).toEqual([{ source: "r.ndjson", format: "ndjson", field: "a.b", messages: 2 }]);
    write("plain.log", "session opened for alice\nsession closed for bob\n");
    ok(run(["train", "plain.log", "-o", "p.json"]));
    expect(learned(m)).toEqual(learned(model("p.json")));
  });

  it("--format csv reads --column 2 and --column NAME (with a header) alike", () => {
    write("r.csv", 'id,log,level\n1,"Accepted password for bob, from 10.0.0.1",info\n2,session closed,warn\n');
    ok(run(["train", "r.csv", "--format", "csv", "--column", "log", "-o", "byname.json"]));
    ok(run(["train", "r.csv", "--format", "csv", "--column", "2", "--header", "-o", "bynumber.json"]));
    const byName = model("byname.json");
    expect(byName.messages).toBe(2);
    expect(learned(model("bynumber.json"))).toEqual(learned(byName));
    write("plain.log", "Accepted password for bob, from 10.0.0.1\nsession closed\n");
    ok(run(["train", "plain.log", "-o", "p.json"]));
    expect(learned(byName)).toEqual(learned(model("p.json")));
    // Without --header, a numbered column trains on the first row too.
    ok(run(["train", "r.csv", "--format", "csv", "--column", "2", "-o", "noheader.json"]));
    expect(model("noheader.json").messages).toBe(3);
  });

  it("--format csv fails clearly on a column name not in the header, and on --column 0", () => {
    write("r.csv", "id,log\n1,hello\n");
    fails(run(["train", "r.csv", "--format", "csv", "--column", "nope", "-o", "m.json"]), /no column named "nope"/);
    fails(run(["train", "r.csv", "--format", "csv", "--column", "0", "-o", "m.json"]), "--column");
    expect(exists("m.json")).toBe(false);
  });

  it("reads standard input with -", () => {
    const text = ok(run(["sample", "--lines", "300"])).stdout;
    write("s.log", text);
    ok(run(["train", "-", "-o", "stdin.json"], text));
    ok(run(["train", "s.log", "-o", "file.json"]));
    const m = model("stdin.json");
    expect(learned(m)).toEqual(learned(model("file.json")));
    expect(m.provenance?.trainedOn).toEqual([{ source: "stdin", format: "lines", messages: 300 }]);
  });

  it("--update continues a model: A, then --update with B, equals training on A+B", () => {
    const text = ok(run(["sample", "--lines", "300", "--seed", "5"])).stdout;
    const lines = linesOf(text);
    write("A.log", lines.slice(0, 150).join("\n") + "\n");
    write("B.log", lines.slice(150).join("\n") + "\n");
    write("AB.log", text);
    ok(run(["train", "A.log", "-o", "up.json"]));
    const r = ok(run(["train", "B.log", "--update", "-o", "up.json"]));
    expect(r.stderr).toContain("150 messages added to 150");
    ok(run(["train", "AB.log", "-o", "full.json"]));
    const up = model("up.json");
    expect(up.messages).toBe(300);
    expect(learned(up)).toEqual(learned(model("full.json")));
    expect(up.provenance?.trainedOn?.map((t) => t.source)).toEqual(["A.log", "B.log"]);
  });

  it("--update without an existing model fails clearly", () => {
    write("a.log", "hello\n");
    fails(run(["train", "a.log", "--update", "-o", "absent.json"]), /--update: there is no model at absent\.json/);
    expect(exists("absent.json")).toBe(false);
  });

  it("--update onto a file that is not a model fails clearly", () => {
    write("a.log", "hello\n");
    write("other.json", '{"hello": 1}\n');
    fails(run(["train", "a.log", "--update", "-o", "other.json"]), "not a tarkin model");
  });

  it("an empty input fails with a clear message and writes no model", () => {
    write("empty.log", "");
    fails(run(["train", "empty.log", "-o", "m.json"]), /no messages to train on: the input is empty/);
    fails(run(["train", "-", "-o", "m.json"], ""), /the input is empty/);
    expect(exists("m.json")).toBe(false);
  });

  it("a missing file fails with 'no such file' and no stack trace", () => {
    fails(run(["train", "missing.log", "-o", "m.json"]), /missing\.log: no such file/);
    expect(exists("m.json")).toBe(false);
  });

  it("an output in a missing directory fails with one line, no stack trace", () => {
    write("a.log", "hello\n");
    fails(run(["train", "a.log", "-o", "missing-dir/m.json"]), /missing-dir/);
  });
});

describe("tarkin merge", () => {
  it("merging shard models gives exactly the model of training on the shards in one go", () => {
    const text = ok(run(["sample", "--lines", "300", "--seed", "9"])).stdout;
    const lines = linesOf(text);
    write("A.log", lines.slice(0, 150).join("\n") + "\n");
    write("B.log", lines.slice(150).join("\n") + "\n");
    write("AB.log", text);
    ok(run(["train", "A.log", "-o", "A.json"]));
    ok(run(["train", "B.log", "-o", "B.json"]));
    ok(run(["train", "AB.log", "-o", "AB.json"]));
    const r = ok(run(["merge", "A.json", "B.json", "-o", "C.json"]));
    expect(r.stderr).toContain("300 messages");
    const merged = model("C.json");
    expect(merged.format).toBe("tarkin-model");
    expect(learned(merged)).toEqual(learned(model("AB.json")));
    expect(merged.provenance?.trainedOn?.map((t) => t.source)).toEqual(["A.log", "B.log"]);
  });

  it("handles characters one shard has and the other lacks, in both directions, and three shards", () => {
    write("A.log", "aaa b\nab\n");
    write("B.log", "xyz é 日本\nzz ΣΑΣ\n");
    write("C.log", "b a\nqq!\n");
    write("AB.log", read("A.log") + read("B.log"));
    write("ABC.log", read("A.log") + read("B.log") + read("C.log"));
    for (const f of ["A", "B", "C", "AB", "ABC"]) ok(run(["train", `${f}.log`, "-o", `${f}.json`]));
    expect(model("B.json").characters.map((c) => c.char)).not.toContain("a");
    ok(run(["merge", "A.json", "B.json", "-o", "ab.json"]));
    expect(learned(model("ab.json"))).toEqual(learned(model("AB.json")));
    ok(run(["merge", "A.json", "B.json", "C.json", "-o", "abc.json"]));
    expect(learned(model("abc.json"))).toEqual(learned(model("ABC.json")));
  });

  it("fleet training: 8 shards trained in parallel processes and merged give the model of one pass over them all, and byte-identical packed modules", async () => {
    const lines = linesOf(ok(run(["sample", "--lines", "16000", "--seed", "12"])).stdout);
    const shards = Array.from({ length: 8 }, (_, i) => write(`shard${i}.log`, lines.slice(i * 2000, (i + 1) * 2000).join("\n") + "\n"));
    const training = shards.map(
      (shard, i) =>
        new Promise<number | null>((done) => {
          const child = spawn(process.execPath, [CLI, "train", shard, "-o", `shard${i}.json`], { cwd: dir, stdio: "ignore" });
          child.on("exit", done);
        }),
    );
    expect(await Promise.all(training)).toEqual(Array(8).fill(0));
    ok(run(["merge", ...shards.map((_, i) => `shard${i}.json`), "-o", "merged.json"]));
    ok(run(["train", ...shards, "-o", "one-pass.json"]));
    expect(learned(model("merged.json"))).toEqual(learned(model("one-pass.json")));
    expect(model("merged.json").provenance?.trainedOn?.map((t) => t.source)).toEqual(shards);
    ok(run(["pack", "--model", "merged.json", "-o", "merged.wasm"]));
    ok(run(["pack", "--model", "one-pass.json", "-o", "one-pass.wasm"]));
    expect(readFileSync(join(dir, "merged.wasm")).equals(readFileSync(join(dir, "one-pass.wasm")))).toBe(true);
    // inspect's sha256 of the pack says which model a node runs: the same for both.
    const sha = (file: string) => JSON.parse(ok(run(["inspect", file, "--json"])).stdout).sha256;
    expect(sha("merged.wasm")).toMatch(/^[0-9a-f]{64}$/);
    expect(sha("merged.wasm")).toBe(sha("one-pass.wasm"));
  });

  it("fails with one model", () => {
    trained("A.json");
    fails(run(["merge", "A.json", "-o", "C.json"]), "at least two models");
    expect(exists("C.json")).toBe(false);
  });

  it("fails on a JSON file that is not a model", () => {
    trained("A.json");
    write("other.json", '{"hello": "world"}\n');
    fails(run(["merge", "A.json", "other.json", "-o", "C.json"]), /other\.json: not a tarkin model/);
    expect(exists("C.json")).toBe(false);
  });

  it("fails on a missing model file", () => {
    trained("A.json");
    fails(run(["merge", "A.json", "missing.json", "-o", "C.json"]), /missing\.json: no such file/);
  });
});

describe("tarkin pack", () => {
  it("writes a module that imports nothing, byte-identical when packed twice from the same inputs", () => {
    trained("m.json");
    const r = ok(run(["pack", "--model", "m.json", "-o", "one.wasm"]));
    expect(r.stderr).toContain("one.wasm");
    ok(run(["pack", "--model", "m.json", "-o", "two.wasm"]));
    const one = readFileSync(join(dir, "one.wasm"));
    const two = readFileSync(join(dir, "two.wasm"));
    expect(WebAssembly.Module.imports(new WebAssembly.Module(one))).toEqual([]);
    expect(two.equals(one)).toBe(true);
  });

  it("--lexicon overlay.tsv: a word the overlay gives -3 reads negative", () => {
    trained("m.json");
    write("overlay.tsv", "# an operator's words\nblorptastic\t-3\n");
    ok(run(["pack", "--model", "m.json", "--lexicon", "overlay.tsv", "-o", "ov.wasm"]));
    ok(run(["pack", "--model", "m.json", "-o", "plain.wasm"]));

    const withOverlay = records(ok(run(["check", "--wasm", "ov.wasm"], "blorptastic\n")).stdout);
    expect(withOverlay).toHaveLength(1);
    expect(withOverlay[0].tarkin_sentiment as number).toBeLessThan(0);
    const without = records(ok(run(["check", "--wasm", "plain.wasm"], "blorptastic\n")).stdout);
    expect(without[0].tarkin_sentiment).toBe(0);

    const explained = JSON.parse(ok(run(["explain", "blorptastic", "--wasm", "ov.wasm", "--json"])).stdout);
    expect(explained.sentiment.sentiment.compound).toBeLessThan(0);
    expect(explained.sentiment.words).toEqual([expect.objectContaining({ word: "blorptastic", valence: -3 })]);

    expect(ok(run(["inspect", "ov.wasm"])).stdout).toContain("overlay.tsv (1)");
  });

  it("warns when the module is over the 1 MiB a Kubernetes ConfigMap holds, and still writes it", () => {
    trained("m.json");
    write("large.tsv", Array.from({ length: 40_000 }, (_, i) => `w${i.toString(36)}aaaaaaaaaaaa\t-1.5`).join("\n") + "\n");
    const large = ok(run(["pack", "--model", "m.json", "--lexicon", "large.tsv", "-o", "large.wasm"]));
    expect(readFileSync(join(dir, "large.wasm")).length).toBeGreaterThan(1024 * 1024);
    expect(large.stderr).toMatch(/warning: large\.wasm is over the 1048576 bytes a Kubernetes ConfigMap holds/);
    expect(ok(run(["pack", "--model", "m.json", "-o", "small.wasm"])).stderr).not.toContain("warning");
  });

  it.each([
    ["no tab", "good\t1\nbadline\n", ":2:"],
    ["a valence that is not a number", "# comment\ngood\t1\nword\tabc\n", ":3:"],
    ["a valence out of range", "word\t301\n", ":1:"],
  ])("a malformed overlay line (%s) fails naming the file and line", (_why, content, line) => {
    trained("m.json");
    write("bad.tsv", content);
    fails(run(["pack", "--model", "m.json", "--lexicon", "bad.tsv", "-o", "t.wasm"]), `bad.tsv${line}`);
    expect(exists("t.wasm")).toBe(false);
  });

  it.each([
    ["truncated", (text: string) => text.slice(0, 200)],
    ["with a stray comma inside", (text: string) => text.replace('"K": 1,', '"K": 1,,')],
    ["garbage", () => "not a model at all\nreally not\n"],
    ["a few bytes of text", () => "oops\n"],
  ])("a corrupt model JSON (%s) fails clearly", (_why, corrupt) => {
    trained("m.json");
    const text = read("m.json");
    const bad = corrupt(text);
    expect(bad).not.toBe(text);
    write("bad.json", bad);
    fails(run(["pack", "--model", "bad.json", "-o", "t.wasm"]), /bad\.json: not JSON/);
    expect(exists("t.wasm")).toBe(false);
  });

  it("a JSON file that is not a model, or a missing model, fails clearly", () => {
    write("other.json", "[1, 2, 3]\n");
    fails(run(["pack", "--model", "other.json", "-o", "t.wasm"]), /other\.json: not a tarkin model/);
    fails(run(["pack", "--model", "missing.json", "-o", "t.wasm"]), /missing\.json: no such file/);
    expect(exists("t.wasm")).toBe(false);
  });

  it("packs the default settings when given none", () => {
    packed("t.wasm");
    const info = JSON.parse(ok(run(["inspect", "t.wasm", "--json"])).stdout);
    expect(info.settings).toEqual({ fields: ["log", "message", "msg"], mode: "annotate", surprise: "default", gateSpreads: 0, minFear: 0, prefix: "tarkin_" });
  });

  it("settings options round-trip through inspect --json", () => {
    packed("s.wasm", ["--mode", "drop", "--surprise", "tarkin", "--field", "a.b", "msg", "--prefix", "x_", "--gate-spreads", "2.5", "--min-fear", "0.3"]);
    const info = JSON.parse(ok(run(["inspect", "s.wasm", "--json"])).stdout);
    expect(info.settings).toEqual({ fields: ["a.b", "msg"], mode: "drop", surprise: "tarkin", gateSpreads: 2.5, minFear: 0.3, prefix: "x_" });
  });

  it("packed settings take effect in check: --mode drop and --prefix", () => {
    packed("d.wasm", ["--mode", "drop", "--prefix", "x_", "--field", "a.b"]);
    const text = ok(run(["sample", "--lines", "300", "--seed", "4", "--attacks", "0.2"])).stdout;
    const input = linesOf(text).map((l) => JSON.stringify({ a: { b: l } })).join("\n") + "\n";
    const r = ok(run(["check", "--format", "ndjson", "--wasm", "d.wasm"], input));
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
  ])("rejects the invalid setting %j with a non-zero exit", (option) => {
    trained("m.json");
    fails(run(["pack", "--model", "m.json", ...option, "-o", "t.wasm"]), option[0]);
    expect(exists("t.wasm")).toBe(false);
  });

  it("--aot without flb-wamrc (not on PATH, no $FLB_WAMRC) fails saying what it needs, and writes nothing", () => {
    trained("m.json");
    const env = { ...process.env, PATH: dirname(process.execPath), FLB_WAMRC: "" };
    const r = spawnSync(process.execPath, [CLI, "pack", "--model", "m.json", "-o", "t.wasm", "--aot"], { cwd: dir, encoding: "utf8", env });
    fails({ status: r.status, stdout: r.stdout, stderr: r.stderr }, /--aot needs flb-wamrc, Fluent Bit's AOT compiler .* same Fluent Bit version/);
    expect(exists("t.wasm")).toBe(false);
    expect(exists("t.aot")).toBe(false);
  });

  it("requires --model and -o", () => {
    fails(run(["pack", "-o", "t.wasm"]), "--model");
    trained("m.json");
    fails(run(["pack", "--model", "m.json"]), "--output");
  });
});

describe("tarkin inspect", () => {
  it("names the model's characters, messages, settings, provenance and a sha256", () => {
    packed("t.wasm", ["--mode", "drop"]);
    const m = model("m.json");
    const out = ok(run(["inspect", "t.wasm"])).stdout;
    expect(out).toContain(`${m.characters.length} characters, ${m.messages} messages`);
    expect(out).toContain("trained on train-1.log (lines, 300 messages)");
    expect(out).toMatch(/^settings +fields log, message, msg; mode drop; surprise default/m);
    expect(out).toMatch(/sha256 [0-9a-f]{64}\b/);
    expect(out).toContain("t.wasm");
  });

  it("--json parses and agrees with the text output and the model", () => {
    packed("t.wasm");
    const m = model("m.json");
    const info = JSON.parse(ok(run(["inspect", "t.wasm", "--json"])).stdout);
    expect(info.file).toBe("t.wasm");
    expect(info.bytes).toBe(readFileSync(join(dir, "t.wasm")).length);
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info.characters).toBe(m.characters.map((c) => c.char).join(""));
    expect(info.info.model).toMatchObject({ messages: m.messages, characters: m.characters.length });
    expect(info.lexiconEntries).toBeGreaterThan(7000);
    expect(ok(run(["inspect", "t.wasm"])).stdout).toContain(`sha256 ${info.sha256}`);
  });

  it("fails clearly on a file that is not wasm", () => {
    write("notes.txt", "hello\n");
    fails(run(["inspect", "notes.txt"]), /notes\.txt: not a WebAssembly module/);
  });

  it("fails on the bare core module, saying nothing is packed", () => {
    fails(run(["inspect", CORE_WASM]), /no packed model/);
  });

  it("fails clearly on a WebAssembly module that is not tarkin's", () => {
    write("empty.wasm", new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    fails(run(["inspect", "empty.wasm"]), /empty\.wasm: not a tarkin module/);
  });

  it("fails clearly on a missing file or a directory", () => {
    fails(run(["inspect", "missing.wasm"]), /missing\.wasm: no such file/);
    fails(run(["inspect", "."]), /directory/);
  });
});

describe("tarkin check", () => {
  it("with the embedded default: one annotated NDJSON line per record, a summary on stderr", () => {
    const input = linesOf(read(sample("s.log", 300, 11, 0.1)));
    const r = ok(run(["check", "s.log"]));
    const out = records(r.stdout);
    expect(out).toHaveLength(input.length);
    out.forEach((rec, i) => {
      expectAnnotated(rec);
      expect(rec.log).toBe(input[i]);
    });
    expect(r.stderr).toMatch(/records in, \d+ out, \d+ infrequent, \d+ anomalous, \d+ errors/);
    const s = summary(r.stderr);
    expect(s).toEqual({
      recordsIn: 300,
      out: 300,
      infrequent: out.filter((x) => x.tarkin_infrequent).length,
      anomalous: out.filter((x) => x.tarkin_anomaly).length,
      errors: 0,
    });
    expect(s.anomalous).toBeGreaterThan(0);
  });

  it("reads standard input (none or -) and several files, in order", () => {
    const text = read(sample("s.log", 300, 12));
    const fromFile = ok(run(["check", "s.log"])).stdout;
    expect(ok(run(["check"], text)).stdout).toBe(fromFile);
    expect(ok(run(["check", "-"], text)).stdout).toBe(fromFile);
    const lines = linesOf(text);
    write("a.log", lines.slice(0, 100).join("\n") + "\n");
    write("b.log", lines.slice(100).join("\n") + "\n");
    const r = ok(run(["check", "a.log", "b.log"]));
    expect(summary(r.stderr).recordsIn).toBe(300);
    expect(r.stdout).toBe(fromFile);
  });

  it("reads CRLF lines and a last line without newline", () => {
    const out = records(ok(run(["check"], "first line\r\nsecond line\r\nthird")).stdout);
    expect(out.map((r) => r.log)).toEqual(["first line", "second line", "third"]);
  });

  it("--mode drop outputs only the anomalous records, the same ones annotate marks", () => {
    sample("s.log", 300, 11, 0.1);
    const annotated = records(ok(run(["check", "s.log"])).stdout);
    const r = ok(run(["check", "s.log", "--mode", "drop"]));
    const dropped = records(r.stdout);
    expect(dropped.length).toBeGreaterThan(0);
    for (const rec of dropped) expect(rec.tarkin_anomaly).toBe(true);
    expect(dropped).toEqual(annotated.filter((x) => x.tarkin_anomaly === true));
    const s = summary(r.stderr);
    expect(s.recordsIn).toBe(300);
    expect(s.out).toBe(dropped.length);
    expect(s.anomalous).toBe(dropped.length);
  });

  it("--format ndjson passes records through; a line that is not JSON comes out as an error record", () => {
    const input = [
      '{"log":"Accepted password for bob from 10.0.0.1","host":"web01","n":3,"nested":{"k":[1,2]}}',
      "this is not json {",
      "",
      '{"message":"Failed password for root"}',
    ].join("\n") + "\n";
    const r = ok(run(["check", "--format", "ndjson"], input));
    const out = records(r.stdout);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ log: "Accepted password for bob from 10.0.0.1", host: "web01", n: 3, nested: { k: [1, 2] } });
    expectAnnotated(out[0]);
    expect(out[1]).toMatchObject({ tarkin_record: "this is not json {", tarkin_anomaly: true });
    expect(typeof out[1].tarkin_error).toBe("string");
    expect(out[2]).toMatchObject({ message: "Failed password for root" });
    expectAnnotated(out[2]);
    expect(summary(r.stderr)).toMatchObject({ recordsIn: 3, out: 3, errors: 1 });
  });

  it("--format csv with a header: rows become objects, the log column is scored", () => {
    write("r.csv", 'ts,log,level\r\n1,"Accepted password for bob, from 10.0.0.1",info\r\n2,Failed password for root,warn\r\n');
    const r = ok(run(["check", "r.csv", "--format", "csv"]));
    const out = records(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ ts: "1", log: "Accepted password for bob, from 10.0.0.1", level: "info" });
    expect(out[1]).toMatchObject({ ts: "2", log: "Failed password for root", level: "warn" });
    out.forEach(expectAnnotated);
    expect(out[1].tarkin_sentiment as number).toBeLessThan(0);
    expect(summary(r.stderr)).toMatchObject({ recordsIn: 2, out: 2, errors: 0 });
  });

  it("--format csv --no-header names columns 1, 2, ...; --field picks the message column", () => {
    const r = ok(run(["check", "--format", "csv", "--no-header", "--field", "2"], "1,Failed password for root\n"));
    const out = records(r.stdout);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ "1": "1", "2": "Failed password for root" });
    expectAnnotated(out[0]);
  });

  it("keeps non-ASCII text intact, in lines, ndjson and csv input", () => {
    const text = "contraseña incorrecta para el usuario 日本 ΣΑΣ 😀";
    const fromLines = records(ok(run(["check"], text + "\n")).stdout);
    expect(fromLines).toHaveLength(1);
    expect(fromLines[0].log).toBe(text);
    expectAnnotated(fromLines[0]);
    const fromNdjson = records(ok(run(["check", "--format", "ndjson"], JSON.stringify({ log: text, usuario: "José" }) + "\n")).stdout);
    expect(fromNdjson[0]).toMatchObject({ log: text, usuario: "José" });
    expectAnnotated(fromNdjson[0]);
    const fromCsv = records(ok(run(["check", "--format", "csv"], `log,usuario\n"${text}",José\n`)).stdout);
    expect(fromCsv[0]).toMatchObject({ log: text, usuario: "José" });
    expectAnnotated(fromCsv[0]);
  });

  it("settings options apply to the embedded default", () => {
    const out = records(ok(run(["check", "--prefix", "x_"], "hello world\n")).stdout);
    expect(out[0]).toHaveProperty("x_anomaly");
    expect(out[0]).not.toHaveProperty("tarkin_anomaly");
  });

  it.each([
    [["--mode", "drop"]],
    [["--prefix", "x_"]],
    [["--surprise", "tarkin"]],
    [["--min-fear", "0.5"]],
    [["--gate-spreads", "1"]],
    [["--field", "msg"]],
  ])("--wasm with the settings option %j fails: repack", (option) => {
    packed("t.wasm");
    const r = fails(run(["check", "--wasm", "t.wasm", ...option], "hello\n"), "repack");
    expect(r.stdout).toBe("");
  });

  it("--wasm on a file that is not wasm, the bare core module, or a missing file fails clearly", () => {
    write("notes.txt", "hello\n");
    fails(run(["check", "--wasm", "notes.txt"], "hello\n"), /notes\.txt: not a WebAssembly module/);
    fails(run(["check", "--wasm", CORE_WASM], "hello\n"), /no packed model/);
    fails(run(["check", "--wasm", "missing.wasm"], "hello\n"), /missing\.wasm: no such file/);
  });

  it("a missing input file fails clearly", () => {
    fails(run(["check", "missing.log"]), /missing\.log: no such file/);
  });

  it("rejects an unknown --format", () => {
    fails(run(["check", "--format", "xml"], "hello\n"), "--format");
  });

  it.skipIf(!APACHE)("the acceptance check: train, pack and check Apache_2k.log gives 2,000 annotated records", () => {
    ok(run(["train", APACHE!, "-o", "m.json"]));
    expect(model("m.json").provenance?.trainedOn?.[0]).toMatchObject({ source: "Apache_2k.log", messages: 2000 });
    ok(run(["pack", "--model", "m.json", "-o", "t.wasm"]));
    const r = ok(run(["check", APACHE!, "--wasm", "t.wasm"]));
    const lines = linesOf(r.stdout);
    expect(lines).toHaveLength(2000);
    for (const line of lines) {
      const rec = JSON.parse(line) as Annotated;
      expect(typeof rec.tarkin_anomaly).toBe("boolean");
    }
    expect(summary(r.stderr)).toMatchObject({ recordsIn: 2000, out: 2000, errors: 0 });
  });
});

describe("tarkin explain", () => {
  const MESSAGE = "Failed password for invalid user admin";

  it("prints the surprise, sentiment, fear and decision sections", () => {
    const out = ok(run(["explain", MESSAGE])).stdout;
    expect(out).toContain(JSON.stringify(MESSAGE));
    for (const section of ["surprise", "sentiment", "fear", "decision"]) expect(out).toMatch(new RegExp(`^${section} +\\S`, "m"));
    expect(out).toMatch(/^surprise +\d\.\d{4} \(default mode\)/m);
    expect(out).toMatch(/^ +Failed +-2\.3/m);
  });

  it("--json parses, with the fields behind the surprise and the words behind the sentiment", () => {
    const j = JSON.parse(ok(run(["explain", MESSAGE, "--json"])).stdout);
    expect(j.message).toBe(MESSAGE);
    expect(j.mode).toBe("default");
    expect(typeof j.surprise.surprise).toBe("number");
    expect(Array.isArray(j.surprise.fields)).toBe(true);
    const tarkin = JSON.parse(ok(run(["explain", MESSAGE, "--json", "--surprise", "tarkin"])).stdout);
    expect(tarkin.surprise.characters.length).toBeGreaterThan(0);
    expect(tarkin.surprise.characters[0]).toEqual(
      expect.objectContaining({ char: expect.any(String), expected: expect.any(Number), spread: expect.any(Number), contribution: expect.any(Number) }),
    );
    const words = j.sentiment.words as { word: string; valence: number | null }[];
    expect(words.map((w) => w.word)).toEqual(MESSAGE.split(" "));
    const valued = words.filter((w) => (w.word === "invalid" || w.word === "Failed") && typeof w.valence === "number");
    expect(valued.length).toBeGreaterThan(0);
    expect(j.sentiment.sentiment.compound).toBeLessThan(0);
    expect(j.fear).toBeGreaterThanOrEqual(0);
    expect(j.fear).toBeLessThanOrEqual(1);
    expect(j.negativeEnough).toBe(true);
  });

  it("names the field whose value has a shape training never saw, and how many values training saw", () => {
    write("shop.log", Array.from({ length: 300 }, (_, i) => `GET /shop/item.jsp?id=${i * 7} HTTP/1.1 200`).join("\n") + "\n");
    ok(run(["train", "shop.log", "-o", "shop.json"]));
    ok(run(["pack", "--model", "shop.json", "-o", "shop.wasm"]));
    const attack = "GET /shop/item.jsp?id=1%27+union+select+password+from+users-- HTTP/1.1 200";
    const j = JSON.parse(ok(run(["explain", attack, "--wasm", "shop.wasm", "--json"])).stdout);
    expect(j.surprise.surprise).toBeGreaterThanOrEqual(0.5);
    expect(j.anomaly).toBe(true);
    expect(j.surprise.fields[0]).toEqual({ field: "id=", shape: "^0'", count: 0, values: 300, decades: expect.any(Number) });
    const normal = JSON.parse(ok(run(["explain", "GET /shop/item.jsp?id=4242 HTTP/1.1 200", "--wasm", "shop.wasm", "--json"])).stdout);
    expect(normal.surprise).toMatchObject({ surprise: 0, familiar: true, fields: [] });
    // A line of another log: its fields unknown to the model, no field surprise, and explain says why.
    const foreign = "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6";
    expect(JSON.parse(ok(run(["explain", foreign, "--wasm", "shop.wasm", "--json"])).stdout).surprise).toMatchObject({ surprise: 0, familiar: false, fields: [] });
    expect(ok(run(["explain", foreign, "--wasm", "shop.wasm"])).stdout).toMatch(/^ +\d+ of its \d+ fields known to the model: too few/m);
    expect(ok(run(["explain", attack, "--wasm", "shop.wasm"])).stdout).toMatch(/^ +id= +\+\d+\.\d\d decades +'\^0'' 0\/300/m);
  });

  it("takes settings for the embedded default, and a packed module with --wasm", () => {
    expect(JSON.parse(ok(run(["explain", MESSAGE, "--json", "--surprise", "tarkin"])).stdout).mode).toBe("tarkin");
    packed("t.wasm", ["--surprise", "tarkin"]);
    expect(ok(run(["explain", MESSAGE, "--wasm", "t.wasm"])).stdout).toContain("(tarkin mode)");
    fails(run(["explain", MESSAGE, "--wasm", "t.wasm", "--surprise", "default"]), "repack");
  });

  it("fails without a message, and on a --wasm that is not wasm", () => {
    fails(run(["explain"]), "message");
    write("notes.txt", "hello\n");
    fails(run(["explain", MESSAGE, "--wasm", "notes.txt"]), /notes\.txt: not a WebAssembly module/);
  });
});

describe("the command line", () => {
  it.each([
    [["--bogus"]],
    [["sample", "--bogus"]],
    [["check", "--bogus"]],
    [["inspect", "x.wasm", "--bogus"]],
    [["explain", "hello", "--bogus"]],
  ])("an unknown option %j fails with one line naming it", (args) => {
    const r = fails(run(args), "--bogus");
    expect(r.stderr).toMatch(/unknown option/);
  });

  it("an unknown option on train (given everything it requires) fails naming it", () => {
    write("a.log", "hello\n");
    fails(run(["train", "a.log", "-o", "m.json", "--bogus"]), /unknown option '--bogus'/);
    expect(exists("m.json")).toBe(false);
  });

  it("an unknown command fails with one line naming it", () => {
    fails(run(["frobnicate"]), /unknown command 'frobnicate'/);
  });

  it("--help exits 0 and lists every command", () => {
    const r = ok(run(["--help"]));
    for (const command of ["train", "merge", "pack", "inspect", "check", "explain", "sample"]) expect(r.stdout).toContain(command);
    expect(ok(run(["check", "--help"])).stdout).toContain("--wasm");
  });

  it("--version prints the package's version", () => {
    const { version } = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { version: string };
    expect(ok(run(["--version"])).stdout.trim()).toBe(version);
  });
});
