// deploy/kubernetes/: the plain manifests, the training Job and the Vector sidecar validated against
// the Kubernetes API schemas (kubernetes-models), the Helm values' Kubernetes parts likewise, what
// ties them together (the module's volume mounted where the filter looks, watched by the reloader;
// the sidecar's Vector pipeline that of vector.toml.example, its ports tarkin serve's; the image
// the Dockerfile's, of this version), and both Fluent Bit configurations checked by the real
// fluent-bit's --dry-run where it is installed.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseAllDocuments, parse } from "yaml";
import { parse as parseToml } from "smol-toml";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Volume } from "kubernetes-models/v1/Volume";
import { VolumeMount } from "kubernetes-models/v1/VolumeMount";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ROOT } from "../helpers.js";
import { fluentBitBinary } from "../../host/core/module/fluent-bit.js";
import { version } from "../../host/core/module/assets.js";

const DEPLOY = resolve(ROOT, "deploy/kubernetes");
const MODULE = resolve(ROOT, "build/tarkin.wasm");
const BINARY = fluentBitBinary();
if (!BINARY) console.log("[notice] fluent-bit is not on PATH (nor in $FLUENT_BIT): skipping the --dry-run of the deployed configurations");

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown };
type Container = { name: string; image: string; args?: string[]; restartPolicy?: string; securityContext?: { runAsNonRoot?: boolean; runAsUser?: number }; volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] };
type PodSpec = { containers: Container[]; initContainers?: Container[]; volumes: { name: string; configMap?: { name: string } }[] };

/** The image the repository's Dockerfile builds, as the manifests name it, and the user it runs as. */
const IMAGE = `tarkin:${version()}`;
const IMAGE_UID = Number(/^USER (\d+)/m.exec(readFileSync(resolve(ROOT, "Dockerfile"), "utf8"))![1]);

const KINDS: Record<string, new (data: never) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ServiceAccount": ServiceAccount,
  "v1/ConfigMap": ConfigMap,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
  "apps/v1/DaemonSet": DaemonSet,
  "apps/v1/Deployment": Deployment,
  "batch/v1/Job": Job,
};

function manifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(DEPLOY, file), "utf8")).map((d) => {
    expect(d.errors, file).toEqual([]);
    return d.toJS() as Manifest;
  });
}

function validate(m: Manifest): void {
  const Kind = KINDS[`${m.apiVersion}/${m.kind}`];
  expect(Kind, `${m.apiVersion} ${m.kind} has a schema here`).toBeDefined();
  expect(() => new Kind(m as never).validate(), `${m.kind} ${m.metadata.name}`).not.toThrow();
}

/** Every container's mounts name a volume of the pod. */
function expectMountsResolve(spec: PodSpec): void {
  const volumes = new Set(spec.volumes.map((v) => v.name));
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) for (const m of c.volumeMounts ?? []) expect(volumes.has(m.name), `${c.name} mounts ${m.name}`).toBe(true);
}

/** The container's mount that holds `path` (or is it). */
function mountHolding(c: Container, path: string) {
  return c.volumeMounts?.find((m) => path === m.mountPath || path.startsWith(m.mountPath + "/"));
}

/** fluent-bit --dry-run on a configuration; null when this fluent-bit lacks a plugin it names (a minimal build). */
function dryRun(config: string, name: string): { ok: boolean; output: string } | null {
  const dir = mkdtempSync(join(tmpdir(), "tarkin-deploy-"));
  try {
    const file = join(dir, name);
    writeFileSync(file, config.replaceAll("/var/log/fluent-bit-kube.db", join(dir, "kube.db")));
    const r = spawnSync(BINARY!, ["-c", file, "--dry-run"], { encoding: "utf8", timeout: 30_000 });
    const output = `${r.stdout}${r.stderr}`;
    if (/tried to instance a plugin name that doesn't exist/.test(output)) {
      console.log(`[notice] ${BINARY} lacks a plugin ${name} uses (a minimal build?): skipping its --dry-run`);
      return null;
    }
    return { ok: r.status === 0 && /configuration test is successful/.test(output), output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("deploy/kubernetes", () => {
  describe("fluent-bit.yaml (plain manifests)", () => {
    const all = manifests("fluent-bit.yaml");
    const daemonSet = all.find((m) => m.kind === "DaemonSet") as Manifest & { spec: { template: { spec: PodSpec } } };
    const config = (all.find((m) => m.kind === "ConfigMap") as Manifest & { data: Record<string, string> }).data["fluent-bit.yaml"];

    it("every manifest is valid against the Kubernetes API schema", () => {
      expect(all.map((m) => m.kind)).toEqual(["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet"]);
      all.forEach(validate);
    });

    it("mounts the module's ConfigMap where the wasm filter looks, has the reloader watch it, and runs with hot reload", () => {
      const spec = daemonSet.spec.template.spec;
      expectMountsResolve(spec);
      const module = spec.volumes.find((v) => v.configMap?.name === "tarkin-module")!;
      expect(module).toBeDefined();
      const [fluentBit, reloader] = spec.containers;
      const mount = fluentBit.volumeMounts!.find((m) => m.name === module.name)!;
      const filter = (parse(config) as { pipeline: { filters: Record<string, string>[] } }).pipeline.filters.find((f) => f.name === "wasm")!;
      expect(filter.wasm_path.startsWith(mount.mountPath + "/")).toBe(true);
      expect(filter).toMatchObject({ function_name: "tarkin_filter", event_format: "json" });
      expect(fluentBit.args).toContain("--enable-hot-reload");
      const watched = reloader.volumeMounts!.find((m) => m.name === module.name)!;
      expect(reloader.args).toContain(`-volume-dir=${watched.mountPath}`);
      expect(reloader.args).toContain("-webhook-url=http://localhost:2020/api/v2/reload");
    });

    it.skipIf(!BINARY)("its Fluent Bit configuration passes the real fluent-bit's --dry-run (the module at its place), and a broken one does not", () => {
      const r = dryRun(config.replaceAll("/fluent-bit/tarkin/tarkin.wasm", MODULE), "fluent-bit.yaml");
      if (!r) return;
      expect(r.ok, r.output).toBe(true);
      expect(dryRun(config.replaceAll("/fluent-bit/tarkin/tarkin.wasm", "/nonexistent/tarkin.wasm"), "fluent-bit.yaml")!.ok).toBe(false);
    });
  });

  describe("values.yaml (the official fluent-bit Helm chart)", () => {
    const values = parse(readFileSync(join(DEPLOY, "values.yaml"), "utf8")) as {
      kind: string;
      hotReload: { enabled: boolean; extraWatchVolumes: string[] };
      extraVolumes: { name: string; configMap?: { name: string } }[];
      extraVolumeMounts: { name: string; mountPath: string }[];
      config: { inputs: string; filters: string; outputs: string };
    };

    it("its volumes and mounts are valid against the Kubernetes API schema, and tie the module to the filter and the reloader", () => {
      expect(values.kind).toBe("DaemonSet");
      for (const v of values.extraVolumes) expect(() => new Volume(v).validate(), v.name).not.toThrow();
      for (const m of values.extraVolumeMounts) expect(() => new VolumeMount(m).validate(), m.name).not.toThrow();
      const module = values.extraVolumes.find((v) => v.configMap?.name === "tarkin-module")!;
      const mount = values.extraVolumeMounts.find((m) => m.name === module.name)!;
      expect(values.config.filters).toMatch(new RegExp(`WASM_Path ${mount.mountPath}/tarkin\\.wasm\\n`));
      expect(values.hotReload).toMatchObject({ enabled: true, extraWatchVolumes: [module.name] });
      expect(values.config.inputs).toMatch(/\n\s+DB \S+/);
    });

    it.skipIf(!BINARY)("its Fluent Bit configuration (the chart's classic format) passes the real fluent-bit's --dry-run", () => {
      const conf = ["[SERVICE]\n    Flush 1\n    HTTP_Server On\n", values.config.inputs, values.config.filters, values.config.outputs].join("\n");
      const r = dryRun(conf.replaceAll("/fluent-bit/tarkin/tarkin.wasm", MODULE), "fluent-bit.conf");
      if (r) expect(r.ok, r.output).toBe(true);
    });
  });

  it("train-shards.job.yaml is a valid Indexed Job training one shard a pod, in the image, as its non-root user", () => {
    const [job] = manifests("train-shards.job.yaml") as (Manifest & { spec: { completionMode: string; completions: number; parallelism: number; template: { spec: PodSpec & { securityContext?: { fsGroup?: number } } } } })[];
    validate(job);
    expect(job.spec).toMatchObject({ completionMode: "Indexed", completions: 8, parallelism: 8 });
    const spec = job.spec.template.spec;
    expectMountsResolve(spec);
    const [train] = spec.containers;
    expect(train.image).toBe(IMAGE);
    // The image's entrypoint is tarkin; Kubernetes puts the pod's index into the arguments.
    expect(train.args).toEqual(["train", "/archive/shard-$(JOB_COMPLETION_INDEX).log", "-o", "/models/shard-$(JOB_COMPLETION_INDEX).json", "--force"]);
    expect(mountHolding(train, train.args![1])).toMatchObject({ name: "archive", readOnly: true });
    expect(mountHolding(train, train.args![3])).toMatchObject({ name: "models" });
    expect(train.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: IMAGE_UID });
    expect(spec.securityContext?.fsGroup).toBe(IMAGE_UID);
  });

  describe("vector-sidecar.yaml (Vector and tarkin serve in one pod)", () => {
    const all = manifests("vector-sidecar.yaml");
    const deployment = all.find((m) => m.kind === "Deployment") as Manifest & { spec: { template: { spec: PodSpec } } };
    const spec = deployment.spec.template.spec;
    const [vector] = spec.initContainers!;
    const [tarkin] = spec.containers;
    type Component = Record<string, unknown> & { type: string; address?: string; include?: string[]; path?: string };
    type Pipeline = { data_dir?: string; sources: Record<string, Component>; sinks: Record<string, Component> };
    const configMap = all.find((m) => m.kind === "ConfigMap") as Manifest & { data: Record<string, string> };
    const pipeline = parseToml(configMap.data["vector.toml"]) as unknown as Pipeline;
    const example = parseToml(readFileSync(resolve(ROOT, "vector.toml.example"), "utf8")) as unknown as Pipeline;
    const option = (name: string) => tarkin.args![tarkin.args!.indexOf(name) + 1];

    it("every manifest is valid against the Kubernetes API schema", () => {
      expect(all.map((m) => m.kind)).toEqual(["ConfigMap", "Deployment"]);
      all.forEach(validate);
      expectMountsResolve(spec);
    });

    it("runs vector.toml.example's pipeline, with the volumes' paths", () => {
      const withoutPaths = (p: Pipeline) => {
        const copy = structuredClone(p);
        delete copy.data_dir;
        delete copy.sources.logs.include;
        delete copy.sinks.scored.path;
        return copy;
      };
      expect(withoutPaths(pipeline)).toEqual(withoutPaths(example));
      const paths = [pipeline.data_dir!, pipeline.sources.logs.include![0], pipeline.sinks.scored.path!];
      for (const path of paths) expect(mountHolding(vector, path), path).toBeDefined();
      expect(mountHolding(vector, pipeline.sources.logs.include![0])!.readOnly).toBe(true);
      expect(vector.args).toEqual(["--config", `${vector.volumeMounts!.find((m) => m.name === "config")!.mountPath}/vector.toml`]);
    });

    it("tarkin serve listens where Vector's socket sink connects and forwards to its socket source, both on the pod's loopback", () => {
      expect(tarkin.image).toBe(IMAGE);
      expect(tarkin.args![0]).toBe("serve");
      expect(option("--listen")).toBe(pipeline.sinks.to_tarkin.address);
      expect(option("--forward")).toBe(pipeline.sources.from_tarkin.address);
      for (const address of [option("--listen"), option("--forward")]) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
      const module = spec.volumes.find((v) => v.configMap?.name === "tarkin-module")!;
      expect(mountHolding(tarkin, option("--wasm"))).toMatchObject({ name: module.name, readOnly: true });
      expect(tarkin.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: IMAGE_UID });
    });

    it("Vector is a native sidecar: it starts before tarkin serve and stops after it", () => {
      expect(vector.restartPolicy).toBe("Always");
      expect(vector.image).toMatch(/^timberio\/vector:\d+\.\d+\.\d+-/);
    });
  });
});
