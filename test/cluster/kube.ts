/**
 * Talks to real API servers with @kubernetes/client-node: server-side apply of rendered objects and
 * reads of their live state. Which clusters: the kubeconfig in OPENCLAW_FLEET_TEST_KUBECONFIG (default: the
 * one `npm run clusters -- up` writes) and the contexts in OPENCLAW_FLEET_TEST_CONTEXTS (comma-separated;
 * default: the contexts of Pulumi.local.yaml), so the same tests run against a user's kind or k3d clusters.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { cacheRoot } from "../../components/openclaw/install.js";

export const FIELD_MANAGER = "openclaw-fleet-tests";

export function testKubeconfigPath(): string {
  return process.env.OPENCLAW_FLEET_TEST_KUBECONFIG ?? join(cacheRoot(), "clusters", "kubeconfig");
}

export interface TestCluster {
  context: string;
  config: KubeConfig;
  objects: KubernetesObjectApi;
}

export function connect(context: string): TestCluster {
  const path = testKubeconfigPath();
  if (!existsSync(path)) throw new Error(`no kubeconfig at ${path}: run \`npm run clusters -- up\` or set OPENCLAW_FLEET_TEST_KUBECONFIG`);
  const config = new KubeConfig();
  config.loadFromFile(path);
  config.setCurrentContext(context);
  return { context, config, objects: KubernetesObjectApi.makeApiClient(config) };
}

/** A plain manifest (kubernetes-models typed); client-node's own types differ only in date fields. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
}

/** Server-side apply, as Pulumi's Kubernetes provider does it; `dryRun` lets the server judge without persisting. */
export async function apply(cluster: TestCluster, object: Manifest, options: { dryRun?: boolean } = {}): Promise<KubernetesObject> {
  return cluster.objects.patch(object as KubernetesObject, undefined, options.dryRun ? "All" : undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
}

export async function read<T extends KubernetesObject>(cluster: TestCluster, object: Manifest): Promise<T> {
  return (await cluster.objects.read({
    apiVersion: object.apiVersion!,
    kind: object.kind!,
    metadata: { name: object.metadata!.name!, namespace: object.metadata!.namespace },
  })) as T;
}

/** The API server's reason for refusing a request, for assertions and failure messages. */
export function refusal(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === "string") {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/** Polls until `check` returns a value or the time runs out; the last value seen goes into the error. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, describeLast: () => string = () => ""): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describeLast() ? `: ${describeLast()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Deletes a namespace a test made, and everything in it (the namespace controller finishes in the background). */
export async function deleteNamespace(cluster: TestCluster, name: string): Promise<void> {
  await cluster.config.makeApiClient(CoreV1Api).deleteNamespace({ name }).catch(() => undefined);
}
