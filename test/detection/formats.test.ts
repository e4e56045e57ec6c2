// Issue 24, "any log format": the shop's dev logs in ../shared rewritten as JSON lines, as other
// servers and loggers write the same events (nginx's access log with escape=json; a JSON logger's
// line for the application log), trained on the clean day and measured as a shipper runs the
// module. A log's fields are its JSON keys as they are its logfmt keys or its combined positions:
// detection must not depend on which of these a site chose.
import { describe, expect, it } from "vitest";
import { dirname, join } from "node:path";
import { ModuleDriver } from "../../host/core/module/driver.js";
import { coreWasm, shared } from "../helpers.js";
import { apacheUnescape, parseAccess, parseLogfmt } from "./cases.js";
import { packedModule, readLines, trainModel } from "./measure.js";
import { pct } from "./labelled.js";

const FILES = ["data/web/access.log", "data/web/access.labels", "data/web/access_clean.log", "data/app/app.log", "data/app/app.labels", "data/app/app_clean.log"];
const present = FILES.map((f) => shared(f));
const DATA = present.every(Boolean) ? dirname(dirname(present[0]!)) : undefined;

/** An Apache combined line as nginx writes the same request with log_format escape=json. */
function nginxJson(line: string): string {
  const l = parseAccess(line);
  const query = l.query === null ? "" : "?" + l.query.map((p) => (p.value === null ? p.name : `${p.name}=${p.value}`)).join("&");
  return JSON.stringify({
    time_local: l.time,
    remote_addr: l.client,
    request: apacheUnescape(`${l.method} ${l.path}${query} ${l.protocol}`),
    status: l.status,
    body_bytes_sent: l.bytes,
    http_referer: apacheUnescape(l.referer),
    http_user_agent: apacheUnescape(l.userAgent),
  });
}

/** The application's line (time, level, [logger], message, then key=value) as a JSON logger writes it. */
function loggerJson(line: string): string {
  const bare: string[] = [];
  const members: Record<string, string | number> = {};
  for (const item of parseLogfmt(line).items) {
    if (item.key === null) bare.push(item.value);
    else members[item.key] = /^-?\d{1,15}$/.test(item.value) ? Number(item.value) : item.value;
  }
  const [time, level, logger, ...msg] = bare;
  return JSON.stringify({ time, level, logger: logger?.replace(/^\[|\]$/g, ""), msg: msg.join(" "), ...members });
}

interface Measured {
  recall: number;
  falseAlarms: number;
}

function measure(training: string[], lines: string[], labels: boolean[]): Measured {
  const core = coreWasm();
  const driver = ModuleDriver.fromBytes(packedModule(core, trainModel(core, training)));
  let found = 0;
  let alarms = 0;
  lines.forEach((line, i) => {
    const anomaly = driver.score(line).anomaly;
    if (labels[i] && anomaly) found++;
    if (!labels[i] && anomaly) alarms++;
  });
  const attacks = labels.filter(Boolean).length;
  return { recall: found / attacks, falseAlarms: alarms / (labels.length - attacks) };
}

// The goals for the dev sets (clean protocol).
const GOALS = { access: { recall: 0.98, falseAlarms: 0.003 }, app: { recall: 0.97, falseAlarms: 0.005 } };

describe.skipIf(!DATA)("the dev logs as JSON lines (issue 24: any log format), clean protocol", () => {
  const logs = [
    { name: "access", json: nginxJson, format: "nginx escape=json" },
    { name: "app", json: loggerJson, format: "a JSON logger" },
  ] as const;
  for (const log of logs) {
    it(`${log.name} log as ${log.format}: the issue's goals met, as in its own format`, () => {
      const dir = join(DATA!, log.name === "access" ? "web" : "app");
      const training = readLines(join(dir, `${log.name}_clean.log`));
      const lines = readLines(join(dir, `${log.name}.log`));
      const labels = readLines(join(dir, `${log.name}.labels`)).map((l) => l.trim() === "1");
      const written = measure(training, lines, labels);
      const json = measure(training.map(log.json), lines.map(log.json), labels);
      console.log(`${log.name}: as written ${pct(written.recall)} found, ${pct(written.falseAlarms)} false alarms; as ${log.format} ${pct(json.recall)} found, ${pct(json.falseAlarms)} false alarms`);
      expect(json.recall).toBeGreaterThanOrEqual(GOALS[log.name].recall);
      expect(json.falseAlarms).toBeLessThanOrEqual(GOALS[log.name].falseAlarms);
      expect(json.recall).toBeGreaterThanOrEqual(written.recall - 0.01);
    });
  }
});
