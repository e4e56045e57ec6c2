// Alerts grouped by kind for `tarkin report`: the module's reason plus the message's template (its
// variable parts masked, Drain-style), so a flood of near-identical alerts reads as one line with its
// count, first and last seen and an example. Bounded: at most `capacity` kinds are kept, the alerts
// of any further kind are counted together as "other".

/** Where and when an alert was seen: its source and line there, its number in the run, its time if it says one. */
export interface Seen {
  source: string;
  line: number;
  index: number;
  time?: string;
}

export interface Alert extends Seen {
  /** tarkin_reason as the module wrote it. */
  reason: string;
  message: string;
  fear: number;
  surprise: number;
  compound: number;
}

/** An alert kept as a group's example: the message cut to MESSAGE_KEPT characters, its full length. */
export interface Example extends Alert {
  length: number;
}

export interface AlertGroup {
  /**
   * The reason's field (or kind), as tokens: a field named by the value before it ("after test9") is
   * as variable as the message, so it is masked and generalised with it.
   */
  field: string[];
  /** The reason's evidence ("rare shape", "sql syntax", a word): the same in every alert of the kind. */
  evidence: string;
  /** The message's tokens, variable parts masked; a token that differed between alerts is <*>. */
  tokens: string[];
  count: number;
  first: Seen;
  last: Seen;
  /** The alert of highest fear (the first among equals): the one the report explains. */
  example: Example;
  /** The latest alert whose message differs from the example's, if any: how the kind varies. */
  another?: Example;
}

/** The alerts of kinds beyond the capacity: how many, when, and the highest fear among them. */
export interface Overflow {
  count: number;
  first?: Seen;
  last?: Seen;
  fear: number;
}

export const MESSAGE_KEPT = 2000;
/** A template is made of the message's first TEMPLATE_KEPT characters and TEMPLATE_TOKENS tokens (then "…"): past them messages differ in what they say, not their kind. */
const TEMPLATE_KEPT = 1000;
const TEMPLATE_TOKENS = 64;
/** Share of tokens two templates of the same length must have equal to be one kind (wildcards not counting). */
const SIMILAR = 0.75;
/** How many kinds of one shape an alert is compared with, at most: the cost per alert stays bounded. */
const CANDIDATES = 64;
const REASONS_KEPT = 4096;

export function cut(text: string, length: number): string {
  if (text.length <= length) return text;
  let end = length;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}

const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
// ISO-8601 date and time; syslog's "Dec 10 06:55:46"; the common log format's "05/Jan/2026:00:03:18 +0000".
const ISO_TIME = String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?`;
const SYSLOG_TIME = String.raw`${MONTH}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?`;
const CLF_TIME = String.raw`\d{2}/${MONTH}/\d{4}:\d{2}:\d{2}:\d{2}(?:\s[+-]\d{4})?`;
const TIME = new RegExp(`${ISO_TIME}|${SYSLOG_TIME}|${CLF_TIME}`);

/** The character before a match, and the one after: whether either is one of `chars`. */
function touches(text: string, at: number, length: number, chars: RegExp): boolean {
  return chars.test(text.charAt(at - 1)) || chars.test(text.charAt(at + length));
}

/** What masks a variable part, in order: later patterns see the earlier ones' placeholders. */
const MASKS: [RegExp, string | ((match: string, ...rest: unknown[]) => string)][] = [
  // A quoted value of one word ("don't" is no quote); quoted text with spaces (an access log's
  // request) is what the line says, and keeps its words.
  [/"[^"\s]{1,200}"|(?<!\w)'[^'\s]{1,200}'(?!\w)/g, "<STR>"],
  [new RegExp(`${ISO_TIME}|${SYSLOG_TIME}|${CLF_TIME}|\\b\\d{4}-\\d{2}-\\d{2}\\b|\\b\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?\\b`, "g"), "<TIME>"],
  // UUIDs, 0x numbers, and runs of six or more hex digits with both a digit and a letter.
  [
    /\b(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|0x[0-9a-f]+|[0-9a-f]{6,})\b/gi,
    (m) => (m.includes("-") || /^0x/i.test(m) || (/\d/.test(m) && /[a-f]/i.test(m)) ? "<HEX>" : m),
  ],
  // IPv4 with its port; IPv6 written with a digit and "::" or all eight groups, not inside a word.
  [
    /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}|::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}/gi,
    (m, at, text) =>
      m.includes(".") || (/\d/.test(m) && (m.includes("::") || m.split(":").length === 8) && !touches(text as string, at as number, m.length, /[\w:]/)) ? "<IP>" : m,
  ],
  // Numbers not inside a word ("ssh2" stays, "sshd[24200]" does not) nor percent-escapes.
  [/(?<![A-Za-z0-9%<])-?\d+(?:[.,]\d+)*/g, "<NUM>"],
];

/** A message with its variable parts masked: times, hex ids, IP addresses, numbers, quoted text. */
export function maskVariables(text: string): string {
  let out = text;
  for (const [pattern, mask] of MASKS) out = out.replace(pattern, mask as string);
  return out;
}

/** The first timestamp in a message's first 80 characters (ISO-8601, syslog or common log format), as written. */
export function timeIn(message: string): string | undefined {
  return TIME.exec(message.slice(0, 80))?.[0];
}

/** The reason's field and evidence: "after user: rare shape" is the field "after user" and the evidence "rare shape". */
export function splitReason(reason: string): { field: string[]; evidence: string } {
  const at = reason.lastIndexOf(": ");
  const field = at < 0 ? "" : maskVariables(reason.slice(0, at));
  return { field: field.split(/\s+/).filter(Boolean), evidence: at < 0 ? reason : reason.slice(at + 2) };
}

/** The reason as the report shows it: the field (masked, generalised) and the evidence. */
export function reasonOf(group: AlertGroup): string {
  return group.field.length ? `${group.field.join(" ")}: ${group.evidence}` : group.evidence;
}

/** The template as the report shows it: the message's tokens joined by spaces. */
export function templateOf(group: AlertGroup): string {
  return group.tokens.join(" ");
}

/** How many tokens of field and message two alerts of one shape share (wildcards not counting), as a share of all; 0 once under `floor`. */
function similarity(group: AlertGroup, field: string[], tokens: string[], floor: number): number {
  const all = field.length + tokens.length;
  const allowed = all * (1 - floor);
  let differ = 0;
  for (const [mine, theirs] of [[group.field, field], [group.tokens, tokens]]) {
    for (let i = 0; i < theirs.length; i++) if ((mine[i] !== theirs[i] || mine[i] === "<*>") && ++differ > allowed) return 0;
  }
  return (all - differ) / all;
}

/** A message's template tokens: masked, split on spaces, at most TEMPLATE_TOKENS of them. */
function templateTokens(message: string): string[] {
  const tokens = maskVariables(cut(message, TEMPLATE_KEPT)).split(/\s+/).filter(Boolean);
  if (tokens.length <= TEMPLATE_TOKENS && message.length <= TEMPLATE_KEPT) return tokens;
  return [...tokens.slice(0, TEMPLATE_TOKENS), "…"];
}

function keyOf(shape: string, field: string[], tokens: string[]): string {
  return `${shape}\n${field.join(" ")}\n${tokens.join(" ")}`;
}

/** Where a kind's tokens differ from an alert's, they become <*>. */
function generalise(mine: string[], theirs: string[]): void {
  for (let i = 0; i < theirs.length; i++) if (mine[i] !== theirs[i]) mine[i] = "<*>";
}

/** Alerts by kind, streaming: each alert joins the kind of its reason and template, or starts one. */
export class AlertGroups {
  private readonly groups: AlertGroup[] = [];
  /** Kinds by evidence and token counts: the only ones an alert can join (the first CANDIDATES of each shape by similarity). */
  private readonly byShape = new Map<string, AlertGroup[]>();
  /** The kinds of a shape beyond its candidates, by their exact template (never generalised: only an equal alert finds them). */
  private readonly beyond = new Map<string, AlertGroup>();
  /** Reasons repeat: each one's field and evidence, split once (up to REASONS_KEPT of them at a time). */
  private readonly reasons = new Map<string, { field: string[]; evidence: string }>();
  readonly overflow: Overflow = { count: 0, fear: -Infinity };
  alerts = 0;

  constructor(readonly capacity = 1000) {}

  get kinds(): number {
    return this.groups.length;
  }

  add(alert: Alert): void {
    this.alerts++;
    let split = this.reasons.get(alert.reason);
    if (!split) {
      if (this.reasons.size >= REASONS_KEPT) this.reasons.clear();
      this.reasons.set(alert.reason, (split = splitReason(alert.reason)));
    }
    const { field, evidence } = split;
    const tokens = templateTokens(alert.message);
    const shape = `${evidence}\n${field.length}\n${tokens.length}`;
    let group: AlertGroup | undefined;
    let best = SIMILAR;
    for (const g of this.byShape.get(shape) ?? []) {
      const s = similarity(g, field, tokens, best);
      // The most similar kind; the earliest among equals.
      if (s >= best) [group, best] = [g, s + 1e-9];
    }
    if (group) {
      generalise(group.field, field);
      generalise(group.tokens, tokens);
    } else if (this.beyond.size) group = this.beyond.get(keyOf(shape, field, tokens));
    const seen: Seen = { source: alert.source, line: alert.line, index: alert.index, time: alert.time };
    if (!group) {
      if (this.groups.length >= this.capacity) {
        const o = this.overflow;
        o.count++;
        o.first ??= seen;
        o.last = seen;
        o.fear = Math.max(o.fear, alert.fear);
        return;
      }
      // The kind's field is its own: it is generalised in place.
      group = { field: [...field], evidence, tokens, count: 0, first: seen, last: seen, example: example(alert) };
      this.groups.push(group);
      const same = this.byShape.get(shape);
      if (!same) this.byShape.set(shape, [group]);
      else if (same.length < CANDIDATES) same.push(group);
      else this.beyond.set(keyOf(shape, field, tokens), group);
    }
    group.count++;
    group.last = seen;
    if (alert.fear > group.example.fear) {
      if (alert.message !== group.example.message) group.another = group.example;
      group.example = example(alert);
    } else if (alert.message !== group.example.message) group.another = example(alert);
  }

  /**
   * The kinds, highest fear first, then the most alerts, then the earliest: one severe alert (an
   * injection) must not sink below a flood of routine ones, and the count column shows the floods.
   */
  sorted(): AlertGroup[] {
    return [...this.groups].sort((a, b) => b.example.fear - a.example.fear || b.count - a.count || a.first.index - b.first.index);
  }
}

function example(a: Alert): Example {
  const { reason, message, fear, surprise, compound, source, line, index, time } = a;
  return { reason, message: cut(message, MESSAGE_KEPT), length: message.length, fear, surprise, compound, source, line, index, time };
}
