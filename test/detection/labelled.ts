// What the generated labelled logs share (site.ts, service.ts, auth.ts): seeded draws, a clean day
// and an eval day with attacks mixed in, the files `tarkin eval` reads, and their measurement per
// class with the real module (clean protocol), against today's figures.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { ModuleDriver } from "../../host/core/module/driver.js";
import { packedModule, trainModel } from "./measure.js";

export type Random = () => number;

export const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
export const between = (r: Random, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
export const chance = (r: Random, p: number) => r() < p;
export const hexOf = (r: Random, n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(r() * 16)]).join("");

/** A stream's own seed: the run's seed mixed with its name (FNV-1a), so adding a stream changes no other. */
export function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface LabelledRecord<C extends string = string> {
  line: string;
  /** "0", or the attack class: a `tarkin eval --labels` file's line. */
  label: string;
  /** The attack class, or the kind of normal traffic. */
  cls: C;
}

export interface LabelledLog<C extends string = string> {
  /** The clean training day. */
  training: LabelledRecord<C>[];
  /** The eval day: normal traffic with the attacks mixed in. */
  eval: LabelledRecord<C>[];
}

/** The eval day's normal records with each attack put before the normal record at its index. */
export function mixIn<C extends string>(day: LabelledRecord<C>[], attacks: { at: number; record: LabelledRecord<C> }[]): LabelledRecord<C>[] {
  const sorted = [...attacks].sort((x, y) => x.at - y.at);
  const merged: LabelledRecord<C>[] = [];
  let k = 0;
  for (let i = 0; i < day.length; i++) {
    while (k < sorted.length && sorted[k].at === i) merged.push(sorted[k++].record);
    merged.push(day[i]);
  }
  return merged;
}

/** Writes NAME_clean.log, NAME.log and NAME.labels into `dir` for `tarkin eval`. */
export function writeLabelled(dir: string, name: string, log: LabelledLog): { clean: string; eval: string; labels: string } {
  mkdirSync(dir, { recursive: true });
  const files = { clean: join(dir, `${name}_clean.log`), eval: join(dir, `${name}.log`), labels: join(dir, `${name}.labels`) };
  const text = (xs: string[]) => xs.join("\n") + "\n";
  writeFileSync(files.clean, text(log.training.map((x) => x.line)));
  writeFileSync(files.eval, text(log.eval.map((x) => x.line)));
  writeFileSync(files.labels, text(log.eval.map((x) => x.label)));
  return files;
}

/**
 * A test's body: writes the log's files with `write` into the directory the environment variable
 * `outVariable` names (kept, for the CLI), else into a temporary one (removed), and checks them.
 */
export function checkWritten<L extends LabelledLog<string>>(log: L, write: (dir: string, log: L) => { clean: string; eval: string; labels: string }, outVariable: string): void {
  const out = process.env[outVariable];
  const dir = out ?? mkdtempSync(join(tmpdir(), "tarkin-labelled-"));
  try {
    const files = write(dir, log);
    const lines = (f: string) => readFileSync(f, "utf8").split("\n").slice(0, -1);
    expect(lines(files.clean)).toHaveLength(log.training.length);
    expect(lines(files.eval)).toHaveLength(log.eval.length);
    expect(lines(files.labels)).toEqual(log.eval.map((x) => x.label));
    if (out) console.log(`wrote ${files.clean}, ${files.eval}, ${files.labels}`);
  } finally {
    if (!out) rmSync(dir, { recursive: true, force: true });
  }
}

export interface ClassRow {
  cls: string;
  kind: "attack" | "normal";
  n: number;
  flagged: number;
}

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
export const share = (r: ClassRow) => (r.n ? r.flagged / r.n : 0);

/**
 * Each log's eval day scored in order by a module trained on its clean day (packed with the
 * defaults), the flagged lines counted per class and pooled over the logs.
 */
export function measureByClass(core: Uint8Array, logs: LabelledLog[], attackClasses: readonly string[], normalClasses: readonly string[]): ClassRow[] {
  const counts = new Map<string, { n: number; flagged: number }>();
  const add = (cls: string, flagged: boolean) => {
    const c = counts.get(cls) ?? { n: 0, flagged: 0 };
    c.n++;
    if (flagged) c.flagged++;
    counts.set(cls, c);
  };
  for (const log of logs) {
    const driver = ModuleDriver.fromBytes(packedModule(core, trainModel(core, log.training.map((x) => x.line))));
    for (const x of log.eval) {
      const flagged = driver.score(x.line).anomaly;
      add(x.cls, flagged);
      add(x.label === "0" ? "all normal" : "all attacks", flagged);
    }
  }
  const row = (cls: string, kind: ClassRow["kind"]): ClassRow => ({ cls, kind, ...(counts.get(cls) ?? { n: 0, flagged: 0 }) });
  return [...attackClasses.map((c) => row(c, "attack")), row("all attacks", "attack"), ...normalClasses.map((c) => row(c, "normal")), row("all normal", "normal")];
}

/** The table a test prints: one row a class. */
export function classTable(rows: ClassRow[]): string {
  const header = ["class", "kind", "lines", "flagged", "tarkin"];
  const cells = rows.map((r) => [r.cls, r.kind === "attack" ? "recall" : "false alarms", String(r.n), String(r.flagged), pct(share(r))]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i >= 2 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), ...cells.map(line)].join("\n");
}

/**
 * The rows below (attacks) or above (all normal) today's figure by more than the margin or one
 * line, whichever is more: each a regression, in words. The normal classes are held by their sum.
 */
export function regressions(rows: ClassRow[], today: Record<string, number>, margin: { attack: number; normal: number }): string[] {
  const found: string[] = [];
  for (const r of rows) {
    if (r.kind === "normal" && r.cls !== "all normal") continue;
    const figure = today[r.cls];
    if (figure === undefined) {
      found.push(`${r.cls}: no figure held`);
      continue;
    }
    const slack = Math.max(r.kind === "attack" ? margin.attack : margin.normal, 1 / Math.max(r.n, 1)) + 1e-9;
    const bound = r.kind === "attack" ? figure - slack : figure + slack;
    const ok = r.kind === "attack" ? share(r) >= bound : share(r) <= bound;
    if (!ok) found.push(`${r.cls}: ${pct(share(r))} flagged, ${r.kind === "attack" ? "floor" : "ceiling"} ${pct(bound)}`);
  }
  return found;
}
