// bench/instructions.ts, the operation counter `npm run bench` reports, against modules counted by
// hand as WAMR's fast interpreter dispatches them: what a branch skips is not counted, every
// instruction that runs is (but for a branch taken from within an expression, which still counts
// what it skips of it), and what WAMR's loader folds away is not. Each call counts its return.
import binaryen from "binaryen";
import { describe, expect, it } from "vitest";
import { instrument, readCounters } from "../../bench/instructions.js";

const WAT = `(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
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
      (drop (i32.eqz (br_if $out (i32.const 7) (local.get $x))))
      (i32.const 9)))
  (func $table (export "table") (param $x i32) (result i32)
    (block $two
      (block $one
        (br_table $one $two (local.get $x))
        (unreachable))
      (return (i32.add (local.get $x) (i32.const 10))))
    (i32.sub (i32.const 0) (i32.mul (local.get $x) (i32.const 2))))
  (func $sets (export "sets") (param $x i32) (result i32) (local $a i32) (local $b i32) (local $c i32)
    (local.set $a (i32.load8_u (local.get $x)))
    (local.set $b (i32.mul (local.tee $c (i32.add (local.get $x) (i32.const 1))) (local.get $c)))
    (local.set $a (i32.extend8_s (local.get $a)))
    (local.set $b (select (local.get $a) (local.get $b) (local.get $x)))
    (local.set $c (global.get $g))
    (local.set $a (local.tee $c (call $one (local.get $x))))
    (local.get $b))
  (func $one (param $x i32) (result i32) (local.get $x))
  (func $arms (export "arms") (param $x i32) (result i32) (local $y i32)
    (if (local.get $x)
      (then (local.set $y (i32.const 1)))
      (else (local.set $y (i32.const 2))))
    (if (result i32) (local.get $x)
      (then (i32.add (local.get $y) (i32.const 3)))
      (else (local.get $y)))))`;

function counted(): { run(name: string, arg: number): number } {
  const module = binaryen.parseText(WAT);
  module.setFeatures(binaryen.Features.All);
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

  it("counts a loop's iterations and its exit, not what the exit skips, nor the loop and its folded set", () => {
    // the return 1; each iteration: ge_u, br_if, add (its local.set folded), br (4); the last: ge_u, br_if (2).
    for (let n = 0; n <= 5; n++) expect(module.run("loop", n), `n = ${n}`).toBe(4 * n + 3);
  });

  it("stops counting a block where a return leaves it", () => {
    expect(module.run("early", 1)).toBe(2); // return, if
    expect(module.run("early", 0)).toBe(4); // return, if, add (its set folded), mul
  });

  it("stops counting where a branch leaves two blocks at once", () => {
    expect(module.run("nested", 1)).toBe(2); // return, br_if
    expect(module.run("nested", 0)).toBe(4); // return, br_if, the set of a constant, add (its set folded)
  });

  it("counts what a branch taken from within an expression skips of it (the counter's one overcount)", () => {
    expect(module.run("inner", 0)).toBe(3); // return, br_if, eqz (a drop is no instruction)
    expect(module.run("inner", 1)).toBe(3); // return, br_if; its eqz counted though skipped
  });

  it("counts a br_table's target only", () => {
    expect(module.run("table", 0)).toBe(3); // return, br_table, add
    expect(module.run("table", 1)).toBe(4); // return, br_table, mul, sub
  });

  it("folds a set or a tee of a load or an operation, not of a sign extension, a select, a global or a call", () => {
    // return; load8_u; add, mul (the tee and the set folded); extend8_s and its set; select and its
    // set; global.get and its set; call (and its return) and the tee of its result, then that set.
    expect(module.run("sets", 4)).toBe(1 + 1 + 2 + 2 + 2 + 2 + 4);
  });

  it("counts an if's jump over its else, and a copy for the value an if yields (the counter's approximation)", () => {
    expect(module.run("arms", 1)).toBe(8); // return; if, set of a constant, the jump over the else; if, add, its copy, the jump
    expect(module.run("arms", 0)).toBe(5); // return; if, set of a constant; if, its copy
  });
});
