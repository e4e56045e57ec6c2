// tarkin explain: one message's score, and why.
import { Command } from "commander";
import { ModuleDriver, RULE_TEXT, rareFields, type CharacterDetail, type FieldEvidence } from "../core/module/driver.js";
import { readPack } from "../core/module/pack.js";
import { HOUR_WINDOW } from "../core/module/layouts.js";
import { filterModule } from "../core/module/filter-module.js";
import { addModuleOptions, moduleChoice, type ModuleOptions } from "./options.js";

function show(c: string): string {
  return JSON.stringify(c).slice(1, -1).replace(/^ $/, "␠");
}

/** The field surprise's evidence: how many fields the model knows; per field, its rare shapes and how rare they were in training. */
function fieldLines(evidence: FieldEvidence): string[] {
  const known = `  ${evidence.knownFields} of its ${evidence.countedFields} fields known to the model`;
  if (!evidence.covered) return [`${known}: under half, so not covered (a log the model was not trained on?); unknown fields judged against the log's values in general`];
  if (!evidence.fields.length) return [`${known}; every field shaped as in training`];
  const ranked = rareFields(evidence.fields);
  const out = [known, "  fields whose shape is rare (a = letter, 0 = digits, ^ $ = the value's ends; count in training of the field's values):"];
  for (const f of ranked.slice(0, 12)) {
    const syntax = f.grams.filter((g) => g.evidence === "syntax").flatMap((g) => g.syntax ?? []);
    const newValue = f.grams.find((g) => g.evidence === "new value");
    const long = f.grams.find((g) => g.evidence === "length");
    const newField = f.grams.find((g) => g.evidence === "new field");
    const newNetwork = f.grams.find((g) => g.evidence === "new network");
    const newLogNetwork = f.grams.find((g) => g.evidence === "new network in the log");
    const newTime = f.grams.find((g) => g.evidence === "new time of day");
    const grams = f.grams.filter((g) => g.evidence === "field" || g.evidence === "log");
    const backedOff = grams.some((g) => g.evidence === "log");
    const shown = (syntax.length ? [`${syntax.join(", ")} syntax`] : [])
      .concat(newValue ? [`a value it never held (it holds a few values, ${newValue.values} in training)`] : [])
      .concat(long ? [`${long.count} bytes, far longer than its values`] : [])
      .concat(newField ? [`a field never seen in ${newField.values} values`] : [])
      .concat(newNetwork ? [`an address of a network it never held (its ${newNetwork.values} addresses came from a few)`] : [])
      .concat(newLogNetwork ? [`an address of a network the log never held (the log's ${newLogNetwork.values} addresses came from a few)`] : [])
      .concat(newTime ? [`a value it held ${newTime.values} times, never within ${HOUR_WINDOW} hours of this time of day`] : [])
      .concat(backedOff ? ["a field the model does not know, judged against all values"] : [])
      .concat(grams.slice(0, 6).map((g) => `'${show(g.shape)}' ${g.count}/${g.values}`)).join(", ");
    out.push(`    ${show(f.field).padEnd(12)} +${f.decades.toFixed(2)} decades  ${shown}${grams.length > 6 ? `, ... ${grams.length - 6} more` : ""}`);
  }
  if (ranked.length > 12) out.push(`    ... and ${ranked.length - 12} more fields`);
  return out;
}

/** The original's evidence: the characters out of their usual count, and those never seen. */
function characterLines(characters: CharacterDetail[]): string[] {
  const out: string[] = [];
  const odd = characters.filter((c) => c.contribution > 0);
  const unseen = new Map<string, number>();
  for (const c of odd.filter((c) => c.count === null)) unseen.set(c.char, (unseen.get(c.char) ?? 0) + 1);
  const known = odd.filter((c) => c.count !== null).sort((a, b) => b.contribution - a.contribution);
  if (unseen.size) out.push(`  never seen in training: ${[...unseen].map(([c, n]) => `'${show(c)}'${n > 1 ? ` x${n}` : ""}`).join(" ")}`);
  if (known.length) out.push("  out of their usual count, [mean - |variance|, mean + |variance|):");
  for (const c of known.slice(0, 20)) {
    out.push(`    '${show(c.char)}'  count ${String(c.count).padEnd(4)} usually ${c.expected.toFixed(2)} ± ${c.spread.toFixed(2)}   +${c.contribution.toFixed(2)}`);
  }
  if (known.length > 20) out.push(`    ... and ${known.length - 20} more`);
  if (!odd.length) out.push("  every character within its usual count");
  return out;
}

export function explainCommand(): Command {
  return addModuleOptions(
    new Command("explain")
      .description("score one message and show why: the fields whose shape is rare (characters out of their range in tarkin mode), each word's valence, the rules that fired")
      .argument("<message>", "the message")
      .option("--json", "print it as JSON"),
    // One message, scored alone: no record fields, no output record, no gate's history.
    ["surprise", "minFear"],
  ).action((message: string, o: ModuleOptions & { json?: boolean }) => {
    const wasm = filterModule(moduleChoice(o));
    const settings = readPack(wasm)!.settings;
    const t = ModuleDriver.fromBytes(wasm);
    const tarkinMode = settings.surprise === "tarkin";
    const evidence = tarkinMode ? { characters: t.explainSurprise(message) } : { fields: t.explainFields(message) };
    const sentiment = t.explainSentiment(message);
    const score = t.score(message);
    const fear = score.fear;
    const decision = t.decision;
    const negative = tarkinMode ? sentiment.sentiment.compound <= 0 : sentiment.sentiment.compound < 0;
    if (o.json) {
      const surprise = tarkinMode ? evidence.characters : evidence.fields;
      process.stdout.write(JSON.stringify({ message, mode: settings.surprise, surprise, sentiment, fear, anomaly: score.anomaly, negativeEnough: negative }, null, 2) + "\n");
      return;
    }
    const out: string[] = [];
    out.push(`message    ${JSON.stringify(message)}`);
    out.push(`surprise   ${score.surprise.toFixed(4)} (${settings.surprise} mode)`);
    if (evidence.fields) out.push(...fieldLines(evidence.fields));
    if (evidence.characters) out.push(...characterLines(evidence.characters.characters));
    const s = sentiment.sentiment;
    out.push(`sentiment  compound ${s.compound} (neg ${s.neg}, neu ${s.neu}, pos ${s.pos})`);
    for (const w of sentiment.words.filter((w) => w.valence !== null || w.sentiment !== 0 || w.rules.length)) {
      const why = w.rules.map((r) => RULE_TEXT[r]).join("; ");
      out.push(`  ${w.word.padEnd(16)} ${w.valence === null ? "    " : (w.valence > 0 ? "+" : "") + w.valence}  -> ${w.sentiment.toFixed(3)}${why ? `  (${why})` : ""}`);
    }
    if (sentiment.emphasis) out.push(`  punctuation emphasis ${sentiment.emphasis.toFixed(3)} (! and ?)`);
    if (!sentiment.words.some((w) => w.valence !== null)) out.push("  no word in the lexicon");
    // The rule is the module's own (assembly/decision/fear.ts), as it states it.
    out.push(`fear       ${fear.toFixed(4)}${tarkinMode ? "" : sentiment.securityNegative ? " (a security word reads negative)" : ""}`);
    out.push(`decision   ${tarkinMode ? decision.rule.tarkin : decision.rule.default}` + (settings.minFear ? `; and fear >= ${settings.minFear}` : ""));
    out.push(`           ${score.anomaly ? "anomalous" : "not anomalous"}` + (tarkinMode ? `: the sentiment condition ${negative ? "holds" : "does not hold"}` : ""));
    process.stdout.write(out.join("\n") + "\n");
  });
}
