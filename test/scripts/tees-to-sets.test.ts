// scripts/tees-to-sets.mjs: each local.tee becomes a local.set and a local.get, the module's
// behaviour the same; `npm run build` leaves none in the module Fluent Bit runs.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import binaryen from "binaryen";
import { describe, expect, it } from "vitest";
import { teesToSets } from "../../scripts/tees-to-sets.mjs";
import { ROOT } from "../../host/core/module/assets.js";

// A tee in an operand, one in a loop's condition, and an i64 one.
const WAT = `(module
  (func (export "f") (param $a i32) (param $b i32) (result i32) (local $x i32)
    (i32.mul (local.tee $x (i32.add (local.get $a) (local.get $b))) (i32.sub (local.get $x) (i32.const 1))))
  (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $next (local.set $s (i32.add (local.get $s) (local.get $i)))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))
  (func (export "wide") (param $a i64) (result i64) (local $y i64)
    (i64.xor (local.tee $y (i64.shl (local.get $a) (i64.const 3))) (i64.shr_u (local.get $y) (i64.const 1)))))`;

function built(wat: string): Uint8Array {
  const module = binaryen.parseText(wat);
  const wasm = module.emitBinary();
  module.dispose();
  return wasm;
}

type Exports = { f(a: number, b: number): number; sum(n: number): number; wide(a: bigint): bigint };

function exportsOf(wasm: Uint8Array): Exports {
  return new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource)).exports as unknown as Exports;
}

describe("tees-to-sets", () => {
  it("rewrites every tee, and the functions return what they did", () => {
    const before = built(WAT);
    const { wasm, tees } = teesToSets(before);
    expect(tees).toBe(3);
    expect(teesToSets(wasm).tees).toBe(0);
    const a = exportsOf(before);
    const b = exportsOf(wasm);
    for (const [x, y] of [[0, 0], [3, 4], [-7, 2], [0x7fffffff, 1]]) expect(b.f(x, y)).toBe(a.f(x, y));
    for (const n of [0, 1, 2, 10, 1000]) expect(b.sum(n)).toBe(a.sum(n));
    for (const v of [0n, 1n, -5n, 0x123456789abcdefn]) expect(b.wide(v)).toBe(a.wide(v));
  });

  it("leaves no tee in the module npm run build made", () => {
    expect(teesToSets(readFileSync(resolve(ROOT, "build", "tarkin-core.wasm"))).tees).toBe(0);
  });
});
