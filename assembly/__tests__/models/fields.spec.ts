import { learnFields, fieldSurprise, explainFields, explainedAddress, explanation, resetFields, surpriseOfDecades, secondKey, FieldReading, RARE_DECADES, VERY_UNUSUAL_DECADES, SYNTAX_DECADES, NEW_VALUE_DECADES } from "../../models/fields";
import { SYNTAX_SQL, SYNTAX_MARKUP, EVIDENCE_NEW_FIELD, EVIDENCE_NEW_NETWORK, EVIDENCE_NEW_HOUR } from "../../base/layouts";

function text(s: string): usize {
  return changetype<usize>(String.UTF8.encode(s));
}
function length(s: string): usize {
  return <usize>String.UTF8.byteLength(s);
}
function learn(s: string): void {
  const p = text(s);
  learnFields(p, p + length(s));
}
/** What the last message read was found to hold. */
const reading = new FieldReading();
function surprise(s: string): f64 {
  const p = text(s);
  return fieldSurprise(p, p + length(s), reading);
}
function decades(s: string): f64 {
  const p = text(s);
  explainFields(p, p + length(s), reading);
  return reading.decades;
}
/** A word of letters for each i (many words: a field of them is not a small set of values). */
function word(i: i32): string {
  let w = "";
  for (let n = i + 17576; n > 0; n = n / 26) w += String.fromCharCode(0x61 + n % 26);
  return w;
}
/** Training: n requests whose id is a number and whose name is a word or two, as a shop's log has them. */
function trainShop(n: i32): void {
  for (let i = 0; i < n; i++) learn("GET /shop/item.jsp?id=" + (10000000 + i * 7919).toString() + "&name=" + (i % 2 == 0 ? word(i) : word(i) + "+" + word(i + 7)) + " HTTP/1.1");
}

describe("the field model", () => {
  beforeEach(() => {
    resetFields();
  });

  it("finds nothing unusual in a message shaped like training, digits and letters of any value", () => {
    trainShop(1000);
    expect(surprise("GET /shop/item.jsp?id=31&name=Orange HTTP/1.1")).toBe(0);
    expect(surprise("GET /shop/item.jsp?id=99999999&name=kiwi+tart HTTP/1.1")).toBe(0);
  });

  it("scores a value whose shape its field never held", () => {
    trainShop(1000);
    const injected = decades("GET /shop/item.jsp?id=1%27+or+1%3D1--&name=Lemon HTTP/1.1");
    expect(injected).toBeGreaterThan(VERY_UNUSUAL_DECADES);
    // An unseen trigram in a field of n values: log10((n + 2) / 1) - RARE_DECADES.
    const at = explainedAddress();
    expect(load<f64>(at, 16)).toBe(0); // its count
    expect(load<f64>(at, 24)).toBe(1000); // the field's values in training
    expect(load<f64>(at, 32)).toBeCloseTo(Math.log10(1002) - RARE_DECADES, 12);
  });

  it("keeps fields apart: a name's shape is unusual in the id field", () => {
    trainShop(1000);
    expect(decades("GET /shop/item.jsp?id=apple+pie&name=Lemon HTTP/1.1")).toBeGreaterThan(0);
    expect(decades("GET /shop/item.jsp?id=12&name=Lemon HTTP/1.1")).toBe(0);
  });

  it("decodes percent escapes, twice-encoded ones too, and '+' as a space", () => {
    trainShop(1000);
    const plain = decades("GET /shop/item.jsp?id=1'+or+1=1--&name=Lemon HTTP/1.1");
    expect(decades("GET /shop/item.jsp?id=1%27%20or%201%3D1--&name=Lemon HTTP/1.1")).toBe(plain);
    expect(decades("GET /shop/item.jsp?id=1%2527%2520or%25201%253D1--&name=Lemon HTTP/1.1")).toBe(plain);
  });

  it("names a token that is not key=value by the token before it: a path where a path belongs", () => {
    trainShop(1000);
    expect(decades("GET /shop/item.jsp?id=7&name=Lemon HTTP/1.1")).toBe(0);
    expect(decades("GET /shop/../../etc/passwd HTTP/1.1")).toBeGreaterThan(VERY_UNUSUAL_DECADES);
  });

  it("calls nothing rare in a field it has not seen often enough to know, but still sees attack syntax", () => {
    for (let i = 0; i < 20; i++) learn("user=alice");
    // 1 in 22 is not rarer than 1 in 10^1.5: too few values to call a shape rare.
    expect(decades("user=bob1")).toBe(0);
    expect(decades("user=<script>")).toBe(SYNTAX_DECADES);
    expect(reading.syntax).toBe(SYNTAX_MARKUP);
  });

  it("maps decades to a surprise in [0, 1), one half at very unusual", () => {
    expect(surpriseOfDecades(0)).toBe(0);
    expect(surpriseOfDecades(VERY_UNUSUAL_DECADES)).toBe(0.5);
    expect(surpriseOfDecades(1e9)).toBeLessThan(1);
    trainShop(200);
    const p = text("GET /shop/item.jsp?id=<script>&name=Lemon HTTP/1.1");
    const n = length("GET /shop/item.jsp?id=<script>&name=Lemon HTTP/1.1");
    expect(fieldSurprise(p, p + n, reading)).toBe(surpriseOfDecades(decades("GET /shop/item.jsp?id=<script>&name=Lemon HTTP/1.1")));
    expect(explanation.grams).toBeGreaterThan(0);
  });
});

describe("fields named by the token before them", () => {
  beforeEach(() => {
    resetFields();
  });

  it("follow the word before them, wherever the line puts it", () => {
    for (let i = 0; i < 1000; i++) learn("Jan 5 10:00:0" + (i % 10).toString() + " host sshd[" + i.toString() + "]: Accepted password for " + word(i % 300) + " from " + (i % 250 + 1).toString() + ".0.0.1 port " + (40000 + i).toString() + " ssh2");
    // No prefix, another user: every token is where the word before it says.
    expect(decades("Accepted password for alice from 192.168.1.7 port 2222 ssh2")).toBe(0);
    // A name where an address belongs.
    expect(decades("Accepted password for alice from evil.example port 2222 ssh2")).toBeGreaterThan(0);
  });
});

describe("coverage and the back-off", () => {
  beforeEach(() => {
    resetFields();
  });

  it("scores nothing but attack syntax in a line of a log the model was not trained on, and marks it not covered", () => {
    trainShop(1000);
    // Every field is new: each value would look rare, and that says nothing of an attack.
    expect(decades("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6")).toBe(0);
    expect(explanation.grams).toBe(0);
    expect(reading.covered()).toBe(false);
    // No junk switches scoring off: an injection in it is judged all the same.
    expect(decades("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6 q=1'+or+'1'='1")).toBeGreaterThanOrEqual(SYNTAX_DECADES);
    expect(reading.syntax).toBe(SYNTAX_SQL);
  });

  it("judges a parameter training never had against all the log's values", () => {
    trainShop(1000);
    // A field never seen, in a log whose lines always carry the same few: some evidence, not alone very unusual.
    const newField = decades("GET /shop/item.jsp?id=7&debug=1&name=Lemon HTTP/1.1");
    expect(newField).toBeGreaterThan(1);
    expect(newField).toBeLessThan(VERY_UNUSUAL_DECADES / 2);
    expect(load<u32>(explainedAddress(), 40)).toBe(EVIDENCE_NEW_FIELD);
    expect(reading.covered()).toBe(true);
    expect(decades("GET /shop/item.jsp?id=7&debug=1%27+or+%271%27%3D%271&name=Lemon HTTP/1.1")).toBeGreaterThan(VERY_UNUSUAL_DECADES);
  });

  it("does not count the field after a rare token against the message", () => {
    trainShop(1000);
    // The path is rare where a path belongs, so "HTTP/1.1" comes after a token never seen there.
    expect(decades("GET /shop/../../etc/passwd HTTP/1.1")).toBeGreaterThan(VERY_UNUSUAL_DECADES);
    expect(reading.countedFields).toBe(2);
    expect(reading.knownFields).toBe(1); // the method; the path is known as a field, but not in this shape
    expect(reading.covered()).toBe(true);
  });

  it("reads rare values until the message is saturated with rarity, the same as explain", () => {
    trainShop(1000);
    const line = "GET /shop/item.jsp?id=<<!!((%%%%))>>&name=~~##@@^^!!**&& HTTP/1.1";
    const p = text(line);
    const n = length(line);
    expect(fieldSurprise(p, p + n, reading)).toBe(surpriseOfDecades(decades(line)));
    expect(reading.covered()).toBe(true);
    expect(surpriseOfDecades(decades(line))).toBeGreaterThan(0.8);
  });

  it("judges a line padded with rare junk to look like another log by its attack syntax alone", () => {
    trainShop(1000);
    let line = "GET /shop/item.jsp?id=1";
    for (let i = 0; i < 20; i++) line += "&id=~" + i.toString() + "~";
    expect(decades(line)).toBe(0);
    expect(reading.covered()).toBe(false);
    expect(decades(line + "&name=<script>")).toBe(SYNTAX_DECADES);
  });
});

describe("values read as a user reads them", () => {
  beforeEach(() => {
    resetFields();
  });

  it("logfmt: a quoted value is one value, spaces and \\\" escapes included", () => {
    for (let i = 0; i < 1000; i++) learn("level=info msg=\"user " + (i % 50).toString() + " logged in\" q=\"red shoes\"");
    expect(decades("level=info msg=\"user 7 logged in\" q=\"blue hats\"")).toBe(0);
    // The injection stays in q, whole: not cut at its first space.
    expect(decades("level=info msg=\"user 7 logged in\" q=\"1' union select password from users--\"")).toBeGreaterThan(VERY_UNUSUAL_DECADES);
    expect(reading.syntax).toBe(SYNTAX_SQL);
    expect(decades("level=info msg=\"user 7 logged in\" q=\"say \\\"1\\\" or \\\"1\\\"=\\\"1\\\"\"")).toBeGreaterThan(0);
  });

  it("JSON: a member's key names its value as key=value does, in any order", () => {
    const people = ["alice", "bob", "carol", "dave"];
    for (let i = 0; i < 1000; i++) learn("user=" + people[i % 4] + " action=login status=" + (200 + (i % 3)).toString());
    expect(decades('{"status":201,"user":"carol","action":"login"}')).toBe(0);
    expect(decades('{"user": "mallory", "action": "login", "status": 200}')).toBe(NEW_VALUE_DECADES);
    expect(decades('{"action":"login","user":"carol\' or 1=1--","status":200}')).toBeGreaterThanOrEqual(SYNTAX_DECADES);
  });

  it("addresses and ids are typed: an IPv6 client is no news where IPv4 ones were", () => {
    for (let i = 0; i < 1000; i++) learn("client=" + (i % 200 + 1).toString() + ".0." + (i % 250).toString() + ".1 session=" + (0x10000000 + i * 7919).toString(16) + "a");
    expect(decades("client=2a0c:5a80::5b09 session=deadbeef00")).toBe(0);
    expect(decades("client=fe80::1%eth0 session=550e8400-e29b-41d4-a716-446655440000")).toBeGreaterThan(0); // a zone is not an address shape
    expect(decades("client=2001:db8:0:0:0:0:2:1 session=550e8400-e29b-41d4-a716-446655440000")).toBe(0);
  });

  it("a hex run inside a value (a build's hash in a file name) is one symbol, whatever its letters and digits", () => {
    for (let i = 0; i < 1000; i++) learn("method=GET path=/assets/app.3f9a12bc.js status=200 pod=web-77c0e1d4-x2x4z agent=curl");
    // The next deploy's: other hashes, their letters and digits elsewhere (1.5 decades when read letter by letter).
    expect(decades("method=GET path=/assets/app.aa1c99dc.js status=200 pod=web-0f9e88d7c6-x2x4z agent=curl")).toBe(0);
    // A run that mixes other letters in is no hex: its shape counts.
    expect(decades("method=GET path=/assets/app.zz1c99dc.js status=200 pod=web-77c0e1d4-x2x4z agent=curl")).toBeGreaterThan(0);
  });

  it("letters are letters in any script, and an apostrophe inside a word is part of it", () => {
    for (let i = 0; i < 1000; i++) learn("name=" + word(i) + " city=bilbao");
    expect(decades("name=Müller city=bilbao")).toBe(0);
    expect(decades("name=Ζωή city=bilbao")).toBe(0);
    expect(decades("name=O'Brien city=bilbao")).toBe(0);
    expect(decades("name=x'+or+'1 city=bilbao")).toBeGreaterThan(0);
  });
});

const users = ["alice", "bob", "carol", "dave"];

/** Forty days of root's cron every hour from 0 to `cronHours` - 1, and people from 09:00 to 17:00, stamped by `at`. */
function trainAroundTheClock(at: (hour: i32, minute: i32) => string, cronHours: i32): void {
  for (let day = 0; day < 40; day++) {
    for (let hour = 0; hour < 24; hour++) {
      if (hour < cronHours) learn(at(hour, 17) + "CRON[1]: pam_unix(cron:session): session opened for user root by (uid=0)");
      if (hour >= 9 && hour <= 17) for (let i = 0; i < 4; i++) learn(at(hour, i * 13) + "sshd[2]: pam_unix(sshd:session): session opened for user " + users[i] + " by (uid=0)");
    }
  }
}
function two(n: i32): string {
  return (n < 10 ? "0" : "") + n.toString();
}

describe("whole values", () => {
  beforeEach(() => {
    resetFields();
  });
  it("a field that holds a few values: one it never held is evidence (the token finder)", () => {
    for (let i = 0; i < 1000; i++) learn("user=" + users[i % 4] + " name=" + word(i) + " action=login");
    expect(decades("user=carol name=zzq action=login")).toBe(0);
    expect(decades("user=mallory name=zzq action=login")).toBe(NEW_VALUE_DECADES);
    // A page is a value too, a lone digit in it or not (a number of two digits or more is not).
    resetFields();
    for (let i = 0; i < 1000; i++) learn("GET " + ["/shop1/index.jsp", "/shop1/cart.jsp", "/favicon.ico"][i % 3] + " HTTP/1.1");
    expect(decades("GET /shop1/cart.jsp HTTP/1.1")).toBe(0);
    expect(decades("GET /shop2/admin.jsp HTTP/1.1")).toBe(NEW_VALUE_DECADES); // shaped as the pages are
    resetFields();
    for (let i = 0; i < 1000; i++) learn("user=" + users[i % 4] + " name=" + word(i) + " action=login");
    // Case counts: a value is what the log wrote.
    expect(decades("user=Carol name=zzq action=login")).toBe(NEW_VALUE_DECADES);
    // A field of many values is no enumeration, nor one seen too seldom to tell.
    expect(decades("user=carol name=mallory action=login")).toBe(0);
    resetFields();
    for (let i = 0; i < 10; i++) learn("user=" + users[i % 4] + " action=login");
    expect(decades("user=mallory action=login")).toBe(0);
    // A value with no letter is no name: a field of words that holds a small number now and then
    // (logind's sessions, numbered from 1 again after a reboot) calls a new number no news.
    resetFields();
    for (let i = 0; i < 1200; i++) {
      if (i % 3 == 0) learn("Removed session " + (i < 30 ? 5 : 10 + i).toString() + ".");
      else learn("pam_unix(sshd:session): session " + (i % 3 == 1 ? "opened" : "closed") + " for user " + users[i % 4]);
    }
    expect(decades("Removed session 2.")).toBe(0);
    expect(decades("pam_unix(sshd:session): session hijacked for user alice")).toBe(NEW_VALUE_DECADES);
  });

  it("an address from a network its field never held is evidence, where its field's addresses come from a few networks", () => {
    // Logins from an office /16 and a provider's IPv6 /32, any host in them.
    const office = ["10.8.1.5", "2001:db8:1::5", "2a02:8108:1f00::5", "2A02:8108:77:1::9"];
    for (let i = 0; i < 1000; i++) learn("Accepted publickey for " + users[i % 4] + " from " + office[(i >> 2) % 4] + " port " + (40000 + i).toString());
    expect(decades("Accepted publickey for carol from 10.8.99.99 port 51234")).toBe(0);
    expect(decades("Accepted publickey for carol from 2a02:8108:dead::1 port 51234")).toBe(0);
    // The same networks written otherwise: a group's leading zeros, "::" early, IPv4 mapped in IPv6.
    expect(decades("Accepted publickey for carol from 2001:0db8:77::1 port 51234")).toBe(0);
    expect(decades("Accepted publickey for carol from ::ffff:10.8.3.3 port 51234")).toBe(0);
    expect(decades("Accepted publickey for carol from 2a02::1 port 51234")).toBe(NEW_VALUE_DECADES); // 2a02:0000::/32
    expect(decades("Accepted publickey for carol from 185.220.101.245 port 51234")).toBe(NEW_VALUE_DECADES);
    expect(load<u32>(explainedAddress(), 40)).toBe(EVIDENCE_NEW_NETWORK);
    expect(decades("Accepted publickey for carol from 2a01:4f8::1 port 51234")).toBe(NEW_VALUE_DECADES);
    // A public site's clients come from everywhere: no network is news.
    resetFields();
    for (let i = 0; i < 1000; i++) learn("client " + (i % 223 + 1).toString() + "." + (i * 7 % 256).toString() + ".0.1 GET /index.html");
    expect(decades("client 185.220.101.245 GET /index.html")).toBe(0);
    // Nor where the networks, few, are not seen NETWORK_RATIO times each (scanners that come and go).
    resetFields();
    for (let i = 0; i < 1000; i++) learn("connection from " + (i % 30 + 1).toString() + ".1.0.1");
    expect(decades("connection from 185.220.101.245")).toBe(0);
  });

  it("a value seen often, never within two hours of this time of day, is evidence, in a log that runs around the clock", () => {
    const syslog = (hour: i32, minute: i32): string => "Mar  4 " + two(hour) + ":" + two(minute) + ":00 bastion ";
    trainAroundTheClock(syslog, 24);
    expect(decades(syslog(10, 30) + "sshd[2]: pam_unix(sshd:session): session opened for user alice by (uid=0)")).toBe(0);
    expect(decades(syslog(19, 30) + "sshd[2]: pam_unix(sshd:session): session opened for user alice by (uid=0)")).toBe(0); // within two hours
    expect(decades(syslog(3, 10) + "sshd[2]: pam_unix(sshd:session): session opened for user alice by (uid=0)")).toBe(NEW_VALUE_DECADES);
    expect(load<u32>(explainedAddress(), 40)).toBe(EVIDENCE_NEW_HOUR);
    expect(decades(syslog(3, 10) + "CRON[1]: pam_unix(cron:session): session opened for user root by (uid=0)")).toBe(0);
    // Apache's time: the hour after the year, not the year's last digits.
    resetFields();
    const apache = (hour: i32, minute: i32): string => "[04/Mar/2019:" + two(hour) + ":" + two(minute) + ":00 +0100] bastion ";
    trainAroundTheClock(apache, 24);
    expect(decades(apache(10, 30) + "sshd[2]: pam_unix(sshd:session): session opened for user alice by (uid=0)")).toBe(0);
    expect(decades(apache(3, 10) + "sshd[2]: pam_unix(sshd:session): session opened for user alice by (uid=0)")).toBe(NEW_VALUE_DECADES);
    // A log of office hours only tells nothing of the night.
    resetFields();
    trainAroundTheClock(syslog, 0);
    expect(decades(syslog(3, 10) + "sshd[2]: pam_unix(sshd:session): session opened for user alice by (uid=0)")).toBe(0);
  });

  it("a value far longer than its field's is evidence, by Cantelli's bound on its lengths, covered or not", () => {
    for (let i = 0; i < 1000; i++) learn("user=" + users[i % 4] + " action=login");
    // Names of 4 to 7 bytes: 5,000 bytes is thousands of deviations out, rarer than 1 in 10^6.
    expect(decades("user=" + "a".repeat(5000) + " action=login")).toBeGreaterThan(6);
    // Under LENGTH_FLOOR bytes, never (a value the field never held, all the same).
    expect(decades("user=" + "a".repeat(15) + " action=login")).toBe(NEW_VALUE_DECADES);
    const sixteen = decades("user=" + "a".repeat(16) + " action=login") - NEW_VALUE_DECADES;
    expect(sixteen).toBeGreaterThan(0);
    expect(sixteen).toBeLessThan(decades("user=" + "a".repeat(32) + " action=login") - NEW_VALUE_DECADES);
    // A length between its field's (names, and now and then a 1,000-byte one) is no evidence.
    resetFields();
    for (let i = 0; i < 1000; i++) learn("user=" + (i % 10 != 0 ? users[i % 4] : "a".repeat(1000)) + " action=login");
    expect(decades("user=" + "b".repeat(100) + " action=login")).toBe(0);
    resetFields();
    for (let i = 0; i < 1000; i++) learn("user=" + users[i % 4] + " action=login");
    // As decoded: percent-encoding a value does not make it longer.
    expect(decades("user=" + "%61".repeat(20) + " action=login")).toBe(decades("user=" + "a".repeat(20) + " action=login"));
    // A line of another log, padded: not covered, its length judged all the same.
    expect(decades("x=1 y=2 z=3 w=" + "a".repeat(5000))).toBeGreaterThan(VERY_UNUSUAL_DECADES);
    expect(reading.covered()).toBe(false);
  });
});

/** Each trigram of field `key` that explaining `message` found rare, its decades ÷ what its count would give in full. */
function trigramWeights(message: string, key: string): f64[] {
  decades(message);
  const weights: f64[] = [];
  for (let i = 0; i < explanation.grams; i++) {
    const at = explainedAddress() + <usize>i * 48;
    if (load<u32>(at, 40) != 0) continue; // not a trigram rare in its field
    if (message.substring(load<i32>(at, 0), load<i32>(at, 4)) != key) continue;
    const full = Math.log10((load<f64>(at, 24) + 2) / (load<f64>(at, 16) + 1)) - RARE_DECADES;
    weights.push(load<f64>(at, 32) / full);
  }
  return weights;
}

describe("fields of free form", () => {
  beforeEach(() => {
    resetFields();
  });

  it("weigh a rare value's trigrams half, unless it holds a byte attack syntax needs", () => {
    // pw= holds made-up strings of many shapes; id= always digits.
    for (let i = 0; i < 2000; i++) {
      // Each digit of a number picks a letter, a digit or a separator: many shapes.
      const digits = (i * 7919 + 104729).toString();
      let pw = "";
      for (let k = 0; k < digits.length; k++) {
        const d = <i32>digits.charCodeAt(k) - 0x30;
        pw += d < 4 ? word(i + k).charAt(0) : d < 7 ? d.toString() : "-_.~".charAt(d % 4);
      }
      learn("id=" + (1000 + i).toString() + " user=bob host=web pw=" + pw);
    }
    let weights = trigramWeights("id=1234 user=bob host=web pw=x!y!z", "pw");
    expect(weights.length).toBeGreaterThan(0);
    for (let i = 0; i < weights.length; i++) expect(weights[i]).toBeCloseTo(0.5, 12);
    weights = trigramWeights("id=1_2 user=bob host=web pw=ab4~e_", "id");
    expect(weights.length).toBeGreaterThan(0);
    for (let i = 0; i < weights.length; i++) expect(weights[i]).toBeCloseTo(1, 12);
    weights = trigramWeights("id=1234 user=bob host=web pw=x!y'z", "pw");
    expect(weights.length).toBeGreaterThan(0);
    for (let i = 0; i < weights.length; i++) expect(weights[i]).toBeCloseTo(1, 12);
  });
});

function keyOf(header: string): u32 {
  const bytes = String.UTF8.encode(header);
  const p = changetype<usize>(bytes);
  return secondKey(p, p + <usize>bytes.byteLength);
}

describe("a syslog header's second", () => {
  it("is one for the lines of a second and a host, whatever their fraction of it", () => {
    expect(keyOf("Mar 12 11:00:04.120 bastion ")).toBe(keyOf("Mar 12 11:00:04.987 bastion "));
    expect(keyOf("2026-03-12T11:00:04.120+01:00 bastion ")).toBe(keyOf("2026-03-12T11:00:04.987654+01:00 bastion "));
    expect(keyOf("2026-03-12 11:00:04,120 bastion ")).toBe(keyOf("2026-03-12 11:00:04,999 bastion "));
    expect(keyOf("Mar 12 11:00:04 bastion ")).not.toBe(keyOf("Mar 12 11:00:05 bastion "));
    expect(keyOf("Mar 12 11:00:04 bastion ")).not.toBe(keyOf("Mar 12 11:00:04 web1 "));
  });

  it("keeps the dots of an address or a date: they are no fraction", () => {
    expect(keyOf("Mar 12 11:00:04 10.0.0.5 ")).not.toBe(keyOf("Mar 12 11:00:04 10.9.8.7 "));
    expect(keyOf("- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 ")).not.toBe(keyOf("- 1131566461 2005.03.04 dn228 Nov 9 12:01:01 "));
  });
});
