/**
 * Helm as the bench runs it: the binary `scripts/build-tools.sh helm` builds (from the Go module proxy, cached like
 * the other tools), with its config, cache and data in a temporary directory (never the user's ~/.config/helm), and
 * each chart written next to a values file of mode 0600 that holds the gateway's token (read by Helm only).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments, stringify } from "yaml";
import { toolBinDirs } from "../../components/automation/localPulumi.js";
import type { HelmChart } from "./chart.js";

const run = promisify(execFile);

/** Where Helm keeps a release's record: the objects' own namespace is the chart's (it creates the Namespace). */
export const RELEASE_NAMESPACE = "default";

export interface WrittenChart {
  chart: HelmChart;
  dir: string;
  valuesFile: string;
}

export class HelmCli {
  readonly binary = join(toolBinDirs(["helm"])[0]!, "helm");
  private readonly home = mkdtempSync(join(tmpdir(), "openclaw-bench-helm-"));
  readonly env: NodeJS.ProcessEnv;

  constructor(readonly kubeconfig: string) {
    this.env = {
      ...process.env,
      KUBECONFIG: kubeconfig,
      HELM_CONFIG_HOME: join(this.home, "config"),
      HELM_CACHE_HOME: join(this.home, "cache"),
      HELM_DATA_HOME: join(this.home, "data"),
    };
  }

  /** The chart's files, and a values file with a fresh random token per key of the env Secret. */
  write(chart: HelmChart, secretKeys: readonly string[]): WrittenChart {
    const dir = join(this.home, "charts", chart.name);
    for (const [path, content] of Object.entries(chart.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const valuesFile = join(this.home, "values", `${chart.name}.yaml`);
    mkdirSync(dirname(valuesFile), { recursive: true, mode: 0o700 });
    writeFileSync(valuesFile, stringify({ env: Object.fromEntries(secretKeys.map((key) => [key, randomBytes(32).toString("hex")])) }), { mode: 0o600 });
    return { chart, dir, valuesFile };
  }

  /** `helm upgrade --install --wait` of the chart on one context, at this image. */
  upgradeArgs(written: WrittenChart, kubeContext: string, image: string): string[] {
    return ["upgrade", "--install", written.chart.name, written.dir, "--kube-context", kubeContext, "--namespace", RELEASE_NAMESPACE, "-f", written.valuesFile, "--set-string", `image=${image}`, "--wait", "--timeout", "300s"];
  }

  async upgrade(written: WrittenChart, kubeContext: string, image: string): Promise<void> {
    await this.helm(this.upgradeArgs(written, kubeContext, image));
  }

  async uninstall(written: WrittenChart, kubeContext: string): Promise<void> {
    await this.helm(["uninstall", written.chart.name, "--kube-context", kubeContext, "--namespace", RELEASE_NAMESPACE, "--ignore-not-found", "--wait", "--timeout", "180s"]);
  }

  /**
   * Proves the chart is the render: `helm template` at the render's image, without the Secret the render leaves
   * out, gives the objects `npm run render` wrote (compared as JSON, by kind, namespace and name). Throws naming the difference.
   */
  async assertTemplatesAreTheRender(written: WrittenChart, renderedObjects: readonly unknown[], secretName: string): Promise<void> {
    const { stdout } = await this.helm(["template", written.chart.name, written.dir, "--namespace", RELEASE_NAMESPACE, "-f", written.valuesFile]);
    const key = (object: { kind?: string; metadata?: { namespace?: string; name?: string } }) => `${object.kind}/${object.metadata?.namespace ?? ""}/${object.metadata?.name}`;
    const templated = new Map(
      parseAllDocuments(stdout)
        .map((document) => document.toJSON() as { kind?: string; metadata?: { namespace?: string; name?: string } } | null)
        .filter((object): object is NonNullable<typeof object> => object !== null && !(object.kind === "Secret" && object.metadata?.name === secretName))
        .map((object) => [key(object), JSON.stringify(object)]),
    );
    const expected = new Map(renderedObjects.map((object) => [key(object as never), JSON.stringify(object)]));
    const differing = [...new Set([...templated.keys(), ...expected.keys()])].filter((name) => !templated.has(name) || !expected.has(name) || !sameJson(templated.get(name)!, expected.get(name)!));
    if (differing.length > 0) throw new Error(`the Helm chart ${written.chart.name} is not the render: ${differing.join(", ")} differ`);
  }

  async version(): Promise<string> {
    return (await this.helm(["version", "--template", "{{ .Version }}"])).stdout.trim();
  }

  private helm(args: string[]) {
    return run(this.binary, args, { env: this.env, maxBuffer: 64 * 2 ** 20 });
  }

  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Deep equality of two JSON texts, whatever the order of their keys. */
function sameJson(a: string, b: string): boolean {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sorted) : value !== null && typeof value === "object" ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, sorted(v)])) : value;
  return JSON.stringify(sorted(JSON.parse(a))) === JSON.stringify(sorted(JSON.parse(b)));
}

/** The version of the Helm the bench runs, for bench/results.json. */
export async function helmVersion(kubeconfig: string): Promise<string> {
  const helm = new HelmCli(kubeconfig);
  try {
    return await helm.version();
  } finally {
    helm.dispose();
  }
}
