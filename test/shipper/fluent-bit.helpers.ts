// What the real Fluent Bit suites (test/shipper/fluent-bit.test.ts; the million-record run in
// test/shipper/fluent-bit.volume.test.ts) need: the binary (or a printed notice), the bundled CLI, Fluent
// Bit's words for a failing filter, and the records and packed modules they run, set up before the
// suite in a directory of its own.
import { afterAll, beforeAll, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ROOT, shared } from "../helpers.js";
import { fluentBitBinary } from "../../host/core/module/fluent-bit.js";
import { sampleLines } from "../../host/core/sample.js";

export const BINARY = fluentBitBinary();
if (!BINARY) console.log("[notice] fluent-bit is not on PATH (nor in $FLUENT_BIT): skipping the real Fluent Bit tests");
const LOGHUB = shared("data/loghub");

export const CLI = resolve(ROOT, "dist/tarkin.js");
// Fluent Bit's own words for a filter that failed a record (flb_wasm.c, filter_wasm.c, flb_pack.c).
export const WASM_ERRORS = /Got exception running wasm code|invalid JSON|returned value is invalid|wasm function is not found|\[error\]|\[ warn\] \[filter:wasm/;

export type Record = { [key: string]: unknown };

/** Set by useFluentBitFixture's beforeAll. */
export let dir: string;
export let modules: { annotate: string; drop: string };
export let lines: string[];
export let input: string;

export function tarkin(args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

export function records(text: string): Record[] {
  return text.split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record);
}

/** Before the suite: a directory, the default model packed in both modes, the records to run (also written to `input`); after it, the directory removed. */
export function useFluentBitFixture(): void {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "tarkin-fluent-bit-"));
    modules = { annotate: join(dir, "annotate.wasm"), drop: join(dir, "drop.wasm") };
    tarkin(["pack", "--model", resolve(ROOT, "models/default.json"), "-o", modules.annotate]);
    tarkin(["pack", "--model", resolve(ROOT, "models/default.json"), "--mode", "drop", "-o", modules.drop]);
    // The project's sample logs (attacks among them, non-ASCII text), and loghub's real ones.
    lines = [...sampleLines({ lines: 6000, seed: 21 })];
    if (LOGHUB) {
      for (const f of ["Apache_2k.log", "OpenSSH_2k.log", "Linux_2k.log", "Thunderbird_2k.log"]) {
        lines.push(...readFileSync(join(LOGHUB, f), "utf8").split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l.length > 0));
      }
    }
    lines.push("Ünïcödé ✓ héllo wörld: naïve façade", "emoji 😀 in a log line, very bad 😡", "tab\tseparated\tfields");
    input = join(dir, "records.log");
    writeFileSync(input, lines.join("\n") + "\n");
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}
