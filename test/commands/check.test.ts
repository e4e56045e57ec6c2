// tarkin check end to end: records through the module as Fluent Bit sends them, its formats and
// settings, and the rollout gate (exit 1 when records fail).
import { describe, expect, it } from "vitest";
import { useTestDirectory, CORE_WASM, APACHE, type Result, type Annotated, runHere as run, ok, fails, write, read, exists, model, linesOf, records, summary, sample, packed, expectAnnotated } from "./cli.helpers.js";

useTestDirectory();

describe("tarkin check", () => {
  it("with the embedded default: one annotated NDJSON line per record, a summary on stderr", async () => {
    const input = linesOf(read(await sample("s.log", 300, 11, 0.1)));
    const r = ok(await run(["check", "s.log"]));
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

  it("reads standard input (none or -) and several files, in order", async () => {
    const text = read(await sample("s.log", 300, 12));
    const fromFile = ok(await run(["check", "s.log"])).stdout;
    expect(ok(await run(["check"], text)).stdout).toBe(fromFile);
    expect(ok(await run(["check", "-"], text)).stdout).toBe(fromFile);
    const lines = linesOf(text);
    write("a.log", lines.slice(0, 100).join("\n") + "\n");
    write("b.log", lines.slice(100).join("\n") + "\n");
    const r = ok(await run(["check", "a.log", "b.log"]));
    expect(summary(r.stderr).recordsIn).toBe(300);
    expect(r.stdout).toBe(fromFile);
  });

  it("reads CRLF lines and a last line without newline", async () => {
    const out = records(ok(await run(["check"], "first line\r\nsecond line\r\nthird")).stdout);
    expect(out.map((r) => r.log)).toEqual(["first line", "second line", "third"]);
  });

  it("--mode drop outputs only the anomalous records, the same ones annotate marks", async () => {
    await sample("s.log", 300, 11, 0.1);
    const annotated = records(ok(await run(["check", "s.log"])).stdout);
    const r = ok(await run(["check", "s.log", "--mode", "drop"]));
    const dropped = records(r.stdout);
    expect(dropped.length).toBeGreaterThan(0);
    for (const rec of dropped) expect(rec.tarkin_anomaly).toBe(true);
    expect(dropped).toEqual(annotated.filter((x) => x.tarkin_anomaly === true));
    const s = summary(r.stderr);
    expect(s.recordsIn).toBe(300);
    expect(s.out).toBe(dropped.length);
    expect(s.anomalous).toBe(dropped.length);
  });

  it("--format ndjson passes records through; a line that is not JSON comes out as an error record", async () => {
    const input = [
      '{"log":"Accepted password for bob from 10.0.0.1","host":"web01","n":3,"nested":{"k":[1,2]}}',
      "this is not json {",
      "",
      '{"message":"Failed password for root"}',
    ].join("\n") + "\n";
    const r = ok(await run(["check", "--format", "ndjson", "--max-errors", "1"], input));
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

  it("--format csv with a header: rows become objects, the log column is scored", async () => {
    write("r.csv", 'ts,log,level\r\n1,"Accepted password for bob, from 10.0.0.1",info\r\n2,Failed password for root,warn\r\n');
    const r = ok(await run(["check", "r.csv", "--format", "csv"]));
    const out = records(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ ts: "1", log: "Accepted password for bob, from 10.0.0.1", level: "info" });
    expect(out[1]).toMatchObject({ ts: "2", log: "Failed password for root", level: "warn" });
    out.forEach(expectAnnotated);
    expect(out[1].tarkin_sentiment as number).toBeLessThan(0);
    expect(summary(r.stderr)).toMatchObject({ recordsIn: 2, out: 2, errors: 0 });
  });

  it("--format csv --no-header names columns 1, 2, ...; --field picks the message column", async () => {
    const r = ok(await run(["check", "--format", "csv", "--no-header", "--field", "2"], "1,Failed password for root\n"));
    const out = records(r.stdout);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ "1": "1", "2": "Failed password for root" });
    expectAnnotated(out[0]);
  });

  it("keeps non-ASCII text intact, in lines, ndjson and csv input", async () => {
    const text = "contraseña incorrecta para el usuario 日本 ΣΑΣ 😀";
    // One line of a log the embedded default does not know: not covered, which the gate allows here.
    const fromLines = records(ok(await run(["check", "--max-uncovered", "100%"], text + "\n")).stdout);
    expect(fromLines).toHaveLength(1);
    expect(fromLines[0].log).toBe(text);
    expectAnnotated(fromLines[0]);
    const fromNdjson = records(ok(await run(["check", "--format", "ndjson", "--max-uncovered", "100%"], JSON.stringify({ log: text, usuario: "José" }) + "\n")).stdout);
    expect(fromNdjson[0]).toMatchObject({ log: text, usuario: "José" });
    expectAnnotated(fromNdjson[0]);
    const fromCsv = records(ok(await run(["check", "--format", "csv", "--max-uncovered", "100%"], `log,usuario\n"${text}",José\n`)).stdout);
    expect(fromCsv[0]).toMatchObject({ log: text, usuario: "José" });
    expectAnnotated(fromCsv[0]);
  });

  it("settings options apply to the embedded default", async () => {
    const out = records(ok(await run(["check", "--prefix", "x_"], "hello world\n")).stdout);
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
  ])("--wasm with the settings option %j fails: repack", async (option) => {
    await packed("t.wasm");
    const r = fails(await run(["check", "--wasm", "t.wasm", ...option], "hello\n"), "repack");
    expect(r.stdout).toBe("");
  });

  it("--wasm on a file that is not wasm, the bare core module, or a missing file fails clearly", async () => {
    write("notes.txt", "hello\n");
    fails(await run(["check", "--wasm", "notes.txt"], "hello\n"), /notes\.txt: not a WebAssembly module/);
    fails(await run(["check", "--wasm", CORE_WASM], "hello\n"), /no packed model/);
    fails(await run(["check", "--wasm", "missing.wasm"], "hello\n"), /missing\.wasm: no such file/);
  });

  it("a missing input file fails clearly", async () => {
    fails(await run(["check", "missing.log"]), /missing\.log: no such file/);
  });

  it("rejects an unknown --format", async () => {
    fails(await run(["check", "--format", "xml"], "hello\n"), "--format");
  });

  it.skipIf(!APACHE)("the acceptance check: train, pack and check Apache_2k.log gives 2,000 annotated records", async () => {
    ok(await run(["train", APACHE!, "-o", "m.json"]));
    expect(model("m.json").provenance?.trainedOn?.[0]).toMatchObject({ source: "Apache_2k.log", messages: 2000 });
    ok(await run(["pack", "--model", "m.json", "-o", "t.wasm"]));
    const r = ok(await run(["check", APACHE!, "--wasm", "t.wasm"]));
    const lines = linesOf(r.stdout);
    expect(lines).toHaveLength(2000);
    for (const line of lines) {
      const rec = JSON.parse(line) as Annotated;
      expect(typeof rec.tarkin_anomaly).toBe("boolean");
    }
    expect(summary(r.stderr)).toMatchObject({ recordsIn: 2000, out: 2000, errors: 0 });
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

  it("check exits 1 when every record is an error (message in a field the module does not read), naming the first", async () => {
    await packed("t.wasm", ["--field", "message"]);
    misfielded("ssh.ndjson", 200);
    const r = await run(["check", "ssh.ndjson", "--format", "ndjson", "--wasm", "t.wasm"]);
    const why = gateFails(r, "check");
    expect(summary(r.stderr)).toMatchObject({ recordsIn: 200, out: 200, errors: 200 });
    expect(why).toBe(
      "tarkin check: 200 of 200 records are errors (records the module could not read), more than --max-errors 0 allows; " +
        "the first, ssh.ndjson:1: no message field (looked for message)",
    );
    // The records still come out, marked, for the operator to look at.
    expect(records(r.stdout)).toHaveLength(200);
    // The same with the module reading the field: it passes.
    ok(await run(["pack", "--model", "m.json", "--field", "event.original.text", "-o", "right.wasm"]));
    expect(summary(ok(await run(["check", "ssh.ndjson", "--format", "ndjson", "--wasm", "right.wasm"])).stderr).errors).toBe(0);
  });

  it.each(["json", "msgpack"])("--event-format %s: the gate counts the same errors", async (eventFormat) => {
    mixed("m.ndjson", 50, [3, 40]);
    const why = gateFails(await run(["check", "m.ndjson", "--format", "ndjson", "--event-format", eventFormat]), "check");
    expect(why).toMatch(/^tarkin check: 2 of 50 records are errors .*; the first, m\.ndjson:4: no message field/);
  });

  it("--max-errors takes a count or a share of the records in; the limit itself passes, one more fails", async () => {
    mixed("m.ndjson", 200, [0, 10, 20]);
    const check = async (max: string) => await run(["check", "m.ndjson", "--format", "ndjson", "--max-errors", max]);
    ok(await check("3"));
    expect(gateFails(await check("2"), "check")).toContain("3 of 200 records are errors (records the module could not read), more than --max-errors 2 allows");
    ok(await check("1.5%")); // 3 of 200
    ok(await check("100%"));
    expect(gateFails(await check("1.4%"), "check")).toContain("more than --max-errors 1.4% allows"); // allows 2
  });

  it.each(["x", "-1", "1.5", "101%", "%", ""])("--max-errors %j is a usage error (exit 2)", async (value) => {
    write("a.log", "hello\n");
    const r = fails(await run(["check", "a.log", "--max-errors", value]), "--max-errors must be a whole number or a percentage");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
  });

  it("--summary-json writes one JSON object: the counters as the line says them, the limits, the first error, passed", async () => {
    mixed("m.ndjson", 20, [5, 6]);
    const r = await run(["check", "m.ndjson", "--format", "ndjson", "--summary-json", "summary.json"]);
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
    ok(await run(["check", "m.ndjson", "--format", "ndjson", "--max-errors", "10%", "--summary-json", "pass.json"]));
    expect(JSON.parse(read("pass.json"))).toMatchObject({ limits: [{ max: "10%", allowed: 2, count: 2, passed: true }, { counter: "uncovered" }] });
  });

  it("--summary-json /dev/stderr puts the JSON object on standard error, after the summary line", async () => {
    write("a.log", "hello\nworld\n");
    const r = ok(await run(["check", "a.log", "--summary-json", "/dev/stderr"]));
    const lines = linesOf(r.stderr);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1])).toMatchObject({ command: "check", counters: { recordsIn: 2, errors: 0 }, passed: true });
  });

  it("--summary-json into a missing directory fails with one line", async () => {
    write("a.log", "hello\n");
    const r = await run(["check", "a.log", "--summary-json", "missing-dir/s.json"]);
    expect(r.status).toBe(1);
    expect(linesOf(r.stderr)[1]).toMatch(/^tarkin check: cannot write the summary to missing-dir\/s\.json/);
  });

  it("report exits 1 past --max-errors too, still writing the report, and takes --summary-json", async () => {
    mixed("m.ndjson", 30, [7]);
    const r = await run(["report", "m.ndjson", "--format", "ndjson", "-o", "r.html", "--summary-json", "s.json"]);
    expect(gateFails(r, "report")).toMatch(/^tarkin report: 1 of 30 records are errors .*; the first, m\.ndjson:8: no message field/);
    expect(exists("r.html")).toBe(true);
    expect(JSON.parse(read("s.json"))).toMatchObject({ command: "report", counters: { recordsIn: 30, errors: 1 }, passed: false });
    ok(await run(["report", "m.ndjson", "--format", "ndjson", "-o", "r.html", "--max-errors", "1"]));
  });
});
