// The options several commands share, turned into the typed values core/ takes (commander stops
// here, in commands/): how logs become records, the settings and the module to run, and the limits
// that judge a run.
import { Option, type Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { Format } from "../core/io/input.js";
import type { ModuleChoice } from "../core/module/filter-module.js";
import { DEFAULT_SETTINGS, type Settings } from "../core/module/pack.js";
import { COUNTER_LIMITS, limitHelp, limitOption, parseLimit, type CounterLimit, type Limit } from "../core/module/run-summary.js";

/** How logs become records, and the tag they carry: check's and report's options. */
export interface RecordOptions {
  format: Format;
  header: boolean;
  tag: string;
}

export function addRecordOptions(command: Command): Command {
  return command
    .addOption(new Option("--format <format>", "lines: each becomes {\"log\": line}; ndjson: each line is a record; csv: rows become objects by header").choices(["lines", "ndjson", "csv"]).default("lines"))
    .option("--no-header", "csv: there is no header row; columns are named 1, 2, ...")
    .option("--tag <tag>", "the tag records carry", "tarkin");
}

// The settings a packed module carries: pack takes them all; eval those that change what it
// measures; every command that runs a module (addModuleOptions) those that change what it shows,
// for the embedded default (a --wasm module carries its own).
export type SettingName = keyof SettingsOptions;

const SETTING_OPTIONS: Record<SettingName, () => Option> = {
  field: () => new Option("--field <path...>", `message field, a dotted path for nested fields; several: the first present (default ${DEFAULT_SETTINGS.fields.join(" ")})`),
  mode: () => new Option("--mode <mode>", "annotate: every record goes on with tarkin's fields; drop: only anomalous records").choices(["annotate", "drop"]),
  surprise: () => new Option("--surprise <mode>", "default, or tarkin: the original algorithm exactly").choices(["default", "tarkin"]),
  gateSpreads: () => new Option("--gate-spreads <k>", `default surprise mode: infrequent when more than k standard deviations above the running mean (default ${DEFAULT_SETTINGS.gateSpreads})`),
  minFear: () => new Option("--min-fear <f>", "an anomaly must also reach this fear, 0 to 1 (default 0)"),
  prefix: () => new Option("--prefix <prefix>", `name prefix of tarkin's fields (default ${DEFAULT_SETTINGS.prefix})`),
};

const ALL_SETTINGS = Object.keys(SETTING_OPTIONS) as SettingName[];

/** The settings options named (all by default), under `heading` in --help when given. */
export function addSettingsOptions(command: Command, settings: SettingName[] = ALL_SETTINGS, heading?: string): Command {
  for (const name of settings) {
    const option = SETTING_OPTIONS[name]();
    command.addOption(heading ? option.helpGroup(heading) : option);
  }
  return command;
}

/** Placing min fear on a log of normal traffic (core/module/calibrate.ts): pack's and eval's. */
export interface CalibrationOptions {
  calibrate?: string[];
  falseAlarms?: string;
}

/** The share of a calibration log's lines that may be flagged, unless --false-alarms says. */
export const DEFAULT_FALSE_ALARMS = "0.5%";

export function addCalibrationOptions(command: Command): Command {
  return command
    .option("--calibrate <logs...>", "raise min fear until at most --false-alarms of these lines are flagged: normal traffic the model was not trained on (a held-out part of the day, or the next day's), one message per line")
    .option("--false-alarms <share>", `with --calibrate: the share of its lines that may be flagged, a percentage (default ${DEFAULT_FALSE_ALARMS})`);
}

/** --false-alarms as a share from 0 to 1; undefined without --calibrate. */
export function falseAlarmsFrom(o: CalibrationOptions): number | undefined {
  if (!o.calibrate) {
    if (o.falseAlarms !== undefined) throw new UsageError("--false-alarms needs --calibrate <logs...>: the lines it is a share of");
    return undefined;
  }
  const text = (o.falseAlarms ?? DEFAULT_FALSE_ALARMS).trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (!percent || Number(percent[1]) > 100) throw new UsageError(`--false-alarms must be a percentage from 0% to 100% (such as 0.5%), not ${JSON.stringify(o.falseAlarms)}`);
  return Number(percent[1]) / 100;
}

export interface SettingsOptions {
  field?: string[];
  mode?: Settings["mode"];
  surprise?: Settings["surprise"];
  gateSpreads?: string;
  minFear?: string;
  prefix?: string;
}

function hasSettingsOptions(o: SettingsOptions): boolean {
  return [o.field, o.mode, o.surprise, o.gateSpreads, o.minFear, o.prefix].some((v) => v !== undefined);
}

function number(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${option} must be a number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return n;
}

export function settingsFrom(o: SettingsOptions, base: Settings = DEFAULT_SETTINGS): Settings {
  const settings = { ...base };
  if (o.field) {
    for (const f of o.field) {
      if (f === "" || f.split(".").some((part) => part === "")) throw new UsageError(`--field ${JSON.stringify(f)} is not a field path (names joined by dots)`);
    }
    settings.fields = o.field;
  }
  if (o.mode) settings.mode = o.mode;
  if (o.surprise) settings.surprise = o.surprise;
  if (o.gateSpreads !== undefined) settings.gateSpreads = number(o.gateSpreads, "--gate-spreads", 0, 1000);
  if (o.minFear !== undefined) settings.minFear = number(o.minFear, "--min-fear", 0, 1);
  if (o.prefix !== undefined) {
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(o.prefix)) throw new UsageError(`--prefix must be 1 to 64 letters, digits or _ . @ -, not ${JSON.stringify(o.prefix)}`);
    settings.prefix = o.prefix;
  }
  return settings;
}

export interface ModuleOptions extends SettingsOptions {
  wasm?: string;
}

/**
 * --wasm and the settings options that mean something to the command, last on a command that runs
 * a module: they pack the embedded default, so --help puts them apart, saying so.
 */
export function addModuleOptions(command: Command, settings: SettingName[] = ALL_SETTINGS): Command {
  command.option("--wasm <module.wasm>", "a module from tarkin pack (default: the embedded default model, packed with the settings below)");
  return addSettingsOptions(command, settings, "Settings of the embedded default model (not with --wasm: the module carries its own):");
}

/** The module the options name: --wasm's, or the embedded default with any settings given (not both). */
export function moduleChoice(o: ModuleOptions): ModuleChoice {
  if (o.wasm) {
    if (hasSettingsOptions(o)) throw new UsageError(`settings are packed into ${o.wasm}; repack it with tarkin pack to change them`);
    return { wasm: o.wasm };
  }
  return { settings: settingsFrom(o) };
}

/** The options that judge a run, check's and report's. */
export interface JudgeOptions {
  summaryJson?: string;
}

function limitFlag(limit: CounterLimit): Option {
  return new Option(`${limitOption(limit)} <n|percent%>`, limitHelp(limit)).default(limit.default);
}

/** --max-<counter> for each counter a run is judged on, and --summary-json. */
export function addJudgeOptions(command: Command): Command {
  for (const limit of COUNTER_LIMITS) command.addOption(limitFlag(limit));
  return command.option(
    "--summary-json <file>",
    "also write the summary to this file as one JSON object (counters, limits, the first error, passed), whether or not the run passes; /dev/stderr for standard error",
  );
}

/** The limits given (or their defaults), checked before any record is read. */
export function limitsFrom(o: JudgeOptions): Limit[] {
  return COUNTER_LIMITS.map((l) => parseLimit(l, (o as Record<string, string>)[limitFlag(l).attributeName()]));
}
