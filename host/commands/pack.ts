// tarkin pack: model, lexicon overlays and settings into one self-contained .wasm.
import { writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Command } from "commander";
import { coreModule, ROOT, version } from "../core/assets.js";
import { readText } from "../core/files.js";
import { parseLexicon, overlay, vaderLexicon, type Lexicon } from "../core/lexicon.js";
import { parseModel, type Model } from "../core/model.js";
import { packModule, type PackContents, type Settings } from "../core/pack.js";
import { addSettingsOptions, settingsFrom, type SettingsOptions } from "../core/settings.js";

/** The security- and operations-domain overlay packed by default (lexicon/security.tsv). */
export const SECURITY_LEXICON_FILE = join(ROOT, "lexicon", "security.tsv");

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
  const files = [...(choice.security === false ? [] : [SECURITY_LEXICON_FILE]), ...lexiconFiles];
  const overlays: [string, Lexicon][] = files.map((f) => [basename(f), parseLexicon(readText(f), f)]);
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
      .option("--lexicon <file.tsv...>", "lexicon overlays: token<TAB>valence lines that add to or override VADER's (and the security overlay)", [])
      .option("--no-security-lexicon", "leave out the security and operations overlay (lexicon/security.tsv) packed by default")
      .requiredOption("-o, --output <tarkin.wasm>", "where to write the module"),
  ).action((o: SettingsOptions & { model: string; lexicon: string[]; securityLexicon: boolean; output: string }) => {
    const model = parseModel(readText(o.model), o.model);
    const settings = settingsFrom(o);
    const wasm = packModule(coreModule(), packContents(model, settings, o.lexicon, { security: o.securityLexicon }));
    writeFileSync(o.output, wasm);
    process.stderr.write(
      `tarkin pack: ${model.characters.length} characters, ${model.messages} messages, ${settings.surprise} surprise, ${settings.mode} mode` +
        `${o.securityLexicon ? "" : ", no security lexicon"} -> ${o.output} (${wasm.length} bytes)\n`,
    );
  });
}
