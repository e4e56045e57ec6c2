// Rewrites each `local.tee $x E` of a built module as `local.set $x E` then `local.get $x`, for
// WAMR's fast interpreter (Fluent Bit's): it folds a local.set into the operation before it (the
// operation writes the local itself), and local.get is an operand, not an instruction; a
// local.tee is an instruction of its own. Binaryen's optimizer makes tees, so this runs after it,
// on the emitted module: the same code, 6.4% fewer instructions for the interpreter to dispatch on
// the bench's first 4,000 records (bench/README.md). Usage: node scripts/tees-to-sets.mjs
// <module.wasm>... (rewritten in place, with a .wat beside it).
import binaryen from "binaryen";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const B = binaryen;

// Each kind of expression tarkin's module holds (no GC, no SIMD), with its children's setters.
const CHILDREN = new Map([
  [B.IfId, [["condition", B.If.setCondition], ["ifTrue", B.If.setIfTrue], ["ifFalse", B.If.setIfFalse]]],
  [B.LoopId, [["body", B.Loop.setBody]]],
  [B.BreakId, [["value", B.Break.setValue], ["condition", B.Break.setCondition]]],
  [B.SwitchId, [["value", B.Switch.setValue], ["condition", B.Switch.setCondition]]],
  [B.LocalSetId, [["value", B.LocalSet.setValue]]],
  [B.GlobalSetId, [["value", B.GlobalSet.setValue]]],
  [B.UnaryId, [["value", B.Unary.setValue]]],
  [B.DropId, [["value", B.Drop.setValue]]],
  [B.ReturnId, [["value", B.Return.setValue]]],
  [B.LoadId, [["ptr", B.Load.setPtr]]],
  [B.StoreId, [["ptr", B.Store.setPtr], ["value", B.Store.setValue]]],
  [B.BinaryId, [["left", B.Binary.setLeft], ["right", B.Binary.setRight]]],
  [B.SelectId, [["ifTrue", B.Select.setIfTrue], ["ifFalse", B.Select.setIfFalse], ["condition", B.Select.setCondition]]],
  [B.MemoryGrowId, [["delta", B.MemoryGrow.setDelta]]],
  [B.MemoryCopyId, [["dest", B.MemoryCopy.setDest], ["source", B.MemoryCopy.setSource], ["size", B.MemoryCopy.setSize]]],
  [B.MemoryFillId, [["dest", B.MemoryFill.setDest], ["value", B.MemoryFill.setValue], ["size", B.MemoryFill.setSize]]],
]);
const LEAVES = new Set([B.LocalGetId, B.GlobalGetId, B.ConstId, B.NopId, B.UnreachableId, B.MemorySizeId]);

/** Whether a module has a "name" custom section. */
function hasNames(wasm) {
  const leb = (at) => {
    let value = 0;
    let shift = 0;
    let b;
    do {
      b = wasm[at.p++];
      value |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return value >>> 0;
  };
  const at = { p: 8 };
  while (at.p < wasm.length) {
    const id = wasm[at.p++];
    const size = leb(at);
    const end = at.p + size;
    if (id === 0) {
      const length = leb(at);
      if (Buffer.from(wasm.subarray(at.p, at.p + length)).toString() === "name") return true;
    }
    at.p = end;
  }
  return false;
}

/** The module with its tees rewritten, how many, and its text. */
export function teesToSets(wasm) {
  const module = B.readBinary(wasm);
  module.setFeatures(B.Features.All); // validation only: what the module uses is what it used
  let tees = 0;
  const rewrite = (expr, localTypes) => {
    const info = B.getExpressionInfo(expr);
    if (info.id === B.BlockId) {
      info.children.forEach((child, i) => {
        const next = rewrite(child, localTypes);
        if (next !== child) B.Block.setChildAt(expr, i, next);
      });
    } else if (info.id === B.CallId || info.id === B.CallIndirectId) {
      const call = info.id === B.CallId ? B.Call : B.CallIndirect;
      info.operands.forEach((operand, i) => {
        const next = rewrite(operand, localTypes);
        if (next !== operand) call.setOperandAt(expr, i, next);
      });
      if (info.id === B.CallIndirectId) {
        const next = rewrite(info.target, localTypes);
        if (next !== info.target) B.CallIndirect.setTarget(expr, next);
      }
    } else if (CHILDREN.has(info.id)) {
      for (const [name, set] of CHILDREN.get(info.id)) {
        const child = info[name];
        if (!child) continue;
        const next = rewrite(child, localTypes);
        if (next !== child) set(expr, next);
      }
    } else if (!LEAVES.has(info.id)) {
      throw new Error(`tees-to-sets: expression kind ${info.id} is not handled`);
    }
    if (info.id !== B.LocalSetId || !info.isTee || info.type === B.unreachable) return expr;
    tees++;
    const type = localTypes[info.index];
    // An unnamed block: no branch targets it, so the binary holds its two instructions alone.
    return module.block(null, [module.local.set(info.index, B.LocalSet.getValue(expr)), module.local.get(info.index, type)], type);
  };
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const fn = module.getFunctionByIndex(i);
    const fnInfo = B.getFunctionInfo(fn);
    if (!fnInfo.body) continue;
    const body = rewrite(fnInfo.body, [...B.expandType(fnInfo.params), ...fnInfo.vars]);
    if (body !== fnInfo.body) B.Function.setBody(fn, body);
  }
  if (!module.validate()) throw new Error("tees-to-sets: the rewritten module does not validate");
  const debugInfo = B.getDebugInfo();
  B.setDebugInfo(hasNames(wasm)); // the profile target's names kept; none added to the release's
  const out = module.emitBinary();
  B.setDebugInfo(debugInfo);
  const text = module.emitText();
  module.dispose();
  return { wasm: out, tees, text };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2)) {
    const { wasm, tees, text } = teesToSets(readFileSync(file));
    writeFileSync(file, wasm);
    // asc's text of the module beside it (asconfig.json's textFile), made again to match it.
    const textFile = file.replace(/\.wasm$/, ".wat");
    if (textFile !== file && existsSync(textFile)) writeFileSync(textFile, text);
    console.log(`${file}: ${tees} tees rewritten as sets`);
  }
}
