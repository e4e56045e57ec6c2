// Measures the evasion and drift classes (cases.ts) with the real module: each class's lines scored
// in order by one fresh instance of the packed module, as a log shipper runs it, and counted by its
// anomaly decision. The clean protocol trains each log's model on the attack-free day of the same
// site (access_clean.log, app_clean.log), never on the lines measured.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ModuleDriver } from "../../host/core/module/driver.js";
import { packContents } from "../../host/core/module/filter-module.js";
import { DEFAULT_SETTINGS, packModule } from "../../host/core/module/pack.js";
import type { Model } from "../../host/core/module/model.js";
import { ACCESS_CLASSES, APP_CLASSES, accessCorpus, appCorpus, buildClasses, type AccessCorpus, type AppCorpus, type BuiltClass, type Goal } from "./cases.js";

export interface ClassMeasure {
  log: string;
  name: string;
  kind: "attack" | "normal";
  records: number;
  flagged: number;
  /** Recall for attacks, the false-alarm rate for normal lines: flagged / records either way. */
  rate: number;
  goal: Goal;
  /** The goal in words, with the recall it asks for when it is a share of the baseline's. */
  goalText: string;
  /** null for a class with no goal (the baseline). */
  met: boolean | null;
}

/** A model trained on `lines` by the core module, as `tarkin train` and `tarkin eval --train` do. */
export function trainModel(core: Uint8Array, lines: Iterable<string>): Model {
  const trainer = ModuleDriver.fromBytes(core);
  for (const line of lines) trainer.train(line);
  return trainer.model();
}

/** The module a user would deploy: the model packed with the default settings, VADER and the security overlay. */
export function packedModule(core: Uint8Array, model: Model): Uint8Array {
  return packModule(core, packContents(model, DEFAULT_SETTINGS));
}

function goalText(goal: Goal, baseline: number | undefined): string {
  if (goal === null) return "(baseline)";
  if ("maxFlagged" in goal) return `<= ${percent(goal.maxFlagged)}`;
  return `>= ${goal.recallShare * 100}% of baseline${baseline === undefined ? "" : ` (${percent(goal.recallShare * baseline)})`}`;
}

function goalMet(goal: Goal, rate: number, baseline: number | undefined): boolean | null {
  if (goal === null) return null;
  if ("maxFlagged" in goal) return rate <= goal.maxFlagged;
  return baseline === undefined ? null : rate >= goal.recallShare * baseline;
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Scores every class's lines with `module` (a packed module, or a model packed with the defaults). */
export function measureClasses(core: Uint8Array, module: Uint8Array | Model, classes: BuiltClass[]): ClassMeasure[] {
  const wasm = module instanceof Uint8Array ? module : packedModule(core, module);
  const counted = classes.map((c) => {
    const driver = ModuleDriver.fromBytes(wasm);
    let flagged = 0;
    for (const line of c.lines) if (driver.score(line).anomaly) flagged++;
    return { c, flagged, rate: c.lines.length ? flagged / c.lines.length : 0 };
  });
  return counted.map(({ c, flagged, rate }) => {
    const base = counted.find((b) => b.c.log === c.log && b.c.baseline);
    const baseline = base?.rate;
    return { log: c.log, name: c.name, kind: c.kind, records: c.lines.length, flagged, rate, goal: c.goal, goalText: goalText(c.goal, baseline), met: goalMet(c.goal, rate, baseline) };
  });
}

/** The table the test prints: one row a class. */
export function formatMeasures(rows: ClassMeasure[]): string {
  const header = ["log", "class", "kind", "n", "flagged", "flagged %", "goal", "met?"];
  const cells = rows.map((m) => [m.log, m.name, m.kind, String(m.records), String(m.flagged), percent(m.rate), m.goalText, m.met === null ? "-" : m.met ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const numeric = new Set([3, 4, 5]);
  const line = (row: string[]) => row.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), ...cells.map(line)].join("\n");
}

/** A file's lines, without their terminators. */
export function readLines(file: string): string[] {
  const lines = readFileSync(file, "utf8").split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

const readLabels = (file: string) => readLines(file).map((l) => l.trim() === "1");

export interface DetectionRun {
  access: AccessCorpus;
  app: AppCorpus;
  classes: BuiltClass[];
  measures: ClassMeasure[];
}

/**
 * Every class of both logs, generated from the dev sets under `data` (../shared/data) with `seed`,
 * measured with models trained on each log's clean day by `core` (build/tarkin-core.wasm).
 */
export function measureDetection(core: Uint8Array, data: string, seed = 1, driftLines = 1000): DetectionRun {
  const file = (f: string) => resolve(data, f);
  const webTraining = readLines(file("web/access_clean.log"));
  const appTraining = readLines(file("app/app_clean.log"));
  const access = accessCorpus(readLines(file("web/access.log")), readLabels(file("web/access.labels")), webTraining, driftLines);
  const app = appCorpus(readLines(file("app/app.log")), readLabels(file("app/app.labels")), appTraining, driftLines);
  const classes = [...buildClasses("access", ACCESS_CLASSES, access, seed), ...buildClasses("app", APP_CLASSES, app, seed)];
  const measures = [
    ...measureClasses(core, trainModel(core, webTraining), classes.filter((c) => c.log === "access")),
    ...measureClasses(core, trainModel(core, appTraining), classes.filter((c) => c.log === "app")),
  ];
  return { access, app, classes, measures };
}
