// Alerts grouped by kind (host/core/report/alert-groups.ts): what the masking hides and keeps, how
// near-identical alerts become one kind while different ones stay apart, the order, and the bound.
import { describe, expect, it } from "vitest";
import { AlertGroups, MESSAGE_KEPT, maskVariables, reasonOf, splitReason, templateOf, timeIn, type Alert } from "../../../host/core/report/alert-groups.js";

let index = 0;
function alert(reason: string, message: string, fear = 0.6): Alert {
  index++;
  return { reason, message, fear, surprise: fear, compound: -0.5, source: "x.log", line: index, index, time: timeIn(message) };
}

describe("maskVariables", () => {
  it("masks times, addresses, ids, numbers and one-word quoted values", () => {
    expect(maskVariables("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186")).toBe("<TIME> LabSZ sshd[<NUM>]: Invalid user webmaster from <IP>");
    expect(maskVariables("2026-01-05T00:13:48.108Z ERROR [auth] took 30000 ms, 1.5 s")).toBe("<TIME> ERROR [auth] took <NUM> ms, <NUM> s");
    expect(maskVariables(`203.0.113.9 - - [05/Jan/2026:00:03:18 +0000] "GET /../../etc/passwd HTTP/1.1" 400 121 "-" "sqlmap/1.8"`)).toBe(
      `<IP> - - [<TIME>] "GET /../../etc/passwd HTTP/<NUM>" <NUM> <NUM> <STR> <STR>`,
    );
    expect(maskVariables("at 12:01:02 on 2024-02-29 connect db01:5432 from 10.0.0.1:8080 and fe80::1ff:fe23:4567:890a or ::1")).toBe(
      "at <TIME> on <TIME> connect db01:<NUM> from <IP> and <IP> or <IP>",
    );
    expect(maskVariables("block 0x7f3a req 3f2c9a8b1d id 123e4567-e89b-12d3-a456-426614174000 blk_-1608999687919862906")).toBe("block <HEX> req <HEX> id <HEX> blk_<NUM>");
    expect(maskVariables(`apparmor="DENIED" name='/bin/sh' said "two words" don't 'stop'`)).toBe(`apparmor=<STR> name=<STR> said "two words" don't <STR>`);
  });

  it("keeps what names a kind: words with digits, percent-escapes, colons without digits", () => {
    expect(maskVariables("port 22 ssh2 on db01 as test9 libc.so.6")).toBe("port <NUM> ssh2 on db01 as test9 libc.so.<NUM>");
    expect(maskVariables("GET /a%20b std::string Foo::add deadbeef")).toBe("GET /a%20b std::string Foo::add deadbeef");
  });
});

describe("timeIn", () => {
  it("finds the leading timestamp as written, or none", () => {
    expect(timeIn("Dec 10 06:55:46 LabSZ sshd[24200]: x")).toBe("Dec 10 06:55:46");
    expect(timeIn("Jan  5 00:00:40 db01 kernel: x")).toBe("Jan  5 00:00:40");
    expect(timeIn("2026-01-05T00:13:48.108Z ERROR x")).toBe("2026-01-05T00:13:48.108Z");
    expect(timeIn("2015-10-18 18:01:47,978 INFO x")).toBe("2015-10-18 18:01:47,978");
    expect(timeIn(`1.2.3.4 - - [05/Jan/2026:00:03:18 +0000] "GET / HTTP/1.1"`)).toBe("05/Jan/2026:00:03:18 +0000");
    expect(timeIn("no time here: 12 of 30")).toBeUndefined();
    expect(timeIn("x".repeat(100) + " 2026-01-05T00:13:48Z")).toBeUndefined();
  });
});

describe("splitReason", () => {
  it("parts the field (masked) from the evidence", () => {
    expect(splitReason("after 5.188.10.180: rare shape")).toEqual({ field: ["after", "<IP>"], evidence: "rare shape" });
    expect(splitReason("after 09:18:28: rare shape")).toEqual({ field: ["after", "<TIME>"], evidence: "rare shape" });
    expect(splitReason("q: sql syntax")).toEqual({ field: ["q"], evidence: "sql syntax" });
    expect(splitReason("")).toEqual({ field: [], evidence: "" });
  });
});

describe("AlertGroups", () => {
  it("makes a flood of near-identical alerts one kind: count, first and last seen, the example of highest fear", () => {
    const groups = new AlertGroups();
    const hosts = ["ns.marryaldkfaczcz.com", "customer-187-141-143-180-sta.uninet-ide.com.mx", "dynamic-ip.example.net"];
    for (let i = 0; i < 25; i++) {
      const second = String(10 + i).padStart(2, "0");
      const line = `Dec 10 09:12:${second} LabSZ sshd[${24500 + i}]: reverse mapping checking getaddrinfo for ${hosts[i % 3]} [187.141.${i}.180] failed - POSSIBLE BREAK-IN ATTEMPT!`;
      groups.add(alert("after for: rare shape", line, i === 7 ? 0.95 : 0.91));
    }
    groups.add(alert("security: Invalid", "Dec 10 09:13:00 LabSZ sshd[24600]: Invalid user admin from 5.188.10.180"));
    expect(groups.kinds).toBe(2);
    const [flood, other] = groups.sorted();
    expect(flood.count).toBe(25);
    expect(reasonOf(flood)).toBe("after for: rare shape");
    expect(templateOf(flood)).toBe("<TIME> LabSZ sshd[<NUM>]: reverse mapping checking getaddrinfo for <*> [<IP>] failed - POSSIBLE BREAK-IN ATTEMPT!");
    expect(flood.first.time).toBe("Dec 10 09:12:10");
    expect(flood.last.time).toBe("Dec 10 09:12:34");
    expect(flood.last.line - flood.first.line).toBe(24);
    expect(flood.example.fear).toBe(0.95);
    expect(flood.example.message).toContain("sshd[24507]");
    expect(flood.another?.message).toContain("sshd[24524]");
    expect(other.count).toBe(1);
    expect(other.another).toBeUndefined();
  });

  it("generalises a field named by a variable value with the message; keeps different evidence and different messages apart", () => {
    const groups = new AlertGroups();
    for (const user of ["test9", "nagios1", "postgres1", "0101"]) {
      groups.add(alert(`after ${user}: rare shape`, `Dec 10 09:18:52 LabSZ sshd[24651]: input_userauth_request: invalid user ${user} [preauth]`));
    }
    groups.add(alert("security: invalid", "Dec 10 09:18:52 LabSZ sshd[24651]: input_userauth_request: invalid user bob [preauth]"));
    groups.add(alert("security: Invalid", "Dec 10 09:18:52 LabSZ sshd[24651]: input_userauth_request: invalid user bob [preauth]"));
    groups.add(alert("after from: rare shape", "Dec 10 09:18:52 LabSZ sshd[24651]: Received disconnect from 1.2.3.4: 11: Bye Bye [preauth]"));
    groups.add(alert("after from: rare shape", "Dec 10 09:18:52 LabSZ sshd[24651]: Connection closed from 1.2.3.4: 11: by peer [preauth]"));
    const kinds = groups.sorted().map((g) => [g.count, reasonOf(g), templateOf(g)]);
    expect(kinds).toEqual([
      [4, "after <*>: rare shape", "<TIME> LabSZ sshd[<NUM>]: input_userauth_request: invalid user <*> [preauth]"],
      [1, "security: invalid", "<TIME> LabSZ sshd[<NUM>]: input_userauth_request: invalid user bob [preauth]"],
      [1, "security: Invalid", "<TIME> LabSZ sshd[<NUM>]: input_userauth_request: invalid user bob [preauth]"],
      [1, "after from: rare shape", "<TIME> LabSZ sshd[<NUM>]: Received disconnect from <IP>: <NUM>: Bye Bye [preauth]"],
      [1, "after from: rare shape", "<TIME> LabSZ sshd[<NUM>]: Connection closed from <IP>: <NUM>: by peer [preauth]"],
    ]);
  });

  it("orders by the highest fear, then the count, then the earliest", () => {
    const groups = new AlertGroups();
    for (let i = 0; i < 5; i++) groups.add(alert("negative: error", `ERROR disk full on /var ${i}`, 0.55));
    groups.add(alert("q: sql syntax", "GET /search?q=' OR 1=1 --", 0.9));
    for (let i = 0; i < 3; i++) groups.add(alert("negative: timeout", `WARN upstream timeout after ${i} ms`, 0.55));
    groups.add(alert("negative: refused", "connection refused", 0.55));
    expect(groups.sorted().map((g) => [g.count, g.evidence])).toEqual([
      [1, "sql syntax"],
      [5, "error"],
      [3, "timeout"],
      [1, "refused"],
    ]);
  });

  it("keeps at most its capacity of kinds and counts the rest as other", () => {
    const groups = new AlertGroups(3);
    for (let i = 0; i < 10; i++) groups.add(alert(`x: kind ${i % 5}`, "the same message", i === 9 ? 0.99 : 0.6));
    expect(groups.kinds).toBe(3);
    expect(groups.alerts).toBe(10);
    expect(groups.sorted().map((g) => g.count)).toEqual([2, 2, 2]);
    expect(groups.overflow.count).toBe(4);
    expect(groups.overflow.fear).toBe(0.99);
    expect(groups.overflow.last!.line - groups.overflow.first!.line).toBe(6);
  });

  it("finds a kind again however many kinds share its shape", () => {
    const groups = new AlertGroups();
    const name = (i: number) => String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));
    const kinds = Array.from({ length: 100 }, (_, i) => ["one", "two", "three", "four"].map((w) => w + name(i)).join(" "));
    for (const message of [...kinds, ...kinds]) groups.add(alert("x: y", message));
    expect(groups.kinds).toBe(100);
    expect(groups.sorted().map((g) => g.count)).toEqual(kinds.map(() => 2));
    expect(groups.sorted().map(templateOf)).toEqual(kinds);
  });

  it("holds no more than the capacity's examples and templates, however long and many the messages", () => {
    const groups = new AlertGroups(1000);
    const long = "word ".repeat(2000);
    for (let i = 0; i < 20_000; i++) groups.add(alert(`x: kind ${i % 4000}`, long));
    expect(groups.kinds).toBe(1000);
    expect(groups.overflow.count).toBe(15_000);
    for (const g of groups.sorted()) {
      expect(g.count).toBe(5);
      expect(g.example.message.length).toBe(MESSAGE_KEPT);
      expect(g.example.length).toBe(long.length);
      expect(templateOf(g)).toBe("word ".repeat(64) + "…");
    }
  });
});
