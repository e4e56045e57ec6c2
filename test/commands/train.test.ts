// tarkin train end to end: formats, standard input, --update, and why nothing was usable.
import { describe, expect, it } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { useTestDirectory, dir, runHere as run, ok, fails, write, read, exists, model, learned, linesOf } from "./cli.helpers.js";
import { MODEL_VERSION } from "../../host/core/module/layouts.js";

useTestDirectory();

describe("tarkin train", () => {
  it("trains plain lines: CRLF and LF, a last line without newline; the model names its source", async () => {
    mkdirSync(join(dir, "logs"));
    write("logs/abc.log", "a\r\nb\nc");
    const r = ok(await run(["train", "logs/abc.log", "-o", "m.json"]));
    expect(r.stderr).toContain("3 messages");
    const m = model("m.json");
    expect(m.format).toBe("tarkin-model");
    expect(m.version).toBe(MODEL_VERSION);
    expect(m.messages).toBe(3);
    expect(m.characters.map((c) => c.char)).toEqual(["a", "b", "c"]);
    // The field model: per message its one field's value count, two trigrams (^^a, ^a$) and its whole
    // shape, and the same four in the global field every value is also counted in; then its value's
    // length in the field and three times in the global field, its hash and its hash's bucket, its
    // whole shape's bucket, and its field's bucket among the log's fields: two counters each.
    const counts = m.fields.counters.filter((_, i) => i % 2 === 1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3 * (4 * 2 + 8) * 2);
    for (const c of m.characters) expect(c).toMatchObject({ n: 1, K: 1, Ex: 0, Ex2: 0, max: 1 });
    expect(m.provenance?.trainedOn).toEqual([{ source: "abc.log", format: "lines", messages: 3 }]);
  });

  it("CRLF and LF files train the same model", async () => {
    const text = ok(await run(["sample", "--lines", "300"])).stdout;
    write("lf.log", text);
    write("crlf.log", text.replace(/\n/g, "\r\n"));
    ok(await run(["train", "lf.log", "-o", "lf.json"]));
    ok(await run(["train", "crlf.log", "-o", "crlf.json"]));
    expect(learned(model("crlf.json"))).toEqual(learned(model("lf.json")));
    expect(model("lf.json").messages).toBe(300);
  });

  it("--format ndjson --field a.b reads a nested field, skipping and reporting lines that are not JSON", async () => {
    write(
      "r.ndjson",
      ['{"a":{"b":"session opened for alice"}}', "this is not json", "", '{"a":{"b":"session closed for bob"},"x":1}', '{"a":{"c":"no b"}}'].join("\n") + "\n",
    );
    const r = ok(await run(["train", "r.ndjson", "--format", "ndjson", "--field", "a.b", "-o", "n.json"]));
    expect(r.stderr).toMatch(/skipped:.*1 not JSON/);
    expect(r.stderr).toContain("1 without the field a.b");
    const m = model("n.json");
    expect(m.messages).toBe(2);
    expect(m.provenance?.trainedOn).toEqual([{ source: "r.ndjson", format: "ndjson", field: "a.b", messages: 2 }]);
    write("plain.log", "session opened for alice\nsession closed for bob\n");
    ok(await run(["train", "plain.log", "-o", "p.json"]));
    expect(learned(m)).toEqual(learned(model("p.json")));
  });

  it("--format csv reads --column 2 and --column NAME (with a header) alike", async () => {
    write("r.csv", 'id,log,level\n1,"Accepted password for bob, from 10.0.0.1",info\n2,session closed,warn\n');
    ok(await run(["train", "r.csv", "--format", "csv", "--column", "log", "-o", "byname.json"]));
    ok(await run(["train", "r.csv", "--format", "csv", "--column", "2", "--header", "-o", "bynumber.json"]));
    const byName = model("byname.json");
    expect(byName.messages).toBe(2);
    expect(learned(model("bynumber.json"))).toEqual(learned(byName));
    write("plain.log", "Accepted password for bob, from 10.0.0.1\nsession closed\n");
    ok(await run(["train", "plain.log", "-o", "p.json"]));
    expect(learned(byName)).toEqual(learned(model("p.json")));
    // Without --header, a numbered column trains on the first row too.
    ok(await run(["train", "r.csv", "--format", "csv", "--column", "2", "-o", "noheader.json"]));
    expect(model("noheader.json").messages).toBe(3);
  });

  it("--format csv fails clearly on a column name not in the header, and on --column 0", async () => {
    write("r.csv", "id,log\n1,hello\n");
    fails(await run(["train", "r.csv", "--format", "csv", "--column", "nope", "-o", "m.json"]), /no column named "nope"/);
    fails(await run(["train", "r.csv", "--format", "csv", "--column", "0", "-o", "m.json"]), "--column");
    expect(exists("m.json")).toBe(false);
  });

  it("reads standard input with -", async () => {
    const text = ok(await run(["sample", "--lines", "300"])).stdout;
    write("s.log", text);
    ok(await run(["train", "-", "-o", "stdin.json"], text));
    ok(await run(["train", "s.log", "-o", "file.json"]));
    const m = model("stdin.json");
    expect(learned(m)).toEqual(learned(model("file.json")));
    expect(m.provenance?.trainedOn).toEqual([{ source: "stdin", format: "lines", messages: 300 }]);
  });

  it("--update continues a model: A, then --update with B, equals training on A+B", async () => {
    const text = ok(await run(["sample", "--lines", "300", "--seed", "5"])).stdout;
    const lines = linesOf(text);
    write("A.log", lines.slice(0, 150).join("\n") + "\n");
    write("B.log", lines.slice(150).join("\n") + "\n");
    write("AB.log", text);
    ok(await run(["train", "A.log", "-o", "up.json"]));
    const r = ok(await run(["train", "B.log", "--update", "-o", "up.json"]));
    expect(r.stderr).toContain("150 messages added to 150");
    ok(await run(["train", "AB.log", "-o", "full.json"]));
    const up = model("up.json");
    expect(up.messages).toBe(300);
    expect(learned(up)).toEqual(learned(model("full.json")));
    expect(up.provenance?.trainedOn?.map((t) => t.source)).toEqual(["A.log", "B.log"]);
  });

  it("--update without an existing model fails clearly", async () => {
    write("a.log", "hello\n");
    fails(await run(["train", "a.log", "--update", "-o", "absent.json"]), /--update: there is no model at absent\.json/);
    expect(exists("absent.json")).toBe(false);
  });

  it("--update onto a file that is not a model fails clearly", async () => {
    write("a.log", "hello\n");
    write("other.json", '{"hello": 1}\n');
    fails(await run(["train", "a.log", "--update", "-o", "other.json"]), "not a tarkin model");
  });

  it("an empty input fails with a clear message and writes no model", async () => {
    write("empty.log", "");
    fails(await run(["train", "empty.log", "-o", "m.json"]), /no messages to train on: the input is empty/);
    fails(await run(["train", "-", "-o", "m.json"], ""), /the input is empty/);
    expect(exists("m.json")).toBe(false);
  });

  it("a missing file fails with 'no such file' and no stack trace", async () => {
    fails(await run(["train", "missing.log", "-o", "m.json"]), /missing\.log: no such file/);
    expect(exists("m.json")).toBe(false);
  });

  it("an output in a missing directory fails with one line, no stack trace", async () => {
    write("a.log", "hello\n");
    fails(await run(["train", "a.log", "-o", "missing-dir/m.json"]), /missing-dir/);
  });
});

describe("train says why nothing was usable, and keeps an existing model", () => {
  const misfielded = () =>
    write("x.ndjson", Array.from({ length: 40 }, (_, i) => JSON.stringify({ event: { original: { text: `sshd[${i}]: session opened` } } })).join("\n") + "\n");

  it.each([
    [["--format", "ndjson"], "40 records read, none usable: 40 without a field log, message or msg; --field names the message field"],
    [["--format", "ndjson", "--field", "nope"], "40 records read, none usable: 40 without the field nope; --field names the message field"],
    [["--format", "csv"], "40 rows read, none usable: 40 with fewer than 9 columns; --column picks the message column"],
  ])("%j on records without the message field says what was read and what it lacked", async (options, message) => {
    misfielded();
    const r = fails(await run(["train", "x.ndjson", ...options, "-o", "m.json"]), `tarkin train: no messages to train on: ${message}`);
    expect(r.stderr).not.toContain("empty");
    expect(exists("m.json")).toBe(false);
  });

  it("counts each reason a record was skipped", async () => {
    write("x.ndjson", 'not json\n{"log": 5}\n{"msg": ["a"]}\n\n{"other": "x"}\n');
    fails(await run(["train", "x.ndjson", "--format", "ndjson", "-o", "m.json"]), "4 records read, none usable: 1 not JSON, 1 whose log is not a string, 1 whose msg is not a string, 1 without a field log, message or msg");
  });

  it("a CSV of only a header row says so", async () => {
    write("h.csv", "time,log\n");
    fails(await run(["train", "h.csv", "--format", "csv", "--column", "log", "-o", "m.json"]), "no messages to train on: the input has no rows (a header row aside)");
  });

  it("refuses to replace an existing model without --force, saying how to go on; --force replaces it", async () => {
    write("a.log", "alpha\n");
    write("b.log", "beta\ngamma\n");
    ok(await run(["train", "a.log", "-o", "m.json"]));
    const before = read("m.json");
    const r = fails(await run(["train", "b.log", "-o", "m.json"]), "tarkin train: m.json exists: --update continues training it, --force replaces it");
    expect(r.status).toBe(1);
    expect(read("m.json")).toBe(before);
    ok(await run(["train", "b.log", "--force", "-o", "m.json"]));
    expect(model("m.json").messages).toBe(2);
    ok(await run(["train", "a.log", "--update", "-o", "m.json"]));
    expect(model("m.json").messages).toBe(3);
    expect(fails(await run(["train", "a.log", "--update", "--force", "-o", "m.json"]), /--force.*cannot be used with.*--update/).status).toBe(2);
  });
});
