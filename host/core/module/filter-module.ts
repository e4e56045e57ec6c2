// The module a command runs and the harness over it: --wasm's packed module, or the embedded
// default packed now (the installed VADER lexicon, the security overlay, the settings given), as
// check, report, explain, eval and serve all take it.
import { basename, join } from "node:path";
import type { Command } from "commander";
import { coreModule, defaultModel, ROOT, version } from "./assets.js";
import { CliError, UsageError } from "../errors.js";
import { readBytes, readText } from "../io/files.js";
import { FluentBitFilter, HarnessError, type EventFormat } from "./harness.js";
import { parseLexicon, overlay, vaderLexicon, type Lexicon } from "./lexicon.js";
import type { Model } from "./model.js";
import { packModule, readPack, PackError, type PackContents, type Settings } from "./pack.js";
import { addSettingsOptions, ALL_SETTINGS, hasSettingsOptions, settingsFrom, type SettingName, type SettingsOptions } from "./settings.js";

/** The security- and operations-domain overlay packed by default (lexicon/security.tsv): evidence. */
export const SECURITY_LEXICON_FILE = join(ROOT, "lexicon", "security.tsv");
/** How logs spell their severity levels (lexicon/levels.tsv), packed with it: a log's routine words, not evidence. */
export const LEVELS_LEXICON_FILE = join(ROOT, "lexicon", "levels.tsv");

export interface LexiconChoice {
  /** Pack lexicon/security.tsv first, under the given overlays (default true). */
  security?: boolean;
}

/**
 * The contents of a pack: the installed VADER lexicon, the security overlay (unless left out), the
 * given overlays on top in order, a model and settings.
 */
export function packContents(model: Model, settings: Settings, lexiconFiles: string[] = [], choice: LexiconChoice = {}): PackContents {
  const base = vaderLexicon();
  const files = [...(choice.security === false ? [] : [LEVELS_LEXICON_FILE, SECURITY_LEXICON_FILE]), ...lexiconFiles];
  const overlays: [string, Lexicon][] = files.map((f) => [basename(f), parseLexicon(readText(f), f)]);
  const lexicon = overlay(base, ...overlays.map(([, l]) => l));
  // Every overlay's words are evidence but the levels'; a word a later overlay gives again is that overlay's.
  const evidence = new Set<string>();
  overlays.forEach(([name, l], i) => {
    const isEvidence = files[i] !== LEVELS_LEXICON_FILE;
    for (const word of l.keys()) {
      if (isEvidence) evidence.add(word);
      else evidence.delete(word);
    }
  });
  return {
    model,
    lexicon,
    evidence,
    settings,
    info: {
      tarkin: version(),
      model: { messages: model.messages, characters: model.characters.length, ...(model.provenance ?? {}) },
      lexicon: { vader: base.size, overlays: overlays.map(([name, l]) => ({ name, entries: l.size })) },
    },
  };
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

/** The module to run: --wasm's, or the embedded default (packed now, with any settings given). */
export function filterModule(o: ModuleOptions): Uint8Array {
  if (o.wasm) {
    if (hasSettingsOptions(o)) throw new UsageError(`settings are packed into ${o.wasm}; repack it with tarkin pack to change them`);
    const wasm = readBytes(o.wasm);
    try {
      if (!readPack(wasm)) throw new CliError(`${o.wasm}: a tarkin module with no packed model; build one with tarkin pack`);
    } catch (e) {
      if (e instanceof PackError) throw new CliError(`${o.wasm}: ${e.message}`);
      throw e;
    }
    return wasm;
  }
  return packModule(coreModule(), packContents(defaultModel(), settingsFrom(o)));
}

/** The harness over `wasm`; a module it cannot drive is a CliError naming it (`name`: --wasm's file, or none for the embedded default). */
export function harnessFor(wasm: Uint8Array, name: string | undefined, eventFormat: EventFormat = "json"): FluentBitFilter {
  try {
    return new FluentBitFilter(wasm, eventFormat);
  } catch (e) {
    if (e instanceof HarnessError) throw new CliError(`${name ?? "the embedded default module"}: ${e.message}`);
    throw e;
  }
}
