// WebAssembly operations executed per record, per function: the instructions WAMR's fast
// interpreter (Fluent Bit's) dispatches, what it pays for where a JIT's timings hide it. The module
// is instrumented with binaryen: every straight-line region (a block's direct contents, an if's
// arm, a loop's body) first adds its own count to a counter of its function. What WAMR's loader
// (wasm_loader.c) makes of the module decides what counts:
// - local.get and constants are operands, blocks, loops, drop and nop no instruction at all;
// - a local.set or local.tee of an operation's result (a load, a binary or an MVP unary operation)
//   is folded into that operation, which writes the local itself. The build rewrites each tee as a
//   set and a get (scripts/tees-to-sets.mjs), as WAMR folds only a set: the counter reads the module
//   before that rewrite (binaryen's reading of the rewritten one adds scratch locals of its own);
// - each call returns once, by a return or at the function's end: one instruction a call;
// - an if's arm that runs to an else jumps over it: one instruction, counted where the arm runs
//   through its last part (not where a branch to the arm's own end skips that part: a small miss);
// - an arm that yields the if's value is counted a copy of it. An approximation: WAMR copies only
//   where the value is not already in the if's slot, and adds copies the counter does not see,
//   where a branch carries a value or a local is set while its old value waits as an operand.
// Against WAMR's own opcode counter on the bench's first 4,000 records the count was 1.2% to 2.4%
// under on the floors, the record I/O and tarkin (bench/README.md). A block is cut after each child that can branch out of it, so what a
// branch skips is not counted: the counts are repeatable numbers, not timings, and exact but for a
// branch taken from within an expression (binaryen's `(drop (br_if ...))`), which still counts what
// it skips of that expression (0.1% of the bench's).
import binaryen from "binaryen";

type Ref = number;

/** Binaryen numbers the MVP's unary operations first, then the sign extensions and saturating truncations WAMR does not fold. */
const FOLDED_UNARY_BELOW = (binaryen as unknown as { ExtendS8Int32: number }).ExtendS8Int32;

/** Whether WAMR folds a local.set of `value` into the operation that makes it. */
function foldsIntoSet(value: Ref): boolean {
  const info = binaryen.getExpressionInfo(value) as unknown as { id: number; op?: number };
  return info.id === binaryen.BinaryId || info.id === binaryen.LoadId || (info.id === binaryen.UnaryId && info.op! < FOLDED_UNARY_BELOW);
}

/** Expressions that are no instruction of their own in WAMR's fast interpreter (a return is counted as the call's). */
const NO_INSTRUCTION = new Set([binaryen.LocalGetId, binaryen.ConstId, binaryen.DropId, binaryen.NopId, binaryen.ReturnId]);

// binaryen.js has these expression helpers, which its typings (version 116) do not declare.
const { Block, If, Loop, LocalSet, Function: Fn } = binaryen as unknown as {
  Block: { getNumChildren(e: Ref): number; getChildAt(e: Ref, i: number): Ref; insertChildAt(e: Ref, i: number, child: Ref): void };
  If: { getCondition(e: Ref): Ref; getIfTrue(e: Ref): Ref; setIfTrue(e: Ref, arm: Ref): void; getIfFalse(e: Ref): Ref; setIfFalse(e: Ref, arm: Ref): void };
  Loop: { getBody(e: Ref): Ref; setBody(e: Ref, body: Ref): void };
  LocalSet: { getValue(e: Ref): Ref };
  Function: { getBody(f: binaryen.FunctionRef): Ref; setBody(f: binaryen.FunctionRef, body: Ref): void };
};

// The operands of each kind of expression that can appear in tarkin's module (no GC, no SIMD).
function operands(expr: Ref): Ref[] {
  const info = binaryen.getExpressionInfo(expr) as unknown as Record<string, unknown> & { id: number };
  const pick = (...names: string[]) => names.map((n) => info[n] as Ref).filter((r) => typeof r === "number" && r !== 0);
  switch (info.id) {
    case binaryen.BlockId:
      return (info.children as Ref[]).slice();
    case binaryen.IfId:
      return pick("condition", "ifTrue", "ifFalse");
    case binaryen.LoopId:
      return pick("body");
    case binaryen.BreakId:
    case binaryen.SwitchId:
      return pick("value", "condition");
    case binaryen.CallId:
      return (info.operands as Ref[]).slice();
    case binaryen.CallIndirectId:
      return [...(info.operands as Ref[]), ...pick("target")];
    case binaryen.LocalSetId:
    case binaryen.GlobalSetId:
    case binaryen.UnaryId:
    case binaryen.DropId:
    case binaryen.ReturnId:
      return pick("value");
    case binaryen.LoadId:
      return pick("ptr");
    case binaryen.StoreId:
      return pick("ptr", "value");
    case binaryen.BinaryId:
      return pick("left", "right");
    case binaryen.SelectId:
      return pick("ifTrue", "ifFalse", "condition");
    case binaryen.MemoryGrowId:
      return pick("delta");
    case binaryen.MemoryCopyId:
      return pick("dest", "source", "size");
    case binaryen.MemoryFillId:
      return pick("dest", "value", "size");
    case binaryen.LocalGetId:
    case binaryen.GlobalGetId:
    case binaryen.ConstId:
    case binaryen.NopId:
    case binaryen.UnreachableId:
    case binaryen.MemorySizeId:
      return [];
    default:
      throw new Error(`instructions: expression kind ${info.id} is not handled`);
  }
}

/** Whether `expr` can leave itself by a branch: a br, br_if, br_table or return to a label outside it. */
function branchesOut(expr: Ref, inside: Set<string> = new Set()): boolean {
  const info = binaryen.getExpressionInfo(expr) as unknown as { id: number; name?: string; names?: string[]; defaultName?: string };
  switch (info.id) {
    case binaryen.ReturnId:
      return true;
    case binaryen.BreakId:
      if (!inside.has(info.name!)) return true;
      break;
    case binaryen.SwitchId:
      if ([...info.names!, info.defaultName!].some((name) => !inside.has(name))) return true;
      break;
    case binaryen.BlockId:
    case binaryen.LoopId:
      if (info.name) inside = new Set([...inside, info.name]);
      break;
  }
  return operands(expr).some((op) => branchesOut(op, inside));
}

export interface Counted {
  wasm: Uint8Array;
  /** The names of the functions, in the order of the counters. */
  functions: string[];
}

/** The module with one exported i64 counter per function (`__count_N`) of instructions executed in it. */
export function instrument(wasm: Uint8Array): Counted {
  const module = binaryen.readBinary(wasm);
  module.setFeatures(binaryen.Features.All);
  const functions: string[] = [];
  const n = module.getNumFunctions();
  for (let f = 0; f < n; f++) {
    const fn = module.getFunctionByIndex(f);
    const info = binaryen.getFunctionInfo(fn);
    if (info.module !== "") continue; // an import (tarkin's module has none)
    const counter = `__count_${functions.length}`;
    functions.push(info.name);
    module.addGlobal(counter, binaryen.i64, true, module.i64.const(0, 0));
    module.addGlobalExport(counter, counter);
    const bump = (k: number): Ref =>
      module.global.set(counter, module.i64.add(module.global.get(counter, binaryen.i64), module.i64.const(k, 0)));

    // The cost of an expression within its region: itself and its operands, but not what nested
    // regions hold (they count themselves). Nested regions are instrumented on the way.
    const cost = (expr: Ref): number => {
      const id = binaryen.getExpressionId(expr);
      if (id === binaryen.BlockId) {
        instrumentBlock(expr);
        return 0;
      }
      if (id === binaryen.LoopId) {
        Loop.setBody(expr, region(Loop.getBody(expr)));
        return 0;
      }
      if (id === binaryen.IfId) {
        const c = cost(If.getCondition(expr));
        const then = If.getIfTrue(expr);
        const otherwise = If.getIfFalse(expr);
        // The then arm's end jumps over the else arm, where it runs to its end.
        const yields = binaryen.getExpressionType(expr) !== binaryen.none && binaryen.getExpressionType(expr) !== binaryen.unreachable ? 1 : 0;
        const ends = (arm: Ref) => (binaryen.getExpressionType(arm) !== binaryen.unreachable ? yields : 0);
        If.setIfTrue(expr, region(then, 0, (otherwise && binaryen.getExpressionType(then) !== binaryen.unreachable ? 1 : 0) + ends(then)));
        if (otherwise) If.setIfFalse(expr, region(otherwise, 0, ends(otherwise)));
        return c + 1;
      }
      const own = NO_INSTRUCTION.has(id) ? 0 : id === binaryen.LocalSetId && foldsIntoSet(LocalSet.getValue(expr)) ? 0 : 1;
      return own + operands(expr).reduce((sum, op) => sum + cost(op), 0);
    };
    // A block's children run in segments: a child that can branch out of itself ends one, as the
    // children after it run only when it does not. Each segment adds its own count at its start;
    // `first` adds to the first segment, `last` to the last.
    const instrumentBlock = (block: Ref, first = 0, last = 0): void => {
      const children = Block.getNumChildren(block);
      const segments: [number, number][] = [];
      let from = 0;
      let k = first;
      for (let i = 0; i < children; i++) {
        const child = Block.getChildAt(block, i);
        k += cost(child);
        if (i + 1 < children && branchesOut(child)) {
          segments.push([from, k]);
          from = i + 1;
          k = 0;
        }
      }
      segments.push([from, k + last]);
      for (const [at, count] of segments.reverse()) if (count > 0) Block.insertChildAt(block, at, bump(count));
    };
    // An arm or a body as a counted region: a block of its own, or wrapped in one.
    const region = (expr: Ref, first = 0, last = 0): Ref => {
      if (binaryen.getExpressionId(expr) === binaryen.BlockId) {
        instrumentBlock(expr, first, last);
        return expr;
      }
      const k = first + cost(expr) + last;
      return k > 0 ? module.block(null, [bump(k), expr], binaryen.getExpressionType(expr)) : expr;
    };
    Fn.setBody(fn, region(Fn.getBody(fn), 1)); // its return, counted where it starts
  }
  if (!module.validate()) throw new Error("instructions: the instrumented module does not validate");
  const out = module.emitBinary();
  module.dispose();
  return { wasm: out, functions };
}

/** The counters' values now, by function name. */
export function readCounters(exports: WebAssembly.Exports, functions: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  functions.forEach((name, i) => {
    const value = Number((exports[`__count_${i}`] as WebAssembly.Global).value as bigint);
    counts.set(name, (counts.get(name) ?? 0) + value);
  });
  return counts;
}

export interface InstructionCount {
  perRecord: number;
  perByte: number;
  /** The functions that execute the most, instructions per record, largest first. */
  top: [string, number][];
  /** Each record's instructions, in order (with `each`). */
  each?: number[];
}

/** The sum of all the functions' counters now. */
function totalCount(exports: WebAssembly.Exports, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += Number((exports[`__count_${i}`] as WebAssembly.Global).value as bigint);
  return total;
}

/**
 * Instructions per record of `wasm` (a packed module, or bench/passthrough.ts's) on records given to
 * its filter `filterName` as Fluent Bit gives them (malloc, copy in with a NUL, the call, free): one pass to warm up the module's
 * buffers and caches, as a long-running pipeline has them, then one counted pass.
 */
export function countInstructions(wasm: Uint8Array, records: Uint8Array[], top = 8, each = false, filterName = "tarkin_filter"): InstructionCount {
  const { wasm: counted, functions } = instrument(wasm);
  const exports = new WebAssembly.Instance(new WebAssembly.Module(counted as BufferSource), {}).exports;
  const x = exports as unknown as {
    memory: WebAssembly.Memory;
    malloc(n: number): number;
    free(p: number): void;
  };
  const filter = exports[filterName] as (tag: number, tagLength: number, sec: number, nsec: number, record: number, recordLength: number) => number;
  const perRecord: number[] = [];
  const pass = (counting = false): number => {
    let bytes = 0;
    let last = counting && each ? totalCount(exports, functions.length) : 0;
    for (const record of records) {
      const tag = x.malloc(7);
      new Uint8Array(x.memory.buffer).set([0x74, 0x61, 0x72, 0x6b, 0x69, 0x6e, 0], tag); // "tarkin"
      const at = x.malloc(record.length + 1);
      const memory = new Uint8Array(x.memory.buffer);
      memory.set(record, at);
      memory[at + record.length] = 0;
      filter(tag, 6, 0, 0, at, record.length);
      x.free(tag);
      x.free(at);
      bytes += record.length;
      if (counting && each) {
        const now = totalCount(exports, functions.length);
        perRecord.push(now - last);
        last = now;
      }
    }
    return bytes;
  };
  pass();
  const before = readCounters(exports, functions);
  const bytes = pass(true);
  const rows: [string, number][] = [];
  let total = 0;
  for (const [name, value] of readCounters(exports, functions)) {
    const spent = value - (before.get(name) ?? 0);
    total += spent;
    if (spent > 0) rows.push([name, spent / records.length]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  return { perRecord: total / records.length, perByte: total / bytes, top: rows.slice(0, top), ...(each ? { each: perRecord } : {}) };
}
