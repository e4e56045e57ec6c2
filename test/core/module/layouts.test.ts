// The layouts that cross the wasm boundary are named once, in assembly/base/layouts.ts, which the module
// exports; the host's mirror (host/core/module/layouts.ts) must say the same, name for name.
import { describe, expect, it } from "vitest";
import { coreWasm } from "../../helpers.js";
import * as layouts from "../../../host/core/module/layouts.js";

// The module's other exported constants: the decision's, which the host reads from it rather than mirrors.
const NOT_LAYOUTS = new Set(["VERY_UNUSUAL", "SOMEWHAT_UNUSUAL", "ALERT_FEAR", "ALERT_NEGATIVITY", "ROUTINE_WEIGHT"]);
// Strings the module exports as the address of an AssemblyScript string (UTF-16, its byte length just before).
const STRINGS = new Set(["OUTPUT_FIELDS", "SYNTAX_NAMES"]);

describe("the layouts across the wasm boundary", () => {
  for (const variant of ["release", "debug"] as const) {
    it(`the host's mirror has every one the ${variant} module exports, with its value, and no other`, () => {
      const exports = new WebAssembly.Instance(new WebAssembly.Module(coreWasm(variant) as BufferSource), {}).exports;
      const exported = Object.entries(exports)
        .filter(([name, value]) => value instanceof WebAssembly.Global && !NOT_LAYOUTS.has(name))
        .map(([name, value]) => {
          const at = ((value as WebAssembly.Global).value as number) >>> 0;
          if (!STRINGS.has(name)) return [name, at] as const;
          const memory = exports.memory as WebAssembly.Memory;
          const bytes = new DataView(memory.buffer).getUint32(at - 4, true);
          return [name, new TextDecoder("utf-16le").decode(new Uint8Array(memory.buffer, at, bytes))] as const;
        });
      const mirrored = Object.entries(layouts).map(([name, value]) => [name, typeof value === "string" ? value : value >>> 0] as const);
      expect(Object.fromEntries(mirrored)).toEqual(Object.fromEntries(exported));
      expect(exported.length).toBeGreaterThan(80);
    });
  }

  it("records are whole numbers of their fields: each size past its last offset, 8-byte aligned where they hold f64s", () => {
    expect(layouts.RESULT_BLOCK).toBe(layouts.RESULT_SECURITY_NEGATIVE + 8);
    expect(layouts.GATE_STATE).toBe(layouts.GATE_MAXIMUM + 8);
    expect(layouts.STATS).toBe(layouts.STATS_UNCOVERED + 8);
    expect(layouts.TRACE_WORD % 8).toBe(0);
    expect(layouts.TRACE_WORD).toBeGreaterThanOrEqual(layouts.TRACE_RULES + 4);
    expect(layouts.EXPLAIN_CHAR).toBe(layouts.EXPLAIN_CHAR_CONTRIBUTION + 8);
    expect(layouts.EXPLAIN_GRAM % 8).toBe(0);
    expect(layouts.EXPLAIN_GRAM).toBeGreaterThanOrEqual(layouts.EXPLAIN_GRAM_EVIDENCE + 4);
    expect(layouts.MODEL_CHAR).toBe(layouts.MODEL_CHAR_MIN + 8);
    expect(layouts.PACK_HEADER).toBe(layouts.PACK_HEADER_SECTIONS + 4);
    expect(layouts.SECTION_ENTRY).toBe(layouts.SECTION_LENGTH + 4);
  });
});
