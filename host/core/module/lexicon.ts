// The VADER lexicon: read from the installed vader-sentiment package (the reference's own data, one
// source of truth), overlaid with operator lexicons, and laid out as the module reads it
// (assembly/sentiment/lexicon.ts): an open-addressing table of FNV-1a hashes over UTF-8 keys.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { LEXICON_ENTRY, LEXICON_ENTRY_VALENCE, LEXICON_OVERLAY, LEXICON_ACCESS, LEXICON_FAILURE } from "./layouts.js";

export type Lexicon = Map<string, number>;

export class LexiconError extends Error {}

/** The reference's lexicon, from vader-sentiment's vader_lexicon.txt (token, mean valence, ...). */
export function vaderLexicon(): Lexicon {
  const require = createRequire(import.meta.url);
  const path = require.resolve("vader-sentiment/vader_lexicon.txt");
  return parseLexicon(readFileSync(path, "utf8"), path);
}

/**
 * A TSV lexicon: token, valence, anything after ignored. Blank lines and lines starting with "#"
 * are comments. Valences lie on VADER's scale with at most two decimals (the module stores x100).
 */
export function parseLexicon(text: string, source: string): Lexicon {
  const lexicon: Lexicon = new Map();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const [token, value] = line.split("\t");
    const valence = Number(value);
    if (!token || value === undefined || value.trim() === "" || !Number.isFinite(valence)) {
      throw new LexiconError(`${source}:${i + 1}: expected "token<TAB>valence", got ${JSON.stringify(line.slice(0, 60))}`);
    }
    if (Math.round(valence * 100) / 100 !== valence || Math.abs(valence) > 300) {
      throw new LexiconError(`${source}:${i + 1}: valence ${value} must lie within ±300 with at most two decimals`);
    }
    lexicon.set(token, valence);
  });
  return lexicon;
}

/**
 * The base lexicon under the overlays, in order: a later overlay's word replaces an earlier one's,
 * and a word one sets to 0 is taken out, so that VADER does not see it (log jargon: "like Gecko",
 * storage blocks), as it does not see a word that only names access.
 */
export function overlay(base: Lexicon, ...overlays: Lexicon[]): Lexicon {
  const merged = new Map(base);
  for (const o of overlays) for (const [k, v] of o) v === 0 ? merged.delete(k) : merged.set(k, v);
  return merged;
}

export function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/**
 * The lexicon's table bytes. The module looks a word up lowercased and never splits on white space
 * inside a word, so keys with white space or capitals can never be reached: they are left out.
 */
export function lexiconTable(lexicon: Lexicon, evidence: Set<string> = new Set(), access: Set<string> = new Set(), failures: Set<string> = new Set()): { bytes: Uint8Array; entries: number } {
  const keys = [...new Set([...lexicon.keys(), ...access])].filter((k) => !/\s/.test(k) && k.toLowerCase() === k).sort();
  const encoder = new TextEncoder();
  const encoded = keys.map((k) => encoder.encode(k));
  if (keys.length > 0xffff) throw new LexiconError(`lexicon has ${keys.length} entries; at most 65535 fit`);
  for (const [i, e] of encoded.entries()) {
    if (e.length > 64) throw new LexiconError(`lexicon key ${JSON.stringify(keys[i])} is longer than 64 bytes`);
  }
  let slots = 1;
  while (slots < keys.length * 2) slots <<= 1;
  if (keys.length === 0) slots = 0;
  const keyBytes = encoded.reduce((n, e) => n + e.length, 0);
  const slotBytes = (slots * 2 + 3) & ~3;
  const ENTRY = LEXICON_ENTRY; // u32 key offset (LEXICON_OVERLAY set for evidence, LEXICON_ACCESS for a word naming access, LEXICON_FAILURE for a failure), i16 valence x 100; one more entry closes the last key
  const size = 16 + slotBytes + (keys.length + 1) * ENTRY + keyBytes;
  const bytes = new Uint8Array((size + 7) & ~7);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, keys.length, true);
  view.setUint32(4, slots, true);
  view.setUint32(8, keyBytes, true);
  const slotsAt = 16;
  const entriesAt = slotsAt + slotBytes;
  const keysAt = entriesAt + (keys.length + 1) * ENTRY;
  let keyOffset = 0;
  encoded.forEach((key, i) => {
    let slot = fnv1a(key) & (slots - 1);
    while (view.getUint16(slotsAt + slot * 2, true) !== 0) slot = (slot + 1) & (slots - 1);
    view.setUint16(slotsAt + slot * 2, i + 1, true);
    const entry = entriesAt + i * ENTRY;
    view.setUint32(entry, (keyOffset | (evidence.has(keys[i]) ? LEXICON_OVERLAY : 0) | (access.has(keys[i]) ? LEXICON_ACCESS : 0) | (failures.has(keys[i]) ? LEXICON_FAILURE : 0)) >>> 0, true);
    view.setInt16(entry + LEXICON_ENTRY_VALENCE, Math.round((lexicon.get(keys[i]) ?? 0) * 100), true);
    bytes.set(key, keysAt + keyOffset);
    keyOffset += key.length;
  });
  view.setUint32(entriesAt + keys.length * ENTRY, keyOffset, true);
  return { bytes, entries: keys.length };
}
