// tarkin merge: the model of training on all the shards, from the shards' models.
import { writeFileSync } from "node:fs";
import { Command } from "commander";
import { UsageError } from "../core/errors.js";
import { readText } from "../core/io/files.js";
import { mergeFields, parseModel, type CharacterStats, type Model } from "../core/module/model.js";

export function mergeCommand(): Command {
  return new Command("merge")
    .description("merge models trained on shards into the model of training on them all, in order")
    .argument("<models...>", "model files, in training order")
    .requiredOption("-o, --output <model.json>", "where to write the merged model")
    .action((files: string[], o: { output: string }) => {
      if (files.length < 2) throw new UsageError(`at least two models to merge, not ${files.length}`);
      const models = files.map((f) => parseModel(readText(f), f));
      const merged = models.reduce(mergeModels);
      writeFileSync(o.output, JSON.stringify(merged, null, 1) + "\n");
      process.stderr.write(`tarkin merge: ${files.length} models, ${merged.messages} messages, ${merged.characters.length} characters -> ${o.output}\n`);
    });
}

/**
 * Training on A's messages then B's gives exactly this: counts are integers, so the shifted sums
 * re-centre on A's first count without rounding (d = K_B - K_A):
 * Ex = Ex_A + Ex_B + n_B d, Ex2 = Ex2_A + Ex2_B + 2 d Ex_B + n_B d^2. The field model's counters add.
 */
export function mergeModels(a: Model, b: Model): Model {
  const characters = a.characters.map((c) => ({ ...c }));
  const index = new Map(characters.map((c, i) => [c.char, i]));
  for (const y of b.characters) {
    const i = index.get(y.char);
    if (i === undefined) {
      index.set(y.char, characters.length);
      characters.push({ ...y });
      continue;
    }
    const x: CharacterStats = characters[i];
    const d = y.K - x.K;
    characters[i] = {
      char: x.char,
      n: x.n + y.n,
      K: x.K,
      Ex: x.Ex + y.Ex + y.n * d,
      Ex2: x.Ex2 + y.Ex2 + 2 * d * y.Ex + y.n * d * d,
      max: Math.max(x.max, y.max),
      min: Math.min(x.min, y.min),
    };
  }
  const trainedOn = [a, b].flatMap((m) => (m.provenance?.trainedOn as unknown[] | undefined) ?? []);
  return { format: "tarkin-model", version: 3, messages: a.messages + b.messages, characters, fields: mergeFields(a.fields, b.fields), provenance: { trainedOn } };
}
