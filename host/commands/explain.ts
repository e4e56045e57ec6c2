// tarkin explain: one message's score, and why.
import { Command } from "commander";
import { Tarkin, RULE_TEXT } from "../core/tarkin.js";
import { readPack } from "../core/pack.js";
import { addSettingsOptions, type SettingsOptions } from "../core/settings.js";
import { filterModule } from "./check.js";

function show(c: string): string {
  return JSON.stringify(c).slice(1, -1).replace(/^ $/, "␠");
}

export function explainCommand(): Command {
  return addSettingsOptions(
    new Command("explain")
      .description("score one message and show why: characters out of their range, each word's valence, the rules that fired")
      .argument("<message>", "the message")
      .option("--wasm <module.wasm>", "a module from tarkin pack (default: the embedded default model)")
      .option("--json", "print it as JSON"),
  ).action((message: string, o: SettingsOptions & { wasm?: string; json?: boolean }) => {
    const wasm = filterModule(o);
    const settings = readPack(wasm)!.settings;
    const t = Tarkin.fromBytes(wasm);
    const surprise = t.explainSurprise(message);
    const sentiment = t.explainSentiment(message);
    const score = t.score(message);
    const fear = score.fear;
    const negative = settings.surprise === "tarkin" ? sentiment.sentiment.compound <= 0 : sentiment.sentiment.compound < 0;
    if (o.json) {
      process.stdout.write(JSON.stringify({ message, mode: settings.surprise, surprise, sentiment, fear, negativeEnough: negative }, null, 2) + "\n");
      return;
    }
    const out: string[] = [];
    out.push(`message    ${JSON.stringify(message)}`);
    out.push(`surprise   ${surprise.surprise.toFixed(4)} (${settings.surprise} mode)`);
    const odd = surprise.characters.filter((c) => c.contribution > 0);
    const unseen = new Map<string, number>();
    for (const c of odd.filter((c) => c.count === null)) unseen.set(c.char, (unseen.get(c.char) ?? 0) + 1);
    const known = odd.filter((c) => c.count !== null).sort((a, b) => b.contribution - a.contribution);
    if (unseen.size) out.push(`  never seen in training: ${[...unseen].map(([c, n]) => `'${show(c)}'${n > 1 ? ` x${n}` : ""}`).join(" ")}`);
    const range = settings.surprise === "tarkin" ? "[mean - |variance|, mean + |variance|)" : "mean ± spread";
    if (known.length) out.push(`  out of their usual count, ${range}:`);
    for (const c of known.slice(0, 20)) {
      out.push(`    '${show(c.char)}'  count ${String(c.count).padEnd(4)} usually ${c.expected.toFixed(2)} ± ${c.spread.toFixed(2)}   +${c.contribution.toFixed(2)}`);
    }
    if (known.length > 20) out.push(`    ... and ${known.length - 20} more`);
    if (!odd.length) out.push("  every character within its usual count");
    const s = sentiment.sentiment;
    out.push(`sentiment  compound ${s.compound} (neg ${s.neg}, neu ${s.neu}, pos ${s.pos})`);
    for (const w of sentiment.words.filter((w) => w.valence !== null || w.sentiment !== 0 || w.rules.length)) {
      const why = w.rules.map((r) => RULE_TEXT[r]).join("; ");
      out.push(`  ${w.word.padEnd(16)} ${w.valence === null ? "    " : (w.valence > 0 ? "+" : "") + w.valence}  -> ${w.sentiment.toFixed(3)}${why ? `  (${why})` : ""}`);
    }
    if (sentiment.emphasis) out.push(`  punctuation emphasis ${sentiment.emphasis.toFixed(3)} (! and ?)`);
    if (!sentiment.words.some((w) => w.valence !== null)) out.push("  no word in the lexicon");
    // The formulas and the alert level are assembly/fear.ts's.
    if (settings.surprise === "tarkin") {
      out.push(`fear       ${fear.toFixed(4)} = surprise x (1 - compound) / 2`);
      out.push(
        "decision   anomalous when infrequent (judged against the records before it) and compound <= 0" +
          (settings.minFear ? ` and fear >= ${settings.minFear}` : "") +
          `: the sentiment condition ${negative ? "holds" : "does not hold"}`,
      );
    } else {
      out.push(`fear       ${fear.toFixed(4)} = neg + 0.05 x surprise x (1 - compound) / 2, at most 1`);
      out.push(
        `decision   anomalous when fear >= ${Math.max(0.2, settings.minFear)} and compound < 0: ${score.anomaly ? "anomalous" : "not anomalous"}`,
      );
    }
    process.stdout.write(out.join("\n") + "\n");
  });
}
