// The module through Fluent Bit's wasm filter ABI, as Fluent Bit drives it (host/core/module/harness.ts):
// its allocator, NUL-terminated results, empty string to drop, state across calls, \u escapes.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { coreWasm, defaultLexicon, packedTarkin, ROOT } from "../helpers.js";
import { FluentBitFilter, fluentBitJsonString, fluentBitRecord } from "../../host/core/module/harness.js";
import { packModule, DEFAULT_SETTINGS, type Settings } from "../../host/core/module/pack.js";
import { parseModel } from "../../host/core/module/model.js";
import { sampleLines } from "../../host/core/sample.js";
import { encode, decode } from "@msgpack/msgpack";

const model = parseModel(readFileSync(resolve(ROOT, "models/default.json"), "utf8"), "models/default.json");

function packed(settings: Partial<Settings> = {}): Uint8Array {
  return packModule(coreWasm(), { model, lexicon: defaultLexicon(), settings: { ...DEFAULT_SETTINGS, ...settings } });
}

function filter(settings: Partial<Settings> = {}) {
  return new FluentBitFilter(packed(settings));
}

const text = (record: string, field: string) => new RegExp(`"tarkin_${field}":([^,}]*)`).exec(record)![1];
const numberLines = [...sampleLines({ lines: 20_000, seed: 23 })].map((line, i) => (i % 3 === 0 ? `${line} not good!` : line));

describe("the exports Fluent Bit (WAMR) looks for", () => {
  it("malloc (i32)->i32 and free (i32)->() so WAMR uses them instead of a heap of its own, and no __new", () => {
    const wasm = packed();
    const text = new TextDecoder("latin1").decode(wasm);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasm as BufferSource)).map((e) => e.name);
    expect(exports).toEqual(expect.arrayContaining(["malloc", "free", "tarkin_filter", "memory"]));
    expect(exports).not.toContain("__new");
    expect(exports).not.toContain("__heap_base");
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource), {});
    expect((instance.exports.malloc as Function).length).toBe(1);
    expect((instance.exports.free as Function).length).toBe(1);
    expect((instance.exports.tarkin_filter as Function).length).toBe(6);
    expect(text.length).toBeGreaterThan(0);
  });

  it("malloc refuses what it cannot give with 0 rather than trapping", () => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(packed() as BufferSource), {});
    expect((instance.exports.malloc as (n: number) => number)(0x7fffffff)).toBe(0);
  });
});

describe("records through tarkin_filter", () => {
  it("returns a NUL-terminated JSON object with the record's fields and tarkin's verdict", () => {
    const f = filter();
    const out = f.filter('{"log":"Accepted password for alice from 10.0.0.5 port 52113 ssh2","host":"web01","n":[1,{"x":null}]}');
    const record = JSON.parse(out!);
    expect(record.host).toBe("web01");
    expect(record.n).toEqual([1, { x: null }]);
    for (const k of ["tarkin_surprise", "tarkin_infrequent", "tarkin_sentiment", "tarkin_fear", "tarkin_anomaly"]) expect(record).toHaveProperty(k);
    expect(typeof record.tarkin_surprise).toBe("number");
  });

  it("finds the message in log, then message, then msg, or at a dotted path", () => {
    expect(JSON.parse(filter().filter('{"msg":"a horrible failure"}')!).tarkin_sentiment).toBeLessThan(0);
    expect(JSON.parse(filter().filter('{"message":"a horrible failure","msg":"great"}')!).tarkin_sentiment).toBeLessThan(0);
    const nested = filter({ fields: ["event.original"] }).filter('{"event":{"original":"a horrible failure"}}');
    expect(JSON.parse(nested!).tarkin_sentiment).toBeLessThan(0);
    const missing = JSON.parse(filter({ fields: ["event.original"] }).filter('{"event":{"other":"x"}}')!);
    expect(missing.tarkin_error).toMatch(/no message field/);
  });

  it("decodes \\u escapes fully: escaped and raw UTF-8 records get the same verdict", () => {
    const text = "Contraseña incorrecta — ataque 🚨 ΣΊΣΥΦΟΣ horrible";
    const escaped = fluentBitRecord([["log", text]]);
    expect(escaped).not.toMatch(/[^\x00-\x7f]/);
    const a = JSON.parse(filter().filter(escaped)!);
    const b = JSON.parse(filter().filter(JSON.stringify({ log: text }))!);
    expect(a.log).toBe(text);
    for (const k of ["tarkin_surprise", "tarkin_sentiment", "tarkin_fear", "tarkin_infrequent", "tarkin_anomaly"]) expect(a[k]).toBe(b[k]);
  });

  it("reports VADER's compound exactly as vader-sentiment returns it", async () => {
    const { referenceSentiment } = await import("../helpers.js");
    const f = filter();
    for (const text of ["VADER is VERY SMART, handsome, and FUNNY!!!", "Not bad at all", "Failed password for invalid user root", "kind of ok"]) {
      expect(JSON.parse(f.filter(fluentBitRecord([["log", text]]))!).tarkin_sentiment).toBe(referenceSentiment(text).compound);
    }
  });

  it("prints every number as JavaScript prints it: tarkin mode the fewest digits, then the nearest (often 17)", () => {
    const f = filter({ surprise: "tarkin" });
    const tarkin = packedTarkin({ model, settings: { surprise: "tarkin" } });
    let seventeen = 0;
    for (const line of numberLines) {
      const record = f.filter(fluentBitRecord([["log", line]]))!;
      const score = tarkin.score(line);
      expect(text(record, "surprise")).toBe(String(score.surprise));
      expect(text(record, "fear")).toBe(String(score.fear));
      expect(text(record, "sentiment")).toBe(String(score.compound));
      if (String(score.surprise).replace(/^0\.0*/, "").length === 17) seventeen++;
    }
    expect(seventeen).toBeGreaterThan(1_000);
  });

  it("in default mode prints surprise and fear with 4 decimals, as VADER's compound, as JavaScript prints them", () => {
    const f = filter();
    const tarkin = packedTarkin({ model });
    const four = (x: number) => String(Math.round(x * 10_000) / 10_000);
    let rounded = 0;
    for (const line of numberLines) {
      const record = f.filter(fluentBitRecord([["log", line]]))!;
      const score = tarkin.score(line);
      expect(text(record, "surprise")).toBe(four(score.surprise));
      expect(text(record, "fear")).toBe(four(score.fear));
      expect(text(record, "sentiment")).toBe(String(score.compound));
      if (four(score.surprise) !== String(score.surprise) || four(score.fear) !== String(score.fear)) rounded++;
    }
    expect(rounded).toBeGreaterThan(1_000);
  });

  it("drops a record by returning the empty string in drop mode, and keeps anomalies", () => {
    const f = filter({ mode: "drop" });
    const normal = '{"log":"Accepted password for alice from 10.0.0.5 port 52113 ssh2"}';
    for (let i = 0; i < 20; i++) expect(f.filter(normal)).toBe("");
    const attack = f.filter('{"log":"FATAL: horrible attack, root password brute force failed!!! %%%% ;;;; ../../etc/passwd"}');
    expect(JSON.parse(attack!).tarkin_anomaly).toBe(true);
    expect(f.stats()).toMatchObject({ recordsIn: 21, recordsOut: 1, anomalous: 1 });
  });

  it("keeps state across calls: the gate learns what is usual", () => {
    const f = filter();
    // A line in a format the embedded model knows, of a shape it never saw there.
    const record = '{"log":"Failed password for invalid user %%%;;; from 10.0.0.1 port 22 ssh2"}';
    const first = JSON.parse(f.filter(record)!);
    expect(first.tarkin_infrequent).toBe(false); // no history yet
    for (let i = 0; i < 30; i++) f.filter('{"log":"session opened for user alice by (uid=0)"}');
    expect(JSON.parse(f.filter(record)!).tarkin_infrequent).toBe(true);
    expect(f.stats().recordsIn).toBe(32);
  });

  it("never loses a record it cannot read: it goes on marked, with the reason and the text", () => {
    const f = filter({ mode: "drop" });
    const cases: [string, RegExp][] = [
      ["not json at all", /not a JSON object/],
      ['{"log": "unterminated', /unterminated string/],
      ["[1,2,3]", /not a JSON object/],
      ['{"log": 42}', /message field log is not a string/],
      ['{"log": null}', /not a string/],
      ['{"other": "x"}', /no message field/],
      ["", /empty record/],
      ['{"log":"x"} {"log":"y"}', /trailing/],
      ['\ufeff{"log":"bom"}', /byte-order mark/],
    ];
    for (const [record, why] of cases) {
      const out = f.filter(record);
      expect(out, record).not.toBeNull();
      const parsed = JSON.parse(out!);
      expect(parsed.tarkin_anomaly).toBe(true);
      expect(parsed.tarkin_error).toMatch(why);
      if (parsed.tarkin_record !== undefined) expect(parsed.tarkin_record).toBe(record.replace(/^\ufeff/, "\ufeff"));
    }
    expect(f.stats().errors).toBe(cases.length);
    expect(f.stats().recordsOut).toBe(cases.length);
  });

  it("reads a record that ends at the last byte of memory as one anywhere else, reading nothing past it", () => {
    const wasm = packed();
    const reference = new FluentBitFilter(wasm);
    const x = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource), {}).exports as unknown as {
      memory: WebAssembly.Memory;
      malloc(n: number): number;
      tarkin_filter(tag: number, tagLength: number, sec: number, nsec: number, record: number, length: number): number;
    };
    const records = [
      fluentBitRecord([["log", "Accepted password for alice from 10.0.0.5 port 52113 ssh2"]]),
      fluentBitRecord([["log", 'a "quoted" path C:\\tmp, caf\u00e9 and \u{1f600}: ok'], ["k", "v"]]),
      '{"log":"raw UTF-8: caf\u00e9 \u{1f600}","n":1}',
      '{"a":1, "log" : "spaced out" }',
      '{"log":"x"}',
      '{"log": "unterminated',
    ].map((r) => new TextEncoder().encode(r));
    const tag = x.malloc(7);
    new Uint8Array(x.memory.buffer).set(new TextEncoder().encode("tarkin\0"), tag);
    const call = (record: Uint8Array, at: number) => {
      new Uint8Array(x.memory.buffer).set(record, at);
      const memory = new Uint8Array(x.memory.buffer);
      const out = x.tarkin_filter(tag, 6, 0, 0, at, record.length);
      return new TextDecoder().decode(memory.subarray(out, memory.indexOf(0, out)));
    };
    // Once each where malloc puts them, for the module's buffers to grow; then each in a page the
    // host adds (the module's heap grows past it), ending at its last byte.
    for (const record of records) {
      const at = x.malloc(record.length + 1);
      expect(call(record, at)).toBe(reference.filter(new TextDecoder().decode(record)));
    }
    x.memory.grow(1);
    const end = x.memory.buffer.byteLength;
    for (const record of records) {
      expect(call(record, end - record.length)).toBe(reference.filter(new TextDecoder().decode(record)));
      expect(x.memory.buffer.byteLength).toBe(end);
    }
  });

  it("replaces tarkin fields a record already carries, once each, and flags the attempt", () => {
    const out = filter().filter('{"log":"a horrible failure","tarkin_anomaly":false,"tarkin_fear":0,"tarkin\\u005fsurprise":0}');
    expect(out!.match(/"tarkin_anomaly"/g)).toHaveLength(1);
    expect(out!.match(/"tarkin_fear"/g)).toHaveLength(1);
    expect(out).not.toContain("tarkin\\u005fsurprise");
    const record = JSON.parse(out!);
    expect(record.tarkin_spoofed).toBe(true);
    expect(record.tarkin_fear).toBeGreaterThan(0);
  });

  it("names its fields with the configured prefix", () => {
    const record = JSON.parse(filter({ prefix: "sec." }).filter('{"log":"ok"}')!);
    expect(Object.keys(record).filter((k) => k.startsWith("sec."))).toEqual(["sec.surprise", "sec.infrequent", "sec.sentiment", "sec.fear", "sec.anomaly", "sec.covered", "sec.reason"]);
  });

  it("says clearly when no model is packed", () => {
    const bare = new FluentBitFilter(coreWasm());
    const record = JSON.parse(bare.filter('{"log":"hello"}')!);
    expect(record.tarkin_error).toMatch(/no packed model/);
    expect(record.log).toBe("hello");
  });

  it("frees what Fluent Bit allocates: memory stays flat over many records", () => {
    const f = filter();
    const line = (i: number) => fluentBitRecord([["log", `request ${i} from 10.0.${i % 256}.${i % 199} took ${i % 977} ms — ok`]]);
    for (let i = 0; i < 2_000; i++) f.filter(line(i));
    const before = f.memoryBytes();
    for (let i = 0; i < 50_000; i++) expect(f.filter(line(i))).not.toBeNull();
    expect(f.memoryBytes()).toBe(before);
  });
});

describe("records through tarkin_filter_msgpack", () => {
  it("gives the same verdicts as JSON mode for the same records", () => {
    const json = filter();
    const msgpack = new FluentBitFilter(packed(), "msgpack");
    let compared = 0;
    for (const line of sampleLines({ lines: 3_000, seed: 21 })) {
      const a = JSON.parse(json.filter(fluentBitRecord([["log", line]]))!);
      const b = decode(msgpack.filterBytes(encode({ log: line }))!) as Record<string, unknown>;
      expect(b.log).toBe(line);
      expect(b.tarkin_anomaly).toBe(a.tarkin_anomaly);
      expect(b.tarkin_infrequent).toBe(a.tarkin_infrequent);
      // Numbers go into msgpack as strs (few doubles have a NUL-free encoding), exactly as JSON prints them.
      expect(Number(b.tarkin_sentiment)).toBe(a.tarkin_sentiment);
      expect(Number(b.tarkin_surprise)).toBe(a.tarkin_surprise);
      expect(Number(b.tarkin_fear)).toBe(a.tarkin_fear);
      compared++;
    }
    expect(compared).toBe(3_000);
  });

  it("writes no NUL byte, and carries a record with no NUL-free encoding whole as base64", () => {
    const f = new FluentBitFilter(packed(), "msgpack");
    const record = encode({ log: "a horrible failure", status: 0, ratio: 0.5 });
    const out = f.filterBytes(record)!;
    expect(out.includes(0)).toBe(false);
    const result = decode(out) as Record<string, unknown>;
    expect(Buffer.from(result.tarkin_record as string, "base64").equals(Buffer.from(record))).toBe(true);
    expect(result.tarkin_error).toMatch(/use event_format json/);
    expect(result.tarkin_anomaly).toBe(true);
    expect(Number(result.tarkin_sentiment)).toBeLessThan(0);
  });

  it("replaces spoofed tarkin fields in msgpack too", () => {
    const f = new FluentBitFilter(packed(), "msgpack");
    const out = decode(f.filterBytes(encode({ log: "a horrible failure", tarkin_anomaly: false, tarkin_fear: "x" }))!) as Record<string, unknown>;
    expect(out.tarkin_spoofed).toBe(true);
    expect(Number(out.tarkin_fear)).toBeGreaterThan(0);
  });
});

describe("fluentBitJsonString", () => {
  it("escapes non-ASCII as \\uXXXX with surrogate pairs, as Fluent Bit does by default", () => {
    expect(fluentBitJsonString("ñ😀\n\"")).toBe('"\\u00f1\\ud83d\\ude00\\n\\""');
    expect(JSON.parse(fluentBitJsonString("ñ😀\u0001"))).toBe("ñ😀\u0001");
  });
});
