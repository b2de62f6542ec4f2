/**
 * The local clusters the cluster figures run on: brings up as many as a figure needs (`scripts/clusters.sh`,
 * honouring OPENCLAW_FLEET_CACHE and OPENCLAW_LOCAL_PREFIX) and takes down, at the end, only those it started,
 * so a run inside scripts/with-clusters.sh leaves that script's clusters to it. With OPENCLAW_FLEET_TEST_KUBECONFIG
 * and OPENCLAW_FLEET_TEST_CONTEXTS (your own clusters) nothing is started or stopped.
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { toolBinDirs } from "../components/automation/localPulumi.js";
import { cacheRoot } from "../components/openclaw/install.js";

const run = promisify(execFile);

export class LocalClusters {
  private readonly started = new Set<number>();
  readonly kubeconfig = process.env.OPENCLAW_FLEET_TEST_KUBECONFIG ?? join(cacheRoot(), "clusters", "kubeconfig");
  private readonly ownClusters = process.env.OPENCLAW_FLEET_TEST_KUBECONFIG !== undefined;
  private readonly prefix = process.env.OPENCLAW_LOCAL_PREFIX ?? "openclaw-local";
  readonly kubectl = join(toolBinDirs(["k8s"])[0]!, "kubectl");

  constructor(private readonly projectDir: string) {}

  private script(args: string[]) {
    return run(join(this.projectDir, "scripts/clusters.sh"), args, { cwd: this.projectDir, maxBuffer: 16 * 2 ** 20 });
  }

  /** The contexts of clusters 1..n, each answering. */
  async ensure(count: number): Promise<string[]> {
    if (this.ownClusters) {
      const contexts = (process.env.OPENCLAW_FLEET_TEST_CONTEXTS ?? "").split(",").filter((name) => name !== "");
      if (contexts.length < count) throw new Error(`this figure needs ${count} clusters; OPENCLAW_FLEET_TEST_CONTEXTS names ${contexts.length}`);
      return contexts.slice(0, count);
    }
    const { stdout } = await this.script(["status"]);
    const running = new Set(stdout.split("\n").filter((line) => / up /.test(line)).map((line) => line.split(/\s+/)[0]!));
    const contexts = Array.from({ length: count }, (_, index) => `${this.prefix}-${index + 1}`);
    const missing = contexts.flatMap((context, index) => (running.has(context) ? [] : [index + 1]));
    if (missing.length > 0) {
      await this.script(["up", String(count)]);
      for (const index of missing) this.started.add(index);
    }
    return contexts;
  }

  /** kubectl against one context of the kubeconfig; stdout. */
  async kubectlRun(context: string, args: string[]): Promise<string> {
    const { stdout } = await run(this.kubectl, ["--kubeconfig", this.kubeconfig, "--context", context, ...args], { maxBuffer: 16 * 2 ** 20 });
    return stdout;
  }

  /**
   * Deletes a namespace and waits until it is gone (what a clean first deploy starts from). On the local clusters
   * it also removes its claims' hostPath directories: the provisioner's PVs are deleted with the claims, but their
   * directories under /tmp/hostpath_pv stay (clusters.sh down only finds those of PVs still there).
   */
  async deleteNamespace(context: string, namespace: string): Promise<void> {
    const paths = this.ownClusters
      ? []
      : (await this.kubectlRun(context, ["get", "pv", "-o", `jsonpath={range .items[?(@.spec.claimRef.namespace=="${namespace}")]}{.spec.hostPath.path}{"\\n"}{end}`]))
          .split("\n")
          .filter((path) => /^\/tmp\/hostpath_pv\/[^/]+$/.test(path));
    await this.kubectlRun(context, ["delete", "namespace", namespace, "--ignore-not-found", "--wait=true", "--timeout=180s"]);
    for (const path of paths) rmSync(path, { recursive: true, force: true });
  }

  async serverVersion(context: string): Promise<string> {
    const version = JSON.parse(await this.kubectlRun(context, ["version", "-o", "json"])) as { serverVersion?: { gitVersion?: string } };
    return version.serverVersion?.gitVersion ?? "unknown";
  }

  /** Takes down the clusters this run started, and only those. */
  async release(): Promise<void> {
    if (this.started.size === 0) return;
    await this.script(["down", ...[...this.started].map(String)]);
    this.started.clear();
  }
}
