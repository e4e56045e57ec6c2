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
  ])("rejects %s %j with one tarkin sample: line and exit 2", (option, value) => {
    const r = fails(run(["sample", "--lines", "5", option, value]));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^tarkin sample: /);
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
    expect(m.version).toBe(5);
    expect(m.messages).toBe(3);
    expect(m.characters.map((c) => c.char)).toEqual(["a", "b", "c"]);
    // The field model: per message its one field's value count, two trigrams (^^a, ^a$) and its whole
    // shape, and the same four in the global field every value is also counted in; then its value's
    // length in the field and in the global field, its hash and its hash's bucket, and its field's
    // bucket among the log's fields: two counters each.
    const counts = m.fields.counters.filter((_, i) => i % 2 === 1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3 * (4 * 2 + 5) * 2);
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
    expect(r.stderr).toContain("1 without the field a.b");
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
    const r = ok(run(["check", "--format", "ndjson", "--max-errors", "1"], input));
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
    // One line of a log the embedded default does not know: not covered, which the gate allows here.
    const fromLines = records(ok(run(["check", "--max-uncovered", "100%"], text + "\n")).stdout);
    expect(fromLines).toHaveLength(1);
    expect(fromLines[0].log).toBe(text);
    expectAnnotated(fromLines[0]);
    const fromNdjson = records(ok(run(["check", "--format", "ndjson", "--max-uncovered", "100%"], JSON.stringify({ log: text, usuario: "José" }) + "\n")).stdout);
    expect(fromNdjson[0]).toMatchObject({ log: text, usuario: "José" });
    expectAnnotated(fromNdjson[0]);
    const fromCsv = records(ok(run(["check", "--format", "csv", "--max-uncovered", "100%"], `log,usuario\n"${text}",José\n`)).stdout);
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
    expect(j.surprise.fields[0]).toEqual({ evidence: "field", field: "id=", shape: "^0'", count: 0, values: 300, decades: expect.any(Number) });
    expect(j.surprise.fields).toContainEqual(expect.objectContaining({ evidence: "syntax", field: "id=", syntax: ["sql"] }));
    const normal = JSON.parse(ok(run(["explain", "GET /shop/item.jsp?id=4242 HTTP/1.1 200", "--wasm", "shop.wasm", "--json"])).stdout);
    expect(normal.surprise).toMatchObject({ surprise: 0, covered: true, fields: [] });
    // A line of another log: its fields unknown to the model, so not covered; with no attack syntax, no field surprise.
    const foreign = "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6";
    expect(JSON.parse(ok(run(["explain", foreign, "--wasm", "shop.wasm", "--json"])).stdout).surprise).toMatchObject({ surprise: 0, covered: false, fields: [] });
    expect(ok(run(["explain", foreign, "--wasm", "shop.wasm"])).stdout).toMatch(/^ +\d+ of its \d+ fields known to the model: under half, so not covered/m);
    // The same line with an injection in it: the value holding attack syntax is judged all the same.
    const foreignAttack = JSON.parse(ok(run(["explain", `${foreign} user=admin'--`, "--wasm", "shop.wasm", "--json"])).stdout);
    expect(foreignAttack.surprise.covered).toBe(false);
    expect(foreignAttack.anomaly).toBe(true);
    expect(ok(run(["explain", attack, "--wasm", "shop.wasm"])).stdout).toMatch(/^ +id= +\+\d+\.\d\d decades +sql syntax, 39 bytes, far longer than its values, '\^0'' 0\/300/m);
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

  it("train without -o and with an unknown option reports the unknown option, not the missing -o", () => {
    write("a.log", "hello\n");
    const r = fails(run(["train", "a.log", "--bogus"]), /^tarkin train: unknown option '--bogus'/);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain("--output");
    // Given no unknown option, the missing -o is still reported.
    expect(fails(run(["train", "a.log"]), /^tarkin train: required option '-o, --output <model\.json>' not specified/).status).toBe(2);
  });

  it("--version prints the package's version", () => {
    const { version } = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { version: string };
    expect(ok(run(["--version"])).stdout.trim()).toBe(version);
  });
});

describe("exit codes and message prefixes", () => {
  // 2: the command line is wrong (an unknown option, a bad option value, a missing required option).
  it.each([
    [["train", "a.log", "-o", "m.json", "--bogus"], "train", "unknown option '--bogus'"],
    [["train", "a.log"], "train", "required option '-o, --output"],
    [["train", "a.log", "--format", "csv", "--column", "0", "-o", "m.json"], "train", "--column"],
    [["merge", "a.json", "-o", "m.json"], "merge", "at least two models"],
    [["merge", "a.json", "b.json"], "merge", "required option '-o, --output"],
    [["pack", "--model", "m.json", "--gate-spreads", "x", "-o", "t.wasm"], "pack", "--gate-spreads must be a number"],
    [["check", "a.log", "--min-fear", "3"], "check", "--min-fear must be a number from 0 to 1"],
    [["check", "a.log", "--prefix", "a b"], "check", "--prefix must be"],
    [["check", "a.log", "--field", "a..b"], "check", "is not a field path"],
    [["check", "a.log", "--mode", "x"], "check", "argument 'x' is invalid"],
    [["report", "a.log", "--top", "-3", "-o", "r.html"], "report", "--top must be a whole number"],
    [["eval", "a.log", "--seed", "x"], "eval", "--seed must be a whole number"],
    [["sample", "--attacks", "2"], "sample", "--attacks must be a number from 0 to 1"],
    [["serve", "--listen", "nowhere", "--forward", "127.0.0.1:9"], "serve", "--listen must be HOST:PORT"],
    [["explain"], "explain", "missing required argument 'message'"],
  ])("%j exits 2 with one line prefixed tarkin %s:", (args, command, message) => {
    write("a.log", "hello\n");
    const r = fails(run(args), message);
    expect(r.status).toBe(2);
    expect(r.stderr.startsWith(`tarkin ${command}: `), r.stderr).toBe(true);
  });

  it("a setting given with --wasm, which carries its own, is a usage error (2)", () => {
    packed("t.wasm");
    const r = fails(run(["check", "--wasm", "t.wasm", "--mode", "drop"], "hello\n"), /^tarkin check: settings are packed into t\.wasm/);
    expect(r.status).toBe(2);
  });

  // 1: the command line is right, the run failed.
  it.each([
    [["train", "missing.log", "-o", "m.json"], "train", "missing.log: no such file"],
    [["merge", "a.json", "b.json", "-o", "m.json"], "merge", "cannot read a.json"],
    [["pack", "--model", "missing.json", "-o", "t.wasm"], "pack", "missing.json: no such file"],
    [["inspect", "missing.wasm"], "inspect", "missing.wasm: no such file"],
    [["check", "missing.log"], "check", "missing.log: no such file"],
    [["explain", "hello", "--wasm", "missing.wasm"], "explain", "missing.wasm: no such file"],
    [["report", "missing.log", "-o", "r.html"], "report", "missing.log: no such file"],
    [["eval", "missing.log"], "eval", "missing.log: no such file"],
    [["sample", "-o", "missing-dir/s.log"], "sample", "cannot write missing-dir/s.log"],
  ])("%j exits 1 with one line prefixed tarkin %s:", (args, command, message) => {
    const r = fails(run(args), message);
    expect(r.status).toBe(1);
    expect(r.stderr.startsWith(`tarkin ${command}: `), r.stderr).toBe(true);
  });

  it("a warning names its command too", () => {
    const r = ok(run(["check", "--max-uncovered", "100%"], "a\u0000b\n"));
    expect(r.stderr).toMatch(/^tarkin check: warning: stdin looks binary/);
  });

  it("an unknown command, before any command is known, is prefixed tarkin: and exits 2", () => {
    expect(fails(run(["frobnicate"]), /^tarkin: unknown command/).status).toBe(2);
  });

  it("commander's suggestion stays on the error's line", () => {
    fails(run(["chek"]), "tarkin: unknown command 'chek' (Did you mean check?)");
    fails(run(["eval", "--mode", "drop"]), "tarkin eval: unknown option '--mode' (Did you mean --model?)");
  });
});

describe("check and report fail when records fail (a rollout gate)", () => {
  /** Records whose message is in event.original.text, a field the module was not packed to read. */
  function misfielded(name: string, n: number): string {
    const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ event: { original: { text: `sshd[${i}]: Accepted password for bob from 10.0.0.${i % 250}` } } }));
    return write(name, lines.join("\n") + "\n");
  }

  /** n readable records with `bad` unreadable ones (no message field) at the given places. */
  function mixed(name: string, n: number, bad: number[]): string {
    const lines = Array.from({ length: n }, (_, i) => JSON.stringify(bad.includes(i) ? { text: `record ${i}` } : { message: `session opened for user${i}` }));
    return write(name, lines.join("\n") + "\n");
  }

  /** The gate's failure: the summary line, then one line saying why, exit 1. */
  function gateFails(r: Result, command: string): string {
    expect(r.status, r.stderr).toBe(1);
    const lines = linesOf(r.stderr);
    expect(lines, r.stderr).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^tarkin ${command}: \\d+ records in, `));
    expect(lines[1]).toMatch(new RegExp(`^tarkin ${command}: `));
    return lines[1];
  }

  it("check exits 1 when every record is an error (message in a field the module does not read), naming the first", () => {
    packed("t.wasm", ["--field", "message"]);
    misfielded("ssh.ndjson", 200);
    const r = run(["check", "ssh.ndjson", "--format", "ndjson", "--wasm", "t.wasm"]);
    const why = gateFails(r, "check");
    expect(summary(r.stderr)).toMatchObject({ recordsIn: 200, out: 200, errors: 200 });
    expect(why).toBe(
      "tarkin check: 200 of 200 records are errors (records the module could not read), more than --max-errors 0 allows; " +
        "the first, ssh.ndjson:1: no message field (looked for message)",
    );
    // The records still come out, marked, for the operator to look at.
    expect(records(r.stdout)).toHaveLength(200);
    // The same with the module reading the field: it passes.
    ok(run(["pack", "--model", "m.json", "--field", "event.original.text", "-o", "right.wasm"]));
    expect(summary(ok(run(["check", "ssh.ndjson", "--format", "ndjson", "--wasm", "right.wasm"])).stderr).errors).toBe(0);
  });

  it.each(["json", "msgpack"])("--event-format %s: the gate counts the same errors", (eventFormat) => {
    mixed("m.ndjson", 50, [3, 40]);
    const why = gateFails(run(["check", "m.ndjson", "--format", "ndjson", "--event-format", eventFormat]), "check");
    expect(why).toMatch(/^tarkin check: 2 of 50 records are errors .*; the first, m\.ndjson:4: no message field/);
  });

  it("--max-errors takes a count or a share of the records in; the limit itself passes, one more fails", () => {
    mixed("m.ndjson", 200, [0, 10, 20]);
    const check = (max: string) => run(["check", "m.ndjson", "--format", "ndjson", "--max-errors", max]);
    ok(check("3"));
    expect(gateFails(check("2"), "check")).toContain("3 of 200 records are errors (records the module could not read), more than --max-errors 2 allows");
    ok(check("1.5%")); // 3 of 200
    ok(check("100%"));
    expect(gateFails(check("1.4%"), "check")).toContain("more than --max-errors 1.4% allows"); // allows 2
  });

  it.each(["x", "-1", "1.5", "101%", "%", ""])("--max-errors %j is a usage error (exit 2)", (value) => {
    write("a.log", "hello\n");
    const r = fails(run(["check", "a.log", "--max-errors", value]), "--max-errors must be a whole number or a percentage");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
  });

  it("--summary-json writes one JSON object: the counters as the line says them, the limits, the first error, passed", () => {
    mixed("m.ndjson", 20, [5, 6]);
    const r = run(["check", "m.ndjson", "--format", "ndjson", "--summary-json", "summary.json"]);
    gateFails(r, "check");
    const j = JSON.parse(read("summary.json"));
    expect(j).toEqual({
      command: "check",
      counters: expect.objectContaining({ recordsIn: 20, recordsOut: 20, errors: 2 }),
      lost: 0,
      limits: [
        { counter: "errors", option: "--max-errors", max: "0", allowed: 0, count: 2, passed: false },
        { counter: "uncovered", option: "--max-uncovered", max: "50%", allowed: 10, count: expect.any(Number), passed: expect.any(Boolean) },
      ],
      firstError: { source: "m.ndjson", line: 6, error: expect.stringContaining("no message field") },
      passed: false,
    });
    // Every counter, in the order the line says them: a counter the module gains shows in both.
    const line = /^tarkin check: (.*)$/m.exec(r.stderr)![1];
    expect(line.split(", ").map((part) => Number(part.split(" ")[0]))).toEqual(Object.values(j.counters));
    // A run that passes says so too.
    ok(run(["check", "m.ndjson", "--format", "ndjson", "--max-errors", "10%", "--summary-json", "pass.json"]));
    expect(JSON.parse(read("pass.json"))).toMatchObject({ limits: [{ max: "10%", allowed: 2, count: 2, passed: true }, { counter: "uncovered" }] });
  });

  it("--summary-json /dev/stderr puts the JSON object on standard error, after the summary line", () => {
    write("a.log", "hello\nworld\n");
    const r = ok(run(["check", "a.log", "--summary-json", "/dev/stderr"]));
    const lines = linesOf(r.stderr);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1])).toMatchObject({ command: "check", counters: { recordsIn: 2, errors: 0 }, passed: true });
  });

  it("--summary-json into a missing directory fails with one line", () => {
    write("a.log", "hello\n");
    const r = run(["check", "a.log", "--summary-json", "missing-dir/s.json"]);
    expect(r.status).toBe(1);
    expect(linesOf(r.stderr)[1]).toMatch(/^tarkin check: cannot write the summary to missing-dir\/s\.json/);
  });

  it("report exits 1 past --max-errors too, still writing the report, and takes --summary-json", () => {
    mixed("m.ndjson", 30, [7]);
    const r = run(["report", "m.ndjson", "--format", "ndjson", "-o", "r.html", "--summary-json", "s.json"]);
    expect(gateFails(r, "report")).toMatch(/^tarkin report: 1 of 30 records are errors .*; the first, m\.ndjson:8: no message field/);
    expect(exists("r.html")).toBe(true);
    expect(JSON.parse(read("s.json"))).toMatchObject({ command: "report", counters: { recordsIn: 30, errors: 1 }, passed: false });
    ok(run(["report", "m.ndjson", "--format", "ndjson", "-o", "r.html", "--max-errors", "1"]));
  });
});

describe("train says why nothing was usable, and keeps an existing model", () => {
  const misfielded = () =>
    write("x.ndjson", Array.from({ length: 40 }, (_, i) => JSON.stringify({ event: { original: { text: `sshd[${i}]: session opened` } } })).join("\n") + "\n");

  it.each([
    [["--format", "ndjson"], "40 records read, none usable: 40 without a field log, message or msg; --field names the message field"],
    [["--format", "ndjson", "--field", "nope"], "40 records read, none usable: 40 without the field nope; --field names the message field"],
    [["--format", "csv"], "40 rows read, none usable: 40 with fewer than 9 columns; --column picks the message column"],
  ])("%j on records without the message field says what was read and what it lacked", (options, message) => {
    misfielded();
    const r = fails(run(["train", "x.ndjson", ...options, "-o", "m.json"]), `tarkin train: no messages to train on: ${message}`);
    expect(r.stderr).not.toContain("empty");
    expect(exists("m.json")).toBe(false);
  });

  it("counts each reason a record was skipped", () => {
    write("x.ndjson", 'not json\n{"log": 5}\n{"msg": ["a"]}\n\n{"other": "x"}\n');
    fails(run(["train", "x.ndjson", "--format", "ndjson", "-o", "m.json"]), "4 records read, none usable: 1 not JSON, 1 whose log is not a string, 1 whose msg is not a string, 1 without a field log, message or msg");
  });

  it("a CSV of only a header row says so", () => {
    write("h.csv", "time,log\n");
    fails(run(["train", "h.csv", "--format", "csv", "--column", "log", "-o", "m.json"]), "no messages to train on: the input has no rows (a header row aside)");
  });

  it("refuses to replace an existing model without --force, saying how to go on; --force replaces it", () => {
    write("a.log", "alpha\n");
    write("b.log", "beta\ngamma\n");
    ok(run(["train", "a.log", "-o", "m.json"]));
    const before = read("m.json");
    const r = fails(run(["train", "b.log", "-o", "m.json"]), "tarkin train: m.json exists: --update continues training it, --force replaces it");
    expect(r.status).toBe(1);
    expect(read("m.json")).toBe(before);
    ok(run(["train", "b.log", "--force", "-o", "m.json"]));
    expect(model("m.json").messages).toBe(2);
    ok(run(["train", "a.log", "--update", "-o", "m.json"]));
    expect(model("m.json").messages).toBe(3);
    expect(fails(run(["train", "a.log", "--update", "--force", "-o", "m.json"]), /--force.*cannot be used with.*--update/).status).toBe(2);
  });
});

describe("a model file is checked key by key when read", () => {
  /** m.json from training, with `change` made to its parsed JSON. */
  function corrupted(change: (m: Record<string, any>) => void): string {
    trained("good.json");
    const m = JSON.parse(read("good.json"));
    change(m);
    return write("bad.json", JSON.stringify(m));
  }

  it.each([
    ["messages -5", (m: Record<string, any>) => (m.messages = -5), '"messages" must be a whole number of 0 or more, not -5'],
    ["messages 1.5", (m: Record<string, any>) => (m.messages = 1.5), '"messages" must be a whole number of 0 or more, not 1.5'],
    ["messages as text", (m: Record<string, any>) => (m.messages = "300"), '"messages" must be a whole number of 0 or more, not "300"'],
    ["messages past 2^53", (m: Record<string, any>) => (m.messages = 2 ** 60), '"messages" must be a whole number'],
    ["n above messages", (m: Record<string, any>) => (m.characters[0].n = m.messages + 1), '"n" must be a whole number from 1 to "messages" (300), not 301'],
    ["n 0", (m: Record<string, any>) => (m.characters[1].n = 0), 'character 1 ('],
    ["K 0", (m: Record<string, any>) => (m.characters[0].K = 0), '"K" must be a whole number of 1 or more, not 0'],
    ["max below K", (m: Record<string, any>) => (m.characters[0].max = m.characters[0].K - 1), '"max" must be a whole number of "K"'],
    ["min -1", (m: Record<string, any>) => (m.characters[0].min = -1), '"min" must be a whole number from 0 to "max"'],
    ["min above max", (m: Record<string, any>) => (m.characters[0].min = m.characters[0].max + 1), '"min" must be a whole number from 0 to "max"'],
    ["Ex2 negative", (m: Record<string, any>) => (m.characters[0].Ex2 = -1), '"Ex2" must be a finite number of 0 or more, not -1'],
    ["provenance a string", (m: Record<string, any>) => (m.provenance = "mine"), '"provenance" must be an object, not "mine"'],
    ["trainedOn not a list", (m: Record<string, any>) => (m.provenance = { trainedOn: 3 }), '"provenance"."trainedOn" must be a list, not 3'],
  ])("%s: pack, merge and train --update refuse it, naming the key", (_, change, message) => {
    corrupted(change);
    const r = fails(run(["pack", "--model", "bad.json", "-o", "t.wasm"]), `tarkin pack: bad.json: `);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(1);
    expect(exists("t.wasm")).toBe(false);
    fails(run(["merge", "good.json", "bad.json", "-o", "m2.json"]), message);
    write("a.log", "hello\n");
    fails(run(["train", "a.log", "--update", "-o", "bad.json"]), message);
  });

  it("an Ex of 1e999 (Infinity once parsed) is refused", () => {
    trained("good.json");
    write("bad.json", read("good.json").replace(/"Ex": -?\d+(\.\d+)?/, '"Ex": 1e999'));
    fails(run(["pack", "--model", "bad.json", "-o", "t.wasm"]), /character 0 \(.*\): "Ex" must be a finite number, not Infinity/);
  });

  it("the committed default model and a trained one pass", () => {
    ok(run(["pack", "--model", resolve(ROOT, "models/default.json"), "-o", "d.wasm"]));
    ok(run(["pack", "--model", trained("good.json"), "-o", "t.wasm"]));
  });
});

describe("merge refuses to count a training twice", () => {
  it("the same file given twice, by the same name or another (a link): exit 2, and no model written", () => {
    trained("m.json");
    const r = fails(run(["merge", "m.json", "m.json", "-o", "out.json"]), "tarkin merge: m.json is given twice: merging would count its training twice (--allow-duplicates merges them anyway)");
    expect(r.status).toBe(2);
    mkdirSync(join(dir, "sub"));
    fails(run(["merge", "m.json", "sub/../m.json", "-o", "out.json"]), "m.json and sub/../m.json are the same file");
    expect(exists("out.json")).toBe(false);
  });

  it("two files of identical training (a copy, whatever its provenance): exit 1", () => {
    trained("m.json");
    const copy = model("m.json");
    copy.provenance = { trainedOn: [{ source: "elsewhere.log", format: "lines", messages: copy.messages }] };
    write("copy.json", JSON.stringify(copy));
    const r = fails(run(["merge", "m.json", "copy.json", "-o", "out.json"]), "m.json and copy.json hold identical training, as of the same shard: merging would count it twice");
    expect(r.status).toBe(1);
    expect(exists("out.json")).toBe(false);
  });

  it("--allow-duplicates merges them, counting the training twice", () => {
    trained("m.json");
    ok(run(["merge", "m.json", "m.json", "--allow-duplicates", "-o", "twice.json"]));
    expect(model("twice.json").messages).toBe(2 * model("m.json").messages);
  });

  it("shards of different training with the same file name in two directories merge", () => {
    mkdirSync(join(dir, "a"));
    mkdirSync(join(dir, "b"));
    sample("a/shard.log", 100, 1);
    sample("b/shard.log", 100, 2);
    ok(run(["train", "a/shard.log", "-o", "a/m.json"]));
    ok(run(["train", "b/shard.log", "-o", "b/m.json"]));
    ok(run(["merge", "a/m.json", "b/m.json", "-o", "ab.json"]));
    expect(model("ab.json").messages).toBe(200);
  });
});

describe("--help shows each settings option where it applies", () => {
  const SETTINGS = ["--field", "--mode", "--surprise", "--gate-spreads", "--min-fear", "--prefix"];

  /** The options --help lists in its main section and under the settings heading. */
  function help(command: string): { main: string[]; settings: string[]; heading: string | undefined } {
    const text = ok(run([command, "--help"])).stdout;
    const at = text.search(/^Settings /m);
    const options = (part: string) => [...part.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);
    return at < 0 ? { main: options(text), settings: [], heading: undefined } : { main: options(text.slice(0, at)), settings: options(text.slice(at)), heading: /^Settings .*$/m.exec(text)![0] };
  }

  it.each([
    ["check", SETTINGS],
    ["serve", SETTINGS],
    ["report", ["--field", "--surprise", "--gate-spreads", "--min-fear"]],
    ["explain", ["--surprise", "--min-fear"]],
  ])("%s: the settings for the embedded default apart, under a heading saying they are not for --wasm", (command, settings) => {
    const h = help(command);
    expect(h.main).toContain("--wasm");
    expect(h.settings).toEqual(settings);
    for (const s of SETTINGS) expect(h.main).not.toContain(s);
    expect(h.heading).toBe("Settings of the embedded default model (not with --wasm: the module carries its own):");
  });

  it("eval: only the settings that change what it measures, packed with the model", () => {
    const h = help("eval");
    expect(h.settings).toEqual(["--surprise", "--min-fear"]);
    expect(h.heading).toContain("not with --wasm");
  });

  it("pack: every setting, with its other options", () => {
    const h = help("pack");
    expect(h.heading).toBeUndefined();
    for (const s of SETTINGS) expect(h.main).toContain(s);
  });

  it.each([
    ["explain", ["hello", "--mode", "drop"]],
    ["explain", ["hello", "--prefix", "x_"]],
    ["eval", ["a.log", "--mode", "drop"]],
    ["eval", ["a.log", "--gate-spreads", "2"]],
    ["report", ["a.log", "--mode", "drop", "-o", "r.html"]],
  ])("%s refuses a setting that means nothing there as an unknown option (exit 2)", (command, args) => {
    write("a.log", "hello\n");
    expect(fails(run([command, ...args]), /unknown option '--/).status).toBe(2);
  });

  it("check --help says what --max-errors and --summary-json do", () => {
    const text = ok(run(["check", "--help"])).stdout.replace(/\s+/g, " ");
    expect(text).toContain("--max-errors <n|percent%> the most errors allowed (records the module could not read): a count, or a share of the records in such as 0.5%; more fail the run (exit 1)");
    expect(text).toContain("--summary-json <file> also write the summary to this file as one JSON object");
  });
});
