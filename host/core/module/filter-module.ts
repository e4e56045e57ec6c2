// The module a command runs and the harness over it: a packed module's file, or the embedded
// default packed now (the installed VADER lexicon, the security overlay, the settings given), as
// check, report, explain, eval and serve all take it.
import { basename, join } from "node:path";
import { coreModule, defaultModel, ROOT, version } from "./assets.js";
import { CliError } from "../errors.js";
import { readBytes, readText } from "../io/files.js";
import { FluentBitFilter, HarnessError, type EventFormat } from "./harness.js";
import { parseLexicon, overlay, vaderLexicon, type Lexicon } from "./lexicon.js";
import type { Model } from "./model.js";
import { packModule, readPack, PackError, type PackContents, type Settings } from "./pack.js";

/** The security overlay packed by default (lexicon/security.tsv): evidence. */
export const SECURITY_LEXICON_FILE = join(ROOT, "lexicon", "security.tsv");
/** How logs spell their severity levels (lexicon/levels.tsv), packed with it: a log's routine words, not evidence. */
export const LEVELS_LEXICON_FILE = join(ROOT, "lexicon", "levels.tsv");
/** Failure words of systems and services (lexicon/operations.tsv), packed with it: negative, not evidence by themselves. */
export const OPERATIONS_LEXICON_FILE = join(ROOT, "lexicon", "operations.tsv");
/** Words that name access (lexicon/access.tsv), packed with it: a line that says one has its negative words read as security evidence. */
export const ACCESS_WORDS_FILE = join(ROOT, "lexicon", "access.tsv");

export interface LexiconChoice {
  /** Pack lexicon/levels.tsv, operations.tsv, security.tsv and access.tsv first, under the given overlays (default true). */
  security?: boolean;
}

/**
 * The contents of a pack: the installed VADER lexicon, the levels, operations and security overlays
 * and the access words (unless left out), the given overlays on top in order, a model and settings.
 */
export function packContents(model: Model, settings: Settings, lexiconFiles: string[] = [], choice: LexiconChoice = {}): PackContents {
  const base = vaderLexicon();
  const files = [...(choice.security === false ? [] : [LEVELS_LEXICON_FILE, OPERATIONS_LEXICON_FILE, SECURITY_LEXICON_FILE]), ...lexiconFiles];
  const overlays: [string, Lexicon][] = files.map((f) => [basename(f), parseLexicon(readText(f), f)]);
  const lexicon = overlay(base, ...overlays.map(([, l]) => l));
  const access = choice.security === false ? new Set<string>() : new Set(parseLexicon(readText(ACCESS_WORDS_FILE), ACCESS_WORDS_FILE).keys());
  // Every overlay's words are evidence but the levels' and the operations'; a word a later overlay gives again is that overlay's.
  const evidence = new Set<string>();
  const failures = new Set<string>();
  overlays.forEach(([name, l], i) => {
    const isEvidence = files[i] !== LEVELS_LEXICON_FILE && files[i] !== OPERATIONS_LEXICON_FILE;
    for (const word of l.keys()) {
      if (isEvidence) evidence.add(word);
      else evidence.delete(word);
      if (files[i] === OPERATIONS_LEXICON_FILE) failures.add(word);
      else failures.delete(word);
    }
  });
  return {
    model,
    lexicon,
    evidence,
    access,
    failures,
    settings,
    info: {
      tarkin: version(),
      model: { messages: model.messages, characters: model.characters.length, ...(model.provenance ?? {}) },
      lexicon: { vader: base.size, overlays: overlays.map(([name, l]) => ({ name, entries: l.size })), access: access.size },
    },
  };
}

/** The module a command runs: a file from tarkin pack, or the embedded default packed now with these settings. */
export type ModuleChoice = { wasm: string } | { settings: Settings };

/** The module chosen, read (a file that is no packed tarkin module is a CliError naming it) or packed. */
export function filterModule(choice: ModuleChoice): Uint8Array {
  if ("wasm" in choice) {
    const wasm = readBytes(choice.wasm);
    try {
      if (!readPack(wasm)) throw new CliError(`${choice.wasm}: a tarkin module with no packed model; build one with tarkin pack`);
    } catch (e) {
      if (e instanceof PackError) throw new CliError(`${choice.wasm}: ${e.message}`);
      throw e;
    }
    return wasm;
  }
  return packModule(coreModule(), packContents(defaultModel(), choice.settings));
}

/** The harness over `wasm`; a module it cannot drive is a CliError naming it (`name`: the module's file, or none for the embedded default). */
export function harnessFor(wasm: Uint8Array, name: string | undefined, eventFormat: EventFormat = "json"): FluentBitFilter {
  try {
    return new FluentBitFilter(wasm, eventFormat);
  } catch (e) {
    if (e instanceof HarnessError) throw new CliError(`${name ?? "the embedded default module"}: ${e.message}`);
    throw e;
  }
}
