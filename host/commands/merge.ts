// tarkin merge: the model of training on all the shards, from the shards' models.
import { statSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { CliError, UsageError } from "../core/errors.js";
import { readText } from "../core/io/files.js";
import { mergeFields, parseModel, type CharacterStats, type Model } from "../core/module/model.js";
import { MODEL_VERSION } from "../core/module/layouts.js";

export function mergeCommand(): Command {
  return new Command("merge")
    .description("merge models trained on shards into the model of training on them all, in order")
    .argument("<models...>", "model files, in training order")
    .requiredOption("-o, --output <model.json>", "where to write the merged model")
    .option("--allow-duplicates", "merge even a model given twice, or two models of identical training, counting that training twice")
    .action((files: string[], o: { output: string; allowDuplicates?: boolean }) => {
      if (files.length < 2) throw new UsageError(`at least two models to merge, not ${files.length}`);
      const models = files.map((f) => parseModel(readText(f), f));
      if (!o.allowDuplicates) refuseDuplicates(files, models);
      const merged = models.reduce(mergeModels);
      writeFileSync(o.output, JSON.stringify(merged, null, 1) + "\n");
      process.stderr.write(`tarkin merge: ${files.length} models, ${merged.messages} messages, ${merged.characters.length} characters -> ${o.output}\n`);
    });
}

/**
 * A shard merged twice counts its training twice, silently: the same file given twice, or two
 * files of identical training (the same messages, characters and field counters, whatever their
 * provenance, which names sources only by their file names).
 */
function refuseDuplicates(files: string[], models: Model[]): void {
  const byFile = new Map<string, string>();
  const byTraining = new Map<string, string>();
  const allow = "--allow-duplicates merges them anyway";
  files.forEach((file, i) => {
    const { dev, ino } = statSync(file);
    const same = byFile.get(`${dev}:${ino}`);
    if (same !== undefined) {
      throw new UsageError(`${same === file ? `${file} is given twice` : `${same} and ${file} are the same file`}: merging would count its training twice (${allow})`);
    }
    byFile.set(`${dev}:${ino}`, file);
    const { messages, characters, fields } = models[i];
    const training = JSON.stringify([messages, characters, fields]);
    const twin = byTraining.get(training);
    if (twin !== undefined) throw new CliError(`${twin} and ${file} hold identical training, as of the same shard: merging would count it twice (${allow})`);
    byTraining.set(training, file);
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
  return { format: "tarkin-model", version: MODEL_VERSION, messages: a.messages + b.messages, characters, fields: mergeFields(a.fields, b.fields), provenance: { trainedOn } };
}
