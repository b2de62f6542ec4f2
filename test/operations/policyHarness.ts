/**
 * Runs the policy pack the way the Pulumi engine does, in-process: resources go in as the engine's
 * AnalyzeRequest/AnalyzeStackRequest protobufs (props as a protobuf Struct, options, provider), through
 * @pulumi/policy's own analyze handlers (deserialization, unknown checks, enforcement levels, violation
 * messages), and the diagnostics come back from its AnalyzeResponse. Only the gRPC socket is skipped.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { POLICY_PACK_NAME, policies } from "../../policy/policies.js";
import type { RegisteredResource } from "../mocks.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
// The pack's own dependencies, as the engine would load them from policy/node_modules (installed from
// policy/package-lock.json on first use, e.g. on a fresh clone).
if (!existsSync(join(root, "policy/node_modules/.package-lock.json"))) execFileSync(join(root, "policy/install.sh"), { stdio: "inherit" });
const requireFromPack = createRequire(join(root, "policy/package.json"));
const server = requireFromPack("@pulumi/policy/server.js");
const analyzerProto = requireFromPack("@pulumi/pulumi/proto/analyzer_pb.js");
const { Struct } = requireFromPack("google-protobuf/google/protobuf/struct_pb.js");
const PACK_VERSION = requireFromPack("./package.json").version as string;

/** What the engine knows about a resource when it asks the pack. */
export interface AnalyzedResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  protect?: boolean;
  deleteBeforeReplace?: boolean;
  /** The resource's Kubernetes provider (one per cluster in this program). */
  provider?: { urn: string; name: string };
}

export interface Violation {
  policy: string;
  message: string;
  enforcementLevel: string;
  urn: string;
}

const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

function options(resource: AnalyzedResource) {
  const opts = new analyzerProto.AnalyzerResourceOptions();
  opts.setProtect(resource.protect ?? false);
  if (resource.deleteBeforeReplace !== undefined) {
    opts.setDeletebeforereplace(resource.deleteBeforeReplace);
    opts.setDeletebeforereplacedefined(true);
  }
  return opts;
}

function provider(resource: AnalyzedResource) {
  if (!resource.provider) return undefined;
  const message = new analyzerProto.AnalyzerProviderResource();
  message.setType("pulumi:providers:kubernetes");
  message.setUrn(resource.provider.urn);
  message.setName(resource.provider.name);
  message.setProperties(Struct.fromJavaScript({}));
  return message;
}

function violations(response: any): Violation[] {
  return response.getDiagnosticsList().map((d: any) => ({
    policy: d.getPolicyname(),
    message: d.getMessage(),
    enforcementLevel: ENFORCEMENT_LEVELS[d.getEnforcementlevel()] ?? String(d.getEnforcementlevel()),
    urn: d.getUrn(),
  }));
}

function call(handler: (call: unknown, callback: (error: unknown, response: unknown) => void) => void, request: unknown): Promise<Violation[]> {
  return new Promise((done, fail) => handler({ request }, (error, response) => (error ? fail(error) : done(violations(response)))));
}

const analyze = server.makeAnalyzeRpcFun(POLICY_PACK_NAME, PACK_VERSION, "mandatory", policies);
const analyzeStack = server.makeAnalyzeStackRpcFun(POLICY_PACK_NAME, PACK_VERSION, "mandatory", policies);

/** The setters AnalyzeRequest and AnalyzerResource share: one resource as the engine describes it. */
interface ResourceMessage {
  setType(value: string): unknown;
  setName(value: string): unknown;
  setUrn(value: string): unknown;
  setProperties(value: ReturnType<typeof Struct.fromJavaScript>): unknown;
  setOptions(value: ReturnType<typeof options>): unknown;
  setProvider(value: NonNullable<ReturnType<typeof provider>>): unknown;
}

function describeResource<T extends ResourceMessage>(message: T, resource: AnalyzedResource): T {
  message.setType(resource.type);
  message.setName(resource.name);
  message.setUrn(resource.urn);
  message.setProperties(Struct.fromJavaScript(resource.props));
  message.setOptions(options(resource));
  const providerMessage = provider(resource);
  if (providerMessage) message.setProvider(providerMessage);
  return message;
}

/** The resource policies' verdict on one resource (the engine's Analyze call, before it is created). */
export function analyzeResource(resource: AnalyzedResource): Promise<Violation[]> {
  return call(analyze, describeResource(new analyzerProto.AnalyzeRequest(), resource));
}

/** The stack policies' verdict on a whole stack (the engine's AnalyzeStack call). */
export function analyzeStackResources(resources: readonly AnalyzedResource[]): Promise<Violation[]> {
  const request = new analyzerProto.AnalyzeStackRequest();
  request.setResourcesList(resources.map((resource) => describeResource(new analyzerProto.AnalyzerResource(), resource)));
  return call(analyzeStack, request);
}

/** Every policy's verdict: each resource alone, then the stack. */
export async function analyzeAll(resources: readonly AnalyzedResource[]): Promise<Violation[]> {
  const perResource = await Promise.all(resources.map(analyzeResource));
  return [...perResource.flat(), ...(await analyzeStackResources(resources))];
}

/** The Pulumi type token of a plain manifest (`apps/v1` Deployment -> `kubernetes:apps/v1:Deployment`). */
export function pulumiType(manifest: { apiVersion: string; kind: string }): string {
  const apiVersion = manifest.apiVersion.includes("/") ? manifest.apiVersion : `core/${manifest.apiVersion}`;
  return `kubernetes:${apiVersion}:${manifest.kind}`;
}

/** A rendered manifest as the engine would present it, on the named cluster's provider. */
export function fromManifest(manifest: { apiVersion: string; kind: string; metadata?: { name?: string } }, cluster: string, opts: Partial<AnalyzedResource> = {}): AnalyzedResource {
  const type = pulumiType(manifest);
  const name = `${cluster}-${manifest.kind.toLowerCase()}-${manifest.metadata?.name ?? "?"}`;
  return {
    type,
    name,
    urn: `urn:pulumi:test::openclaw-fleet::${type}::${name}`,
    props: JSON.parse(JSON.stringify(manifest)),
    provider: { urn: `urn:pulumi:test::openclaw-fleet::pulumi:providers:kubernetes::${cluster}-kubernetes`, name: `${cluster}-kubernetes` },
    ...opts,
  };
}

/** A resource the program registered under the Pulumi mocks, with the options the engine received. */
export function fromRegistered(resource: RegisteredResource): AnalyzedResource {
  // A provider reference is `<provider urn>::<provider id>`.
  const providerUrn = resource.provider ? resource.provider.slice(0, resource.provider.lastIndexOf("::")) : "";
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    props: resource.inputs,
    protect: resource.protect,
    provider: providerUrn ? { urn: providerUrn, name: providerUrn.slice(providerUrn.lastIndexOf("::") + 2) } : undefined,
  };
}
