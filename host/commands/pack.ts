// tarkin pack: model, lexicon overlays and settings into one self-contained .wasm.
import { statSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { coreModule } from "../core/module/assets.js";
import { readText } from "../core/io/files.js";
import { warn } from "../core/errors.js";
import { parseModel, sketchFill } from "../core/module/model.js";
import { packModule } from "../core/module/pack.js";
import { compileAot, requireWamrc } from "../core/module/fluent-bit.js";
import { packContents } from "../core/module/filter-module.js";
import { calibrated, describeCalibration } from "../core/module/calibrate.js";
import { addCalibrationOptions, addSettingsOptions, falseAlarmsFrom, settingsFrom, type CalibrationOptions, type SettingsOptions } from "./options.js";

/** The CPU an AOT module is compiled for by default: any x86-64, so one file serves a whole fleet. */
export const AOT_CPU = "x86-64";

/** What a Kubernetes ConfigMap holds, the way a fleet ships the module (deploy/kubernetes). */
export const CONFIGMAP_LIMIT = 1024 * 1024;
/** Past this share of collisions in either half of a model's sketch, pack warns: what is new there goes unjudged. */
const SKETCH_COLLISIONS_LIMIT = 0.05;

/** The .aot beside a .wasm: its name with .aot for .wasm. */
export function aotPath(wasm: string): string {
  return wasm.replace(/\.wasm$/, "") + ".aot";
}

type PackOptions = SettingsOptions & CalibrationOptions & { model: string; lexicon: string[]; securityLexicon: boolean; output: string; aot?: string | true };

export function packCommand(): Command {
  return addSettingsOptions(
    addCalibrationOptions(new Command("pack")
      .description("pack a model, lexicon overlays and settings into one self-contained .wasm")
      .requiredOption("--model <model.json>", "the model, from tarkin train")
      .option("--lexicon <file.tsv...>", "lexicon overlays: token<TAB>valence lines that add to or override VADER's (and the security overlay)", [])
      .option("--no-security-lexicon", "leave out the overlays packed by default (lexicon/levels.tsv, operations.tsv, security.tsv and access.tsv)")
      .requiredOption("-o, --output <tarkin.wasm>", "where to write the module")
      .option(
        "--aot [cpu]",
        `also compile it ahead of time with flb-wamrc (Fluent Bit's, of the version that will load it) into a .aot beside it, for x86-64 CPUs of this model (LLVM's name, e.g. x86-64-v3, znver3; default ${AOT_CPU}: any)`,
      )),
  ).action((o: PackOptions) => pack(o));
}

async function pack(o: PackOptions): Promise<void> {
  if (o.aot !== undefined) requireWamrc(); // before anything is written
  const falseAlarms = falseAlarmsFrom(o);
  const settings = settingsFrom(o);
  const model = parseModel(readText(o.model), o.model);
  const packed = () => packModule(coreModule(), packContents(model, settings, o.lexicon, { security: o.securityLexicon }));
  let wasm = packed();
  if (falseAlarms !== undefined) {
    const calibration = await calibrated(wasm, o.calibrate!, falseAlarms, settings.minFear);
    process.stderr.write(`tarkin pack: ${describeCalibration(calibration)}\n`);
    if (calibration.minFear !== settings.minFear) {
      settings.minFear = calibration.minFear;
      wasm = packed();
    }
  }
  writeFileSync(o.output, wasm);
  process.stderr.write(
    `tarkin pack: ${model.characters.length} characters, ${model.messages} messages, ${settings.surprise} surprise, ${settings.mode} mode` +
      `${o.securityLexicon ? "" : ", no security lexicon"}${settings.minFear ? `, min fear ${settings.minFear}` : ""} -> ${o.output} (${wasm.length} bytes)\n`,
  );
  const fill = sketchFill(model.fields);
  if (Math.max(fill.shapes.collisions, fill.values.collisions) > SKETCH_COLLISIONS_LIMIT) {
    const share = (x: number) => `${(100 * x).toFixed(1)}%`;
    warn(
      `${o.model}'s sketch is full: a value never seen reads as seen ${share(fill.values.collisions)} of the time, a shape ${share(fill.shapes.collisions)}, ` +
        `so what is new there goes unjudged; train one model per kind of log, or on fewer days (tarkin inspect shows the fill)`,
    );
  }
  if (wasm.length > CONFIGMAP_LIMIT) {
    warn(
      `${o.output} is over the ${CONFIGMAP_LIMIT} bytes a Kubernetes ConfigMap holds, so deploy/kubernetes cannot ship it; ` +
        `pack fewer lexicon overlay entries, or ship it in an image or a volume`,
    );
  }
  if (o.aot !== undefined) {
    const aot = aotPath(o.output);
    const cpu = o.aot === true ? AOT_CPU : o.aot;
    compileAot(o.output, aot, cpu);
    process.stderr.write(`tarkin pack: compiled ahead of time for ${cpu} -> ${aot} (${statSync(aot).size} bytes)\n`);
  }
}
