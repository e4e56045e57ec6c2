// tarkin eval: how well the module ranks and flags labelled alerts, beside the original Tarkin,
// VADER alone, a keyword grep and chance.
import { basename } from "node:path";
import { Command } from "commander";
import { coreModule } from "../core/module/assets.js";
import { CliError, UsageError } from "../core/errors.js";
import { readText } from "../core/io/files.js";
import { lines, sources } from "../core/io/input.js";
import { Progress } from "../core/io/progress.js";
import { vaderLexicon } from "../core/module/lexicon.js";
import { parseModel, type Model } from "../core/module/model.js";
import { DEFAULT_SETTINGS, packModule, readPack } from "../core/module/pack.js";
import { ModuleDriver } from "../core/module/driver.js";
import { Evaluator, formatTable, type Evaluation } from "../core/eval/eval.js";
import { LabelledRecords } from "../core/eval/eval-input.js";
import { filterModule, packContents } from "../core/module/filter-module.js";
import { addCalibrationOptions, addSettingsOptions, falseAlarmsFrom, moduleChoice, settingsFrom, type CalibrationOptions, type ModuleOptions } from "./options.js";
import { calibrated, describeCalibration, type Calibration } from "../core/module/calibrate.js";

interface EvalOptions extends ModuleOptions, CalibrationOptions {
  labels?: string;
  train?: string[];
  model?: string;
  lexicon: string[];
  securityLexicon: boolean;
  seed: string;
  top: string;
  json?: boolean;
}

export function evalCommand(): Command {
  return addSettingsOptions(
    addCalibrationOptions(new Command("eval")
      .description("measure detection quality on labelled logs: AUC, average precision, precision and recall at the decision, beside baselines")
      .argument("[files...]", "log files, one record per line; - or none for standard input")
      .option("--labels <bgl|sample|file>", "bgl: each line's first field is its label (- normal, else an alert category), stripped before scoring; sample: alerts are the lines of tarkin sample's attack templates; a file: one label per record, 0 or - normal, 1 or a category an alert")
      .option("--train <files...>", "train on these logs (one message per line, no labels) instead of on the logs evaluated: the clean protocol, as a day of normal traffic trains a deployment")
      .option("--wasm <module.wasm>", "evaluate this packed module (its model and settings) instead of training on the logs")
      .option("--model <model.json>", "pack this model (with any settings options) instead of training on the logs")
      .option("--lexicon <file.tsv...>", "lexicon overlays, as tarkin pack takes them", [])
      .option("--no-security-lexicon", "leave out the overlays packed by default (lexicon/levels.tsv, operations.tsv, security.tsv and access.tsv)")
      .option("--seed <n>", "the random baseline's seed", "1")
      .option("--top <n>", "also show the n records the module fears most", "0")
      .option("--json", "print the result as JSON")),
    // Messages are scored as lines, by their fear and the decision: the record's field, the output
    // mode and prefix, and --gate-spreads (default mode's gate, which its decision does not use)
    // change nothing measured.
    ["surprise", "minFear"],
    "Settings packed with the model (not with --wasm: the module carries its own):",
  ).action((files: string[], o: EvalOptions) => run(files, o));
}

interface Modules {
  module: Uint8Array;
  original: Uint8Array;
  /** How the model came about, said in the output. */
  modelNote: string;
  /** Where --calibrate placed min fear. */
  calibration?: Calibration;
}

/** Trains a model on the logs evaluated (as a user would) or, with --train, on other logs. */
async function trainModel(o: EvalOptions, input: LabelledRecords): Promise<{ model: Model; note: string }> {
  const trainer = ModuleDriver.fromBytes(coreModule());
  if (!o.train) {
    const progress = Progress.over("training", input.files);
    try {
      for await (const r of input.read(progress?.advance, false)) trainer.train(r.message);
    } finally {
      progress?.stop();
    }
    const model = trainer.model();
    if (model.messages === 0) throw new CliError("no records to evaluate: the input is empty");
    model.provenance = { trainedOn: [{ source: "tarkin eval's records", format: "lines", messages: model.messages }] };
    return { model, note: `trained on these ${model.messages} records first, as a user would (no --train, --model or --wasm given)` };
  }
  const trainedOn: { source: string; format: string; messages: number }[] = [];
  const inputs = sources(o.train);
  const progress = Progress.over("training", inputs);
  try {
    for (const source of inputs) {
      let n = 0;
      for await (const bytes of lines(source, progress?.advance)) {
        trainer.train(bytes);
        n++;
      }
      trainedOn.push({ source: source.name, format: "lines", messages: n });
    }
  } finally {
    progress?.stop();
  }
  const model = trainer.model();
  if (model.messages === 0) throw new CliError(`--train ${o.train.join(" ")}: no lines to train on`);
  model.provenance = { trainedOn };
  return { model, note: `trained on ${trainedOn.map((t) => `${basename(t.source)} (${t.messages})`).join(", ")}, not on the records evaluated` };
}

async function modules(o: EvalOptions, input: LabelledRecords): Promise<Modules> {
  let module: Uint8Array;
  let model: Model;
  let modelNote: string;
  let calibration: Calibration | undefined;
  const falseAlarms = falseAlarmsFrom(o);
  if (o.wasm) {
    if (o.calibrate) throw new UsageError("--calibrate and --wasm: a packed module carries its min fear (tarkin pack --calibrate places it)");
    if (o.model || o.train) throw new UsageError(`${o.model ? "--model" : "--train"} and --wasm: give one (a packed module carries its model)`);
    if (o.lexicon.length || !o.securityLexicon) throw new UsageError(`the lexicon is packed into ${o.wasm}; repack it with tarkin pack to change it`);
    module = filterModule(moduleChoice(o));
    model = readPack(module)!.model!;
    modelNote = `the model packed in ${o.wasm} (${model.messages} messages)`;
  } else {
    if (o.model) {
      if (o.train) throw new UsageError("--model and --train: give one");
      model = parseModel(readText(o.model), o.model);
      modelNote = `${o.model} (${model.messages} messages)`;
    } else {
      const trained = await trainModel(o, input);
      model = trained.model;
      modelNote = trained.note;
    }
    const settings = settingsFrom(o);
    const packed = () => packModule(coreModule(), packContents(model, settings, o.lexicon, { security: o.securityLexicon }));
    module = packed();
    if (falseAlarms !== undefined) {
      calibration = await calibrated(module, o.calibrate!, falseAlarms, settings.minFear);
      settings.minFear = calibration.minFear;
      module = packed();
    }
  }
  const original = packModule(coreModule(), {
    model,
    lexicon: vaderLexicon(),
    settings: { ...DEFAULT_SETTINGS, surprise: "tarkin", minFear: 0 },
  });
  return { module, original, modelNote, calibration };
}

function labelsNote(option: string | undefined): string {
  if (option === "bgl") return "each line's first field (bgl), stripped before scoring";
  if (option === "sample") return "tarkin sample's attack templates";
  return option ? `${option}, one per record` : "none given: counts of flagged records only";
}

async function run(files: string[], o: EvalOptions): Promise<void> {
  const seed = Number(o.seed);
  if (o.seed.trim() === "" || !Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, not ${JSON.stringify(o.seed)}`);
  const top = Number(o.top);
  if (o.top.trim() === "" || !Number.isInteger(top) || top < 0) throw new UsageError(`--top must be a whole number, not ${JSON.stringify(o.top)}`);
  const input = new LabelledRecords(files, o.labels);
  let e: Evaluation;
  let m: Modules;
  let removeKept: (() => void) | undefined;
  try {
    // The records are read twice (trained on, or counted, then scored): standard input is kept in a file meanwhile.
    removeKept = await input.keepStdin();
    m = await modules(o, input);
    const trainedOnRecords = !o.wasm && !o.model && !o.train;
    const expected = trainedOnRecords ? input.records : await input.count();
    const evaluator = new Evaluator({ module: m.module, original: m.original, seed, labelled: o.labels !== undefined, top, expected });
    const progress = Progress.over("scoring", input.files);
    try {
      for await (const r of input.read(progress?.advance)) evaluator.add(r.message, r.label);
    } finally {
      progress?.stop();
    }
    if (evaluator.records === 0) throw new CliError("no records to evaluate: the input is empty");
    e = evaluator.finish();
  } finally {
    removeKept?.();
  }
  const pack = readPack(m.module)!;
  const lexicon = (pack.info.lexicon as { overlays?: { name: string; entries: number }[] } | undefined)?.overlays ?? [];
  const context = {
    files: input.counts.map(([name, records]) => ({ name, records })),
    labels: labelsNote(o.labels),
    model: m.modelNote,
    calibration: m.calibration,
    settings: pack.settings,
    overlays: lexicon.map((l) => `${l.name} (${l.entries})`),
    // The decision rule as the module states it (assembly/decision/fear.ts).
    rule: ModuleDriver.fromBytes(m.module).decision.rule[pack.settings.surprise === "tarkin" ? "tarkin" : "default"],
  };
  if (o.json) {
    const out = { ...context, records: e.records, alerts: e.alerts, methods: e.methods, top: e.top.map(({ index, message, label, fear, surprise, compound, anomaly }) => ({ line: index + 1, message, label, fear, surprise, compound, anomaly })) };
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
    return;
  }
  process.stdout.write(report(e, context, top) + "\n");
}

function report(e: Evaluation, c: { files: { name: string; records: number }[]; labels: string; model: string; calibration?: Calibration; settings: { surprise: string; gateSpreads: number; minFear: number }; overlays: string[]; rule: string }, top: number): string {
  const out: string[] = [];
  const files = c.files.map((f) => `${basename(f.name)} (${f.records})`).join(", ");
  out.push(`tarkin eval: ${e.records} records from ${files}`);
  out.push(`labels:  ${c.labels}` + (e.alerts === null ? "" : `: ${e.alerts} alerts (${((100 * e.alerts) / e.records).toFixed(1)}%)`));
  out.push(`model:   ${c.model}`);
  if (c.calibration) out.push(`decision: ${describeCalibration(c.calibration)}`);
  out.push(`module:  ${c.settings.surprise} surprise, gate spreads ${c.settings.gateSpreads}, min fear ${c.settings.minFear}; lexicon overlays: ${c.overlays.join(", ") || "none"}`);
  out.push(`rule:    ${c.rule}`);
  out.push("");
  out.push(formatTable(e));
  out.push("");
  out.push("AUC: the chance an alert outranks a normal record (ties count half); AP: average precision, step-wise over");
  out.push("distinct scores (scikit-learn's average_precision_score). Scores: fear; the original's surprise; -compound;");
  out.push("1 for a grep match, else 0; uniform noise. The original and VADER negativity use VADER's lexicon alone.");
  if (top > 0) {
    out.push("");
    out.push(`the ${top} records tarkin fears most:`);
    for (const r of e.top) {
      const label = r.label === null ? "" : r.label ? "alert  " : "normal ";
      out.push(`  ${r.fear.toFixed(3)} ${r.anomaly ? "!" : " "} ${label}${JSON.stringify(r.message).slice(1, -1).slice(0, 140)}`);
    }
  }
  return out.join("\n");
}
