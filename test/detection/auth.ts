// A labelled auth log of a bastion host (issue 24, item 6): seeded syslog (RFC 3164) lines as
// Ubuntu 18.04's daemons print them: sshd (OpenSSH 7.6), sudo 1.8, shadow's useradd, usermod,
// passwd and su, cron and systemd-logind, in the shapes of loghub's OpenSSH_2k and Linux_2k. Normal
// days: ~20 people at office hours from their own networks, the admins' sudo, root's cron and
// automation, routine mistakes. The eval days add labelled anomalies, one seeded stream per class.
// Test data only: the detector never reads this file.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../../host/core/random.js";
import { between, chance, pick, streamSeed, type Random } from "./labelled.js";

export const ANOMALY_CLASSES = ["brute-force", "invalid-user", "scanner", "root-login", "new-network", "sudo-shell", "new-user", "night-login", "long-value"] as const;
export const NORMAL_CLASSES = ["session", "sudo", "cron", "automation", "mistake", "account"] as const;
export type AnomalyClass = (typeof ANOMALY_CLASSES)[number];
export type NormalClass = (typeof NORMAL_CLASSES)[number];

export interface AuthRecord {
  /** Seconds since the first day's midnight. */
  time: number;
  line: string;
  /** "0", or the anomaly class: a `tarkin eval --labels` file's line. */
  label: string;
  /** The anomaly class, or the kind of normal traffic. */
  cls: AnomalyClass | NormalClass;
  /** The anomalous event (one login, one probe, one sudo) the line is of, numbered from 1; 0 for a normal line. */
  incident: number;
}

export interface BastionLog {
  /** The normal days, in order: the clean training log. */
  training: AuthRecord[];
  /** The eval days: normal traffic with the anomalies mixed in. */
  eval: AuthRecord[];
}

const DAY = 86_400;
const HOUR = 3_600;


// ---------------------------------------------------------------------------------------------
// Lines: drafted with their process, pids and logind session numbers given afterwards in time order.

interface Counter {
  start: number;
  id: number;
}

interface Draft {
  t: number;
  prog: string;
  proc: Counter | null;
  msg: string | (() => string);
  label: string;
  cls: AnomalyClass | NormalClass;
  incident: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** Monday 4 March 2024. */
const START = Date.UTC(2024, 2, 4);
const HOST = "bastion";
const two = (n: number) => String(n).padStart(2, "0");

function stamp(t: number): string {
  const d = new Date(START + t * 1000);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

class Log {
  drafts: Draft[] = [];
  procs: Counter[] = [];
  logins: Counter[] = [];
  incidents = 0;
  proc(t: number): Counter {
    const p = { start: t, id: 0 };
    this.procs.push(p);
    return p;
  }
  login(t: number): Counter {
    const s = { start: t, id: 0 };
    this.logins.push(s);
    return s;
  }
  /** Lines of one event, labelled alike unless a line says otherwise. */
  event(label: string, cls: AnomalyClass | NormalClass, incident = 0) {
    return (t: number, prog: string, proc: Counter | null, msg: string | (() => string), own: NormalClass | AnomalyClass = cls) =>
      this.drafts.push({ t, prog, proc, msg, label: own === cls ? label : "0", cls: own, incident: own === cls ? incident : 0 });
  }
  /** The lines of a new anomalous event of class `cls`. */
  incident(cls: AnomalyClass) {
    return this.event(cls, cls, ++this.incidents);
  }
}

/** Pids rise through the log (other processes take some), wrapping as Linux's do; logind numbers sessions 1, 2, ... */
function render(log: Log, r: Random): AuthRecord[] {
  let pid = between(r, 1000, 3000);
  for (const p of [...log.procs].sort((a, b) => a.start - b.start)) {
    pid += between(r, 1, 30);
    if (pid > 32_768) pid = between(r, 300, 900);
    p.id = pid;
  }
  let session = between(r, 1, 40);
  for (const s of [...log.logins].sort((a, b) => a.start - b.start)) s.id = session++;
  return [...log.drafts]
    .sort((a, b) => a.t - b.t)
    .map((d) => ({
      time: d.t,
      line: `${stamp(d.t)} ${HOST} ${d.prog}${d.proc ? `[${d.proc.id}]` : ""}: ${typeof d.msg === "string" ? d.msg : d.msg()}`,
      label: d.label,
      cls: d.cls,
      incident: d.incident,
    }));
}

// ---------------------------------------------------------------------------------------------
// The site: people, their networks and keys, the admins' usual commands.

interface User {
  name: string;
  uid: number;
  role: "admin" | "dev" | "user";
  method: "publickey" | "password";
  /** "ED25519 SHA256:...", as sshd prints an accepted key. */
  key: string;
  /** Each draws one source address. */
  networks: ((r: Random) => string)[];
  /** Evenings now and then. */
  late: boolean;
  /** Nights now and then. */
  onCall: boolean;
  /** What they run with sudo. */
  commands: string[];
  /** The first day they exist (a new hire). */
  from: number;
}

interface Site {
  users: User[];
  logindPid: number;
  known: Set<string>;
  ansible: string;
  backup: string;
  ci: string[];
  rootKey: string;
  backupKey: string;
  deployKey: string;
}

const B64 = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"];
const fingerprint = (r: Random) => `SHA256:${Array.from({ length: 43 }, () => pick(r, B64)).join("")}`;
const keyOf = (r: Random) => `${pick(r, ["ED25519", "ED25519", "RSA", "ECDSA"])} ${fingerprint(r)}`;
const hex4 = (r: Random) => between(r, 0, 0xffff).toString(16);

// First octets of public ISP space for the staff, and of anywhere for the internet at large.
const STAFF_V4 = [31, 37, 46, 77, 78, 80, 81, 82, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 109, 176, 178, 188, 212, 213, 217];
const WORLD_V4 = [5, 14, 27, 36, 42, 45, 58, 61, 101, 103, 106, 112, 115, 116, 117, 118, 119, 121, 122, 123, 124, 125, 139, 141, 146, 159, 161, 164, 167, 170, 171, 175, 179, 180, 181, 182, 183, 185, 186, 187, 190, 191, 193, 195, 200, 201, 202, 206, 209, 211, 218, 219, 220, 221, 222];
const STAFF_V6 = ["2a02:8108", "2a01:c23", "2003:e2", "2a02:a46", "2a00:23c5", "2a01:4b00"];
const WORLD_V6 = ["2a03:b0c0", "2604:a880", "2001:19f0", "2a01:4f8", "2400:6180", "2602:fed2"];

const v4 = (r: Random, octets: number[]) => `${pick(r, octets)}.${between(r, 0, 255)}.${between(r, 0, 255)}`;

/** A user's networks: the office VPN (a fixed address), and a home line (dynamic IPv4 in one /24, or an IPv6 /64). */
function networksOf(r: Random): ((r: Random) => string)[] {
  const vpn = `10.8.${between(r, 0, 3)}.${between(r, 2, 254)}`;
  const nets: ((r: Random) => string)[] = [() => vpn];
  if (chance(r, 0.4)) {
    const office = `${v4(r, STAFF_V4)}.${between(r, 1, 254)}`;
    nets.push(() => office);
  }
  if (chance(r, 0.5)) {
    const prefix = `${pick(r, STAFF_V6)}:${hex4(r)}:${(between(r, 0, 255) << 8).toString(16)}`; // a /64 of a home /56
    nets.push((q) => `${prefix}:${hex4(q)}:${hex4(q)}:${hex4(q)}:${hex4(q)}`);
  } else {
    const slash24 = v4(r, STAFF_V4);
    nets.push((q) => `${slash24}.${between(q, 2, 254)}`);
  }
  return nets;
}

const ADMIN_COMMANDS = [
  "/usr/bin/systemctl restart nginx", "/usr/bin/systemctl status nginx", "/usr/bin/systemctl reload ssh", "/usr/bin/journalctl -u ssh --since today",
  "/usr/bin/tail -n 200 /var/log/auth.log", "/usr/bin/apt-get update", "/usr/bin/apt-get upgrade -y", "/usr/bin/vim /etc/ssh/sshd_config",
  "/usr/sbin/ufw status verbose", "/usr/bin/docker ps", "/usr/bin/less /var/log/syslog", "/usr/bin/du -sh /var/log", "/sbin/iptables -L -n",
  "/usr/bin/lsof -i :22", "/usr/bin/systemctl restart fail2ban", "/usr/bin/certbot renew", "/usr/sbin/reboot", "/usr/bin/crontab -l",
];
const DEV_COMMANDS = ["/usr/bin/journalctl -u app -n 100", "/usr/bin/systemctl status app", "/usr/bin/systemctl restart app", "/usr/bin/docker logs app --tail 100"];
const NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken", "liam", "mia", "nina", "oscar", "pat", "quinn", "ruth", "sam", "zoe"];
/** The day the last of NAMES is hired (a training day, after which they log in too). */
const HIRE_DAY = 3;

function site(seed: number): Site {
  const r = seededRandom(streamSeed(seed, "site"));
  const users = NAMES.map((name, i): User => {
    const role = i < 4 ? "admin" : i < 8 ? "dev" : "user";
    const commands = role === "admin" ? pickSome(r, ADMIN_COMMANDS, between(r, 4, 7)) : role === "dev" ? pickSome(r, DEV_COMMANDS, 2) : [];
    // alice works as root with sudo -i: a shell, as normal for her as for no one else.
    if (name === "alice") commands.push("/bin/bash");
    return {
      name, uid: 1001 + i, role, method: name === "ivan" || name === "judy" || name === "ken" ? "password" : "publickey", key: keyOf(r),
      networks: networksOf(r), late: name === "frank" || name === "liam", onCall: name === "alice" || name === "bob", commands,
      from: name === "zoe" ? HIRE_DAY + 1 : 0,
    };
  });
  const s: Site = {
    users, logindPid: between(r, 700, 950), known: new Set(), ansible: "10.0.5.10", backup: "10.0.5.20", ci: ["10.0.5.30", "10.0.5.31"],
    rootKey: `RSA ${fingerprint(r)}`, backupKey: `ED25519 ${fingerprint(r)}`, deployKey: `ED25519 ${fingerprint(r)}`,
  };
  return s;
}

function pickSome<T>(r: Random, items: readonly T[], n: number): T[] {
  const xs = [...items];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(r() * (xs.length - i));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs.slice(0, n);
}

/** Linux clients' ephemeral ports mostly, Windows' and macOS' some. */
const clientPort = (r: Random) => (chance(r, 0.7) ? between(r, 32_768, 60_999) : between(r, 49_152, 65_535));

/** sshd formats a message into 1,024 bytes (log.c's MSGBUFSIZ): a longer one is cut, its " [preauth]" too. */
const sshdMessage = (msg: string) => msg.slice(0, 1023);

/** A name as sshd prints it in "Invalid user" and "Failed password for" (%.100s). */
const sshdName = (name: string) => name.slice(0, 100);

// ---------------------------------------------------------------------------------------------
// Building blocks: what one login, one sudo, one cron job prints.

type Emit = ReturnType<Log["event"]>;

interface Session {
  user: string;
  start: number;
  end: number;
  tty: string;
}

interface LoginOptions {
  method: "publickey" | "password";
  /** For publickey: the key's type and fingerprint. */
  key?: string;
  /** A wrong password first (password logins). */
  typo?: boolean;
}

/** An ssh login and its session, t0 to t1: accepted, pam, logind, and the disconnect. */
function sshLogin(log: Log, emit: Emit, site: Site, r: Random, user: string, address: string, t0: number, t1: number, o: LoginOptions): Session {
  const port = clientPort(r);
  const p = log.proc(t0);
  let t = t0;
  if (o.method === "password" && o.typo) {
    emit(t, "sshd", p, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${address}  user=${user}`, "mistake");
    t += between(r, 1, 3);
    emit(t, "sshd", p, `Failed password for ${user} from ${address} port ${port} ssh2`, "mistake");
    t += between(r, 3, 15);
  }
  emit(t, "sshd", p, `Accepted ${o.method} for ${user} from ${address} port ${port} ssh2${o.method === "publickey" ? `: ${o.key}` : ""}`);
  emit(t, "sshd", p, `pam_unix(sshd:session): session opened for user ${user} by (uid=0)`);
  const s = log.login(t);
  const logind = `systemd-logind[${site.logindPid}]`;
  emit(t, logind, null, () => `New session ${s.id} of user ${user}.`);
  const end = Math.max(t1, t + 5);
  emit(end, "sshd", p, `Received disconnect from ${address} port ${port}:11: disconnected by user`);
  emit(end, "sshd", p, `Disconnected from user ${user} ${address} port ${port}`);
  emit(end, "sshd", p, `pam_unix(sshd:session): session closed for user ${user}`);
  emit(end, logind, null, () => `Session ${s.id} logged out. Waiting for processes to exit.`);
  emit(end, logind, null, () => `Removed session ${s.id}.`);
  return { user, start: t, end, tty: `pts/${between(r, 0, 6)}` };
}

/** sudo's log line, "%8s : %s", split as sudo splits one longer than 960 bytes: at a space where it can, "(command continued)" after. */
export function sudoLines(user: string, message: string): string[] {
  const out: string[] = [];
  let rest = message;
  let continued = false;
  for (;;) {
    const max = 960 - ((continued ? 28 : 8) - 5 + user.length);
    const head = `${user.padStart(8)} : ${continued ? "(command continued) " : ""}`;
    if (rest.length <= max) {
      out.push(head + rest);
      return out;
    }
    let cut = rest.lastIndexOf(" ", max);
    if (cut <= 0) cut = max;
    out.push(head + rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ +/, "");
    continued = true;
  }
}

interface SudoOptions {
  tty: string;
  pwd: string;
  /** A wrong password first. */
  typo?: boolean;
  /** The sudo session's length in seconds. */
  seconds?: number;
  /** "user NOT in sudoers": refused, no session. */
  refused?: boolean;
  uid: number;
}

/** One sudo: the command line, and pam's session around it. */
function sudo(emit: Emit, r: Random, user: string, t: number, command: string, o: SudoOptions): number {
  if (o.typo) {
    emit(t, "sudo", null, `pam_unix(sudo:auth): authentication failure; logname=${user} uid=${o.uid} euid=0 tty=/dev/${o.tty} ruser=${user} rhost=  user=${user}`, "mistake");
    t += between(r, 3, 9);
  }
  const refusal = o.refused ? "user NOT in sudoers ; " : "";
  for (const l of sudoLines(user, `${refusal}TTY=${o.tty} ; PWD=${o.pwd} ; USER=root ; COMMAND=${command}`)) emit(t, "sudo", null, l);
  if (o.refused) return t;
  emit(t, "sudo", null, `pam_unix(sudo:session): session opened for user root by ${user}(uid=0)`);
  const end = t + (o.seconds ?? between(r, 0, 20));
  emit(end, "sudo", null, "pam_unix(sudo:session): session closed for user root");
  return end;
}

/** One cron job of root's: pam's session around it. */
function cronJob(log: Log, emit: Emit, t: number, seconds: number) {
  const p = log.proc(t);
  emit(t, "CRON", p, "pam_unix(cron:session): session opened for user root by (uid=0)");
  emit(t + seconds, "CRON", p, "pam_unix(cron:session): session closed for user root");
}

/** A mistyped user name, then the user's real login a few seconds later: what sshd says of the wrong name. */
function mistypedName(log: Log, emit: Emit, r: Random, name: string, address: string, t: number, password: boolean): number {
  const port = clientPort(r);
  const p = log.proc(t);
  emit(t, "sshd", p, `Invalid user ${sshdName(name)} from ${address} port ${port}`);
  emit(t, "sshd", p, sshdMessage(`input_userauth_request: invalid user ${name} [preauth]`));
  if (password) {
    t += between(r, 2, 6);
    emit(t, "sshd", p, "pam_unix(sshd:auth): check pass; user unknown");
    emit(t, "sshd", p, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${address} `);
    t += between(r, 1, 3);
    emit(t, "sshd", p, `Failed password for invalid user ${sshdName(name)} from ${address} port ${port} ssh2`);
  }
  t += between(r, 1, 8);
  emit(t, "sshd", p, `Connection closed by ${address} port ${port} [preauth]`);
  return t + between(r, 2, 10);
}

/** A name as fingers get it wrong: two letters swapped, one dropped or doubled. */
function typo(r: Random, name: string): string {
  const i = between(r, 0, name.length - 2);
  const kind = between(r, 0, 2);
  if (kind === 0) return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
  if (kind === 1) return name.slice(0, i) + name.slice(i + 1);
  return name.slice(0, i) + name[i] + name.slice(i);
}

// ---------------------------------------------------------------------------------------------
// A normal day.

const weekday = (day: number) => day % 7 < 5; // day 0 is a Monday

/** A start time in office hours: around the morning, midday or afternoon. */
function officeTime(r: Random): number {
  const centre = pick(r, [9.5, 9.5, 11, 13.5, 15, 16.5]);
  const hours = Math.min(19.2, Math.max(7.6, centre + (r() + r() + r() - 1.5) * 1.2));
  return Math.floor(hours * HOUR);
}

function normalDay(log: Log, s: Site, seed: number, day: number, sessions: Session[]) {
  const r = seededRandom(streamSeed(seed, `day ${day}`));
  const base = day * DAY;
  const work = weekday(day);
  const emit = (cls: NormalClass) => log.event("0", cls);

  // root's cron: sync-keys every half hour, cron.hourly at :17, cron.daily at 06:25.
  for (let h = 0; h < 24; h++) {
    cronJob(log, emit("cron"), base + h * HOUR + 1, between(r, 0, 2));
    cronJob(log, emit("cron"), base + h * HOUR + 30 * 60 + 1, between(r, 0, 2));
    cronJob(log, emit("cron"), base + h * HOUR + 17 * 60 + 1, between(r, 0, 1));
  }
  cronJob(log, emit("cron"), base + 6 * HOUR + 25 * 60 + 1, between(r, 20, 90));

  // Automation: the backup pulls nightly, ansible runs as root on weekday mornings, CI deploys.
  const auto = emit("automation");
  const backup = base + 2 * HOUR + 30 * 60 + between(r, 0, 120);
  sshLogin(log, auto, s, r, "backup", s.backup, backup, backup + between(r, 600, 2400), { method: "publickey", key: s.backupKey });
  if (work) {
    const t = base + 7 * HOUR + between(r, 0, 300);
    sshLogin(log, auto, s, r, "root", s.ansible, t, t + between(r, 60, 400), { method: "publickey", key: s.rootKey });
    for (let i = between(r, 2, 8); i > 0; i--) {
      const t0 = base + Math.floor((9 + r() * 10) * HOUR);
      sshLogin(log, auto, s, r, "deploy", pick(r, s.ci), t0, t0 + between(r, 20, 90), { method: "publickey", key: s.deployKey });
      sudo(auto, r, "deploy", t0 + between(r, 3, 10), "/usr/bin/systemctl restart app", { tty: "unknown", pwd: "/home/deploy", uid: 999, seconds: between(r, 2, 8) });
    }
  }

  // The hire: an admin adds the new user and sets a first password.
  if (day === HIRE_DAY) {
    const admin = s.users[0];
    const hire = s.users[s.users.length - 1];
    const t = base + 10 * HOUR + between(r, 0, 1800);
    const session = sshLogin(log, emit("session"), s, r, admin.name, admin.networks[0](r), t - 300, t + 1200, { method: admin.method, key: admin.key });
    const ev = emit("account");
    sudo(ev, r, admin.name, t, `/usr/sbin/useradd -m -s /bin/bash -G devs ${hire.name}`, { tty: session.tty, pwd: `/home/${admin.name}`, uid: admin.uid, seconds: 1 });
    const p = log.proc(t);
    ev(t, "useradd", p, `new group: name=${hire.name}, GID=${hire.uid}`);
    ev(t, "useradd", p, `new user: name=${hire.name}, UID=${hire.uid}, GID=${hire.uid}, home=/home/${hire.name}, shell=/bin/bash`);
    ev(t, "useradd", p, `add '${hire.name}' to group 'devs'`);
    ev(t, "useradd", p, `add '${hire.name}' to shadow group 'devs'`);
    sudo(ev, r, admin.name, t + 40, `/usr/bin/passwd ${hire.name}`, { tty: session.tty, pwd: `/home/${admin.name}`, uid: admin.uid, seconds: 12 });
    ev(t + 52, "passwd", log.proc(t + 40), `pam_unix(passwd:chauthtok): password changed for ${hire.name}`);
  }

  // People.
  for (const u of s.users) {
    if (day < u.from) continue;
    const active = work ? chance(r, 0.85) : chance(r, 0.06);
    const starts: number[] = [];
    // Every hop through the bastion is a login: a few to several a day.
    if (active) for (let i = between(r, 2, 7); i > 0; i--) starts.push(officeTime(r));
    if (u.late && chance(r, 0.3)) starts.push(Math.floor((19.5 + r() * 3.3) * HOUR));
    if (u.onCall && chance(r, 0.08)) starts.push(Math.floor((0.5 + r() * 5) * HOUR));
    for (const start of starts) {
      let t = base + start;
      const address = pick(r, u.networks)(r);
      if (chance(r, 0.03)) t = mistypedName(log, emit("mistake"), r, typo(r, u.name), address, t, u.method === "password");
      const t1 = t + between(r, 60, 3 * HOUR);
      const session = sshLogin(log, emit("session"), s, r, u.name, address, t, t1, { method: u.method, key: u.key, typo: chance(r, 0.1) });
      sessions.push(session);
      if (u.commands.length && chance(r, u.role === "admin" ? 0.8 : 0.3)) {
        let at = session.start + between(r, 20, 300);
        for (let i = between(r, 1, u.role === "admin" ? 5 : 2); i > 0 && at < session.end - 10; i--) {
          const command = pick(r, u.commands);
          const pwd = pick(r, [`/home/${u.name}`, `/home/${u.name}`, "/etc/nginx", "/var/log"]);
          const seconds = command === "/bin/bash" ? between(r, 60, 1800) : between(r, 0, 30);
          at = sudo(emit("sudo"), r, u.name, at, command, { tty: session.tty, pwd, uid: u.uid, typo: chance(r, 0.04), seconds }) + between(r, 30, 900);
        }
      }
    }
    if (chance(r, 0.01) && starts.length) {
      const t = base + starts[0] + between(r, 60, 600);
      log.event("0", "account")(t, "passwd", log.proc(t), `pam_unix(passwd:chauthtok): password changed for ${u.name}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The anomalies: each class a seeded stream over the eval days.

const GUESSED = ["admin", "test", "user", "oracle", "ubuntu", "pi", "git", "postgres", "ftpuser", "guest", "support", "test1", "jenkins", "hadoop", "nagios", "minecraft", "ec2-user", "teamspeak", "www", "mysql"];

/** An address of the internet at large, never one of the site's. */
function stranger(r: Random, s: Site, v6 = 0.15): string {
  for (;;) {
    const a = chance(r, v6) ? `${pick(r, WORLD_V6)}:${hex4(r)}:${hex4(r)}::${hex4(r)}` : `${v4(r, WORLD_V4)}.${between(r, 1, 254)}`;
    if (!s.known.has(a)) return a;
  }
}

interface Eval {
  log: Log;
  site: Site;
  /** The first eval day and how many. */
  first: number;
  days: number;
  sessions: Session[];
}

const anyTime = (r: Random, e: Eval) => (e.first + between(r, 0, e.days - 1)) * DAY + between(r, 0, DAY - 1);
const officeDay = (r: Random, e: Eval) => {
  const days = Array.from({ length: e.days }, (_, i) => e.first + i).filter(weekday);
  return pick(r, days.length ? days : [e.first]) * DAY;
};

/** A failed password for a name, as sshd and pam print it (a known name gets user=, an unknown one "user unknown"). */
function failedPassword(emit: Emit, t: number, p: Counter, name: string, known: boolean, address: string, port: number) {
  if (known) emit(t, "sshd", p, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${address}  user=${name}`);
  else {
    emit(t, "sshd", p, "pam_unix(sshd:auth): check pass; user unknown");
    emit(t, "sshd", p, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${address} `);
  }
  emit(t + 2, "sshd", p, `Failed password for ${known ? "" : "invalid user "}${sshdName(name)} from ${address} port ${port} ssh2`);
}

// Each class's stream asks next() for the emitter of each event it writes (one login, one probe, one sudo).
const ANOMALIES: Record<AnomalyClass, (e: Eval, r: Random, next: () => Emit) => void> = {
  // Bursts from one address: root with six tries a connection (sshd's MaxAuthTries), or real and guessed names one try a connection.
  "brute-force": (e, r, next) => {
    for (let burst = 0; burst < 2; burst++) {
      const emit = next();
      const address = stranger(r, e.site, 0.1);
      let t = anyTime(r, e);
      const names = burst === 0 ? ["root"] : ["root", "alice", "bob", "admin", "ubuntu", "deploy"];
      for (let c = between(r, 4, 6); c > 0; c--) {
        const p = e.log.proc(t);
        const port = clientPort(r);
        const name = pick(r, names);
        const known = name === "root" || e.site.users.some((u) => u.name === name) || name === "deploy";
        if (!known) {
          emit(t, "sshd", p, `Invalid user ${name} from ${address} port ${port}`);
          emit(t, "sshd", p, `input_userauth_request: invalid user ${name} [preauth]`);
        }
        failedPassword(emit, t, p, name, known, address, port);
        if (burst === 0) {
          t += between(r, 8, 14);
          emit(t, "sshd", p, `message repeated 5 times: [ Failed password for root from ${address} port ${port} ssh2]`);
          emit(t, "sshd", p, `error: maximum authentication attempts exceeded for root from ${address} port ${port} ssh2 [preauth]`);
          emit(t, "sshd", p, "Disconnecting: Too many authentication failures [preauth]");
          emit(t, "sshd", p, `PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${address}  user=root`);
          emit(t, "sshd", p, "PAM service(sshd) ignoring max retries; 6 > 3");
        } else {
          t += between(r, 2, 4);
          emit(t, "sshd", p, `Received disconnect from ${address} port ${port}:11: Bye Bye [preauth]`);
          emit(t, "sshd", p, `Disconnected from ${address} port ${port} [preauth]`);
        }
        t += between(r, 1, 40);
      }
    }
  },
  // Low and slow: one address, one or two guessed names, then gone.
  "invalid-user": (e, r, next) => {
    for (let probe = between(r, 5, 6); probe > 0; probe--) {
      const emit = next();
      const address = stranger(r, e.site);
      let t = anyTime(r, e);
      for (let tries = between(r, 1, 2); tries > 0; tries--) {
        const p = e.log.proc(t);
        const port = clientPort(r);
        const name = pick(r, GUESSED);
        emit(t, "sshd", p, `Invalid user ${name} from ${address} port ${port}`);
        emit(t, "sshd", p, `input_userauth_request: invalid user ${name} [preauth]`);
        t += between(r, 1, 3);
        failedPassword(emit, t, p, name, false, address, port);
        t += between(r, 2, 4);
        emit(t, "sshd", p, `Received disconnect from ${address} port ${port}:11: Bye Bye [preauth]`);
        emit(t, "sshd", p, `Disconnected from ${address} port ${port} [preauth]`);
        t += between(r, 20, 300);
      }
    }
  },
  // What scanners leave: no banner, an HTTP or SSH-1 probe, old algorithms, a dropped connection.
  scanner: (e, r, next) => {
    for (let n = between(r, 14, 18); n > 0; n--) {
      const emit = next();
      const address = stranger(r, e.site, 0.2);
      const t = anyTime(r, e);
      const p = e.log.proc(t);
      const port = clientPort(r);
      const kind = between(r, 0, 5);
      if (kind === 0) emit(t, "sshd", p, `Did not receive identification string from ${address} port ${port}`);
      else if (kind === 1) emit(t, "sshd", p, `Bad protocol version identification '${pick(r, ["GET / HTTP/1.1", "\\026\\003\\001", "HELP", "\\003"])}' from ${address} port ${port}`);
      else if (kind === 2) emit(t, "sshd", p, `Protocol major versions differ for ${address} port ${port}: SSH-2.0-OpenSSH_7.6p1 Ubuntu-4ubuntu0.7 vs. SSH-1.5-Nmap-SSH1-Hostkey`);
      else if (kind === 3) emit(t, "sshd", p, `Unable to negotiate with ${address} port ${port}: no matching key exchange method found. Their offer: diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1 [preauth]`);
      else if (kind === 4) emit(t, "sshd", p, `Unable to negotiate with ${address} port ${port}: no matching host key type found. Their offer: ssh-dss [preauth]`);
      else {
        emit(t, "sshd", p, `Connection closed by ${address} port ${port} [preauth]`);
        if (chance(r, 0.5)) emit(t + 1, "sshd", e.log.proc(t + 1), `Connection reset by ${address} port ${clientPort(r)} [preauth]`);
      }
    }
  },
  // root, who only ever logs in by ansible's key from its host: by password from abroad, by a new key from a new IPv6 address.
  "root-login": (e, r, next) => {
    const t = anyTime(r, e);
    sshLogin(e.log, next(), e.site, r, "root", stranger(r, e.site, 0), t, t + between(r, 120, 1800), { method: "password" });
    const t2 = anyTime(r, e);
    sshLogin(e.log, next(), e.site, r, "root", stranger(r, e.site, 1), t2, t2 + between(r, 60, 900), { method: "publickey", key: keyOf(r) });
  },
  // Known users with their own keys, in office hours, from networks they never used.
  "new-network": (e, r, next) => {
    for (const name of pickSome(r, e.site.users.filter((u) => u.role !== "admin" && u.method === "publickey").map((u) => u.name), 3)) {
      const u = e.site.users.find((x) => x.name === name)!;
      const t = officeDay(r, e) + officeTime(r);
      sshLogin(e.log, next(), e.site, r, u.name, stranger(r, e.site, 0.3), t, t + between(r, 300, 2 * HOUR), { method: "publickey", key: u.key });
    }
  },
  // A root shell from people who never take one, inside one of their sessions; and a refusal for a user with no sudo.
  "sudo-shell": (e, r, next) => {
    const shells = ["/bin/bash", "/bin/sh", "/usr/bin/su -", "/usr/bin/find . -exec /bin/sh ; -quit", "/usr/bin/vim -c :!/bin/sh"];
    const who = ["dave", "carol", "bob", "erin", "ivan"];
    who.forEach((name, i) => {
      const emit = next();
      const u = e.site.users.find((x) => x.name === name)!;
      const own = e.sessions.filter((s) => s.user === name && s.end - s.start > 120);
      const session = own.length ? pick(r, own) : { start: officeDay(r, e) + officeTime(r), end: 0, tty: "pts/1" };
      const t = session.start + between(r, 30, 90);
      const command = shells[i % shells.length];
      if (u.role === "user") {
        sudo(emit, r, name, t, command, { tty: session.tty, pwd: `/home/${name}`, uid: u.uid, refused: true });
        return;
      }
      const end = sudo(emit, r, name, t, command, { tty: session.tty, pwd: `/home/${name}`, uid: u.uid, seconds: between(r, 60, 900) });
      if (command === "/usr/bin/su -") {
        const p = e.log.proc(t);
        emit(t, "su", p, "Successful su for root by root");
        emit(t, "su", p, `+ /dev/${session.tty} root:root`);
        emit(t, "su", p, `pam_unix(su:session): session opened for user root by ${name}(uid=0)`);
        emit(end, "su", p, "pam_unix(su:session): session closed for user root");
      }
    });
  },
  // A second root (UID 0), a user made an admin, root's password changed: by root itself or through an admin's sudo.
  "new-user": (e, r, next) => {
    const admin = e.site.users[3];
    const name = pick(r, ["sysadm", "sys-update", "mysqld", "systemd-net"]);
    let emit = next();
    let t = anyTime(r, e);
    let p = e.log.proc(t);
    emit(t, "useradd", p, `new user: name=${name}, UID=0, GID=0, home=/root, shell=/bin/bash`);
    emit(t + between(r, 5, 30), "passwd", e.log.proc(t + 5), `pam_unix(passwd:chauthtok): password changed for ${name}`);
    emit = next();
    t = officeDay(r, e) + officeTime(r);
    const target = pick(r, e.site.users.filter((u) => u.role === "user"));
    sudo(emit, r, admin.name, t, `/usr/sbin/usermod -aG sudo ${target.name}`, { tty: "pts/2", pwd: `/home/${admin.name}`, uid: admin.uid, seconds: 0 });
    p = e.log.proc(t);
    emit(t, "usermod", p, `add '${target.name}' to group 'sudo'`);
    emit(t, "usermod", p, `add '${target.name}' to shadow group 'sudo'`);
    emit = next();
    t = anyTime(r, e);
    emit(t, "passwd", e.log.proc(t), "pam_unix(passwd:chauthtok): password changed for root");
    emit = next();
    t = anyTime(r, e);
    p = e.log.proc(t);
    emit(t, "useradd", p, `new group: name=${name}2, GID=1099`);
    emit(t, "useradd", p, `new user: name=${name}2, UID=1099, GID=1099, home=/home/${name}2, shell=/bin/bash`);
    emit(t, "useradd", p, `add '${name}2' to group 'sudo'`);
    emit(t, "useradd", p, `add '${name}2' to shadow group 'sudo'`);
  },
  // People of office hours, from their usual network, at 01:00 to 05:00.
  "night-login": (e, r, next) => {
    const day = e.site.users.filter((u) => !u.late && !u.onCall && u.from === 0);
    for (const u of pickSome(r, day, 3)) {
      const emit = next();
      const t = (e.first + between(r, 0, e.days - 1)) * DAY + Math.floor((1 + r() * 4) * HOUR);
      const session = sshLogin(e.log, emit, e.site, r, u.name, pick(r, u.networks)(r), t, t + between(r, 300, 3600), { method: u.method, key: u.key });
      if (u.commands.length) sudo(emit, r, u.name, session.start + 60, pick(r, u.commands), { tty: session.tty, pwd: `/home/${u.name}`, uid: u.uid });
    }
  },
  // A user name of thousands of characters (sshd cuts it), and sudo commands of thousands (sudo splits them).
  "long-value": (e, r, next) => {
    const letters = B64.slice(0, 62);
    const random = Array.from({ length: between(r, 2000, 4000) }, () => pick(r, letters)).join("");
    // A random name, and an overflow probe's run of one letter.
    for (const name of [random, "A".repeat(between(r, 2000, 4000))]) {
      const emit = next();
      const address = stranger(r, e.site);
      const t = anyTime(r, e);
      const p = e.log.proc(t);
      const port = clientPort(r);
      emit(t, "sshd", p, `Invalid user ${sshdName(name)} from ${address} port ${port}`);
      emit(t, "sshd", p, sshdMessage(`input_userauth_request: invalid user ${name} [preauth]`));
      failedPassword(emit, t + 1, p, name, false, address, port);
      emit(t + 4, "sshd", p, `Connection closed by ${address} port ${port} [preauth]`);
    }
    let t: number;
    for (const name of ["bob", "dave"]) {
      const u = e.site.users.find((x) => x.name === name)!;
      t = officeDay(r, e) + officeTime(r);
      const blob = Array.from({ length: between(r, 1500, 3500) }, () => pick(r, B64)).join("");
      const command = name === "bob" ? `/bin/bash -c echo ${blob} | base64 -d | bash` : `/usr/bin/python3 -c exec(__import__('base64').b64decode('${blob}'))`;
      sudo(next(), r, name, t, command, { tty: "pts/3", pwd: "/tmp", uid: u.uid, seconds: between(r, 1, 30) });
    }
  },
};

/** `days` days of the bastion's log: the last `evalDays` with the anomalies, the others clean. */
export function bastionLog(seed: number, days: number, evalDays = 3): BastionLog {
  if (days <= evalDays) throw new RangeError(`${days} days leave no training day before ${evalDays} eval days`);
  const s = site(seed);
  const train = new Log();
  const sessions: Session[] = [];
  for (let d = 0; d < days - evalDays; d++) normalDay(train, s, seed, d, sessions);
  const known = new Set(train.drafts.map((d) => (typeof d.msg === "string" ? d.msg : "")).flatMap((m) => m.match(/(?<=from |rhost=)\S+/g) ?? []));
  s.known = known;
  const ev = new Log();
  const evalSessions: Session[] = [];
  for (let d = days - evalDays; d < days; d++) normalDay(ev, s, seed, d, evalSessions);
  const e: Eval = { log: ev, site: s, first: days - evalDays, days: evalDays, sessions: evalSessions };
  for (const cls of ANOMALY_CLASSES) ANOMALIES[cls](e, seededRandom(streamSeed(seed, cls)), () => ev.incident(cls));
  return { training: render(train, seededRandom(streamSeed(seed, "training pids"))), eval: render(ev, seededRandom(streamSeed(seed, "eval pids"))) };
}

/** Writes auth_clean.log (the training days), auth.log (the eval days) and auth.labels (one label a line of auth.log). */
export function writeBastion(dir: string, log: BastionLog): { clean: string; eval: string; labels: string } {
  mkdirSync(dir, { recursive: true });
  const files = { clean: join(dir, "auth_clean.log"), eval: join(dir, "auth.log"), labels: join(dir, "auth.labels") };
  const text = (xs: string[]) => xs.join("\n") + "\n";
  writeFileSync(files.clean, text(log.training.map((x) => x.line)));
  writeFileSync(files.eval, text(log.eval.map((x) => x.line)));
  writeFileSync(files.labels, text(log.eval.map((x) => x.label)));
  return files;
}

// ---------------------------------------------------------------------------------------------
// Reference baselines (measurement only).

const SYSLOG = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ ([^\s:[]+)(?:\[\d+\])?: (.*)$/;

// fail2ban's sshd filter in its default (normal) mode, in our words from its documented failregex:
// a failed method, an invalid or illegal user, a user not allowed, too many attempts, an auth
// error; prefixed as it allows ("error: ", "PAM: "). pam's line and disconnects count no failure.
const F2B_FAILURES = [
  /^(?:error: )?(?:PAM: )?[aA]uthentication (?:failure|error|failed) for .* from (\S+)/,
  /^(?:error: )?User not known to the underlying authentication module for .* from (\S+)/,
  /^Failed \S+ for (?:invalid user )?.*? from (\S+?)(?: port \d+)?(?: ssh\d*)?(?::|$)/,
  /^ROOT LOGIN REFUSED FROM (\S+)/i,
  /^[iI](?:llegal|nvalid) user .*? from (\S+?)(?: port \d+)?$/,
  /^User \S+ from (\S+) not allowed because/,
  /^(?:error: )?maximum authentication attempts exceeded for .* from (\S+?)(?: port \d+)?(?: ssh\d*)?(?: \[preauth\])?$/,
  /^Received disconnect from (\S+?)(?: port \d+)?:\s*3: .*: Auth fail/,
];

/**
 * Lines a fail2ban sshd jail (maxretry 5, findtime 10 minutes) would act on: a failure of an
 * address with 5 failures within 10 minutes around it (one window of five holding this line).
 */
export function fail2banFound(records: { time: number; line: string }[], maxretry = 5, findtime = 600): boolean[] {
  const byAddress = new Map<string, number[]>();
  records.forEach((x, i) => {
    const m = SYSLOG.exec(x.line);
    const address = m && m[1] === "sshd" ? F2B_FAILURES.map((re) => re.exec(m[2])?.[1]).find(Boolean) : undefined;
    if (address) byAddress.set(address, [...(byAddress.get(address) ?? []), i]);
  });
  const found = records.map(() => false);
  for (const list of byAddress.values()) {
    for (let k = 0; k + maxretry - 1 < list.length; k++) {
      if (records[list[k + maxretry - 1]].time - records[list[k]].time <= findtime) for (let j = k; j < k + maxretry; j++) found[list[j]] = true;
    }
  }
  return found;
}

// A hand-written operator regex: failures, invalid users, scanners' marks, root by password, a second
// root, shells through sudo or su, admins made, root's password.
const OPERATOR = /Failed password|[Ii]nvalid user|authentication failure|NOT in sudoers|Did not receive identification|Bad protocol version|Protocol major versions differ|Unable to negotiate|Accepted password for root|UID=0,|COMMAND=\/(?:usr\/)?bin\/(?:ba|z|da)?sh\b|COMMAND=\/(?:usr\/)?bin\/su\b|to (?:shadow )?group '(?:sudo|wheel|admin)'|password changed for root/;

export const operatorFound = (line: string) => OPERATOR.test(line);
