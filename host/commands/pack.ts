// tarkin pack: model, lexicon overlays and settings into one self-contained .wasm.
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { Command } from "commander";
import { coreModule, version } from "../core/assets.js";
import { readText } from "../core/files.js";
import { parseLexicon, overlay, vaderLexicon, type Lexicon } from "../core/lexicon.js";
import { parseModel, type Model } from "../core/model.js";
import { packModule, type PackContents, type Settings } from "../core/pack.js";
import { addSettingsOptions, settingsFrom, type SettingsOptions } from "../core/settings.js";

/** The contents of a pack: the installed VADER lexicon, overlays, a model and settings. */
export function packContents(model: Model, settings: Settings, lexiconFiles: string[] = []): PackContents {
  const base = vaderLexicon();
  const overlays: [string, Lexicon][] = lexiconFiles.map((f) => [basename(f), parseLexicon(readText(f), f)]);
  const lexicon = overlay(base, ...overlays.map(([, l]) => l));
  return {
    model,
    lexicon,
    settings,
    info: {
      tarkin: version(),
      model: { messages: model.messages, characters: model.characters.length, ...(model.provenance ?? {}) },
      lexicon: { vader: base.size, overlays: overlays.map(([name, l]) => ({ name, entries: l.size })) },
    },
  };
}

export function packCommand(): Command {
  return addSettingsOptions(
    new Command("pack")
      .description("pack a model, lexicon overlays and settings into one self-contained .wasm")
      .requiredOption("--model <model.json>", "the model, from tarkin train")
      .option("--lexicon <file.tsv...>", "lexicon overlays: token<TAB>valence lines that add to or override VADER's", [])
      .requiredOption("-o, --output <tarkin.wasm>", "where to write the module"),
  ).action((o: SettingsOptions & { model: string; lexicon: string[]; output: string }) => {
    const model = parseModel(readText(o.model), o.model);
    const settings = settingsFrom(o);
    const wasm = packModule(coreModule(), packContents(model, settings, o.lexicon));
    writeFileSync(o.output, wasm);
    process.stderr.write(
      `tarkin pack: ${model.characters.length} characters, ${model.messages} messages, ${settings.surprise} surprise, ${settings.mode} mode -> ${o.output} (${wasm.length} bytes)\n`,
    );
  });
}
