// Shared test fixtures: the built module, packing it, and ../shared data when it is there.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { packModule, DEFAULT_SETTINGS, type Settings } from "../host/core/module/pack.js";
import { vaderLexicon, type Lexicon } from "../host/core/module/lexicon.js";
import { ModuleDriver, type Sentiment } from "../host/core/module/driver.js";
import type { Model } from "../host/core/module/model.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export function coreWasm(variant: "release" | "debug" = "release"): Uint8Array {
  const file = resolve(ROOT, "build", variant === "release" ? "tarkin-core.wasm" : "tarkin-core.debug.wasm");
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  return readFileSync(file);
}

let lexicon: Lexicon | undefined;
export function defaultLexicon(): Lexicon {
  return (lexicon ??= vaderLexicon());
}

export function packedTarkin(options: { settings?: Partial<Settings>; model?: Model; variant?: "release" | "debug" } = {}): ModuleDriver {
  const wasm = packModule(coreWasm(options.variant), {
    lexicon: defaultLexicon(),
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    model: options.model,
  });
  return ModuleDriver.fromBytes(wasm);
}

/** A file under ../shared, or undefined (with a printed notice) when ../shared is not there. */
export function shared(relative: string): string | undefined {
  const file = resolve(ROOT, "..", "shared", relative);
  if (existsSync(file)) return file;
  console.log(`[notice] ../shared/${relative} is absent: skipping the tests that need it`);
  return undefined;
}

const require = createRequire(import.meta.url);
const { SentimentIntensityAnalyzer } = require("vader-sentiment") as {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): Sentiment };
};

/** The reference: vader-sentiment's polarity_scores. */
export function referenceSentiment(text: string): Sentiment {
  return SentimentIntensityAnalyzer.polarity_scores(text);
}

/** Compares the module's sentiment with the reference over many texts; returns counts and examples. */
export function compareSentiment(tarkin: ModuleDriver, texts: Iterable<string>) {
  let compared = 0;
  const differing: { text: string; module: Sentiment; reference: Sentiment }[] = [];
  let differ = 0;
  for (const text of texts) {
    const reference = referenceSentiment(text);
    const module = tarkin.sentiment(text);
    compared++;
    const same = (["neg", "neu", "pos", "compound"] as const).every((k) => Object.is(module[k], reference[k]) || module[k] === reference[k]);
    if (!same) {
      differ++;
      if (differing.length < 5) differing.push({ text, module, reference });
    }
  }
  return { compared, differ, differing };
}
