// Issue 4, "never trap, never lose, never be fooled": property-based tests over generated records
// (1,000,000 in test/module/hostile.property.volume.test.ts, 40,000 in test/module/hostile.property.test.ts on
// every change), in seeded batches (one FluentBitFilter per batch, reused across its records as
// Fluent Bit keeps one instance per filter), through both event formats. The records mix valid JSON
// objects (a string message of arbitrary Unicode: emoji, controls, lone surrogates; or a JSON object,
// whole or cut anywhere), arbitrary bytes,
// JSON with random mutations (byte flips, truncation, inserted garbage), msgpack maps and their
// mutations. Properties, for every record:
// - never null: no trap, never lost;
// - the output is a valid record in its format (JSON: a plain object in UTF-8; msgpack: one map,
//   no NUL byte before its end);
// - a readable record keeps all its members (JSON: equal values; msgpack: byte for byte), or, when
//   msgpack cannot carry it intact, it is carried whole as base64 in tarkin_record;
// - tarkin_anomaly is always there and boolean;
// - tarkin_error is there exactly when the record could not be read, had no string message, or
//   (msgpack) could not be carried intact; then tarkin_anomaly is true;
// - in drop mode, only a readable, unspoofed record with a string message may be dropped, and only
//   in JSON mode (Fluent Bit cannot skip a record in msgpack mode: it takes the empty result as the
//   record's body).
// A failure names the batch's seed and the record's bytes; fast-check shrinks it first.
import { OUTPUT_FIELDS } from "../../host/core/module/layouts.js";
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { encode, decode } from "@msgpack/msgpack";
import { coreWasm, defaultLexicon, ROOT } from "../helpers.js";
import { FluentBitFilter, fluentBitJsonString, type EventFormat } from "../../host/core/module/harness.js";
import { packModule, DEFAULT_SETTINGS, type Settings } from "../../host/core/module/pack.js";
import { parseModel } from "../../host/core/module/model.js";
import { utf8, strictUtf8, lenientUtf8, isPlainObject, jsonObject, jsonTopLevelKeys, MpMember, mpMap, mpKey, nulFreeMapCount, mpDecode } from "./hostile.helpers.js";

const SEED = 0x7a4b1;

const model = parseModel(readFileSync(resolve(ROOT, "models/default.json"), "utf8"), "models/default.json");
function packed(settings: Partial<Settings> = {}): Uint8Array {
  return packModule(coreWasm(), { model, lexicon: defaultLexicon(), settings: { ...DEFAULT_SETTINGS, ...settings } });
}

// ---------------------------------------------------------------------------------------------
// Oracles, independent of the module.


const OWN = new Set(OUTPUT_FIELDS.split(",").map((s) => "tarkin_" + s));
const VERDICT = ["tarkin_anomaly", "tarkin_covered", "tarkin_fear", "tarkin_infrequent", "tarkin_reason", "tarkin_sentiment", "tarkin_surprise"];
const FIELDS = DEFAULT_SETTINGS.fields;
const keep = (k: string) => !OWN.has(k);

class PropertyFailure extends Error {}
function ensure(ok: boolean, why: () => string): void {
  if (!ok) throw new PropertyFailure(why());
}

function hex(b: Uint8Array, max = 200): string {
  const shown = Buffer.from(b.subarray(0, max)).toString("hex");
  return b.length > max ? `${shown}... (${b.length} bytes)` : shown;
}




function messageOf(o: Record<string, unknown>): boolean {
  for (const f of FIELDS) if (Object.hasOwn(o, f) && typeof o[f] === "string") return true;
  return false;
}





/** Whether the value at p is a str (its bytes are then [start, end)). */
function mpIsStr(b: Uint8Array, p: number): boolean {
  const t = b[p];
  return (t >= 0xa0 && t <= 0xbf) || t === 0xd9 || t === 0xda || t === 0xdb;
}



function hasNul(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] === 0) return true;
  return false;
}

function decodes(b: Uint8Array): boolean {
  try {
    mpDecode(b);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The properties, per format.

interface Tally {
  records: number;
  readable: number;
  erroneous: number;
  dropped: number;
  carried: number;
  /** Readable records that went on as themselves, every member checked. */
  intact: number;
}

function checkJson(input: Uint8Array, out: Uint8Array | null, drop: boolean, tally: Tally): void {
  ensure(out !== null, () => "lost: a trap, or no NUL-terminated result");
  const valid = jsonObject(input);
  const found = valid !== null && messageOf(valid);
  const inKeys = valid ? jsonTopLevelKeys(strictUtf8.decode(input)) : [];
  const spoofed = inKeys.some((k) => OWN.has(k));
  if (valid) tally.readable++;
  if (out!.length === 0) {
    ensure(drop && found && !spoofed, () => "dropped a record that must go on");
    tally.dropped++;
    return;
  }
  let text = "";
  let r: unknown;
  try {
    text = strictUtf8.decode(out!);
    r = JSON.parse(text);
  } catch (e) {
    ensure(false, () => `output is not JSON in UTF-8 (${(e as Error).message}): ${hex(out!)}`);
  }
  ensure(isPlainObject(r), () => `output is not a JSON object: ${text.slice(0, 400)}`);
  const record = r as Record<string, unknown>;
  const why = () => `output ${text.slice(0, 600)}`;
  ensure(typeof record.tarkin_anomaly === "boolean", () => `tarkin_anomaly is not boolean: ${why()}`);
  const erroneous = !valid || !found;
  ensure("tarkin_error" in record === erroneous, () => `tarkin_error ${erroneous ? "missing" : "present"}: ${why()}`);
  if (erroneous) {
    tally.erroneous++;
    ensure(record.tarkin_anomaly === true && typeof record.tarkin_error === "string" && record.tarkin_error.length > 0, () => `an error not marked anomalous: ${why()}`);
  }
  const outKeys = jsonTopLevelKeys(text);
  const ownOut = outKeys.filter((k) => OWN.has(k)).sort();
  if (!valid) {
    tally.carried++;
    ensure(isDeepStrictEqual(ownOut, ["tarkin_anomaly", "tarkin_error", "tarkin_record"]) && outKeys.length === 3, () => `unreadable record, fields ${outKeys}`);
    ensure(record.tarkin_record === lenientUtf8.decode(input), () => `tarkin_record is not the record's text: ${why()}`);
    return;
  }
  // Every member, duplicates included, in order, with its value; tarkin's own replaced, once each.
  tally.intact++;
  ensure(isDeepStrictEqual(outKeys.filter(keep), inKeys.filter(keep)), () => `members differ: in ${inKeys}, out ${outKeys}`);
  for (const k of Object.keys(valid)) {
    if (keep(k)) ensure(isDeepStrictEqual(record[k], valid[k]), () => `member ${JSON.stringify(k)} changed: ${why()}`);
  }
  const expectedOwn = [...(found ? VERDICT : ["tarkin_anomaly", "tarkin_error"]), ...(spoofed ? ["tarkin_spoofed"] : [])].sort();
  ensure(isDeepStrictEqual(ownOut, expectedOwn), () => `tarkin's fields ${ownOut}, expected ${expectedOwn}`);
  if (spoofed) ensure(record.tarkin_spoofed === true, () => `tarkin_spoofed not true: ${why()}`);
  if (found) {
    ensure(
      typeof record.tarkin_surprise === "number" && typeof record.tarkin_sentiment === "number" && typeof record.tarkin_fear === "number" && typeof record.tarkin_infrequent === "boolean",
      () => `verdict fields mistyped: ${why()}`,
    );
  }
}

function checkMsgpack(input: Uint8Array, out: Uint8Array | null, drop: boolean, tally: Tally): void {
  ensure(out !== null, () => "lost: a trap, or no NUL-terminated result");
  const members = mpMap(input);
  let found = false;
  let kept: MpMember[] = [];
  if (members) {
    tally.readable++;
    const keys = members.map((m) => mpKey(input, m));
    for (const f of FIELDS) {
      const i = keys.lastIndexOf(f);
      if (i >= 0 && mpIsStr(input, members[i].valueStart)) {
        found = true;
        break;
      }
    }
    kept = members.filter((_, i) => !OWN.has(keys[i] ?? ""));
  }
  const spoofed = members !== null && kept.length < members.length;
  const added = (found ? VERDICT.length : 2) + (spoofed ? 1 : 0);
  const carriable = members !== null && nulFreeMapCount(kept.length + added) && kept.every((m) => !hasNul(input, m.keyStart, m.valueEnd));
  // Never dropped: Fluent Bit takes an empty msgpack result as the record's body (and loses the chunk).
  ensure(out!.length > 0, () => "dropped a record in msgpack mode");
  // filterBytes stops at the first NUL: a NUL inside the output shows as a map cut short.
  const outMembers = mpMap(out!);
  ensure(outMembers !== null, () => `output is not one msgpack map (or has a NUL inside): ${hex(out!)}`);
  const why = () => `output ${hex(out!)}`;
  // It decodes, unless a member carried from the record does not (@msgpack/msgpack is stricter than
  // the format: a timestamp extension of the wrong size, say).
  let r: unknown;
  try {
    r = mpDecode(out!);
  } catch (e) {
    ensure(members !== null && carriable && !decodes(input), () => `output does not decode (${(e as Error).message}): ${why()}`);
    r = {};
  }
  ensure(isPlainObject(r), () => `output does not decode to a map: ${why()}`);
  // tarkin's fields, read straight from the map (also where a kept member will not decode).
  const own = new Map<string, MpMember>();
  for (const m of outMembers!) {
    const k = mpKey(out!, m);
    if (k !== null && OWN.has(k)) {
      ensure(!own.has(k), () => `${k} twice: ${why()}`);
      own.set(k, m);
    }
  }
  const anomaly = own.get("tarkin_anomaly");
  ensure(anomaly !== undefined && (out![anomaly.valueStart] === 0xc2 || out![anomaly.valueStart] === 0xc3), () => `tarkin_anomaly missing or not boolean: ${why()}`);
  const erroneous = !members || !found || !carriable;
  ensure(own.has("tarkin_error") === erroneous, () => `tarkin_error ${erroneous ? "missing" : "present"}: ${why()}`);
  if (erroneous) {
    tally.erroneous++;
    ensure(out![anomaly!.valueStart] === 0xc3 && mpIsStr(out!, own.get("tarkin_error")!.valueStart), () => `an error not marked anomalous: ${why()}`);
  }
  if (spoofed) {
    const s = own.get("tarkin_spoofed");
    ensure(s !== undefined && out![s.valueStart] === 0xc3, () => `tarkin_spoofed not true: ${why()}`);
  }
  const ownKeys = [...own.keys()].sort();
  if (!carriable) {
    tally.carried++;
    const m = own.get("tarkin_record");
    ensure(m !== undefined, () => `not carried in tarkin_record: ${why()}`);
    const carried = mpDecode(out!.subarray(m!.valueStart, m!.valueEnd));
    ensure(typeof carried === "string" || (Array.isArray(carried) && carried.every((s) => typeof s === "string")), () => `tarkin_record is not a str or an array of strs: ${why()}`);
    const b64 = typeof carried === "string" ? carried : (carried as string[]).join("");
    ensure(/^[A-Za-z0-9+/]*={0,2}$/.test(b64) && b64.length % 4 === 0, () => `tarkin_record is not base64: ${why()}`);
    ensure(Buffer.from(b64, "base64").equals(Buffer.from(input)), () => `tarkin_record is not the original record: ${why()}`);
    ensure(outMembers!.length === own.size, () => `a record carried as base64 has other members too: ${why()}`);
    const expected = !members
      ? ["tarkin_anomaly", "tarkin_error", "tarkin_record"]
      : [...(found ? VERDICT : ["tarkin_anomaly"]), "tarkin_error", "tarkin_record", ...(spoofed ? ["tarkin_spoofed"] : [])].sort();
    ensure(isDeepStrictEqual(ownKeys, expected), () => `tarkin's fields ${ownKeys}, expected ${expected}`);
    return;
  }
  // Every member byte for byte, in order; tarkin's own replaced.
  tally.intact++;
  const outKept = outMembers!.filter((m) => !OWN.has(mpKey(out!, m) ?? ""));
  ensure(outKept.length === kept.length, () => `${kept.length} members in, ${outKept.length} out: ${why()}`);
  for (let i = 0; i < kept.length; i++) {
    const a = Buffer.from(input.buffer, input.byteOffset + kept[i].keyStart, kept[i].valueEnd - kept[i].keyStart);
    const b = Buffer.from(out!.buffer, out!.byteOffset + outKept[i].keyStart, outKept[i].valueEnd - outKept[i].keyStart);
    ensure(a.equals(b), () => `member ${i} changed: ${why()}`);
  }
  const expected = [...(found ? VERDICT : ["tarkin_anomaly", "tarkin_error"]), ...(spoofed ? ["tarkin_spoofed"] : [])].sort();
  ensure(isDeepStrictEqual(ownKeys, expected), () => `tarkin's fields ${ownKeys}, expected ${expected}`);
}

// ---------------------------------------------------------------------------------------------
// Records.

const controls = fc.constantFrom("\u0000", "\u0001", "\b", "\t", "\n", "\u000b", "\f", "\r", "\u001b", "\u001f", "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029", "\ufeff", "\ufffd", "\uffff", '"', "\\", "/");
const emoji = fc.constantFrom("🚨", "😀", "👍🏽", "👨‍👩‍👧", "🇪🇸", "❤️", "💩", "🔥", ":)", ":(");
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const words = fc.constantFrom(
  "Failed", "password", "for", "invalid", "user", "root", "from", "203.0.113.9", "horrible", "attack", "great", "not", "very",
  "ERROR", "!!!", "kind of", "ΣΊΣΥΦΟΣ", "ataque", "データ", "🚨", "GET", "/etc/passwd", "'; DROP TABLE", "%00", "\\x00",
);
const logString = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: fc.oneof(controls, emoji, loneSurrogate, fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 })), maxLength: 30 }),
  fc.array(words, { maxLength: 16 }).map((w) => w.join(" ")),
  // A JSON object as a message, whole or cut anywhere (its keys name fields, its strings are read for sentiment).
  fc.tuple(fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), words), fc.oneof(fc.string({ unit: "grapheme", maxLength: 20 }), fc.array(words, { maxLength: 4 }).map((w) => w.join(" ")), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 5 }), fc.nat()).map(([o, cut]) => {
    const json = JSON.stringify(o);
    return cut % 3 === 0 ? json.slice(0, cut % (json.length + 1)) : json;
  }),
);
const key = fc.oneof(
  { arbitrary: fc.string({ maxLength: 8 }), weight: 4 },
  { arbitrary: fc.constantFrom("log", "message", "msg", "host", "", "tarkin_anomaly", "tarkin_error", "tarkin_record", "tarkin_spoofed", "tarkin_fear", "tarkin_", "Log"), weight: 1 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 6 }), weight: 1 },
  { arbitrary: fc.string({ unit: fc.oneof(controls, emoji, loneSurrogate), maxLength: 4 }), weight: 1 },
);
// Values: mostly cheap to generate (a million records must generate quickly), sometimes deeper JSON.
const scalar = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 10 }),
  fc.string({ unit: "binary", maxLength: 6 }),
);
const value = fc.oneof(
  { arbitrary: scalar, weight: 12 },
  { arbitrary: fc.array(scalar, { maxLength: 3 }), weight: 2 },
  { arbitrary: fc.dictionary(fc.string({ maxLength: 4 }), scalar, { maxKeys: 3 }), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);
const jsonMember = fc.tuple(key, fc.oneof({ arbitrary: value, weight: 3 }, { arbitrary: logString, weight: 1 }));

/** An object's members: some arbitrary, and usually a message (a string, or not) under log, message or msg. */
const members = fc
  .tuple(
    fc.array(jsonMember, { maxLength: 8 }),
    fc.option(fc.tuple(fc.constantFrom("log", "log", "log", "message", "msg"), fc.oneof({ arbitrary: logString, weight: 6 }, { arbitrary: value, weight: 1 })), { freq: 8 }),
    fc.nat(),
    fc.option(fc.nat(), { freq: 6 }),
  )
  .map(([rest, message, at, duplicate]) => {
    const list: [string, unknown][] = [...rest];
    if (message) list.splice(at % (list.length + 1), 0, message);
    // Sometimes a duplicate member (the last one wins in JSON.parse, as in the module).
    if (duplicate !== null && list.length) list.push(list[duplicate % list.length]);
    return list;
  });

/** Fluent Bit's escaping (every non-ASCII character as \uXXXX) for every string in the value. */
function fluentBitJson(v: unknown): string {
  if (typeof v === "string") return fluentBitJsonString(v);
  if (Array.isArray(v)) return "[" + v.map(fluentBitJson).join(",") + "]";
  if (isPlainObject(v)) return "{" + Object.entries(v).map(([k, x]) => fluentBitJsonString(k) + ":" + fluentBitJson(x)).join(",") + "}";
  return JSON.stringify(v);
}

/** A key with every character escaped, ASCII included: "\u006c\u006f\u0067" is log too. */
function escapedKey(k: string): string {
  let out = '"';
  for (let i = 0; i < k.length; i++) out += "\\u" + k.charCodeAt(i).toString(16).padStart(4, "0");
  return out + '"';
}

const jsonText = fc.tuple(members, fc.nat(4)).map(([list, style]) => {
  if (style === 4) return utf8.encode("{" + list.map(([k, v]) => escapedKey(k) + ":" + JSON.stringify(v)).join(",") + "}");
  if (style === 0) return utf8.encode("{" + list.map(([k, v]) => fluentBitJsonString(k) + ":" + fluentBitJson(v)).join(",") + "}");
  if (style === 1) return utf8.encode(" {\n  " + list.map(([k, v]) => `${JSON.stringify(k)} : ${JSON.stringify(v, null, 1)}`).join(" ,\n  ") + "\r\n}\t");
  return utf8.encode("{" + list.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",") + "}");
});

// msgpack: the same objects, plus values msgpack has and JSON lacks (some with no NUL-free encoding).
const msgpackValue = fc.oneof(
  { arbitrary: value, weight: 4 },
  { arbitrary: logString, weight: 2 },
  { arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 32 }), weight: 1 },
  { arbitrary: fc.constantFrom(0, 0.5, -1, 255, 256, 65535, 65536, 2 ** 40, 2 ** 53 + 2, -(2 ** 40)), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 12 }), weight: 1 },
  // str lengths whose header needs a NUL (256, 512) or not (300, 511); 65,536 and over is rarer.
  { arbitrary: fc.constantFrom(256, 300, 511, 512).map((n) => "x".repeat(n)), weight: 1 },
);
const msgpackMap = fc
  .tuple(members, fc.array(fc.tuple(key, msgpackValue), { maxLength: 4 }), fc.nat(), fc.nat(15))
  .map(([list, extra, at, padded]) => {
    const all = [...list];
    for (const m of extra) all.splice(at % (all.length + 1), 0, m);
    // Some maps past 16 members, where the map header itself may need a NUL.
    if (padded === 0) for (let i = all.length; i < 18 + (at % 260); i++) all.push([`pad${i}`, "v"]);
    if (padded === 1 && at % 64 === 0) all.push(["huge", "z".repeat(65_536 + (at % 3))]);
    const o: Record<string, unknown> = Object.create(null); // "__proto__" is a key like any other
    for (const [k, v] of all) o[k] = v;
    return encode(o);
  });

/** Random damage: byte flips, overwrites, truncation, inserted garbage, deletions, repeats. */
const mutations = fc.array(fc.tuple(fc.nat(6), fc.nat(), fc.nat(255), fc.uint8Array({ minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 3 });
const SIGNIFICANT = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x00, 0xff, 0xc1, 0x75, 0x30, 0x80, 0xdf, 0xdb, 0xc0];
function mutate(input: Uint8Array, steps: [number, number, number, Uint8Array][]): Uint8Array {
  let b = Array.from(input);
  for (const [kind, at, v, garbage] of steps) {
    const n = b.length;
    if (kind === 0 && n) b[at % n] ^= 1 << (v % 8);
    else if (kind === 1 && n) b[at % n] = v;
    else if (kind === 2) b = b.slice(0, at % (n + 1));
    else if (kind === 3) b.splice(at % (n + 1), 0, ...garbage);
    else if (kind === 4 && n) b.splice(at % n, 1 + (v % 8));
    else if (kind === 5 && n) b.splice(at % n, 0, ...b.slice(at % n, (at % n) + 1 + (v % 16)));
    else b.splice(at % (n + 1), 0, SIGNIFICANT[v % SIGNIFICANT.length]);
  }
  return Uint8Array.from(b);
}

const jsonish = fc.array(fc.constantFrom(...utf8.encode('{}[]",:\\u0 1-.eEtrufalsn "log" "msg"'), 0x00, 0xff, 0xc3, 0xa9, 0xed, 0xa0, 0x80, 0xef, 0xbb, 0xbf), { maxLength: 60 }).map((a) => Uint8Array.from(a));
const msgpackish = fc
  .array(fc.constantFrom(0x80, 0x81, 0x82, 0x8f, 0x90, 0x91, 0xa0, 0xa3, 0x6c, 0x6f, 0x67, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xca, 0xcb, 0xd4, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xff, 0x00, 0x01, 0x7f), { maxLength: 40 })
  .map((a) => Uint8Array.from(a));

function recordsFor(format: EventFormat): fc.Arbitrary<Uint8Array> {
  const valid = format === "json" ? jsonText : msgpackMap;
  const foreign = format === "json" ? msgpackMap : jsonText;
  return fc.oneof(
    { arbitrary: valid, weight: 10 },
    { arbitrary: fc.tuple(valid, mutations).map(([b, m]) => mutate(b, m)), weight: 8 },
    { arbitrary: fc.uint8Array({ maxLength: 80 }), weight: 2 },
    { arbitrary: format === "json" ? jsonish : msgpackish, weight: 2 },
    { arbitrary: fc.oneof(foreign, fc.tuple(foreign, mutations).map(([b, m]) => mutate(b, m))), weight: 1 },
  );
}

// ---------------------------------------------------------------------------------------------

/** The tests: `batches` seeded batches of `perBatch` records, alternately JSON and msgpack, the last two in drop mode. */
export function describeHostileProperties({ batches, perBatch }: { batches: number; perBatch: number }): void {
  const totals: Tally = { records: 0, readable: 0, erroneous: 0, dropped: 0, carried: 0, intact: 0 };
  const started = Date.now();
  const annotate = packed();
  const drop = packed({ mode: "drop" });

  describe(`${batches} seeded batches of ${perBatch} generated records`, () => {
    for (let batch = 0; batch < batches; batch++) {
      const format: EventFormat = batch % 2 === 0 ? "json" : "msgpack";
      // The last two batches (one per format) run the module in drop mode.
      const dropMode = batch >= batches - 2;
      const seed = SEED + batch;
      it(`batch ${batch}: ${format}${dropMode ? ", drop mode" : ""}, seed ${seed}`, () => {
        const filter = new FluentBitFilter(dropMode ? drop : annotate, format);
        const tally: Tally = { records: 0, readable: 0, erroneous: 0, dropped: 0, carried: 0, intact: 0 };
        const check = format === "json" ? checkJson : checkMsgpack;
        fc.assert(
          fc.property(recordsFor(format), fc.constantFrom("tarkin", "", "app.logs"), (input, tag) => {
            tally.records++;
            try {
              check(input, filter.filterBytes(input, tag), dropMode, tally);
            } catch (e) {
              if (e instanceof PropertyFailure) throw new Error(`${format} record ${hex(input, 2000)} (tag "${tag}"): ${e.message}`);
              throw e;
            }
          }),
          { seed, numRuns: perBatch },
        );
        // Every kind of record came up.
        expect(tally.readable).toBeGreaterThan(perBatch / 4);
        expect(tally.erroneous).toBeGreaterThan(perBatch / 10);
        expect(tally.carried).toBeGreaterThan(perBatch / 20);
        if (!dropMode || format === "msgpack") expect(tally.intact).toBeGreaterThan(perBatch / 5);
        if (dropMode && format === "json") expect(tally.dropped).toBeGreaterThan(0);
        expect(filter.stats().recordsIn).toBe(tally.records);
        for (const k of Object.keys(totals) as (keyof Tally)[]) totals[k] += tally[k];
        console.log(`batch ${batch} (${format}${dropMode ? ", drop" : ""}): ${JSON.stringify(tally)}`);
      });
    }

    it(`checked at least ${batches * perBatch} records`, () => {
      expect(totals.records).toBeGreaterThanOrEqual(batches * perBatch);
    });
  });

  afterAll(() => {
    console.log(
      `hostile properties: ${totals.records} records checked in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
        `(${totals.readable} readable, ${totals.erroneous} with tarkin_error, ${totals.carried} carried whole, ${totals.intact} kept intact, ${totals.dropped} dropped)`,
    );
  });
}
