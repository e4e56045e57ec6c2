// bench/instructions.ts, the operation counter `npm run bench` reports, against modules counted by
// hand: what a branch skips is not counted, and every operation that runs is (but for a branch
// taken from within an expression, which still counts what it skips of it: the last case).
import binaryen from "binaryen";
import { describe, expect, it } from "vitest";
import { instrument, readCounters } from "../../bench/instructions.js";

const WAT = `(module
  (func $loop (export "loop") (param $n i32) (result i32) (local $i i32)
    (block $out
      (loop $again
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (local.get $i))
  (func $early (export "early") (param $x i32) (result i32)
    (if (local.get $x) (then (return (i32.const 7))))
    (local.set $x (i32.add (local.get $x) (i32.const 1)))
    (i32.mul (local.get $x) (i32.const 3)))
  (func $nested (export "nested") (param $x i32) (result i32) (local $y i32)
    (block $a
      (block $b
        (br_if $a (local.get $x))
        (local.set $y (i32.const 5)))
      (local.set $y (i32.add (local.get $y) (i32.const 1))))
    (local.get $y))
  (func $inner (export "inner") (param $x i32) (result i32)
    (block $out (result i32)
      (drop (br_if $out (i32.const 7) (local.get $x)))
      (i32.const 9)))
  (func $table (export "table") (param $x i32) (result i32)
    (block $two
      (block $one
        (br_table $one $two (local.get $x))
        (unreachable))
      (return (i32.add (local.get $x) (i32.const 10))))
    (i32.sub (i32.const 0) (i32.mul (local.get $x) (i32.const 2)))))`;

function counted(): { run(name: string, arg: number): number } {
  const module = binaryen.parseText(WAT);
  const { wasm, functions } = instrument(module.emitBinary());
  module.dispose();
  const exports = new WebAssembly.Instance(new WebAssembly.Module(wasm as BufferSource), {}).exports;
  const total = () => [...readCounters(exports, functions).values()].reduce((a, b) => a + b, 0);
  return {
    run(name, arg) {
      const before = total();
      (exports[name] as (x: number) => number)(arg);
      return total() - before;
    },
  };
}

describe("the operation counter", () => {
  const module = counted();

  it("counts a loop's iterations and its exit, not what the exit skips", () => {
    // loop 1; each iteration: ge_u, br_if, add, local.set, br (5); the last: ge_u, br_if (2).
    for (let n = 0; n <= 5; n++) expect(module.run("loop", n), `n = ${n}`).toBe(5 * n + 3);
  });

  it("stops counting a block where a return leaves it", () => {
    expect(module.run("early", 1)).toBe(2); // if, return
    expect(module.run("early", 0)).toBe(4); // if, add, local.set, mul
  });

  it("stops counting where a branch leaves two blocks at once", () => {
    expect(module.run("nested", 1)).toBe(1); // br_if
    expect(module.run("nested", 0)).toBe(4); // br_if, local.set, add, local.set
  });

  it("counts what a branch taken from within an expression skips of it (the counter's one overcount)", () => {
    expect(module.run("inner", 0)).toBe(2); // br_if, drop
    expect(module.run("inner", 1)).toBe(2); // br_if; its drop counted though skipped
  });

  it("counts a br_table's target only", () => {
    expect(module.run("table", 0)).toBe(3); // br_table, add, return
    expect(module.run("table", 1)).toBe(3); // br_table, mul, sub
  });
});
