// The settings a packed module carries, as command-line options: pack takes them all; eval those
// that change what it measures; every command that runs a module (through filter-module.ts) those
// that change what it shows, for the embedded default (a --wasm module carries its own).
import { Command, Option } from "commander";
import { DEFAULT_SETTINGS, type Settings } from "./pack.js";
import { UsageError } from "../errors.js";

export type SettingName = keyof SettingsOptions;

const SETTING_OPTIONS: Record<SettingName, () => Option> = {
  field: () => new Option("--field <path...>", `message field, a dotted path for nested fields; several: the first present (default ${DEFAULT_SETTINGS.fields.join(" ")})`),
  mode: () => new Option("--mode <mode>", "annotate: every record goes on with tarkin's fields; drop: only anomalous records").choices(["annotate", "drop"]),
  surprise: () => new Option("--surprise <mode>", "default, or tarkin: the original algorithm exactly").choices(["default", "tarkin"]),
  gateSpreads: () => new Option("--gate-spreads <k>", `default surprise mode: infrequent when more than k standard deviations above the running mean (default ${DEFAULT_SETTINGS.gateSpreads})`),
  minFear: () => new Option("--min-fear <f>", "an anomaly must also reach this fear, 0 to 1 (default 0)"),
  prefix: () => new Option("--prefix <prefix>", `name prefix of tarkin's fields (default ${DEFAULT_SETTINGS.prefix})`),
};

export const ALL_SETTINGS = Object.keys(SETTING_OPTIONS) as SettingName[];

/** The settings options named (all by default), under `heading` in --help when given. */
export function addSettingsOptions(command: Command, settings: SettingName[] = ALL_SETTINGS, heading?: string): Command {
  for (const name of settings) {
    const option = SETTING_OPTIONS[name]();
    command.addOption(heading ? option.helpGroup(heading) : option);
  }
  return command;
}

export interface SettingsOptions {
  field?: string[];
  mode?: Settings["mode"];
  surprise?: Settings["surprise"];
  gateSpreads?: string;
  minFear?: string;
  prefix?: string;
}

export function hasSettingsOptions(o: SettingsOptions): boolean {
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
