// tarkin inspect: what a packed module carries.
import { Command } from "commander";
import { readBytes } from "../core/io/files.js";
import { CliError } from "../core/errors.js";
import { PackError, readPack } from "../core/module/pack.js";
import { sketchFill } from "../core/module/model.js";

export function inspectCommand(): Command {
  return new Command("inspect")
    .description("show what a packed module carries: model, settings, lexicon, a content hash")
    .argument("<module.wasm>", "a module from tarkin pack")
    .option("--json", "print it as JSON")
    .action((file: string, o: { json?: boolean }) => {
      const wasm = readBytes(file);
      let pack;
      try {
        pack = readPack(wasm);
      } catch (e) {
        if (e instanceof PackError) throw new CliError(`${file}: ${e.message}`);
        throw e;
      }
      if (!pack) throw new CliError(`${file}: a tarkin module with no packed model; build one with tarkin pack`);
      if (o.json) {
        const { model, ...rest } = pack;
        const sketch = model ? sketchFill(model.fields) : null;
        process.stdout.write(JSON.stringify({ file, bytes: wasm.length, ...rest, characters: model?.characters.map((c) => c.char).join("") ?? "", sketch }, null, 2) + "\n");
        return;
      }
      const s = pack.settings;
      const info = pack.info as { model?: { trainedOn?: { source: string; format: string; messages: number }[] }; lexicon?: { vader: number; overlays: { name: string; entries: number }[]; access?: number }; tarkin?: string };
      const trained = info.model?.trainedOn?.map((t) => `${t.source} (${t.format}, ${t.messages} messages)`).join(", ") || "unknown";
      const overlays = info.lexicon?.overlays?.map((l) => `${l.name} (${l.entries})`).join(", ") || "none";
      const chars = pack.model?.characters.map((c) => JSON.stringify(c.char).slice(1, -1)).join(" ") ?? "";
      const share = (x: number) => `${(100 * x).toFixed(1)}%`;
      const fill = pack.model ? sketchFill(pack.model.fields) : null;
      const sketch = fill
        ? `shapes ${share(fill.shapes.taken)} of counters taken, values ${share(fill.values.taken)}: a shape never seen reads as seen ${share(fill.shapes.collisions)} of the time, a value ${share(fill.values.collisions)} (past a few percent, train on less or on fewer kinds of log)`
        : "none";
      const lines = [
        ["module", `${file}: ${wasm.length} bytes, tarkin ${info.tarkin ?? "?"}`],
        ["pack", `${pack.packBytes} bytes, sha256 ${pack.sha256}`],
        ["model", pack.model ? `${pack.model.characters.length} characters, ${pack.model.messages} messages, trained on ${trained}` : "none"],
        ["characters", chars],
        ["sketch", sketch],
        ["settings", `fields ${s.fields.join(", ")}; mode ${s.mode}; surprise ${s.surprise}; gate spreads ${s.gateSpreads}; min fear ${s.minFear}; prefix ${s.prefix}`],
        ["lexicon", `${pack.lexiconEntries} entries packed: VADER's ${info.lexicon?.vader ?? "?"} with overlays: ${overlays}; access words: ${info.lexicon?.access ?? 0}`],
      ];
      process.stdout.write(lines.map(([k, v]) => `${k.padEnd(11)}${v}`).join("\n") + "\n");
    });
}
