// The report as one self-contained HTML page: inline CSS, inline SVG charts drawn here, no script,
// and a Content-Security-Policy that forbids loading anything at all. Every piece of log text goes
// through html() (escaped, control and bidirectional characters made visible): logs are hostile.
// It opens with the alerts grouped by kind; the charts follow in the order of what drives the
// decision in the packed surprise mode.
import { ALL, ANOMALOUS, COUNT_CAP, INFREQUENT, type AlertKind, type Explanation, type Histogram, type ReportData } from "./report-data.js";
import { MESSAGE_KEPT, reasonOf, templateOf, type Example, type Seen } from "./alert-groups.js";
import { RULE_TEXT } from "../module/driver.js";
import { HOUR_WINDOW } from "../module/layouts.js";

export interface ReportMeta {
  /** The module: a --wasm path, or the embedded default. */
  module: string;
  format: string;
  generated: Date;
  version: string;
  /** Set when a drop-mode module was run in annotate mode to see every record. */
  annotated: boolean;
}

// ---------------------------------------------------------------------------------------------
// Text.

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text escaped for HTML text and attribute values (only escaping, nothing made visible). */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * Log text as HTML: escaped, and what would hide or disguise content made visible: C0 controls
 * (as their Control Pictures), DEL, zero-width and bidirectional formatting characters, byte-order
 * marks and lone surrogates (as U+XXXX), so a line cannot reorder or conceal what it shows.
 */
export function html(text: string): string {
  return text.replace(/[&<>"']|[\0-\x08\x0a-\x1f\x7f]|[\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udfff]/gu, (c) => {
    const e = ENTITIES[c];
    if (e) return e;
    const code = c.codePointAt(0)!;
    return `<span class="ctl" title="U+${hex(code)}">${escapeOf(code)}</span>`;
  });
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, "0");
}

const ESCAPES: Record<number, string> = { 0: "\\0", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 0x1b: "\\e" };

/** A control or invisible character as an escape anyone can read, in any font: \n, \x1f, \u202e. */
function escapeOf(code: number): string {
  if (ESCAPES[code]) return ESCAPES[code];
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, "0")}`;
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

/** One character as a label: space as ␣, invisible ones as escapes. */
export function charLabel(c: string): string {
  const code = c.codePointAt(0)!;
  if (c === " ") return "\u2423";
  if (/[\p{Z}\p{Cf}\p{Cc}\p{Mn}\p{Cs}]/u.test(c)) return escapeOf(code);
  return c;
}

function charName(c: string): string {
  if (c === " ") return "space";
  return `'${charLabel(c)}' (U+${hex(c.codePointAt(0)!)})`;
}

function fixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return "–";
  return x.toFixed(digits).replace(/^-(0\.?0*)$/, "$1").replace("-", "\u2212");
}

function signed(x: number, digits: number): string {
  return (x > 0 ? "+" : "") + fixed(x, digits);
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function percent(part: number, whole: number): string {
  if (!whole) return "0%";
  const p = (100 * part) / whole;
  return `${p < 0.1 && p > 0 ? p.toFixed(2) : p.toFixed(1)}%`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${(n / (1 << 30)).toFixed(2)} GiB`;
}

/** A number rounded for SVG coordinates. */
function r(x: number): string {
  return String(Math.round(x * 10) / 10);
}

// ---------------------------------------------------------------------------------------------
// Scales and axes.

function niceStep(range: number, target: number, quarters = true): number {
  const raw = range / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : quarters && f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

function ticks(lo: number, hi: number, target: number): number[] {
  const step = niceStep(hi - lo || 1, target, false);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step + 0);
  return out;
}

function tickText(v: number, step: number): string {
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return fixed(v, digits);
}

const COLOR = {
  all: "#9bb3cc",
  gate: "#e69f00",
  anomalous: "#c0392b",
  model: "#1f3b57",
  within: "#5b8db8",
  partly: "#e69f00",
  fully: "#c0392b",
  grid: "#e3e8ee",
  axis: "#4a5561",
};

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function plotWidth(f: Frame): number {
  return f.width - f.left - f.right;
}

function plotHeight(f: Frame): number {
  return f.height - f.top - f.bottom;
}

function svgOpen(id: string, f: Frame, title: string, desc: string): string {
  return (
    `<svg id="${id}" class="chart" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(desc)}</desc>`
  );
}

/** The x axis: ticks, their labels and the axis title. */
function xAxis(f: Frame, values: number[], x: (v: number) => number, label: (v: number) => string, title: string): string {
  const y = f.height - f.bottom;
  let out = `<g class="axis"><line x1="${f.left}" x2="${f.width - f.right}" y1="${y}" y2="${y}" stroke="${COLOR.axis}"/>`;
  for (const v of values) {
    const px = r(x(v));
    out += `<line x1="${px}" x2="${px}" y1="${y}" y2="${y + 5}" stroke="${COLOR.axis}"/><text x="${px}" y="${y + 19}" text-anchor="middle">${esc(label(v))}</text>`;
  }
  return out + `<text class="axis-title" x="${r(f.left + plotWidth(f) / 2)}" y="${f.height - 6}" text-anchor="middle">${esc(title)}</text></g>`;
}

/** The y axis with grid lines. */
function yAxis(f: Frame, values: number[], y: (v: number) => number, label: (v: number) => string, title: string): string {
  let out = `<g class="axis"><line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="${COLOR.axis}"/>`;
  for (const v of values) {
    const py = r(y(v));
    out += `<line x1="${f.left}" x2="${f.width - f.right}" y1="${py}" y2="${py}" stroke="${COLOR.grid}"/>`;
    out += `<line x1="${f.left - 5}" x2="${f.left}" y1="${py}" y2="${py}" stroke="${COLOR.axis}"/><text x="${f.left - 8}" y="${py}" dy="0.35em" text-anchor="end">${esc(label(v))}</text>`;
  }
  const cy = f.top + plotHeight(f) / 2;
  return out + `<text class="axis-title" transform="translate(16 ${r(cy)}) rotate(-90)" text-anchor="middle">${esc(title)}</text></g>`;
}

/** A vertical marker line across the plot, labelled at its top. */
function marker(f: Frame, px: number, label: string, color: string, row = 0): string {
  const anchor = px > f.left + plotWidth(f) * 0.6 ? "end" : "start";
  const tx = anchor === "end" ? px - 6 : px + 6;
  const ty = f.top + 14 + row * 17;
  return (
    `<g class="marker"><line x1="${r(px)}" x2="${r(px)}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="${color}" stroke-width="2" stroke-dasharray="6 4"/>` +
    `<text x="${r(tx)}" y="${ty}" text-anchor="${anchor}" fill="${color}" class="marker-label">${esc(label)}</text></g>`
  );
}

function legend(items: { color: string; label: string; shape?: "bar" | "dot" | "dash" }[], x: number, y: number): string {
  let out = `<g class="legend">`;
  let at = x;
  for (const item of items) {
    if (item.shape === "dot") out += `<circle cx="${at + 6}" cy="${y - 4}" r="5" fill="${item.color}"/>`;
    else if (item.shape === "dash") out += `<line x1="${at}" x2="${at + 14}" y1="${y - 4}" y2="${y - 4}" stroke="${item.color}" stroke-width="2" stroke-dasharray="5 3"/>`;
    else out += `<rect x="${at}" y="${y - 10}" width="12" height="12" fill="${item.color}"/>`;
    out += `<text x="${at + 18}" y="${y}">${esc(item.label)}</text>`;
    at += 18 + item.label.length * 7.2 + 22;
  }
  return out + `</g>`;
}

// ---------------------------------------------------------------------------------------------
// Charts.

interface Mark {
  value: number;
  label: string;
  color: string;
}

/**
 * A histogram of one score over the checked records, on a log count scale: for each bin, bars from
 * the axis for all records, those of them that passed the gate, and the anomalies, each narrower.
 */
function histogramChart(id: string, h: Histogram, lo: number, hi: number, o: { title: string; desc: string; x: string; marks: Mark[] }): string {
  const f: Frame = { width: 1124, height: 300, left: 70, right: 24, top: 44, bottom: 52 };
  const fineWidth = (h.hi - h.lo) / h.bins;
  const per = Math.max(1, Math.round(niceStep(hi - lo, 50) / fineWidth));
  const first = h.bin(lo);
  const bins: { from: number; to: number; all: number; gate: number; anomalous: number }[] = [];
  for (let b = first; b < h.bins && h.edge(b) < hi - fineWidth / 2; b += per) {
    let all = 0;
    let gate = 0;
    let anomalous = 0;
    for (let i = b; i < Math.min(b + per, h.bins); i++) {
      all += h.counts[i * 3 + ALL];
      gate += h.counts[i * 3 + INFREQUENT];
      anomalous += h.counts[i * 3 + ANOMALOUS];
    }
    bins.push({ from: h.edge(b), to: h.edge(Math.min(b + per, h.bins)), all, gate, anomalous });
  }
  // Values beyond the shown range (none for the ranges chosen here) join the last bin.
  const max = Math.max(1, ...bins.map((b) => b.all));
  const top = 10 ** Math.ceil(Math.log10(max + 1));
  const x = (v: number) => f.left + ((v - lo) / (hi - lo)) * plotWidth(f);
  const y = (c: number) => f.top + plotHeight(f) * (1 - Math.log10(1 + c) / Math.log10(1 + top));
  const base = f.height - f.bottom;
  let out = svgOpen(id, f, o.title, o.desc);
  const yTicks: number[] = [];
  for (let t = 1; t <= top; t *= 10) yTicks.push(t);
  out += yAxis(f, yTicks, y, (v) => count(v), "records (log scale)");
  out += `<g class="bars">`;
  for (const b of bins) {
    if (!b.all) continue;
    const x0 = x(b.from);
    const w = Math.max(x(b.to) - x0, 1);
    const tip = `${fixed(b.from, 4)} to ${fixed(b.to, 4)}: ${count(b.all)} records, ${count(b.gate)} passed the gate, ${count(b.anomalous)} anomalous`;
    out += `<g><title>${esc(tip)}</title><rect x="${r(x0 + 0.5)}" y="${r(y(b.all))}" width="${r(Math.max(w - 1, 0.8))}" height="${r(base - y(b.all))}" fill="${COLOR.all}"/>`;
    if (b.gate) out += `<rect x="${r(x0 + w * 0.2)}" y="${r(y(b.gate))}" width="${r(Math.max(w * 0.6 - 0.5, 0.8))}" height="${r(base - y(b.gate))}" fill="${COLOR.gate}"/>`;
    if (b.anomalous) out += `<rect x="${r(x0 + w * 0.35)}" y="${r(y(b.anomalous))}" width="${r(Math.max(w * 0.3, 0.8))}" height="${r(base - y(b.anomalous))}" fill="${COLOR.anomalous}"/>`;
    out += `</g>`;
  }
  out += `</g>`;
  const xTicks = ticks(lo, hi, 10);
  const step = xTicks.length > 1 ? xTicks[1] - xTicks[0] : hi - lo;
  out += xAxis(f, xTicks, x, (v) => tickText(v, step), o.x);
  o.marks.forEach((m, i) => {
    if (m.value >= lo && m.value <= hi) out += marker(f, x(m.value), m.label, m.color, i);
  });
  out += legend(
    [
      { color: COLOR.all, label: "all records" },
      { color: COLOR.gate, label: "passed the surprise gate" },
      { color: COLOR.anomalous, label: "anomalous" },
    ],
    f.left,
    20,
  );
  return out + `</svg>`;
}

/** How surprising a count is in the pack's mode, as assembly/models/surprise.ts grades it (for colour). */
function contributionOf(mode: string, count: number, expected: number, spread: number): number {
  if (mode === "tarkin") {
    if (count === 0) return 1;
    return expected - spread <= count && count < expected + spread ? 0 : 1;
  }
  return Math.min(Math.max((Math.abs(count - expected) / spread - 1) / 2, 0), 1);
}

/** The letter space: per character, the model's mean and spread, and the checked messages' counts. */
function letterChart(data: ReportData): string {
  const letters = [...data.letters.letters].sort((a, b) => a.char.codePointAt(0)! - b.char.codePointAt(0)!);
  const total = data.letters.messages;
  const mode = data.pack.settings.surprise;
  // Wide enough for every character: one page width up to 60 of them, scrolling sideways beyond.
  const column = Math.max(14, Math.min(20, 1030 / Math.max(letters.length, 1)));
  const f: Frame = { width: Math.max(1124, 70 + 24 + letters.length * column), height: 460, left: 70, right: 24, top: 50, bottom: 62 };
  // The count axis reaches the model's ranges and what nearly every checked message shows.
  let yMax = 1;
  for (const l of letters) {
    yMax = Math.max(yMax, l.expected + l.spread);
    let seen = 0;
    for (let c = 0; c <= COUNT_CAP + 1; c++) {
      seen += l.counts[c];
      if (seen >= total * 0.995) {
        yMax = Math.max(yMax, c);
        break;
      }
    }
  }
  yMax = Math.ceil(yMax * 1.08);
  const cw = plotWidth(f) / Math.max(letters.length, 1);
  const y = (v: number) => f.top + plotHeight(f) * (1 - v / yMax);
  const unit = plotHeight(f) / yMax;
  const title = "Letter space: the model's count per character, and the checked messages' counts";
  const desc =
    `For each of the model's ${letters.length} characters (lowercased), a dark dot with an error bar shows the mean count the model expects and the spread it allows; ` +
    `horizontal bars show how many checked messages had each count, wider for more messages, coloured by how surprising that count is.`;
  let out = svgOpen("chart-letters", f, title, desc);
  out += yAxis(f, ticks(0, yMax, 8), y, (v) => String(v), "count in a message");
  letters.forEach((l, i) => {
    // The model's error bar left of the column's middle, the checked counts growing right of it.
    const cx = f.left + cw * (i + 0.5);
    const mx = f.left + cw * (i + 0.3);
    const sx = f.left + cw * (i + 0.42);
    if (i % 2 === 0) out += `<rect x="${r(f.left + cw * i)}" y="${f.top}" width="${r(cw)}" height="${r(plotHeight(f))}" fill="#f5f7fa"/>`;
    out += `<g><title>${esc(`${charName(l.char)}: the model expects ${fixed(l.expected, 2)} ± ${fixed(l.spread, 2)}`)}</title>`;
    for (let c = 0; c <= COUNT_CAP + 1; c++) {
      const n = l.counts[c];
      if (!n) continue;
      const share = n / Math.max(total, 1);
      const width = Math.max(cw * 0.56 * Math.sqrt(share), 2);
      const contribution = contributionOf(mode, c, l.expected, l.spread);
      const color = contribution === 0 ? COLOR.within : contribution < 1 ? COLOR.partly : COLOR.fully;
      const over = c > yMax;
      const cy = over ? f.top - 6 : y(c);
      const label = c > COUNT_CAP ? `more than ${COUNT_CAP}` : String(c);
      const tip = `${charName(l.char)} ${over ? "beyond the axis, " : ""}count ${label}: ${count(n)} messages (${percent(n, total)})${contribution ? `, surprising (${fixed(contribution, 2)})` : ""}`;
      if (over) out += `<path d="M${r(sx)} ${r(cy + 4)}h8l-4 -7z" fill="${color}"><title>${esc(tip)}</title></path>`;
      else {
        const height = Math.min(Math.max(unit * 0.6, 1.5), 5);
        out += `<rect x="${r(sx)}" y="${r(cy - height / 2)}" width="${r(width)}" height="${r(height)}" fill="${color}"><title>${esc(tip)}</title></rect>`;
      }
    }
    // The model: mean with an error bar of the spread, as in the original's notebook.
    const lo = Math.max(l.expected - l.spread, 0);
    const hi = Math.min(l.expected + l.spread, yMax);
    out += `<path d="M${r(mx)} ${r(y(lo))}V${r(y(hi))}M${r(mx - 3.5)} ${r(y(lo))}h7M${r(mx - 3.5)} ${r(y(hi))}h7" stroke="${COLOR.model}" stroke-width="1.6" fill="none"/>`;
    out += `<circle cx="${r(mx)}" cy="${r(y(l.expected))}" r="3.2" fill="${COLOR.model}"/></g>`;
    out += `<text class="char" x="${r(cx)}" y="${f.height - f.bottom + 18}" text-anchor="middle">${esc(charLabel(l.char))}</text>`;
  });
  out += `<line x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}" stroke="${COLOR.axis}"/>`;
  out += `<text class="axis-title" x="${r(f.left + plotWidth(f) / 2)}" y="${f.height - 14}" text-anchor="middle">character of the model (lowercased, by code point)</text>`;
  out += legend(
    [
      { color: COLOR.model, label: mode === "tarkin" ? "model: the range [mean − |variance|, mean + |variance|)" : "model: mean ± spread", shape: "dot" },
      { color: COLOR.within, label: "checked: within" },
      { color: COLOR.partly, label: "partly surprising" },
      { color: COLOR.fully, label: "fully surprising" },
    ],
    f.left,
    22,
  );
  return out + `</svg>`;
}

/** Surprise along the run: each stretch's range and mean, the gate it was judged against, anomalies. */
function timelineChart(data: ReportData): string {
  const f: Frame = { width: 1124, height: 300, left: 70, right: 24, top: 44, bottom: 52 };
  const buckets = data.timeline.buckets;
  const n = Math.max(data.scored, 1);
  const top = Math.max(0.05, ...buckets.map((b) => b.max));
  const yTicks = ticks(0, top, 6);
  const yMax = Math.max(top, yTicks[yTicks.length - 1]);
  const x = (i: number) => f.left + (i / n) * plotWidth(f);
  const y = (v: number) => f.top + plotHeight(f) * (1 - Math.min(Math.max(v, 0), yMax) / yMax);
  const desc =
    `The surprise of the ${count(data.scored)} scored records in order, in ${buckets.length} stretches of up to ${count(Math.max(...buckets.map((b) => b.count), 0))} records: ` +
    `the shaded band is each stretch's range, the blue line its mean, the dashed line the gate a record had to pass, red dots the anomalies.`;
  let out = svgOpen("chart-timeline", f, "Surprise along the run, with the adaptive gate", desc);
  const step = yTicks.length > 1 ? yTicks[1] - yTicks[0] : yMax;
  out += yAxis(f, yTicks, y, (v) => tickText(v, step), "surprise");
  let band = "";
  let mean = "";
  let gate = "";
  let dots = "";
  for (const b of buckets) {
    const x0 = x(b.first);
    const x1 = x(b.last + 1);
    band += `<rect x="${r(x0)}" y="${r(y(b.max))}" width="${r(Math.max(x1 - x0, 0.6))}" height="${r(Math.max(y(b.min) - y(b.max), 0.6))}"/>`;
    mean += `${mean ? "L" : "M"}${r((x0 + x1) / 2)} ${r(y(b.sum / b.count))}`;
    if (Number.isFinite(b.gate)) gate += `${gate ? "L" : "M"}${r(x1)} ${r(y(b.gate))}`;
    if (b.anomalies) {
      const tip = `records ${count(b.first + 1)} to ${count(b.last + 1)}: ${count(b.anomalies)} anomalous, highest surprise ${fixed(b.anomalyMax, 4)}; gate ${fixed(b.gate, 4)}`;
      dots += `<circle cx="${r((x0 + x1) / 2)}" cy="${r(y(b.anomalyMax))}" r="${r(Math.min(3 + Math.sqrt(b.anomalies), 7))}" fill="${COLOR.anomalous}" fill-opacity="0.85"><title>${esc(tip)}</title></circle>`;
    }
  }
  out += `<g fill="${COLOR.all}" fill-opacity="0.55">${band}</g>`;
  if (mean) out += `<path d="${mean}" fill="none" stroke="${COLOR.within}" stroke-width="1.5"/>`;
  if (gate) out += `<path d="${gate}" fill="none" stroke="#111" stroke-width="1.8" stroke-dasharray="6 4"/>`;
  out += dots;
  const xTicks = ticks(0, n, 10).filter((v) => v <= n && Number.isInteger(v));
  out += xAxis(f, xTicks, x, (v) => count(v), "record (in the order checked)");
  out += legend(
    [
      { color: COLOR.all, label: "range of surprise" },
      { color: COLOR.within, label: "mean surprise", shape: "dash" },
      { color: "#111", label: "gate (threshold to pass)", shape: "dash" },
      { color: COLOR.anomalous, label: "anomalies", shape: "dot" },
    ],
    f.left,
    20,
  );
  return out + `</svg>`;
}

// ---------------------------------------------------------------------------------------------
// The page.

function gateText(data: ReportData): string {
  const s = data.pack.settings;
  return s.surprise === "tarkin"
    ? "the original's: a surprise above the highest so far less |variance|"
    : `a surprise more than ${s.gateSpreads} standard deviations above the running mean of the records before it`;
}

/**
 * The decision as the module made it on these records: which conditions every anomaly met, and
 * the fear level that separated them from the rest. Read from the verdicts, not assumed.
 */
function decisionText(data: ReportData): string {
  const d = data.decision;
  if (!d.anomalies) return "No record was scored anomalous, so these records do not show which conditions the decision uses.";
  const met: string[] = [];
  if (d.gateRequired) met.push(`passed the surprise gate (${gateText(data)})`);
  if (d.negative) met.push(`read negative (compound ${d.negative === "<0" ? "< 0" : "≤ 0"}${d.negative === "<=0" && d.maxCompound === 0 ? ", neutral included" : ""})`);
  const level = d.fearLevel;
  if (level) met.push(`reached fear ${fixed(level.level, 4)}`);
  let text = `Every one of the ${count(d.anomalies)} scored anomalies ${met.length ? met.slice(0, -1).join(", ") + (met.length > 1 ? " and " : "") + met[met.length - 1] : "met no common condition seen here"}`;
  if (level) text += `; no other record${d.negative ? " that read negative" : ""}${d.gateRequired ? " and passed the gate" : ""} reached that fear (the highest: ${fixed(level.below, 4)})`;
  if (!d.gateRequired) text += `; the gate (${gateText(data)}) is not required: ${count(d.passedGate)} of them passed it`;
  const minFear = data.pack.settings.minFear;
  return text + `.${minFear ? ` The module's settings also require fear ≥ ${minFear}.` : ""} (Read from the module's verdicts on these records.)`;
}

/** Why an alert was feared, as rows of chips: rare field shapes, characters, words, emphasis. */
function whyRows(e: Explanation): string {
  const fields = e.fields.map((f) => {
    const syntax = f.grams.flatMap((g) => (g.evidence === "syntax" ? g.syntax ?? [] : []));
    const backedOff = f.grams.some((g) => g.evidence === "log");
    const grams = [
      ...(syntax.length ? [`<b>${esc(syntax.join(", "))} syntax</b>`] : []),
      ...f.grams.filter((g) => g.evidence === "new value").map((g) => `<b>a value it never held</b> (a few values, ${count(g.values)} in training)`),
      ...f.grams.filter((g) => g.evidence === "length").map((g) => `<b>${count(g.count)} bytes</b>, far longer than its values`),
      ...f.grams.filter((g) => g.evidence === "new field").map((g) => `<b>a field never seen</b> in ${count(g.values)} values`),
      ...f.grams.filter((g) => g.evidence === "new network").map((g) => `<b>a network it never held</b> (a few, ${count(g.values)} addresses in training)`),
      ...f.grams.filter((g) => g.evidence === "new network in the log").map((g) => `<b>a network the log never held</b> (a few, ${count(g.values)} addresses in training)`),
      ...f.grams.filter((g) => g.evidence === "new time of day").map((g) => `<b>never at this time of day</b> (held ${count(g.values)} times, never within ${HOUR_WINDOW} hours of it)`),
      ...(backedOff ? ["<i>a field the model does not know: against all values</i>"] : []),
      ...f.grams.filter((g) => g.evidence === "field" || g.evidence === "log").map((g) => `<code>${html(g.shape)}</code> ${count(g.count)}/${count(g.values)}`),
    ].join(", ");
    const tip = `trigrams of the value's shape (a letter, 0 digits, ^ $ the value's ends), each with how many times the field held it in training, of its values; adds ${fixed(f.decades, 2)} decades`;
    return `<span class="chip unseen" title="${esc(tip)}"><b>${html(f.field)}</b> +${fixed(f.decades, 1)} <small>${grams}</small></span>`;
  });
  if (e.moreFields) fields.push(`<span class="more">and ${e.moreFields} more fields</span>`);
  const chars = e.characters.map((c) => {
    const tip = `count ${c.count}, the model expects ${fixed(c.expected, 2)} ± ${fixed(c.spread, 2)}; adds ${fixed(c.contribution, 2)} to the surprise`;
    return `<span class="chip char" title="${esc(tip)}"><code>${html(charLabel(c.char))}</code> ${c.count} <small>usually ${fixed(c.expected, 1)} ± ${fixed(c.spread, 1)}</small></span>`;
  });
  if (e.moreCharacters) chars.push(`<span class="more">and ${e.moreCharacters} more</span>`);
  const unseen = e.unseen.map(([c, n]) => `<span class="chip unseen"><code>${html(charLabel(c))}</code>${n > 1 ? ` ×${n}` : ""}</span>`);
  const words = e.words.map((w) => {
    const v = w.sentiment;
    const cls = v < 0 ? "neg" : v > 0 ? "pos" : "zero";
    const rules = w.rules.map((x) => RULE_TEXT[x] ?? x).join("; ");
    const changed = w.valence !== null && Math.abs(w.valence - v) > 1e-9;
    const tip = `lexicon valence ${w.valence === null ? "none" : signed(w.valence, 2)}${changed || rules ? `, scored ${signed(v, 3)}` : ""}${rules ? ` (${rules})` : ""}`;
    return `<span class="chip word ${cls}" title="${esc(tip)}">${html(w.word)} <b>${signed(w.valence ?? v, 1)}</b>${changed ? ` → ${signed(v, 2)}` : ""}${rules ? ` <small>${esc(rules)}</small>` : ""}</span>`;
  });
  if (e.moreWords) words.push(`<span class="more">and ${e.moreWords} more</span>`);
  const why: string[] = [];
  const reason = (label: string, items: string) => `<div class="reason"><span class="why">${label}</span><span>${items}</span></div>`;
  if (fields.length) why.push(reason("rare field shapes", fields.join(" ")));
  if (e.unfamiliar) why.push(reason("fields", `${e.unfamiliar.knownFields} of ${e.unfamiliar.countedFields} known to the model: under half, so not covered (a log it was not trained on?); only values with attack syntax judged`));
  if (chars.length) why.push(reason("outside their range", chars.join(" ")));
  if (unseen.length) why.push(reason("never seen in training", unseen.join(" ")));
  if (words.length) why.push(reason("words", words.join(" ")));
  if (e.emphasis) why.push(reason("punctuation", `emphasis ${fixed(e.emphasis, 3)} (! and ?)`));
  return why.join("");
}

/** How an alert's place is told: the line (or row) unit, and whether to name the source (more than one checked). */
interface Where {
  unit: string;
  sources: boolean;
}

/** Where (and, when the record says, when) an alert was seen. */
function seenText(seen: Seen, where: Where, join = "<br>"): string {
  return `${where.sources ? `${html(seen.source)} ` : ""}<small class="line">${where.unit} ${count(seen.line)}</small>${seen.time ? `${join}<small class="time">${html(seen.time)}</small>` : ""}`;
}

/** An example's message, with what was cut from it. */
function exampleText(x: Example, cls: string): string {
  const cutNote = x.length > x.message.length ? `<span class="more">… ${count(x.length - x.message.length)} more characters (explained on the first ${count(MESSAGE_KEPT)})</span>` : "";
  return `<div class="msg ${cls}">${html(x.message)}${cutNote}</div>`;
}

function kindRow(kind: AlertKind, rank: number, where: Where, alerts: number): string {
  const g = kind.group;
  const x = g.example;
  const another = g.another
    ? `<div class="reason"><span class="why">another</span><span>${seenText(g.another, where, " · ")}${exampleText(g.another, "another")}</span></div>`
    : "";
  return (
    `<tr><td class="num">${rank}</td><td class="num"><b>${count(g.count)}</b><br><small>${percent(g.count, alerts)}</small></td>` +
    `<td class="num"><b>${fixed(x.fear, 4)}</b><br><small>surprise ${fixed(x.surprise, 4)}<br>compound ${fixed(x.compound, 4)}</small></td>` +
    `<td class="where"><span class="why">first</span><br>${seenText(g.first, where)}<br><span class="why">last</span><br>${seenText(g.last, where)}</td>` +
    `<td><div class="kind"><span class="chip reason-chip">${html(reasonOf(g) || "no reason given")}</span> <code class="template">${html(templateOf(g))}</code></div>` +
    `<div class="reason"><span class="why">example</span><span>${seenText(x, where, " · ")}${exampleText(x, "")}</span></div>${whyRows(kind.explanation)}${another}</td></tr>`
  );
}

const STYLE = `
:root{color-scheme:light;--ink:#1b2733;--muted:#5a6773;--line:#dde3ea;--bg:#fff;--panel:#f6f8fa;--accent:#c0392b}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:28px;margin:0 0 2px}
h2{font-size:21px;margin:36px 0 6px;padding-top:10px;border-top:1px solid var(--line)}
p{margin:6px 0 10px}
.lead{color:var(--muted);margin:0 0 16px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0 18px}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:130px}
.card b{display:block;font-size:22px;font-variant-numeric:tabular-nums}
.card span{color:var(--muted);font-size:13px}
.card.alert b{color:var(--accent)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
code,.msg,.chip code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
.figure{margin:10px 0 4px;overflow-x:auto}
svg.chart{display:block;max-width:none;font-size:13px;fill:var(--ink)}
svg.chart text{fill:#2b3640}
svg.chart .axis text{fill:#3b4651}
svg.chart .axis-title{font-weight:600;fill:#2b3640}
svg.chart .marker-label{font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:4px}
svg.chart text.char{font:600 14px ui-monospace,"DejaVu Sans Mono",monospace}
.note{color:var(--muted);font-size:14px}
h3{font-size:16px;margin:22px 0 0}
.chip code{background:#eef1f5;border-radius:4px;padding:0 4px;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:14px}
caption{text-align:left;color:var(--muted);padding:4px 0 8px}
th,td{border-bottom:1px solid var(--line);padding:8px 6px;vertical-align:top;text-align:left}
th{background:var(--panel);font-size:13px}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.where{font-size:13px;overflow-wrap:anywhere;min-width:110px;max-width:170px}
.msg{white-space:pre-wrap;overflow-wrap:anywhere;background:#fbf7f2;border-left:3px solid var(--accent);padding:5px 8px;margin-bottom:6px;font-size:13px}
.reason{display:grid;grid-template-columns:118px 1fr;gap:0 8px;margin-top:2px}
.why{color:var(--muted);font-size:11.5px;line-height:1.25;padding-top:4px;text-transform:uppercase;letter-spacing:.03em}
.chip{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;margin:1px 2px;font-size:13px;background:#fff;white-space:nowrap}
.chip small,.more{color:var(--muted)}
.chip.unseen{border-color:#e6b0a8;background:#fdf0ee}
.chip.word.neg{border-color:#e6b0a8;background:#fdf0ee}
.chip.word.pos{border-color:#a9d3b5;background:#eef8f1}
#alert-kinds{table-layout:fixed}
#alert-kinds th:nth-child(1){width:36px}
#alert-kinds th:nth-child(2){width:68px}
#alert-kinds th:nth-child(3){width:140px}
#alert-kinds th:nth-child(4){width:200px}
#alert-kinds td.where{max-width:none}
#alert-kinds .chip{white-space:normal}
.kind{margin-bottom:6px}
.chip.reason-chip{border-color:#e6b0a8;background:#fdf0ee;font-weight:600;white-space:normal}
code.template{font-size:13px;overflow-wrap:anywhere;color:#2b3640}
.msg.another{border-left-color:#d9a79f;background:#fcfaf7}
small.time,small.line{color:var(--muted);white-space:nowrap}
.ctl{color:#8a1c10;background:#fde2dd;border-radius:3px;padding:0 2px;font-size:.85em}
footer{margin-top:40px;color:var(--muted);font-size:13px}
`;

/** The alerts grouped by kind: the shown kinds with count, first and last seen, an example explained. */
function alertsSection(data: ReportData, where: Where): string {
  const groups = data.alerts;
  const kinds = data.alertKinds();
  const out: string[] = [`<section id="alerts"><h2>Alerts by kind</h2>`];
  out.push(
    `<p>The ${count(groups.alerts)} scored alerts grouped by kind: the module's reason (<code>tarkin_reason</code>) with the message's template, its variable parts masked ` +
      `(times, hex ids, IP addresses, numbers and one-word quoted values; what varied between alerts of a kind, such as a user or host name, as <code>&lt;*&gt;</code>). ` +
      `Highest fear first, then the most alerts: one severe alert is not buried under a flood of routine ones, and the count shows the floods. ` +
      `Each kind's example is its alert of highest fear, explained; another shows how the kind varies.${data.errors ? ` Unreadable records (${count(data.errors)}) are listed apart.` : ""}</p>`,
  );
  const o = groups.overflow;
  if (o.count) {
    out.push(
      `<p class="note" id="alerts-other">Only the first ${count(groups.capacity)} kinds are kept: ${count(o.count)} alerts of further kinds are counted here as other ` +
        `(first ${seenText(o.first!, where, " ")}, last ${seenText(o.last!, where, " ")}, highest fear ${fixed(o.fear, 4)}).</p>`,
    );
  }
  if (kinds.length) {
    out.push(
      `<table id="alert-kinds"><caption>The ${kinds.length} kinds of highest fear, of ${count(groups.kinds)}${o.count ? " kept" : ""}.</caption>` +
        `<thead><tr><th scope="col">#</th><th scope="col">alerts</th><th scope="col">fear</th><th scope="col">seen</th><th scope="col">kind: reason and template; an example and why</th></tr></thead><tbody>`,
    );
    kinds.forEach((k, i) => out.push(kindRow(k, i + 1, where, groups.alerts)));
    out.push(`</tbody></table>`);
  } else out.push(`<table id="alert-kinds"><caption>${groups.alerts ? "No kind is listed (--top 0)." : "No record was anomalous."}</caption><tbody></tbody></table>`);
  return out.join("") + `</section>`;
}

export function renderReport(data: ReportData, meta: ReportMeta): string {
  const s = data.pack.settings;
  const pack = data.pack;
  const info = pack.info as { model?: { trainedOn?: { source: string; format: string; messages: number }[] }; tarkin?: string };
  const trained = info.model?.trainedOn?.map((t) => `${t.source} (${t.format}, ${count(t.messages)} messages)`).join(", ") || "unknown";
  const sources = data.sources
    .map((x) => `${html(x.name)}${x.bytes !== undefined ? ` (${bytes(x.bytes)})` : ""}: ${count(x.records)} records, ${count(x.anomalous)} anomalous${x.errors ? `, ${count(x.errors)} unreadable` : ""}`)
    .join("<br>");
  const d = data.decision;
  const gateAtEnd = data.gateAtEnd;
  const marksSurprise: Mark[] = [];
  if (Number.isFinite(gateAtEnd)) {
    const role = d.gateRequired === null ? "" : d.gateRequired ? " (every anomaly passed it)" : " (not required for an anomaly)";
    marksSurprise.push({ value: gateAtEnd, label: `gate at the end of the run: ${fixed(gateAtEnd, 4)}${role}`, color: "#111" });
  }
  const sentimentLabel = d.negative === "<0" ? "every anomaly is below 0 (compound < 0)" : d.negative === "<=0" ? "every anomaly is at or below 0 (compound ≤ 0)" : "0: neutral";
  const marksFear: Mark[] = [];
  if (s.minFear > 0) marksFear.push({ value: s.minFear, label: `min fear setting: ${s.minFear}`, color: "#111" });
  const level = d.fearLevel;
  if (level) marksFear.push({ value: level.level, label: `anomalous from fear ${fixed(level.level, 4)}${d.negative ? " (with the other conditions)" : ""}`, color: COLOR.anomalous });
  else if (d.anomalies) marksFear.push({ value: d.minFear, label: `lowest fear of an anomaly: ${fixed(d.minFear, 4)}`, color: COLOR.anomalous });
  const range = (h: Histogram, floor: number) => {
    const max = Math.max(h.total ? h.max : 0, floor);
    const step = niceStep(max, 10);
    return Math.min(Math.ceil(max / step + 1e-9) * step, 1);
  };
  const unit = meta.format === "csv" ? "row" : "line";
  const unseen = [...data.letters.unseen].sort((a, b) => b[1].messages - a[1].messages);
  const parts: string[] = [];
  parts.push(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`);
  parts.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`);
  parts.push(`<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="tarkin ${esc(meta.version)}">`);
  parts.push(`<title>tarkin report: ${count(data.anomalous)} anomalous of ${count(data.records)} records</title><style>${STYLE}</style></head><body><main>`);
  parts.push(`<header><h1>tarkin report</h1><p class="lead">${count(data.records)} records checked through the module as Fluent Bit runs it, ${meta.generated.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")}</p>`);
  const card = (value: number, label: string, alert = false) => `<div class="card${alert ? " alert" : ""}"><b>${count(value)}</b><span>${esc(label)}</span></div>`;
  parts.push(
    `<div class="cards">${card(data.records, "records in")}${card(data.scored, "scored")}${card(data.infrequent, `passed the gate (${percent(data.infrequent, data.scored)})`)}` +
      `${card(data.anomalous, `anomalous (${percent(data.anomalous, data.records)})`, data.anomalous > 0)}${card(data.errors, "unreadable (anomalous too)", data.errors > 0)}` +
      `${data.lost ? card(data.lost, "LOST: the module failed", true) : ""}</div>`,
  );
  parts.push(`<dl class="facts">`);
  parts.push(`<dt>Checked</dt><dd>${sources} <span class="note">(as ${esc(meta.format)})</span></dd>`);
  parts.push(`<dt>Module</dt><dd>${html(meta.module)}; pack sha256 <code>${esc(pack.sha256.slice(0, 16))}</code>…, tarkin ${esc(info.tarkin ?? "?")}</dd>`);
  parts.push(`<dt>Model</dt><dd>${pack.model ? `${pack.model.characters.length} characters, ${count(pack.model.messages)} training messages, trained on ${html(trained)}` : "none"}; lexicon of ${count(pack.lexiconEntries)} entries</dd>`);
  parts.push(
    `<dt>Settings</dt><dd>surprise ${esc(s.surprise)}; gate spreads ${s.gateSpreads}; min fear ${s.minFear}; mode ${esc(s.mode)}${meta.annotated ? " (run in annotate mode here to see every record's scores; the decisions are the same)" : ""}; fields ${html(s.fields.join(", "))}; prefix ${html(s.prefix)}</dd>`,
  );
  parts.push(`<dt>Rule</dt><dd>${esc(data.rule)}${data.pack.settings.minFear ? `; and fear ≥ ${data.pack.settings.minFear}` : ""} <small>(as the module states it)</small></dd>`);
  parts.push(`<dt>Decision</dt><dd>${esc(decisionText(data))}${data.spoofed ? ` ${count(data.spoofed)} records carried tarkin's fields already (replaced, marked spoofed).` : ""}</dd>`);
  parts.push(`</dl></header>`);

  const tarkinMode = s.surprise === "tarkin";

  const lettersSection = () => {
    const out: string[] = [`<section id="letters"><h2>Letter space</h2>`];
    out.push(
      `<p>What the model learned of normal messages, per character: the mean count (dot) and the spread it allows (error bar)${tarkinMode ? ", the original's range [mean − |variance|, mean + |variance|) over the training messages that contain the character" : ", over every training message (absent counts 0), the spread floored at 0.5"}. ` +
        `Over it, the ${count(data.letters.messages)} checked messages: one bar per count seen, as wide as the share of messages with it (square root), ` +
        `${tarkinMode ? "red outside the range" : "blue within one spread, orange up to three, red beyond"}. Hover for numbers.` +
        `${tarkinMode ? " In tarkin mode this character model is the surprise: it drives the decision." : " This is the character model, as the original's notebook shows it: in default mode it does not drive the decision (the field surprise above does), so it comes last."}</p>`,
    );
    out.push(`<h3>Counts per character: the model, and the checked messages</h3><div class="figure">${letterChart(data)}</div>`);
    if (unseen.length || data.letters.unseenOther.messages) {
      const list = unseen.slice(0, 40).map(([c, u]) => `<span class="chip unseen" title="${esc(`U+${hex(c.codePointAt(0)!)}: ${u.occurrences} occurrences`)}"><code>${html(charLabel(c))}</code> ${count(u.messages)}</span>`);
      const more = unseen.length > 40 || data.letters.unseenOther.messages ? ` <span class="more">and ${count(Math.max(unseen.length - 40, 0))} more characters${data.letters.unseenOther.messages ? " (and others not kept)" : ""}</span>` : "";
      out.push(`<p class="note">Characters the model never saw (each occurrence fully surprising), with the messages containing them: ${list.join(" ")}${more}</p>`);
    } else out.push(`<p class="note">Every character of the checked messages is in the model.</p>`);
    return out.join("") + `</section>`;
  };

  const surpriseHi = range(data.surprise, 0.05);
  const surpriseChart =
    `<h3>Surprise</h3><div class="figure">${histogramChart("chart-surprise", data.surprise, 0, surpriseHi, {
      title: tarkinMode ? "Distribution of surprise" : "Distribution of surprise (the fields' rare shapes)",
      desc: `Histogram of surprise from 0 to ${surpriseHi}; the dashed line is the gate's threshold at the end of the run (it adapts: see the run below).`,
      x: tarkinMode ? "surprise (share of the model's characters at an unusual count)" : "surprise (the fields' rare shapes; 0.5: very unusual)",
      marks: marksSurprise,
    })}</div>` + `<p class="note">The gate adapts: each record is judged against the records before it, so the line is where the gate stood after the last record.</p>`;
  const sentimentChart = `<h3>Sentiment</h3><div class="figure">${histogramChart("chart-sentiment", data.compound, -1, 1, {
    title: "Distribution of sentiment (VADER compound)",
    desc: `Histogram of VADER's compound from −1 to 1; the dashed line at 0: ${sentimentLabel}.`,
    x: "sentiment: VADER compound (−1 most negative, +1 most positive)",
    marks: [{ value: 0, label: sentimentLabel, color: "#111" }],
  })}</div>`;
  const fearHi = range(data.fear, 0.05);
  const fearChart = `<h3>Fear</h3><div class="figure">${histogramChart("chart-fear", data.fear, 0, fearHi, {
    title: "Distribution of fear",
    desc: `Histogram of fear from 0 to ${fearHi}${s.minFear ? `; the black dashed line marks the min fear setting ${s.minFear}` : ""}; the red line the lowest fear among the anomalies.`,
    x: "fear (how much to worry about a record, 0 to 1)",
    marks: marksFear,
  })}</div>`;
  // Default mode decides on fear, made of the field surprise and the sentiment; tarkin mode on the gate and the sentiment.
  const scoresSection =
    `<section id="scores"><h2>Scores</h2><p>The distribution of each score over the ${count(data.scored)} scored records (counts on a log scale, so single records show), with what the anomalies had in common marked: see the decision above.` +
    `${tarkinMode ? "" : " Fear first: the decision thresholds it; then what it is made of, the fields' surprise and the sentiment."}</p>` +
    (tarkinMode ? surpriseChart + sentimentChart + fearChart : fearChart + surpriseChart + sentimentChart) +
    `</section>`;
  const timelineSection =
    `<section id="run"><h2>Surprise along the run</h2><p>Where the gate stood as the records went through, and where the anomalies fell.${tarkinMode ? "" : " In default mode the gate is reported, not required."}</p>` +
    `<div class="figure">${timelineChart(data)}</div></section>`;

  parts.push(alertsSection(data, { unit, sources: data.sources.length > 1 }));
  if (data.unreadable.length) {
    parts.push(`<section id="unreadable-records"><h2>Unreadable records</h2><p>${count(data.errors)} records could not be scored; they go on marked anomalous with the reason. The first ${data.unreadable.length}:</p><table id="unreadable"><thead><tr><th scope="col">where</th><th scope="col">why</th><th scope="col">record</th></tr></thead><tbody>`);
    for (const u of data.unreadable) parts.push(`<tr><td class="where">${html(u.source)}<br><small>${unit} ${count(u.line)}</small></td><td>${html(u.error)}</td><td><div class="msg">${html(u.text)}</div></td></tr>`);
    parts.push(`</tbody></table></section>`);
  }
  // The charts in the order of what drives the mode's decision: the character model first only where it is the surprise.
  if (tarkinMode) parts.push(lettersSection(), scoresSection, timelineSection);
  else parts.push(scoresSection, timelineSection, lettersSection());
  parts.push(`<footer>Made by tarkin ${esc(meta.version)} <code>report</code>. This page loads nothing and runs no script; log text in it is escaped, control and bidirectional characters shown as symbols.</footer>`);
  parts.push(`</main></body></html>\n`);
  return parts.join("");
}
