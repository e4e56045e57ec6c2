// host/core/io/msgpack.ts: the harness's JSON-to-msgpack encoder writes what @msgpack/msgpack writes,
// and, being iterative, also records nested 10,000 deep.
import { describe, expect, it } from "vitest";
import { encode } from "@msgpack/msgpack";
import fc from "fast-check";
import { encodeMsgpack, msgpackToJson } from "../../../host/core/io/msgpack.js";

describe("encodeMsgpack", () => {
  it("gives the same bytes as @msgpack/msgpack for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(Buffer.from(encodeMsgpack(v)).equals(Buffer.from(encode(v)))).toBe(true);
      }),
      { numRuns: 20_000, seed: 1 },
    );
  });

  it("prints msgpack back as the JSON it came from", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(msgpackToJson(encode(v)))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 20_000, seed: 2 },
    );
    expect(msgpackToJson(encode({ b: new Uint8Array([1, 2, 3]), n: -5, big: 2 ** 40 }))).toBe('{"b":"AQID","n":-5,"big":1099511627776}');
  });

  it("encodes and prints a record nested 10,000 deep", () => {
    const deep = JSON.parse('{"log":"deep","d":' + "[".repeat(10_000) + "]".repeat(10_000) + "}");
    const bytes = encodeMsgpack(deep);
    expect(bytes.length).toBe(1 + 4 + 5 + 2 + 10_000);
    expect(msgpackToJson(bytes)).toBe('{"log":"deep","d":' + "[".repeat(10_000) + "]".repeat(10_000) + "}");
  });
});
