// Evasion and drift cases for issue 24's detection goals, generated from the dev sets: each class is
// a seeded mutation of the shop's own lines (../shared/data/web/access.log in Apache combined format,
// ../shared/data/app/app.log in logfmt), parsed, changed and written back as a well-formed line of
// its format. Attack classes move each labelled attack's own payload somewhere else (there is no
// list of payloads here); drift classes change normal lines the way another site's traffic would.
import { seededRandom } from "../../host/core/random.js";

export type Random = () => number;

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
const between = (r: Random, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** One class's lines and their labels (true: an attack). */
export interface Cases {
  lines: string[];
  labels: boolean[];
}

/** What the issue asks of a class: attacks keep a share of the unmutated recall; normal lines stay under a rate. */
export type Goal = { recallShare: number } | { maxFlagged: number } | null;

export interface CaseClass<C> {
  name: string;
  kind: "attack" | "normal";
  goal: Goal;
  /** The attack lines as they are: the recall the mutated classes are compared with. */
  baseline?: boolean;
  build(corpus: C, random: Random): Cases;
}

export interface BuiltClass {
  log: string;
  name: string;
  kind: "attack" | "normal";
  goal: Goal;
  baseline: boolean;
  lines: string[];
  labels: boolean[];
}

/** A class's own seed: the run's seed mixed with its name, so adding a class changes no other. */
function classSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function buildClasses<C>(log: string, classes: CaseClass<C>[], corpus: C, seed: number): BuiltClass[] {
  return classes.map((c) => {
    const { lines, labels } = c.build(corpus, seededRandom(classSeed(seed, `${log}/${c.name}`)));
    return { log, name: c.name, kind: c.kind, goal: c.goal, baseline: c.baseline ?? false, lines, labels };
  });
}

const attacks = (lines: string[]): Cases => ({ lines, labels: lines.map(() => true) });
const normals = (lines: string[]): Cases => ({ lines, labels: lines.map(() => false) });

/** `count` items drawn without replacement (all of them, shuffled, when there are fewer). */
function sample<T>(r: Random, items: T[], count: number): T[] {
  const xs = [...items];
  const n = Math.min(count, xs.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(r() * (xs.length - i));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs.slice(0, n);
}

/** A parsed line's format: how to copy one (to change it) and write it back. */
interface Format<L> {
  copy(l: L): L;
  serialise(l: L): string;
}

/** Each of `lines` copied, changed by `mutate` (given its index), and written back. */
function rewrite<L>(format: Format<L>, lines: L[], mutate: (l: L, i: number) => void): string[] {
  return lines.map((original, i) => {
    const l = format.copy(original);
    mutate(l, i);
    return format.serialise(l);
  });
}

// ---------------------------------------------------------------------------------------------
// Encodings.

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const hex2 = (b: number) => b.toString(16).toUpperCase().padStart(2, "0");

/** A query value as the server reads it: '+' a space, %XX a byte, the bytes UTF-8. */
export function formDecode(raw: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "+") bytes.push(0x20);
    else if (c === "%" && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...utf8.encode(c));
  }
  return fromUtf8.decode(new Uint8Array(bytes));
}

/** A form value as a browser sends it (application/x-www-form-urlencoded): UTF-8, a space '+', all but A-Za-z0-9*-._ escaped. */
export function formEncode(text: string): string {
  let out = "";
  for (const b of utf8.encode(text)) {
    const c = String.fromCharCode(b);
    out += b === 0x20 ? "+" : /[A-Za-z0-9*\-._]/.test(c) ? c : `%${hex2(b)}`;
  }
  return out;
}

/** Every byte but the unreserved (A-Za-z0-9-._~) escaped; twice is the double encoding (' as %2527). */
export function percentEncodeAll(text: string): string {
  let out = "";
  for (const b of utf8.encode(text)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${hex2(b)}`;
  }
  return out;
}

/** A form value with its '.', '/' and '\\' sent as overlong UTF-8 (%C0%AE, %C0%AF, %C1%9C: the IIS and Tomcat traversals), the rest as a browser sends it. */
export function overlongEncode(text: string): string {
  const overlong: Record<string, string> = { ".": "%C0%AE", "/": "%C0%AF", "\\": "%C1%9C" };
  return [...text].map((ch) => overlong[ch] ?? formEncode(ch)).join("");
}

/** Text as a path segment of a request: what encodeURI escapes, and the '?' and '#' that would end the path. */
export function pathEncode(text: string): string {
  return encodeURI(text).replace(/\?/g, "%3F").replace(/#/g, "%23");
}

// ---------------------------------------------------------------------------------------------
// Apache combined: client ident user [time] "request" status bytes "referer" "user agent".

export interface Parameter {
  name: string;
  /** As sent, percent-encoded; null for a name with no '='. */
  value: string | null;
}

/** One line, its quoted fields as logged (escaped as Apache escapes them), the request's target cut into path and query. */
export interface AccessLine {
  /** The client field: an address, or a forwarded chain ("10.0.1.1, 1.2.3.4") where a proxy logs one. */
  client: string;
  ident: string;
  user: string;
  time: string;
  method: string;
  path: string;
  /** null when the target has no '?'. */
  query: Parameter[] | null;
  protocol: string;
  status: string;
  bytes: string;
  referer: string;
  userAgent: string;
}

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const COMBINED = new RegExp(String.raw`^(\S+(?:, \S+)*) (\S+) (\S+) \[([^\]]+)\] ${QUOTED} (\d{3}|-) (\d+|-) ${QUOTED} ${QUOTED}$`);

export function parseAccess(line: string): AccessLine {
  const m = COMBINED.exec(line);
  if (!m) throw new SyntaxError(`not an Apache combined line: ${line.slice(0, 200)}`);
  const [, client, ident, user, time, request, status, bytes, referer, userAgent] = m;
  const first = request.indexOf(" ");
  const last = request.lastIndexOf(" ");
  if (first <= 0 || last === first) throw new SyntaxError(`not a request line (method target protocol): ${request.slice(0, 200)}`);
  const target = request.slice(first + 1, last);
  const q = target.indexOf("?");
  const query =
    q < 0
      ? null
      : target
          .slice(q + 1)
          .split("&")
          .map((p): Parameter => {
            const eq = p.indexOf("=");
            return eq < 0 ? { name: p, value: null } : { name: p.slice(0, eq), value: p.slice(eq + 1) };
          });
  return {
    client, ident, user, time, method: request.slice(0, first), path: q < 0 ? target : target.slice(0, q), query,
    protocol: request.slice(last + 1), status, bytes, referer, userAgent,
  };
}

export function serialiseAccess(l: AccessLine): string {
  const query = l.query === null ? "" : "?" + l.query.map((p) => (p.value === null ? p.name : `${p.name}=${p.value}`)).join("&");
  const request = `${l.method} ${l.path}${query} ${l.protocol}`;
  return `${l.client} ${l.ident} ${l.user} [${l.time}] "${request}" ${l.status} ${l.bytes} "${l.referer}" "${l.userAgent}"`;
}

/** A header's value as Apache logs it (ap_escape_logitem): " and \ behind a backslash, other bytes outside printable ASCII as \xhh. */
export function apacheEscape(text: string): string {
  const named: Record<number, string> = { 0x08: "\\b", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x0b: "\\v", 0x22: '\\"', 0x5c: "\\\\" };
  let out = "";
  for (const b of utf8.encode(text)) {
    if (named[b]) out += named[b];
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

/** A logged header's value as it was sent: Apache's escapes undone. */
export function apacheUnescape(logged: string): string {
  const named: Record<string, number> = { b: 0x08, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b, '"': 0x22, "\\": 0x5c };
  const bytes: number[] = [];
  for (let i = 0; i < logged.length; i++) {
    const c = logged[i];
    if (c === "\\" && logged[i + 1] === "x" && /^[0-9a-f]{2}$/.test(logged.slice(i + 2, i + 4))) {
      bytes.push(parseInt(logged.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (c === "\\" && named[logged[i + 1]] !== undefined) bytes.push(named[logged[++i]]);
    else bytes.push(...utf8.encode(c));
  }
  return fromUtf8.decode(new Uint8Array(bytes));
}

const ACCESS_FORMAT: Format<AccessLine> = { copy: (l) => ({ ...l, query: l.query && l.query.map((p) => ({ ...p })) }), serialise: serialiseAccess };

// ---------------------------------------------------------------------------------------------
// logfmt: bare words (the timestamp, level, component, message) then key=value pairs, a value
// quoted when it holds a space, '=' or '"', with \" and \\ (and \n, \t, \uXXXX) inside quotes.

export interface LogfmtItem {
  /** The whitespace before it, kept so that a line writes back as it was read. */
  space: string;
  /** null for a bare word. */
  key: string | null;
  /** Unescaped. */
  value: string;
  quoted: boolean;
}

export interface AppLine {
  items: LogfmtItem[];
}

const UNESCAPE: Record<string, string> = { '"': '"', "\\": "\\", n: "\n", r: "\r", t: "\t" };

export function parseLogfmt(line: string): AppLine {
  const items: LogfmtItem[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const start = i;
    while (i < n && (line[i] === " " || line[i] === "\t")) i++;
    if (i === n) throw new SyntaxError(`trailing whitespace in a logfmt line: ${line.slice(0, 200)}`);
    const space = line.slice(start, i);
    let k = i;
    while (k < n && line[k] !== " " && line[k] !== "\t" && line[k] !== "=" && line[k] !== '"') k++;
    if (line[k] !== "=" || k === i) {
      // A bare word, up to the next space.
      let end = i;
      while (end < n && line[end] !== " " && line[end] !== "\t") end++;
      items.push({ space, key: null, value: line.slice(i, end), quoted: false });
      i = end;
      continue;
    }
    const key = line.slice(i, k);
    i = k + 1;
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= n) throw new SyntaxError(`an unterminated quoted value of ${key}: ${line.slice(0, 200)}`);
        const c = line[i];
        if (c === '"') break;
        if (c === "\\") {
          const e = line[i + 1];
          if (e === "u" && /^[0-9a-fA-F]{4}$/.test(line.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(line.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          if (!(e in UNESCAPE)) throw new SyntaxError(`an unknown escape \\${e} in ${key}: ${line.slice(0, 200)}`);
          value += UNESCAPE[e];
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      i++;
      if (i < n && line[i] !== " " && line[i] !== "\t") throw new SyntaxError(`text after the closing quote of ${key}: ${line.slice(0, 200)}`);
      items.push({ space, key, value, quoted: true });
    } else {
      let end = i;
      while (end < n && line[end] !== " " && line[end] !== "\t") end++;
      items.push({ space, key, value: line.slice(i, end), quoted: false });
      i = end;
    }
  }
  return { items };
}

/** go-logfmt's rule: quote a value that is empty or holds a space, a control character, '=' or '"'. */
const needsQuotes = (value: string) => value === "" || /[\u0000-\u0020="\u007f]/.test(value);

function logfmtEscape(value: string): string {
  return value.replace(/[\\"\u0000-\u001f]/g, (c) => {
    const named: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

export function serialiseLogfmt(l: AppLine): string {
  return l.items
    .map((it) => it.space + (it.key === null ? it.value : `${it.key}=${it.quoted ? `"${logfmtEscape(it.value)}"` : it.value}`))
    .join("");
}

/** A key=value item as the application writes it, quoted when it must be. */
const logfmtPair = (key: string, value: string): LogfmtItem => ({ space: " ", key, value, quoted: needsQuotes(value) });

const LOGFMT_FORMAT: Format<AppLine> = { copy: (l) => ({ items: l.items.map((it) => ({ ...it })) }), serialise: serialiseLogfmt };

/** The app log's own keys; every other key is a request parameter. */
export const APP_OWN_KEYS = new Set(["path", "client", "status", "duration_ms"]);

// ---------------------------------------------------------------------------------------------
// Where an attack's payload is: the parameter whose value is furthest from what the same parameter
// held in training: characters it never held (each counts 1000), then pairs of characters it never
// held (each 1), the value's start and end counted as characters. The shop's attacks differ from a
// benign request in one parameter's value only (../shared/README.md); all but one of the 600 are
// found this way (app.log's `login=id`, a command that reads as a name, is left out of the classes).

interface ValueShapes {
  characters: Set<string>;
  pairs: Set<string>;
}

function valueShapes(values: Iterable<[string, string]>): Map<string, ValueShapes> {
  const shapes = new Map<string, ValueShapes>();
  for (const [name, value] of values) {
    let s = shapes.get(name);
    if (!s) shapes.set(name, (s = { characters: new Set(), pairs: new Set() }));
    const chars = ["\u0002", ...value, "\u0003"];
    chars.forEach((c, i) => {
      s!.characters.add(c);
      if (i > 0) s!.pairs.add(chars[i - 1] + c);
    });
  }
  return shapes;
}

function novelty(shapes: Map<string, ValueShapes>, name: string, value: string): number {
  const s = shapes.get(name) ?? { characters: new Set<string>(), pairs: new Set<string>() };
  const chars = ["\u0002", ...value, "\u0003"];
  let score = 0;
  chars.forEach((c, i) => {
    if (!s.characters.has(c)) score += 1000;
    if (i > 0 && !s.pairs.has(chars[i - 1] + c)) score++;
  });
  return score;
}

/** The index (among `values`) of the attack's value, or -1 when no one value stands out. */
function payloadIndex(shapes: Map<string, ValueShapes>, values: [string, string][]): number {
  const scores = values.map(([name, value]) => novelty(shapes, name, value));
  const best = Math.max(...scores);
  return best > 0 && scores.filter((s) => s === best).length === 1 ? scores.indexOf(best) : -1;
}

/** The attack lines whose payload is located, with where it is; the others' lines, for the record. */
function locate<L>(lines: L[], at: (l: L) => number): { located: L[]; payloadAt: number[]; unlocated: L[] } {
  const where = lines.map(at);
  return { located: lines.filter((_, i) => where[i] >= 0), payloadAt: where.filter((w) => w >= 0), unlocated: lines.filter((_, i) => where[i] < 0) };
}

// ---------------------------------------------------------------------------------------------
// Generated parts: addresses, parameter names, browsers, names.

function ipv4(r: Random): string {
  return [between(r, 1, 223), between(r, 0, 255), between(r, 0, 255), between(r, 1, 254)].join(".");
}

const PRIVATE_V4 = [(r: Random) => `10.${between(r, 0, 255)}.${between(r, 0, 255)}.${between(r, 1, 254)}`, (r: Random) => `192.168.${between(r, 0, 255)}.${between(r, 1, 254)}`, (r: Random) => `172.${between(r, 16, 31)}.${between(r, 0, 255)}.${between(r, 1, 254)}`];

/** A global unicast IPv6 address in RFC 5952's form (lowercase, the longest run of zero groups as ::), or an IPv4-mapped one. */
function ipv6(r: Random): string {
  if (r() < 0.1) return `::ffff:${ipv4(r)}`;
  const groups = Array.from({ length: 8 }, () => 0);
  groups[0] = between(r, 0x2000, 0x3fff);
  const head = between(r, 1, 4);
  const tail = between(r, 1, 4);
  for (let i = 1; i < head; i++) groups[i] = r() < 0.15 ? 0 : between(r, 0, 0xffff);
  for (let i = 8 - tail; i < 7; i++) groups[i] = r() < 0.15 ? 0 : between(r, 0, 0xffff);
  groups[7] = between(r, 1, 0xffff); // a host, not a network's own address
  let bestStart = -1;
  let bestLength = 1; // a single zero group is written as 0
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const text = groups.map((g) => g.toString(16));
  if (bestStart < 0) return text.join(":");
  return `${text.slice(0, bestStart).join(":")}::${text.slice(bestStart + bestLength).join(":")}`;
}

/** A spoofed X-Forwarded-For chain, logged where the client is: made-up hops, then the real client. */
function forwardedChain(r: Random, client: string): string {
  const hops = Array.from({ length: between(r, 1, 6) }, () => (r() < 0.6 ? pick(r, PRIVATE_V4)(r) : r() < 0.8 ? ipv4(r) : ipv6(r)));
  return [...hops, client].join(", ");
}

const NAME_STEMS = ["debug", "trace", "callback", "redirect", "ref", "lang", "session", "token", "utm_source", "utm_medium", "utm_campaign", "sort", "view", "format", "page", "filter", "next", "return", "fbclid", "gclid", "cb", "cache", "preview", "theme", "currency", "locale", "tracking", "src", "origin", "action", "cmd", "lookup"];
const NAME_SUFFIXES = ["", "", "_id", "2", "_url", "Id", "_v", "_ts"];

/** A parameter name the training log never had: a stem and a suffix from common query parameters. */
function unknownName(r: Random, known: Set<string>): string {
  for (;;) {
    const name = pick(r, NAME_STEMS) + pick(r, NAME_SUFFIXES);
    if (!known.has(name)) return name;
  }
}

/** A junk value: a token of letters and digits, a number, or a hex id, of random length. */
function junkValue(r: Random): string {
  const kind = r();
  if (kind < 0.3) return String(between(r, 0, 10 ** between(r, 1, 9)));
  const alphabet = kind < 0.6 ? "0123456789abcdef" : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return Array.from({ length: between(r, 1, 24) }, () => pick(r, [...alphabet])).join("");
}

const WINDOWS = ["Windows NT 10.0; Win64; x64", "Windows NT 10.0; WOW64", "Windows NT 6.1; Win64; x64", "Windows NT 6.3; Win64; x64", "Windows NT 6.1; WOW64"];
const LINUX = ["X11; Linux x86_64", "X11; Ubuntu; Linux x86_64", "X11; Fedora; Linux x86_64", "X11; CrOS x86_64 15633.69.0", "X11; Linux aarch64", "X11; FreeBSD amd64"];
const PHONES = ["Pixel 8", "Pixel 7a", "SM-A546B", "SM-G998B", "M2101K6G", "CPH2451", "moto g(60)", "2201117TY", "V2202", "RMX3630"];
const BOTS: [string, string][] = [
  ["Googlebot", "http://www.google.com/bot.html"], ["bingbot", "http://www.bing.com/bingbot.htm"], ["YandexBot", "http://yandex.com/bots"],
  ["DuckDuckBot", "https://duckduckgo.com/duckduckbot.html"], ["Applebot", "http://www.apple.com/go/applebot"], ["AhrefsBot", "http://ahrefs.com/robot/"],
  ["SemrushBot", "http://www.semrush.com/bot.html"], ["PetalBot", "https://webmaster.petalsearch.com/site/petalbot"], ["MJ12bot", "http://mj12bot.com/"],
  ["DotBot", "https://opensiteexplorer.org/dotbot"], ["Baiduspider", "http://www.baidu.com/search/spider.html"], ["SeznamBot", "https://o-seznam.cz/napoveda/vyhledavani/en/seznambot-crawler/"],
  ["GPTBot", "https://openai.com/gptbot"], ["ClaudeBot", "https://www.anthropic.com/claude-bot"], ["Qwantify", "https://help.qwant.com/bot/"],
];
const MAC = "Macintosh; Intel Mac OS X";

/** A user agent from parts: a browser family with its version numbers and OS tokens, or a bot with its +http URL. */
function browserAgent(r: Random): string {
  const version = (lo: number, hi: number) => between(r, lo, hi);
  const desktop = () => pick(r, [...WINDOWS, ...LINUX, `${MAC} ${version(10, 14)}_${version(0, 7)}${r() < 0.5 ? `_${version(1, 7)}` : ""}`]);
  const android = () => `Linux; Android ${version(9, 15)}; ${pick(r, PHONES)}`;
  const ios = (device: string) => `${device}; CPU ${device === "iPad" ? "OS" : "iPhone OS"} ${version(14, 18)}_${version(0, 7)} like Mac OS X`;
  const chromeVersion = () => `${version(100, 135)}.0.${version(4000, 7200)}.${version(0, 250)}`;
  const family = r();
  if (family < 0.3) {
    const mobile = r() < 0.4;
    const base = `Mozilla/5.0 (${mobile ? android() : desktop()}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromeVersion()} ${mobile ? "Mobile " : ""}Safari/537.36`;
    const brand = pick(r, ["", "", ` Edg/${chromeVersion()}`, ` OPR/${version(90, 118)}.0.${version(1000, 5500)}.${version(0, 99)}`, ` Vivaldi/${version(5, 7)}.${version(0, 9)}.${version(1000, 3500)}.${version(10, 60)}`, ` YaBrowser/${version(22, 25)}.${version(1, 12)}.0.${version(1000, 3000)}`]);
    return base + brand;
  }
  if (family < 0.45) return `Mozilla/5.0 (Linux; Android ${version(9, 15)}; ${pick(r, PHONES)}) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/${version(14, 27)}.${version(0, 4)} Chrome/${chromeVersion()} Mobile Safari/537.36`;
  if (family < 0.65) {
    const v = version(78, 135);
    const os = r() < 0.8 ? desktop() : `Android ${version(9, 15)}; Mobile`;
    return `Mozilla/5.0 (${os}; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`;
  }
  if (family < 0.8) {
    const device = pick(r, ["iPhone", "iPad", "mac"]);
    const os = device === "mac" ? `${MAC} 10_15_7` : ios(device);
    return `Mozilla/5.0 (${os}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${version(13, 18)}.${version(0, 6)}${device === "mac" ? "" : ` Mobile/15E${version(100, 300)}`} Safari/${device === "mac" ? "605.1.15" : "604.1"}`;
  }
  const [bot, url] = pick(r, BOTS);
  const botVersion = `${version(1, 3)}.${version(0, 9)}`;
  return r() < 0.6 ? `Mozilla/5.0 (compatible; ${bot}/${botVersion}; +${url})` : `${bot}/${botVersion} (+${url})`;
}

// Accented letters as names carry them; a few names written in other scripts, letter for letter.
const ACCENTS: Record<string, string[]> = {
  a: ["á", "à", "â", "ä", "ã", "å"], e: ["é", "è", "ê", "ë"], i: ["í", "ì", "î", "ï"], o: ["ó", "ò", "ô", "ö", "õ", "ø"],
  u: ["ú", "ù", "û", "ü"], n: ["ñ", "ń"], c: ["ç", "č"], s: ["ş", "š", "ß"], z: ["ž", "ź"], y: ["ý", "ÿ"], l: ["ł"], g: ["ğ"],
};
const SCRIPTS = ["абцдефгхийклмнопкрстувшхыз", "αβψδεφγηιξκλμνοπκρστθωςχυζ", "ابتدعفغهيجكلمنوپقرسطوفوخيز", "אבצדעפגהיגכלמנופקרסטובוכיז"];

function accented(r: Random, text: string): string {
  if (r() < 0.1) {
    const script = pick(r, SCRIPTS);
    return [...text].map((c) => (c >= "a" && c <= "z" ? [...script][c.charCodeAt(0) - 97] : c)).join("");
  }
  const places = [...text].map((c, i) => (ACCENTS[c] ? i : -1)).filter((i) => i >= 0);
  if (places.length === 0) return text + pick(r, ["é", "ñ", "ü", "ç", "ø", "ã"]);
  const chosen = new Set(sample(r, places, between(r, 1, Math.min(3, places.length))));
  return [...text].map((c, i) => (chosen.has(i) ? pick(r, ACCENTS[c]) : c)).join("");
}

/** A name with an apostrophe, from a name of the log: O'Brien, D'Angelo, L'Hospitalet, Sant Joan d'Alacant. */
function apostrophed(r: Random, text: string, other: string): string {
  const word = text.split(" ")[0] || text;
  if (r() < 0.3) return `${text} ${pick(r, ["d'", "l'", "dell'"])}${other.split(" ")[0]}`;
  return `${pick(r, ["o'", "d'", "l'", "dell'", "n'"])}${word}${text.slice(word.length)}`;
}

/** Parameters that hold people's and places' names. */
const NAME_PARAMETERS = new Set(["nombre", "apellidos", "login", "ciudad", "provincia", "direccion", "q"]);

/** Benign values of each parameter, from a dev set's normal lines: a page's own first, any page's when it never had the parameter. */
export class BenignValues {
  private readonly byPage = new Map<string, string[]>();
  private readonly byName = new Map<string, string[]>();

  add(page: string, name: string, value: string): void {
    for (const [map, key] of [[this.byPage, `${page} ${name}`], [this.byName, name]] as const) {
      const values = map.get(key);
      if (values) values.push(value);
      else map.set(key, [value]);
    }
  }

  all(page: string, name: string): string[] {
    const values = this.byPage.get(`${page} ${name}`) ?? this.byName.get(name);
    if (!values) throw new Error(`no benign value of ${name} in the dev set`);
    return values;
  }

  pick(r: Random, page: string, name: string): string {
    return pick(r, this.all(page, name));
  }
}

// ---------------------------------------------------------------------------------------------
// The access log's classes.

export interface AccessCorpus {
  /** The attack lines whose payload is located: the attack classes' lines. */
  attacks: AccessLine[];
  /** Per attack line, the index in its query of the parameter holding the payload. */
  payloadAt: number[];
  /** Attack lines with no one value that stands out, left out. */
  unlocated: string[];
  normals: AccessLine[];
  /** Benign values as sent. */
  benign: BenignValues;
  trainingNames: Set<string>;
  trainingAgents: Set<string>;
  /** How many normal lines a drift class takes. */
  driftLines: number;
}

export function accessCorpus(dev: string[], labels: boolean[], training: string[], driftLines = 1000): AccessCorpus {
  if (dev.length !== labels.length) throw new RangeError(`${labels.length} labels for ${dev.length} lines`);
  const parsed = dev.map(parseAccess);
  const trained = training.map(parseAccess);
  const shapes = valueShapes(trained.flatMap((l) => (l.query ?? []).map((p): [string, string] => [p.name, formDecode(p.value ?? "")])));
  const { located: attacks, payloadAt, unlocated } = locate(
    parsed.filter((_, i) => labels[i]),
    (l) => payloadIndex(shapes, (l.query ?? []).map((p) => [p.name, formDecode(p.value ?? "")])),
  );
  const normals = parsed.filter((_, i) => !labels[i]);
  const benign = new BenignValues();
  for (const l of normals) for (const p of l.query ?? []) if (p.value !== null) benign.add(l.path, p.name, p.value);
  return {
    attacks, payloadAt, unlocated: unlocated.map(serialiseAccess), normals, benign, driftLines,
    trainingNames: new Set(trained.flatMap((l) => (l.query ?? []).map((p) => p.name))),
    trainingAgents: new Set(trained.map((l) => l.userAgent)),
  };
}

/** Each attack line, its payload taken out of its parameter (which gets a benign value of its own) and handed to `place`. */
function movePayload(c: AccessCorpus, r: Random, place: (l: AccessLine, payload: Parameter, r: Random) => void): Cases {
  return mutateAttacks(c, r, (l, at, r) => {
    const payload = { ...l.query![at] };
    l.query![at].value = c.benign.pick(r, l.path, payload.name);
    place(l, payload, r);
  });
}

/** Each attack line changed in place. */
function mutateAttacks(c: AccessCorpus, r: Random, mutate: (l: AccessLine, at: number, r: Random) => void): Cases {
  return attacks(rewrite(ACCESS_FORMAT, c.attacks, (l, i) => mutate(l, c.payloadAt[i], r)));
}

/** `driftLines` normal lines for which `applies`, each changed by `mutate`. */
function driftAccess(c: AccessCorpus, r: Random, applies: (l: AccessLine) => boolean, mutate: (l: AccessLine, r: Random) => void): Cases {
  return normals(rewrite(ACCESS_FORMAT, sample(r, c.normals.filter(applies), c.driftLines), (l) => mutate(l, r)));
}

function insertAt<T>(r: Random, xs: T[], item: T): void {
  xs.splice(between(r, 0, xs.length), 0, item);
}

const hasNames = (l: AccessLine) => (l.query ?? []).some((p) => NAME_PARAMETERS.has(p.name) && p.value);

/** A long benign text of a parameter: its benign values (decoded), until it is `length` characters long. */
function benignText(r: Random, decoded: string[], length: number): string {
  const separator = decoded.some((v) => v.includes(" ")) ? " " : "";
  let text = "";
  while (text.length < length) text += (text ? separator : "") + pick(r, decoded);
  return text;
}

export const ACCESS_CLASSES: CaseClass<AccessCorpus>[] = [
  { name: "unmutated attacks", kind: "attack", goal: null, baseline: true, build: (c, r) => mutateAttacks(c, r, () => {}) },
  {
    name: "unknown parameter", kind: "attack", goal: { recallShare: 0.9 },
    build: (c, r) => movePayload(c, r, (l, p, r) => insertAt(r, l.query!, { name: unknownName(r, c.trainingNames), value: p.value })),
  },
  { name: "spoofed prefix", kind: "attack", goal: { recallShare: 0.9 }, build: (c, r) => mutateAttacks(c, r, (l, _, r) => (l.client = forwardedChain(r, l.client))) },
  {
    name: "IPv6 + 12 junk parameters", kind: "attack", goal: { recallShare: 0.9 },
    build: (c, r) =>
      mutateAttacks(c, r, (l, _, r) => {
        l.client = ipv6(r);
        for (let k = 0; k < 12; k++) insertAt(r, l.query!, { name: unknownName(r, c.trainingNames), value: junkValue(r) });
      }),
  },
  {
    name: "payload in user agent", kind: "attack", goal: { recallShare: 0.9 },
    // The header set to the payload, or the payload after a browser's own agent; logged as Apache escapes it.
    build: (c, r) => movePayload(c, r, (l, p, r) => (l.userAgent = r() < 0.5 ? apacheEscape(formDecode(p.value!)) : `${l.userAgent} ${apacheEscape(formDecode(p.value!))}`)),
  },
  {
    name: "payload in referer", kind: "attack", goal: { recallShare: 0.9 },
    // The header set to the payload, or a page URL with the payload in its query.
    build: (c, r) =>
      movePayload(c, r, (l, p, r) => (l.referer = r() < 0.5 ? apacheEscape(formDecode(p.value!)) : `http://shop.example.es${l.path}?${p.name}=${p.value}`)),
  },
  {
    name: "payload in path", kind: "attack", goal: { recallShare: 0.9 },
    // As path info after the page, or as a directory before it.
    build: (c, r) =>
      movePayload(c, r, (l, p, r) => {
        const segment = pathEncode(formDecode(p.value!));
        const slash = l.path.lastIndexOf("/");
        l.path = r() < 0.5 ? `${l.path}/${segment}` : `${l.path.slice(0, slash)}/${segment}${l.path.slice(slash)}`;
      }),
  },
  {
    name: "double encoding", kind: "attack", goal: { recallShare: 0.9 },
    build: (c, r) => mutateAttacks(c, r, (l, at) => (l.query![at].value = percentEncodeAll(percentEncodeAll(formDecode(l.query![at].value!))))),
  },
  {
    name: "overlong UTF-8", kind: "attack", goal: { recallShare: 0.9 },
    build: (c, r) => mutateAttacks(c, r, (l, at) => (l.query![at].value = overlongEncode(formDecode(l.query![at].value!)))),
  },
  {
    name: "padding: benign parameters first", kind: "attack", goal: { recallShare: 0.9 },
    // 30 to 60 parameters of the page's own names with benign values, before the payload's.
    build: (c, r) =>
      mutateAttacks(c, r, (l, at, r) => {
        const names = l.query!.map((p) => p.name);
        const padding = Array.from({ length: between(r, 30, 60) }, () => {
          const name = pick(r, names);
          return { name, value: c.benign.pick(r, l.path, name) };
        });
        l.query!.splice(at, 0, ...padding);
      }),
  },
  {
    name: "padding: long benign value first", kind: "attack", goal: { recallShare: 0.9 },
    // 1,000 to 3,000 characters of the parameter's own benign values, then the payload, in one value.
    build: (c, r) =>
      mutateAttacks(c, r, (l, at, r) => {
        const p = l.query![at];
        p.value = formEncode(benignText(r, c.benign.all(l.path, p.name).map(formDecode), between(r, 1000, 3000)) + " " + formDecode(p.value!));
      }),
  },
  { name: "unmutated normal", kind: "normal", goal: { maxFlagged: 0.01 }, build: (c, r) => driftAccess(c, r, () => true, () => {}) },
  { name: "IPv6 clients", kind: "normal", goal: { maxFlagged: 0.01 }, build: (c, r) => driftAccess(c, r, () => true, (l, r) => (l.client = ipv6(r))) },
  {
    name: "unseen browsers", kind: "normal", goal: { maxFlagged: 0.01 },
    build: (c, r) =>
      driftAccess(c, r, () => true, (l, r) => {
        do l.userAgent = apacheEscape(browserAgent(r));
        while (c.trainingAgents.has(l.userAgent));
      }),
  },
  {
    name: "accented names", kind: "normal", goal: { maxFlagged: 0.01 },
    // Each name of the request accented with a chance of 3 in 5 (at least one), sent as a browser sends UTF-8.
    build: (c, r) =>
      driftAccess(c, r, hasNames, (l, r) => {
        const names = l.query!.filter((p) => NAME_PARAMETERS.has(p.name) && p.value);
        const chosen = names.filter(() => r() < 0.6);
        for (const p of chosen.length ? chosen : [pick(r, names)]) p.value = formEncode(accented(r, formDecode(p.value!)));
      }),
  },
  {
    name: "apostrophe names", kind: "normal", goal: { maxFlagged: 0.1 },
    build: (c, r) =>
      driftAccess(c, r, hasNames, (l, r) => {
        const p = pick(r, l.query!.filter((p) => NAME_PARAMETERS.has(p.name) && p.value));
        p.value = formEncode(apostrophed(r, formDecode(p.value!), formDecode(c.benign.pick(r, l.path, p.name))));
      }),
  },
];

// ---------------------------------------------------------------------------------------------
// The app log's classes: the same mutations where a logfmt line has the place for them (it has no
// user agent or referer, and logs values decoded).

export interface AppCorpus {
  attacks: AppLine[];
  /** Per attack line, the index in its items of the pair holding the payload. */
  payloadAt: number[];
  unlocated: string[];
  normals: AppLine[];
  benign: BenignValues;
  trainingKeys: Set<string>;
  driftLines: number;
}

/** The page a line is of: its path= value. */
const page = (l: AppLine) => l.items.find((it) => it.key === "path")?.value ?? "";

const parameters = (l: AppLine) => l.items.map((it, i) => [it, i] as const).filter(([it]) => it.key !== null && !APP_OWN_KEYS.has(it.key));

export function appCorpus(dev: string[], labels: boolean[], training: string[], driftLines = 1000): AppCorpus {
  if (dev.length !== labels.length) throw new RangeError(`${labels.length} labels for ${dev.length} lines`);
  const parsed = dev.map(parseLogfmt);
  const trained = training.map(parseLogfmt);
  const shapes = valueShapes(trained.flatMap((l) => parameters(l).map(([it]): [string, string] => [it.key!, it.value])));
  const { located: attacks, payloadAt, unlocated } = locate(parsed.filter((_, i) => labels[i]), (l) => {
    const ps = parameters(l);
    const at = payloadIndex(shapes, ps.map(([it]) => [it.key!, it.value]));
    return at < 0 ? -1 : ps[at][1];
  });
  const normals = parsed.filter((_, i) => !labels[i]);
  const benign = new BenignValues();
  for (const l of normals) for (const [it] of parameters(l)) benign.add(page(l), it.key!, it.value);
  return { attacks, payloadAt, unlocated: unlocated.map(serialiseLogfmt), normals, benign, driftLines, trainingKeys: new Set(trained.flatMap((l) => l.items.flatMap((it) => (it.key === null ? [] : [it.key])))) };
}

/** Where a new parameter may go: after path= and before client=. */
function parameterSpan(l: AppLine): [number, number] {
  const path = l.items.findIndex((it) => it.key === "path");
  const client = l.items.findIndex((it) => it.key === "client");
  return [path + 1, client < 0 ? l.items.length : client];
}

function insertParameter(r: Random, l: AppLine, item: LogfmtItem): void {
  const [from, to] = parameterSpan(l);
  l.items.splice(between(r, from, to), 0, item);
}

function appAttacks(c: AppCorpus, r: Random, mutate: (l: AppLine, payload: LogfmtItem, r: Random) => void): Cases {
  return attacks(rewrite(LOGFMT_FORMAT, c.attacks, (l, i) => mutate(l, l.items[c.payloadAt[i]], r)));
}

/** The payload's value taken out (its key gets a benign value) and handed to `place`. */
function appMove(c: AppCorpus, r: Random, place: (l: AppLine, key: string, payload: string, r: Random) => void): Cases {
  return appAttacks(c, r, (l, item, r) => {
    const payload = item.value;
    setValue(item, c.benign.pick(r, page(l), item.key!));
    place(l, item.key!, payload, r);
  });
}

function setValue(item: LogfmtItem, value: string): void {
  item.value = value;
  item.quoted = needsQuotes(value);
}

const namesOf = (l: AppLine) => parameters(l).filter(([it]) => NAME_PARAMETERS.has(it.key!) && it.value !== "").map(([it]) => it);

function driftApp(c: AppCorpus, r: Random, applies: (l: AppLine) => boolean, mutate: (l: AppLine, r: Random) => void): Cases {
  return normals(rewrite(LOGFMT_FORMAT, sample(r, c.normals.filter(applies), c.driftLines), (l) => mutate(l, r)));
}

/** A name made quoted (two words: the name and another of the same key) if it is not already. */
function quotedName(r: Random, c: AppCorpus, l: AppLine, key: string, value: string): string {
  return value.includes(" ") ? value : `${value} ${c.benign.pick(r, page(l), key).split(" ")[0]}`;
}

const client = (l: AppLine) => l.items.find((it) => it.key === "client")!;

export const APP_CLASSES: CaseClass<AppCorpus>[] = [
  { name: "unmutated attacks", kind: "attack", goal: null, baseline: true, build: (c, r) => appAttacks(c, r, () => {}) },
  {
    name: "unknown key", kind: "attack", goal: { recallShare: 0.9 },
    build: (c, r) => appMove(c, r, (l, _, payload, r) => insertParameter(r, l, logfmtPair(unknownName(r, c.trainingKeys), payload))),
  },
  { name: "spoofed client chain", kind: "attack", goal: { recallShare: 0.9 }, build: (c, r) => appAttacks(c, r, (l, _, r) => setValue(client(l), forwardedChain(r, client(l).value))) },
  {
    name: "IPv6 + 12 junk keys", kind: "attack", goal: { recallShare: 0.9 },
    build: (c, r) =>
      appAttacks(c, r, (l, _, r) => {
        setValue(client(l), ipv6(r));
        for (let k = 0; k < 12; k++) insertParameter(r, l, logfmtPair(unknownName(r, c.trainingKeys), junkValue(r)));
      }),
  },
  {
    name: "payload quoted with \\\" inside", kind: "attack", goal: { recallShare: 0.9 },
    // The payload in double quotes after a benign value of its key: key="benign \"payload\"".
    build: (c, r) => appAttacks(c, r, (l, item, r) => setValue(item, `${c.benign.pick(r, page(l), item.key!)} "${item.value}"`)),
  },
  {
    name: "payload in path", kind: "attack", goal: { recallShare: 0.9 },
    // The request URI as sent: the payload as path info after the page, percent-encoded.
    build: (c, r) => appMove(c, r, (l, _, payload) => {
      const path = l.items.find((it) => it.key === "path")!;
      setValue(path, `${path.value}/${pathEncode(payload)}`);
    }),
  },
  {
    name: "double encoding", kind: "attack", goal: { recallShare: 0.9 },
    // Sent encoded twice, logged decoded once: the payload percent-encoded in the value.
    build: (c, r) => appAttacks(c, r, (_, item) => setValue(item, percentEncodeAll(item.value))),
  },
  {
    name: "padding: benign keys first", kind: "attack", goal: { recallShare: 0.9 },
    build: (c, r) =>
      appAttacks(c, r, (l, item, r) => {
        const keys = parameters(l).map(([it]) => it.key!);
        const padding = Array.from({ length: between(r, 30, 60) }, () => {
          const key = pick(r, keys);
          return logfmtPair(key, c.benign.pick(r, page(l), key));
        });
        l.items.splice(l.items.indexOf(item), 0, ...padding);
      }),
  },
  {
    name: "padding: long benign value first", kind: "attack", goal: { recallShare: 0.9 },
    build: (c, r) =>
      appAttacks(c, r, (l, item, r) => {
        setValue(item, benignText(r, c.benign.all(page(l), item.key!), between(r, 1000, 3000)) + " " + item.value);
      }),
  },
  { name: "unmutated normal", kind: "normal", goal: { maxFlagged: 0.01 }, build: (c, r) => driftApp(c, r, () => true, () => {}) },
  { name: "IPv6 clients", kind: "normal", goal: { maxFlagged: 0.01 }, build: (c, r) => driftApp(c, r, () => true, (l, r) => setValue(client(l), ipv6(r))) },
  {
    name: "accented names", kind: "normal", goal: { maxFlagged: 0.01 },
    // Raw UTF-8, as the application logs it, in quoted values.
    build: (c, r) =>
      driftApp(c, r, (l) => namesOf(l).length > 0, (l, r) => {
        const names = namesOf(l);
        const chosen = names.filter(() => r() < 0.6);
        for (const it of chosen.length ? chosen : [pick(r, names)]) setValue(it, accented(r, quotedName(r, c, l, it.key!, it.value)));
      }),
  },
  {
    name: "apostrophe names", kind: "normal", goal: { maxFlagged: 0.1 },
    build: (c, r) =>
      driftApp(c, r, (l) => namesOf(l).length > 0, (l, r) => {
        const it = pick(r, namesOf(l));
        setValue(it, apostrophed(r, quotedName(r, c, l, it.key!, it.value), c.benign.pick(r, page(l), it.key!)));
      }),
  },
];
