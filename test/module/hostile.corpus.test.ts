// Issue 4, "never trap, never lose, never be fooled": a fixed corpus of hostile records through both
// of Fluent Bit's event formats (host/core/module/harness.ts, exactly as flb_wasm.c drives the module), in
// annotate and drop mode, and a few of them through the CLI (`tarkin check`) too.
//
// For every case: the record is not lost (no trap, a NUL-terminated result), what comes out is a
// valid record in its format (JSON: a plain object; msgpack: one map, no NUL byte before its end),
// nothing is lost (a readable record's members all come through, byte for byte in msgpack; one that
// cannot go on as itself is carried whole in tarkin_record), and tarkin_error says what was wrong
// exactly when something was (then tarkin_anomaly is true).
import { OUTPUT_FIELDS } from "../../host/core/module/layouts.js";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { encode, decode } from "@msgpack/msgpack";
import { coreWasm, defaultLexicon, referenceSentiment, ROOT } from "../helpers.js";
import { FluentBitFilter, type EventFormat } from "../../host/core/module/harness.js";
import { packModule, DEFAULT_SETTINGS, type Settings } from "../../host/core/module/pack.js";
import { parseModel } from "../../host/core/module/model.js";
import { encodeMsgpack } from "../../host/core/io/msgpack.js";
import { utf8, strictUtf8, lenientUtf8, isPlainObject, jsonObject, jsonTopLevelKeys, MpMember, mpMap, mpKey, nulFreeMapCount, mpDecode } from "./hostile.helpers.js";

// ---------------------------------------------------------------------------------------------
// The module, packed with the default model.

const model = parseModel(readFileSync(resolve(ROOT, "models/default.json"), "utf8"), "models/default.json");
const wasmCache = new Map<string, Uint8Array>();
function packed(settings: Partial<Settings> = {}): Uint8Array {
  const key = JSON.stringify(settings);
  let wasm = wasmCache.get(key);
  if (!wasm) {
    wasm = packModule(coreWasm(), { model, lexicon: defaultLexicon(), settings: { ...DEFAULT_SETTINGS, ...settings } });
    wasmCache.set(key, wasm);
  }
  return wasm;
}

// ---------------------------------------------------------------------------------------------
// Bytes.


type Part = string | number | number[] | Uint8Array;
/** Concatenates strings (as UTF-8), single bytes, byte lists and byte arrays. */
function bytes(...parts: Part[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? utf8.encode(p) : typeof p === "number" ? Uint8Array.of(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function hex(b: Uint8Array, max = 96): string {
  const shown = Buffer.from(b.subarray(0, max)).toString("hex");
  return b.length > max ? `${shown}... (${b.length} bytes)` : shown;
}

/** A msgpack str header for `n` bytes, in its shortest form. */
function mpStrHeader(n: number): number[] {
  if (n < 32) return [0xa0 | n];
  if (n < 256) return [0xd9, n];
  if (n < 65536) return [0xda, n >> 8, n & 255];
  return [0xdb, (n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}
function mpStr(s: string | Uint8Array): Uint8Array {
  const b = typeof s === "string" ? utf8.encode(s) : s;
  return bytes(mpStrHeader(b.length), b);
}

// ---------------------------------------------------------------------------------------------
// Oracles: what the module should make of a record, decided independently of it.

const SUFFIXES = OUTPUT_FIELDS.split(",");
const OWN = new Set(SUFFIXES.map((s) => "tarkin_" + s));
const VERDICT = ["tarkin_surprise", "tarkin_infrequent", "tarkin_sentiment", "tarkin_fear", "tarkin_anomaly", "tarkin_covered", "tarkin_reason"];
const FIELDS = DEFAULT_SETTINGS.fields;




/** Equal JSON-like values (same members in the same order), iteratively: values may nest 10,000 deep. */
function sameValue(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (typeof x !== "object" || x === null || typeof y !== "object" || y === null) {
      if (!Object.is(x, y)) return false;
      continue;
    }
    if (x instanceof Uint8Array || y instanceof Uint8Array) {
      if (!(x instanceof Uint8Array && y instanceof Uint8Array && Buffer.from(x).equals(Buffer.from(y)))) return false;
      continue;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const kx = Object.keys(x);
    const ky = Object.keys(y);
    if (kx.length !== ky.length || kx.some((k, i) => k !== ky[i])) return false;
    for (const k of kx) stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
  }
  return true;
}




/** The bytes of the msgpack str at p, or null when it is not a str. */
function mpStrAt(b: Uint8Array, p: number): Uint8Array | null {
  const t = b[p];
  if (t >= 0xa0 && t <= 0xbf) return b.subarray(p + 1, p + 1 + (t & 31));
  if (t === 0xd9) return b.subarray(p + 2, p + 2 + b[p + 1]);
  if (t === 0xda) return b.subarray(p + 3, p + 3 + b[p + 1] * 256 + b[p + 2]);
  if (t === 0xdb) return b.subarray(p + 5, p + 5 + ((b[p + 1] << 24) >>> 0) + (b[p + 2] << 16) + (b[p + 3] << 8) + b[p + 4]);
  return null;
}




// ---------------------------------------------------------------------------------------------
// The checks every record goes through.

interface Outcome {
  /** The record that went on (JSON: parsed; msgpack: decoded), or "" when dropped. */
  record: Record<string, unknown> | "";
  /** The output's own bytes. */
  out: Uint8Array;
}

/** JSON mode. `readable` overrides the oracle (for the module's documented depth limit). */
function checkJson(input: Uint8Array, out: Uint8Array | null, drop: boolean, readable?: boolean): Outcome {
  const what = `input ${hex(input)}`;
  expect(out, `${what}: lost (trap, or no NUL-terminated result)`).not.toBeNull();
  const valid = readable === false ? null : jsonObject(input);
  if (readable === true) expect(valid, what).not.toBeNull();
  const message = valid ? messageOf(valid) : undefined;
  const ownIn = valid ? jsonTopLevelKeys(strictUtf8.decode(input)).filter((k) => OWN.has(k)) : [];
  if (out!.length === 0) {
    expect(drop && valid !== null && message !== undefined && ownIn.length === 0, `${what}: dropped`).toBe(true);
    return { record: "", out: out! };
  }
  let text = "";
  expect(() => (text = strictUtf8.decode(out!)), `${what}: output is not UTF-8: ${hex(out!)}`).not.toThrow();
  let record: unknown;
  expect(() => (record = JSON.parse(text)), `${what}: output is not JSON: ${text.slice(0, 300)}`).not.toThrow();
  expect(isPlainObject(record), `${what}: output is not an object`).toBe(true);
  const r = record as Record<string, unknown>;
  expect(typeof r.tarkin_anomaly, `${what}: tarkin_anomaly`).toBe("boolean");
  const erroneous = valid === null || message === undefined;
  expect("tarkin_error" in r, `${what}: tarkin_error ${JSON.stringify(r.tarkin_error)}`).toBe(erroneous);
  const outKeys = jsonTopLevelKeys(text);
  const ownOut = outKeys.filter((k) => OWN.has(k));
  expect(new Set(ownOut).size, `${what}: tarkin's fields once each: ${ownOut}`).toBe(ownOut.length);
  if (erroneous) {
    expect(r.tarkin_anomaly).toBe(true);
    expect(typeof r.tarkin_error).toBe("string");
    expect((r.tarkin_error as string).length).toBeGreaterThan(0);
  }
  if (valid === null) {
    // Not a JSON object: carried whole as text (ill-formed UTF-8 can only go as U+FFFD in JSON).
    expect(ownOut.sort()).toEqual(["tarkin_anomaly", "tarkin_error", "tarkin_record"]);
    expect(outKeys.length).toBe(3);
    expect(r.tarkin_record, `${what}: tarkin_record`).toBe(lenientUtf8.decode(input));
    return { record: r, out: out! };
  }
  // Every member of the record comes through with its value; tarkin's own are replaced.
  const keep = (k: string) => !OWN.has(k);
  expectSameList(Object.keys(r).filter(keep), Object.keys(valid).filter(keep), what);
  expect(Object.keys(valid).filter((k) => keep(k) && !sameValue(r[k], valid[k])), `${what}: members changed`).toEqual([]);
  const inKeys = jsonTopLevelKeys(strictUtf8.decode(input));
  expectSameList(outKeys.filter(keep), inKeys.filter(keep), `${what}: every member, duplicates included`);
  const expectedOwn = [...(message !== undefined ? VERDICT : ["tarkin_anomaly", "tarkin_error"]), ...(ownIn.length ? ["tarkin_spoofed"] : [])];
  expect(ownOut.sort(), what).toEqual(expectedOwn.sort());
  if (ownIn.length) expect(r.tarkin_spoofed).toBe(true);
  if (message !== undefined) {
    expect(typeof r.tarkin_surprise).toBe("number");
    expect(typeof r.tarkin_infrequent).toBe("boolean");
    expect(typeof r.tarkin_sentiment).toBe("number");
    expect(typeof r.tarkin_fear).toBe("number");
  }
  return { record: r, out: out! };
}

/** `actual` toEqual `expected`, compared element by element first: expect's deep equality takes seconds over a million members. */
function expectSameList(actual: string[], expected: string[], what: string): void {
  if (actual.length !== expected.length || actual.some((x, i) => x !== expected[i])) expect(actual, what).toEqual(expected);
}

/** The message the module should score: the first field whose (last) value is a string. */
function messageOf(o: Record<string, unknown>): string | undefined {
  for (const f of FIELDS) if (Object.hasOwn(o, f) && typeof o[f] === "string") return o[f] as string;
  return undefined;
}

/** msgpack mode. `readable` overrides the oracle (for the module's documented depth limit). */
function checkMsgpack(input: Uint8Array, out: Uint8Array | null, drop: boolean, readable?: boolean): Outcome {
  const what = `input ${hex(input)}`;
  expect(out, `${what}: lost (trap, or no NUL-terminated result)`).not.toBeNull();
  const members = readable === false ? null : mpMap(input);
  if (readable === true) expect(members, what).not.toBeNull();
  let found = false;
  let ownIn = 0;
  let kept: MpMember[] = [];
  if (members) {
    for (const f of FIELDS) {
      const last = members.filter((m) => mpKey(input, m) === f).pop();
      if (last && mpStrAt(input, last.valueStart) !== null) {
        found = true;
        break;
      }
    }
    kept = members.filter((m) => !OWN.has(mpKey(input, m) ?? ""));
    ownIn = members.length - kept.length;
  }
  const added = (found ? VERDICT.length : 2) + (ownIn ? 1 : 0);
  const carriable = members !== null && nulFreeMapCount(kept.length + added) && kept.every((m) => !input.subarray(m.keyStart, m.valueEnd).includes(0));
  // Never dropped: Fluent Bit takes an empty msgpack result as the record's body (and loses the chunk).
  expect(out!.length, `${what}: dropped in msgpack mode`).toBeGreaterThan(0);
  expect(out!.includes(0), `${what}: NUL in output`).toBe(false);
  const outMembers = mpMap(out!);
  expect(outMembers, `${what}: output is not one msgpack map: ${hex(out!)}`).not.toBeNull();
  let decoded: unknown;
  expect(() => (decoded = mpDecode(out!)), `${what}: output does not decode: ${hex(out!)}`).not.toThrow();
  expect(isPlainObject(decoded)).toBe(true);
  const r = decoded as Record<string, unknown>;
  const ownOut = outMembers!.map((m) => mpKey(out!, m)).filter((k): k is string => k !== null && OWN.has(k));
  expect(new Set(ownOut).size, `${what}: tarkin's fields once each: ${ownOut}`).toBe(ownOut.length);
  expect(typeof r.tarkin_anomaly, `${what}: tarkin_anomaly`).toBe("boolean");
  const erroneous = !members || !found || !carriable;
  expect("tarkin_error" in r, `${what}: tarkin_error ${JSON.stringify(r.tarkin_error)}`).toBe(erroneous);
  if (erroneous) {
    expect(r.tarkin_anomaly).toBe(true);
    expect(typeof r.tarkin_error).toBe("string");
    expect((r.tarkin_error as string).length).toBeGreaterThan(0);
  }
  if (!carriable) {
    // Carried whole: base64 of the original, one str or an array of strs to join.
    const carried = r.tarkin_record;
    expect(typeof carried === "string" || (Array.isArray(carried) && carried.every((s) => typeof s === "string")), `${what}: tarkin_record`).toBe(true);
    const b64 = typeof carried === "string" ? carried : (carried as string[]).join("");
    expect(/^[A-Za-z0-9+/]*={0,2}$/.test(b64) && b64.length % 4 === 0, `${what}: tarkin_record is base64`).toBe(true);
    expect(Buffer.from(b64, "base64").equals(Buffer.from(input)), `${what}: tarkin_record is the original`).toBe(true);
    expect(outMembers!.length).toBe(ownOut.length);
    if (members) expect(r.tarkin_error, `${what}: says why the record is carried as base64`).toMatch(/cannot carry/);
    const expectedOwn = !members ? ["tarkin_anomaly", "tarkin_error", "tarkin_record"] : [...(found ? VERDICT : ["tarkin_anomaly"]), "tarkin_error", "tarkin_record", ...(ownIn ? ["tarkin_spoofed"] : [])];
    expect(ownOut.sort(), what).toEqual(expectedOwn.sort());
  } else {
    // Every member comes through byte for byte, in order; tarkin's own are replaced.
    const outKept = outMembers!.filter((m) => !OWN.has(mpKey(out!, m) ?? ""));
    expect(outKept.length, `${what}: members kept`).toBe(kept.length);
    const changed = kept.map((_, i) => i).filter((i) => !Buffer.from(out!.subarray(outKept[i].keyStart, outKept[i].valueEnd)).equals(input.subarray(kept[i].keyStart, kept[i].valueEnd)));
    expect(changed, `${what}: members changed`).toEqual([]);
    const expectedOwn = [...(found ? VERDICT : ["tarkin_anomaly", "tarkin_error"]), ...(ownIn ? ["tarkin_spoofed"] : [])];
    expect(ownOut.sort(), what).toEqual(expectedOwn.sort());
  }
  if (ownIn) expect(r.tarkin_spoofed).toBe(true);
  if (found) {
    // Numbers go as strs in msgpack mode (few doubles have a NUL-free encoding).
    for (const k of ["tarkin_surprise", "tarkin_sentiment", "tarkin_fear"]) expect(Number.isFinite(Number(r[k])), `${what}: ${k} ${r[k]}`).toBe(true);
    expect(typeof r.tarkin_infrequent).toBe("boolean");
  }
  return { record: r, out: out! };
}

function check(format: EventFormat, input: Uint8Array, out: Uint8Array | null, drop = false, readable?: boolean): Outcome {
  return format === "json" ? checkJson(input, out, drop, readable) : checkMsgpack(input, out, drop, readable);
}

// ---------------------------------------------------------------------------------------------
// The corpus.

interface Case {
  name: string;
  /** The record as Fluent Bit hands it over in this format. */
  json?: Uint8Array;
  msgpack?: Uint8Array;
  /** What tarkin_error must say, in either format; null: no tarkin_error (a readable record with a message). */
  error?: RegExp | null;
  jsonError?: RegExp | null;
  msgpackError?: RegExp | null;
  /** Overrides the oracle where the module's documented limits decide (nesting depth). */
  readable?: boolean;
  tag?: string;
}

/** A readable object in both formats: its JSON text (given, or JSON.stringify) and its msgpack map. */
function object(name: string, value: Record<string, unknown>, extra: Partial<Case> & { text?: string } = {}): Case {
  return { name, json: utf8.encode(extra.text ?? JSON.stringify(value)), msgpack: encode(value), ...extra };
}

const KiB = 1024;
const MiB = 1024 * KiB;
const DEPTH = 10_000;

function longMessage(size: number): string {
  const words = "Failed password for invalid user admin from 203.0.113.9 port 22 ssh2; horrible ataque 🚨 ΣΊΣΥΦΟΣ ";
  return words.repeat(Math.ceil(size / words.length)).slice(0, size);
}

function manyFields(size: number): Record<string, unknown> {
  const o: Record<string, unknown> = { log: "many fields follow" };
  for (let i = 1, length = 0; length < size; i++) {
    const value = i % 3 === 0 ? `value ${i}` : i % 3 === 1 ? i : [i, { i }];
    o[`field_${i}`] = value;
    length += JSON.stringify(value).length + `field_${i}`.length + 4;
  }
  return o;
}

const deepArray = "[".repeat(DEPTH) + "]".repeat(DEPTH);
const deepObject = '{"a":'.repeat(DEPTH) + "1" + "}".repeat(DEPTH);
// The same in msgpack, by hand: @msgpack/msgpack's encoder recurses and cannot go 10,000 deep.
const mpDeepArray = bytes(new Array(DEPTH).fill(0x91), 0x90);
const mpDeepObject = bytes(...new Array(DEPTH).fill([0x81, 0xa1, 0x61]), 0x01);
const log = (s: string) => [mpStr("log"), mpStr(s)];

const cases: Case[] = [
  // -- Not JSON, not msgpack.
  { name: "truncated JSON object", json: utf8.encode('{"log":"x"'), msgpack: bytes([0x82], mpStr("log"), mpStr("x")), error: /unreadable record: (expected , or \} in object|unexpected end|truncated msgpack)/ },
  { name: "truncated JSON string", json: utf8.encode('{"log":"unterminated'), msgpack: bytes([0x81], mpStr("log"), [0xa5, 0x61, 0x62]), error: /unreadable record: (unterminated string|truncated msgpack)/ },
  { name: "missing colon", json: utf8.encode('{"log" "x"}'), jsonError: /unreadable record: expected :/ },
  { name: "unquoted key", json: utf8.encode('{log:"x"}'), jsonError: /unreadable record: expected a string key/ },
  { name: "trailing comma", json: utf8.encode('{"log":"x",}'), jsonError: /unreadable record: expected a string key/ },
  { name: "plain text", json: utf8.encode("not json at all"), jsonError: /unreadable record: not a JSON object/ },
  ...["[1,2,3]", '"log"', "42", "null", "true", "-"].map((t) => ({ name: `top-level ${t}`, json: utf8.encode(t), jsonError: /unreadable record: not a JSON object/ })),
  { name: "invalid number", json: utf8.encode('{"log":"x","n":01}'), jsonError: /unreadable record/ },
  { name: "invalid literal", json: utf8.encode('{"log":"x","n":nul}'), jsonError: /unreadable record: invalid literal/ },
  { name: "0xc1 as a value", msgpack: bytes([0x81], mpStr("log"), [0xc1]), msgpackError: /unreadable record: invalid msgpack byte 0xc1/ },
  { name: "0xc1 alone", msgpack: bytes([0xc1]), msgpackError: /unreadable record: not a msgpack map/ },
  { name: "0xc1 as a key", msgpack: bytes([0x81, 0xc1], mpStr("x")), msgpackError: /unreadable record: invalid msgpack byte 0xc1/ },
  { name: "map32 claiming 2^32-1 members", msgpack: bytes([0xdf, 0xff, 0xff, 0xff, 0xff], ...log("x")), msgpackError: /unreadable record: truncated msgpack/ },
  { name: "map16 claiming 65535 members", msgpack: bytes([0xde, 0xff, 0xff], ...log("x")), msgpackError: /unreadable record: truncated msgpack/ },
  { name: "nested map32 claiming 2^32-1 members", msgpack: bytes([0x82], ...log("x"), mpStr("m"), [0xdf, 0xff, 0xff, 0xff, 0xff, 0xc0]), msgpackError: /unreadable record: truncated msgpack/ },
  { name: "array32 claiming 2^32-1 items", msgpack: bytes([0x82], ...log("x"), mpStr("a"), [0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0]), msgpackError: /unreadable record: truncated msgpack/ },
  { name: "str32 claiming 4 GiB", msgpack: bytes([0x81], mpStr("log"), [0xdb, 0xff, 0xff, 0xff, 0xff], "abc"), msgpackError: /unreadable record: truncated msgpack/ },
  { name: "str32 key claiming 4 GiB", msgpack: bytes([0x81, 0xdb, 0xff, 0xff, 0xff, 0xff], "log"), msgpackError: /unreadable record: truncated msgpack/ },
  { name: "bin32 claiming 4 GiB", msgpack: bytes([0x82], ...log("x"), mpStr("b"), [0xc6, 0xff, 0xff, 0xff, 0xff, 1, 2]), msgpackError: /unreadable record: truncated msgpack/ },
  { name: "ext32 claiming 4 GiB", msgpack: bytes([0x82], ...log("x"), mpStr("e"), [0xc9, 0xff, 0xff, 0xff, 0xff, 1, 2]), msgpackError: /unreadable record: truncated msgpack/ },
  { name: "str8 header cut off", msgpack: bytes([0x81], mpStr("log"), [0xd9]), msgpackError: /unreadable record: truncated msgpack/ },
  { name: "float64 cut off", msgpack: bytes([0x82], ...log("x"), mpStr("f"), [0xcb, 0x3f]), msgpackError: /unreadable record: truncated msgpack/ },
  { name: "a str, not a map", msgpack: mpStr("log"), msgpackError: /unreadable record: not a msgpack map/ },
  { name: "an array, not a map", msgpack: bytes([0x91], mpStr("log")), msgpackError: /unreadable record: not a msgpack map/ },
  { name: "nil, not a map", msgpack: bytes([0xc0]), msgpackError: /unreadable record: not a msgpack map/ },
  { name: "the integer 0, not a map", msgpack: bytes([0x00]), msgpackError: /unreadable record: not a msgpack map/ },

  // -- Invalid UTF-8.
  ...(
    [
      ["0xff", [0xff]],
      ["a lone continuation byte", [0x80]],
      ["an overlong /", [0xc0, 0xaf]],
      ["an overlong NUL", [0xc0, 0x80]],
      ["a UTF-8-encoded surrogate", [0xed, 0xa0, 0x80]],
      ["a truncated 3-byte sequence", [0xe2, 0x82]],
      ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
      ["0xfe 0xfe", [0xfe, 0xfe]],
    ] as [string, number[]][]
  ).flatMap(([name, bad]): Case[] => [
    {
      name: `${name} inside a string`,
      json: bytes('{"log":"bad ', bad, ' byte","host":"h"}'),
      // A msgpack str is bytes: the module reads it and scores it as TextDecoder would.
      msgpack: bytes([0x82], mpStr("log"), mpStr(bytes("bad ", bad, " byte")), mpStr("host"), mpStr("h")),
      jsonError: /unreadable record: invalid UTF-8 in string/,
      msgpackError: null,
    },
    { name: `${name} inside a key`, json: bytes('{"lo', bad, 'g":"x"}'), msgpack: bytes([0x82], ...log("x"), mpStr(bytes("k", bad)), [0x01]), jsonError: /unreadable record: invalid UTF-8 in string/, msgpackError: null },
    { name: `${name} outside strings`, json: bytes('{"log":"x"', bad, "}"), jsonError: /unreadable record: expected , or \} in object/ },
    { name: `${name} before the record`, json: bytes(bad, '{"log":"x"}'), jsonError: /unreadable record: not a JSON object/ },
  ]),

  // -- NUL bytes.
  { name: "raw NUL inside a JSON string", json: bytes('{"log":"before', 0, 'after"}'), jsonError: /unreadable record: control character in string/ },
  { name: "raw NUL inside a JSON key", json: bytes('{"lo', 0, 'g":"x"}'), jsonError: /unreadable record: control character in string/ },
  { name: "raw NUL between members", json: bytes('{"log":"x",', 0, '"a":1}'), jsonError: /unreadable record: expected a string key/ },
  { name: "raw NUL after the record", json: bytes('{"log":"x"}', 0), jsonError: /unreadable record: trailing characters/ },
  { name: "raw NUL before the record", json: bytes(0, '{"log":"x"}'), jsonError: /unreadable record: not a JSON object/ },
  { name: "NUL inside a msgpack message str", msgpack: bytes([0x81], mpStr("log"), mpStr(bytes("before", 0, "after"))), msgpackError: /cannot carry/ },
  { name: "NUL inside a msgpack key", msgpack: bytes([0x82], ...log("x"), mpStr(bytes("k", 0)), mpStr("v")), msgpackError: /cannot carry/ },
  { name: "other control characters raw in a JSON string", json: bytes('{"log":"a', [0x01, 0x1f, 0x0a], 'b"}'), jsonError: /unreadable record: control character in string/ },

  // -- JSON escapes.
  object("every simple escape", { log: '\u0000 \b \f \n \r \t " \\ / end', "k\n\"\\": "v" }, { text: '{"log":"\\u0000 \\b \\f \\n \\r \\t \\" \\\\ \\/ end","k\\n\\"\\\\":"v"}', jsonError: null, msgpackError: /cannot carry/ }),
  object("surrogate pairs", { log: "alert 🚨 😀 𝄞" }, { text: '{"log":"alert \\ud83d\\udea8 \\uD83D\\uDE00 \\ud834\\udd1e"}', error: null }),
  object("a lone high surrogate", { log: "lone \ud800 high" }, { text: '{"log":"lone \\ud800 high"}', error: null }),
  object("a lone low surrogate", { log: "lone \udc00 low" }, { text: '{"log":"lone \\udc00 low"}', error: null }),
  object("a high surrogate then a non-surrogate escape", { log: "\ud800A\udbff" }, { text: '{"log":"\\ud800\\u0041\\udbff"}', error: null }),
  object("reversed surrogates", { log: "\udc00\ud800" }, { text: '{"log":"\\udc00\\ud800"}', error: null }),
  object("escapes in keys", { log: "x", "k\u0000\u00e9\ud83d\ude00": 1 }, { text: '{"\\u006cog":"x","k\\u0000\\u00e9\\ud83d\\ude00":1}', jsonError: null, msgpackError: /cannot carry/ }),
  { name: "invalid \\u12G4", json: utf8.encode('{"log":"\\u12G4"}'), jsonError: /unreadable record: invalid \\u escape/ },
  { name: "truncated \\u12 before the quote", json: utf8.encode('{"log":"\\u12"}'), jsonError: /unreadable record: (invalid|truncated) \\u escape/ },
  { name: "truncated \\u12 at the end", json: utf8.encode('{"log":"\\u12'), jsonError: /unreadable record: truncated \\u escape/ },
  { name: "\\u with no digits", json: utf8.encode('{"log":"\\u"}'), jsonError: /unreadable record: (invalid|truncated) \\u escape/ },
  { name: "\\u followed by non-ASCII", json: utf8.encode('{"log":"\\u00é9"}'), jsonError: /unreadable record: invalid \\u escape/ },
  { name: "unknown escape \\x", json: utf8.encode('{"log":"\\x41"}'), jsonError: /unreadable record: invalid escape in string/ },
  { name: "uppercase \\U", json: utf8.encode('{"log":"\\U0041"}'), jsonError: /unreadable record: invalid escape in string/ },
  { name: "backslash at the very end", json: utf8.encode('{"log":"\\'), jsonError: /unreadable record: unterminated string/ },

  // -- Size.
  // (In msgpack whether these can go on intact depends on their exact lengths; the oracle decides.)
  object("a 1 MiB message", { log: longMessage(MiB), host: "h" }, { jsonError: null }),
  object("a 16 MiB message", { log: longMessage(16 * MiB), host: "h" }, { jsonError: null }),
  object("a 1 MiB ASCII message of exactly 2^20 bytes", { log: "x".repeat(MiB) }, { jsonError: null, msgpackError: /cannot carry/ }),
  object("a 16 MiB ASCII message of 2^24 + 0x10101 bytes", { log: "y".repeat(16 * MiB + 0x10101) }, { error: null }),
  object("1 MiB of fields", manyFields(MiB), { jsonError: null, msgpackError: /cannot carry/ }),
  object("16 MiB of fields", manyFields(16 * MiB), { jsonError: null, msgpackError: /cannot carry/ }),

  // -- Nesting.
  {
    name: "arrays 10,000 deep beside the message",
    json: utf8.encode(`{"log":"x","deep":${deepArray}}`),
    msgpack: bytes([0x82], ...log("x"), mpStr("deep"), mpDeepArray),
    error: null,
  },
  {
    name: "objects 10,000 deep beside the message",
    json: utf8.encode(`{"log":"x","deep":${deepObject}}`),
    msgpack: bytes([0x82], ...log("x"), mpStr("deep"), mpDeepObject),
    error: null,
  },
  { name: "arrays 10,000 deep as the message", json: utf8.encode(`{"log":${deepArray}}`), msgpack: bytes([0x81], mpStr("log"), mpDeepArray), error: /message field log is not a string/ },
  { name: "objects 10,000 deep as the message", json: utf8.encode(`{"log":${deepObject}}`), msgpack: bytes([0x81], mpStr("log"), mpDeepObject), error: /message field log is not a string/ },
  {
    name: "the message 10,000 deep",
    json: utf8.encode('{"a":'.repeat(DEPTH - 1) + '{"log":"x"}' + "}".repeat(DEPTH - 1)),
    msgpack: bytes(...new Array(DEPTH - 1).fill([0x81, 0xa1, 0x61]), [0x81], ...log("x")),
    error: /no message field/,
  },
  {
    name: "arrays 600,000 deep (past the JSON reader's limit)",
    json: utf8.encode(`{"log":"x","deep":${"[".repeat(600_000)}${"]".repeat(600_000)}}`),
    jsonError: /unreadable record: nested deeper than/,
    readable: false,
  },
  {
    name: "arrays 70,000 deep (past the msgpack reader's limit)",
    msgpack: bytes([0x82], ...log("x"), mpStr("deep"), new Array(70_000).fill(0x91), 0x90),
    msgpackError: /unreadable record: nested deeper than/,
    readable: false,
  },

  // -- The message field's type.
  ...([42, -0.5, 0, ["a", "b"], { text: "nested" }, null, true, false] as unknown[]).map((v) =>
    object(`the message as ${JSON.stringify(v)}`, { log: v, host: "h" }, { error: /message field log is not a string/ }),
  ),
  object("the message as a number, another field a string", { log: 42, message: "the message" }, { error: null }),
  object("no message field", { other: "x" }, { error: /no message field \(looked for log, message, msg\)/ }),
  { name: "the message as bin", msgpack: bytes([0x81], mpStr("log"), [0xc4, 0x02, 0x68, 0x69]), msgpackError: /message field log is not a string/ },
  { name: "the message as ext", msgpack: bytes([0x81], mpStr("log"), [0xd4, 0x01, 0x68]), msgpackError: /message field log is not a string/ },
  { name: "a non-str key", msgpack: bytes([0x82, 0x07], mpStr("seven"), ...log("x")), msgpackError: null },

  // -- Duplicate keys.
  {
    name: "duplicate log keys",
    json: utf8.encode('{"log":"a horrible terrible attack","host":"h","log":"what a lovely day"}'),
    msgpack: bytes([0x83], ...log("a horrible terrible attack"), mpStr("host"), mpStr("h"), ...log("what a lovely day")),
    error: null,
  },
  {
    name: "duplicate log keys, the last not a string",
    json: utf8.encode('{"log":"a string","log":7}'),
    msgpack: bytes([0x82], ...log("a string"), mpStr("log"), [0x07]),
    error: /message field log is not a string/,
  },

  // -- Empty.
  object("an empty object", {}, { error: /no message field/ }),
  { name: "zero bytes", json: new Uint8Array(0), msgpack: new Uint8Array(0), error: /unreadable record: empty record/ },
  { name: "only whitespace", json: utf8.encode(" \t\r\n "), jsonError: /unreadable record: empty record/ },
  object("an empty tag", { log: "Accepted password for alice" }, { error: null, tag: "" }),
  object("an empty message", { log: "" }, { error: null }),
  object("a 1 MiB tag", { log: "Accepted password for alice" }, { error: null, tag: "t".repeat(MiB) }),
  { name: "the log key as a str8", msgpack: bytes([0x82, 0xd9, 0x03], "log", mpStr("hello"), [0xda, 0x00, 0x04], "host", mpStr("h")), msgpackError: /cannot carry/ },
  { name: "the log key as a str8 with no NUL", msgpack: bytes([0x81, 0xd9, 0x03], "log", mpStr("hello")), msgpackError: null },
  { name: "a timestamp extension", msgpack: bytes([0x82], ...log("x"), mpStr("t"), [0xd6, 0xff, 0x65, 0x43, 0x21, 0x01]), msgpackError: null },
  object("an empty key", { "": "v", log: "x" }, { error: null }),

  // -- Byte-order mark, trailing garbage.
  { name: "a byte-order mark", json: bytes([0xef, 0xbb, 0xbf], '{"log":"x"}'), msgpack: bytes([0xef, 0xbb, 0xbf], [0x81], ...log("x")), jsonError: /unreadable record: record starts with a byte-order mark/, msgpackError: /unreadable record: not a msgpack map/ },
  { name: "trailing garbage", json: utf8.encode('{"log":"x"} garbage'), msgpack: bytes([0x81], ...log("x"), "garbage"), error: /unreadable record: trailing (characters|bytes) after the record/ },
  { name: "a second record", json: utf8.encode('{"log":"x"}{"log":"y"}'), msgpack: bytes([0x81], ...log("x"), [0x81], ...log("y")), error: /unreadable record: trailing (characters|bytes) after the record/ },
  object("trailing whitespace", { log: "x" }, { text: '  {"log":"x"}\r\n\t ', error: null }),

  // -- Spoofing: the module's own fields replace the record's, once each.
  object(
    "every tarkin field spoofed",
    {
      log: "a horrible failure",
      tarkin_surprise: -1,
      tarkin_infrequent: "yes",
      tarkin_sentiment: 9,
      tarkin_fear: 0,
      tarkin_anomaly: false,
      tarkin_error: "all is well",
      tarkin_record: "fake",
      tarkin_spoofed: false,
      host: "h",
    },
    { error: null },
  ),
  object("spoofed with no message", { tarkin_error: "all is well", tarkin_anomaly: false, other: 1 }, { error: /no message field/ }),
  object("spoofed twice", { log: "x", tarkin_anomaly: false }, { text: '{"log":"x","tarkin_anomaly":false,"tarkin_anomaly":false}', error: null }),
  object("spoofed through an escape", { log: "x", tarkin_anomaly: false }, { text: '{"log":"x","tarkin\\u005fanomaly":false}', error: null }),
  object("a near-miss is not tarkin's", { log: "x", tarkin_anomalyX: false, Tarkin_anomaly: 1, tarkin_: 2 }, { error: null }),

  // -- msgpack values with no NUL-free encoding: carried whole as base64, and said so.
  object("the integer 0", { log: "Accepted password for alice", n: 0 }, { jsonError: null, msgpackError: /cannot carry/ }),
  object("the integer 256", { log: "Accepted password for alice", n: 256 }, { jsonError: null, msgpackError: /cannot carry/ }),
  object("a float 0.5", { log: "Accepted password for alice", f: 0.5 }, { jsonError: null, msgpackError: /cannot carry/ }),
  object("a 256-byte message", { log: "x".repeat(256) }, { jsonError: null, msgpackError: /cannot carry/ }),
  object("a 256-byte string", { log: "hello", s: "y".repeat(256) }, { jsonError: null, msgpackError: /cannot carry/ }),
  object("a 70,000-byte string", { log: "hello", s: "y".repeat(70_000) }, { jsonError: null, msgpackError: /cannot carry/ }),
  object("a map of 20 members", Object.fromEntries([["log", "hello"], ...Array.from({ length: 19 }, (_, i) => [`k${i}`, "v"])]), { jsonError: null, msgpackError: /cannot carry/ }),
  object("a map of 11 members (16 with tarkin's)", Object.fromEntries([["log", "hello"], ...Array.from({ length: 10 }, (_, i) => [`k${i}`, "v"])]), { jsonError: null, msgpackError: /cannot carry/ }),
  object("0 nested in an array", { log: "hello", a: [1, [0]] }, { jsonError: null, msgpackError: /cannot carry/ }),
  object("0 and no message", { n: 0 }, { jsonError: /no message field/, msgpackError: /no message field[\s\S]*cannot carry|cannot carry[\s\S]*no message field/ }),
  object("a 256-byte string as the message field's non-string sibling, message not a string", { log: 5, s: "y".repeat(256) }, { jsonError: /not a string/, msgpackError: /not a string[\s\S]*cannot carry|cannot carry[\s\S]*not a string/ }),
  object("0 in a spoofed field only", { log: "hello", tarkin_fear: 0 }, { error: null }),
  object("a map of 257 members (262 with tarkin's: carriable)", Object.fromEntries([["log", "hello"], ...Array.from({ length: 256 }, (_, i) => [`k${i}`, "v"])]), { error: null }),
  object("a 255-byte string", { log: "x".repeat(255), s: "y".repeat(255) }, { error: null }),
];

const ordinary = [
  { log: "Accepted password for alice from 10.0.0.5 port 52113 ssh2", host: "web01" },
  { log: "session opened for user alice by (uid=0)" },
  { log: "GET /index.html HTTP/1.1 200 513", status: 200, bytes: 513 },
  { message: "request served in 12 ms", level: "info" },
];

/** Lone surrogates as U+FFFD, as the module decodes them. */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

function inputOf(c: Case, format: EventFormat): Uint8Array | undefined {
  return format === "json" ? c.json : c.msgpack;
}

function expectedError(c: Case, format: EventFormat): RegExp | null | undefined {
  const specific = format === "json" ? c.jsonError : c.msgpackError;
  return specific !== undefined ? specific : c.error;
}

// ---------------------------------------------------------------------------------------------

for (const format of ["json", "msgpack"] as const) {
  describe(`the hostile corpus, event_format ${format}`, () => {
    // One instance for the whole corpus, as Fluent Bit keeps one per filter.
    const filter = new FluentBitFilter(packed(), format);
    const other = format === "json" ? "msgpack" : "json";

    for (const c of cases) {
      const input = inputOf(c, format);
      if (input) {
        it(c.name, () => {
          const { record } = check(format, input, filter.filterBytes(input, c.tag ?? "tarkin"), false, c.readable);
          const r = record as Record<string, unknown>;
          const why = expectedError(c, format);
          if (why === null) expect(r.tarkin_error, `${c.name}: tarkin_error`).toBeUndefined();
          else if (why) {
            expect(r.tarkin_error, `${c.name}: tarkin_error`).toMatch(why);
            expect(r.tarkin_anomaly).toBe(true);
          }
        });
      }
      // The other format's bytes, handed to this format: whatever they are, checked the same way.
      const foreign = inputOf(c, other);
      if (foreign) it(`${c.name}, ${other} bytes handed over as ${format}`, () => void check(format, foreign, filter.filterBytes(foreign)));
    }

    if (format === "json") {
      it("strings of 0 to 17 bytes with a special byte at each place, as keys and values at every depth", () => {
        // The reader finds a string that closes within its first two words at once (json.ts
        // scanString) and keeps the open container's kind in a local: each place a quote, an escape,
        // a byte beyond ASCII or a raw control byte can stand, around those words, open or closing.
        const specials: number[][] = [[0x22], [0x5c, 0x22], [0x5c, 0x6e], [0x5c, 0x75, 0x30, 0x30, 0x65, 0x39], [0xc3, 0xa9], [0x01], [0x7f], [0xff], [0x5c, 0x78], [0x5c]];
        let readable = 0;
        let unreadable = 0;
        for (let length = 0; length <= 17; length++) {
          for (let at = 0; at <= length; at++) {
            for (const special of specials) {
              const text = [...Array.from({ length: at }, () => 0x61), ...special, ...Array.from({ length: length - at }, () => 0x62)];
              const q = (body: number[]) => [0x22, ...body, 0x22];
              const input = bytes(
                '{"log":"hello","k":{"a":', q(text), ',"b":[1,{"c":', q(text), "},[]],", q(text), ':{}},"t":', q(text), "}",
              );
              const { record } = check(format, input, filter.filterBytes(input));
              if ((record as Record<string, unknown>).tarkin_error === undefined) readable++;
              else unreadable++;
            }
          }
        }
        expect(readable).toBeGreaterThan(0);
        expect(unreadable).toBeGreaterThan(0);
      });
    }

    it("ordinary records still go on annotated after the hostile corpus", () => {
      for (const o of ordinary) {
        const input = format === "json" ? utf8.encode(JSON.stringify(o)) : encode(o);
        const { record } = check(format, input, filter.filterBytes(input));
        expect((record as Record<string, unknown>).tarkin_error).toBeUndefined();
      }
      const s = filter.stats();
      expect(s.recordsIn).toBe(s.recordsOut);
    });

    it("the last duplicate log is the message", () => {
      const c = cases.find((x) => x.name === "duplicate log keys")!;
      const r = check(format, inputOf(c, format)!, filter.filterBytes(inputOf(c, format)!)).record as Record<string, unknown>;
      expect(Number(r.tarkin_sentiment)).toBe(referenceSentiment("what a lovely day").compound);
      expect(referenceSentiment("a horrible terrible attack").compound).toBeLessThan(0);
      if (format === "json") expect(lenientUtf8.decode(check(format, inputOf(c, format)!, filter.filterBytes(inputOf(c, format)!)).out).match(/"log":/g)).toHaveLength(2);
    });

    it("escapes are decoded before scoring: lone surrogates as U+FFFD", () => {
      for (const name of ["every simple escape", "surrogate pairs", "a lone high surrogate", "a lone low surrogate", "a high surrogate then a non-surrogate escape", "reversed surrogates"]) {
        const c = cases.find((x) => x.name === name)!;
        const input = inputOf(c, format)!;
        const r = check(format, input, filter.filterBytes(input)).record as Record<string, unknown>;
        const text = (JSON.parse(lenientUtf8.decode(c.json!)) as { log: string }).log;
        expect(Number(r.tarkin_sentiment), name).toBe(referenceSentiment(wellFormed(text)).compound);
        if (format === "json") expect(r.log, name).toBe(text);
      }
    });

    it("spoofed fields are replaced with the module's own, once each", () => {
      const c = cases.find((x) => x.name === "every tarkin field spoofed")!;
      const input = inputOf(c, format)!;
      const { record, out } = check(format, input, filter.filterBytes(input));
      const r = record as Record<string, unknown>;
      expect(r.tarkin_spoofed).toBe(true);
      expect(r.tarkin_error).toBeUndefined();
      expect(r.tarkin_record).toBeUndefined();
      expect(Number(r.tarkin_surprise)).toBeGreaterThanOrEqual(0);
      expect(Number(r.tarkin_sentiment)).toBe(referenceSentiment("a horrible failure").compound);
      expect(typeof r.tarkin_infrequent).toBe("boolean");
      expect(r.host).toBe("h");
      const text = Buffer.from(out).toString("latin1");
      for (const k of OWN) if (k !== "tarkin_error" && k !== "tarkin_record") expect(text.split(k).length - 1, k).toBe(1);
      expect(text).not.toContain("all is well");
      expect(text).not.toContain("fake");
    });
  });

  describe(`drop mode, event_format ${format}`, () => {
    const filter = new FluentBitFilter(packed({ mode: "drop" }), format);

    for (const c of cases) {
      const input = inputOf(c, format);
      if (!input) continue;
      const why = expectedError(c, format);
      // Errors are anomalous, so they all go on (a record msgpack cannot carry intact included: annotate mode
      // marks it tarkin_anomaly true, with tarkin_error, and counts it as an error).
      const hostile = !!why;
      it(`${c.name}${hostile ? ": still goes on, marked anomalous" : ""}`, () => {
        const { record } = check(format, input, filter.filterBytes(input, c.tag ?? "tarkin"), true, c.readable);
        if (hostile) {
          expect(record, c.name).not.toBe("");
          const r = record as Record<string, unknown>;
          expect(r.tarkin_anomaly, c.name).toBe(true);
          expect(r.tarkin_error, c.name).toMatch(why);
        }
      });
    }

    it("spoofed records go on even when not anomalous", () => {
      const input = format === "json" ? utf8.encode('{"log":"Accepted password for alice","tarkin_anomaly":false}') : encode({ log: "Accepted password for alice", tarkin_anomaly: false });
      const { record } = check(format, input, filter.filterBytes(input), true);
      expect((record as Record<string, unknown>).tarkin_spoofed).toBe(true);
    });

    if (format === "json") {
      it("ordinary records come out empty", () => {
        for (const o of ordinary) {
          const out = filter.filterBytes(utf8.encode(JSON.stringify(o)));
          expect(out, JSON.stringify(o)).not.toBeNull();
          expect(out!.length, JSON.stringify(o)).toBe(0);
        }
      });
    } else {
      // Fluent Bit takes an empty msgpack result as the record's body (and loses the chunk): nothing is dropped.
      it("ordinary records go on annotated, not anomalous: msgpack mode never drops", () => {
        for (const o of ordinary) {
          const { record } = check(format, encode(o), filter.filterBytes(encode(o)), true);
          expect(record, JSON.stringify(o)).not.toBe("");
          expect((record as Record<string, unknown>).tarkin_anomaly, JSON.stringify(o)).toBe(false);
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The CLI host path: `tarkin check --format ndjson`, spawned as a user would run it.

describe("hostile records through tarkin check --format ndjson", () => {
  const cli = resolve(ROOT, "dist/tarkin.js");
  const lines: { name: string; line: Uint8Array; error: RegExp | null; msgpackError?: RegExp | null }[] = [
    { name: "an ordinary record", line: utf8.encode(JSON.stringify(ordinary[0])), error: null },
    { name: "truncated JSON", line: utf8.encode('{"log": "unterminated'), error: /unterminated string/, msgpackError: /not a msgpack map/ },
    { name: "a raw NUL in a string", line: bytes('{"log":"a', 0, 'b"}'), error: /control character in string/, msgpackError: /not a msgpack map/ },
    { name: "invalid UTF-8 in a string", line: bytes('{"log":"a', 0xff, 'b"}'), error: /invalid UTF-8 in string/, msgpackError: null },
    { name: "every escape", line: utf8.encode('{"log":"\\u0000\\b\\f\\n\\r\\t\\"\\\\\\/ \\ud83d\\ude00 \\ud800 \\udc00"}'), error: null, msgpackError: /cannot carry/ },
    { name: "the message as a number", line: utf8.encode('{"log":42}'), error: /message field log is not a string/ },
    { name: "spoofed fields", line: utf8.encode('{"log":"a horrible failure","tarkin_anomaly":false,"tarkin_error":"all is well"}'), error: null },
    { name: "an empty object", line: utf8.encode("{}"), error: /no message field/ },
    { name: "trailing garbage", line: utf8.encode('{"log":"x"} garbage'), error: /trailing characters/, msgpackError: /not a msgpack map/ },
    { name: "objects 10,000 deep", line: utf8.encode(`{"log":"deep","deep":${deepObject}}`), error: null },
    { name: "a 1 MiB message", line: utf8.encode(JSON.stringify({ log: longMessage(MiB) })), error: null, msgpackError: /cannot carry/ },
  ];
  const input = bytes(...lines.flatMap((l) => [l.line, 0x0a]));

  for (const eventFormat of ["json", "msgpack"] as const) {
    it(`--event-format ${eventFormat}: every line comes out, valid, marked where it was wrong`, () => {
      const run = spawnSync(process.execPath, [cli, "check", "--format", "ndjson", "--event-format", eventFormat, "--max-errors", "100%"], { input, maxBuffer: 1 << 28, encoding: "buffer" });
      const stderr = run.stderr.toString();
      expect(run.status, stderr).toBe(0);
      expect(stderr).not.toMatch(/LOST/);
      expect(stderr).toMatch(new RegExp(`${lines.length} records in, ${lines.length} out`));
      const out = run.stdout.toString("utf8").split("\n");
      expect(out.pop()).toBe("");
      expect(out).toHaveLength(lines.length);
      lines.forEach((l, i) => {
        const r = JSON.parse(out[i]) as Record<string, unknown>;
        expect(isPlainObject(r), l.name).toBe(true);
        expect(typeof r.tarkin_anomaly, l.name).toBe("boolean");
        const why = eventFormat === "msgpack" && l.msgpackError !== undefined ? l.msgpackError : l.error;
        if (why === null) expect(r.tarkin_error, `${l.name}: tarkin_error`).toBeUndefined();
        else {
          expect(r.tarkin_error, l.name).toMatch(why);
          expect(r.tarkin_anomaly, l.name).toBe(true);
        }
        const carried = r.tarkin_record;
        if (carried === undefined) {
          // Went on as itself: every member with its value (the CLI reads a line as TextDecoder does).
          const valid = JSON.parse(lenientUtf8.decode(l.line)) as Record<string, unknown>;
          for (const k of Object.keys(valid).filter((k) => !OWN.has(k))) expect(sameValue(r[k], valid[k]), `${l.name}: ${k}`).toBe(true);
        } else if (eventFormat === "json") {
          expect(carried, l.name).toBe(lenientUtf8.decode(l.line));
        } else {
          const b64 = typeof carried === "string" ? carried : (carried as string[]).join("");
          // The CLI hands the module the msgpack of a JSON line, or the line's bytes when it cannot.
          let sent: Uint8Array;
          try {
            sent = encodeMsgpack(JSON.parse(new TextDecoder().decode(l.line)));
          } catch {
            sent = l.line;
          }
          expect(Buffer.from(b64, "base64").equals(Buffer.from(sent)), `${l.name}: tarkin_record`).toBe(true);
        }
      });
    });
  }
});
