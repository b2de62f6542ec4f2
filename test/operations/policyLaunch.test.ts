import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { policies, POLICY_PACK_NAME } from "../../policy/policies.js";
import "./policyHarness.js"; // installs policy/node_modules on a fresh clone

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const packDir = join(root, "policy");
const requireFromPack = createRequire(join(packDir, "package.json"));

/**
 * The pack launched the way `pulumi preview --policy-pack policy` launches it: the nodejs language host runs
 * @pulumi/pulumi's run-policy-pack on the pack's folder, which compiles and type-checks it with its vendored
 * ts-node (TypeScript 3.8), starts the analyzer gRPC server and prints its port. We then talk to it over gRPC
 * as the engine does. Only the engine address is a dummy: the analyzer never calls back during these RPCs.
 */
describe("policy pack, launched as the Pulumi CLI launches it", function () {
  this.timeout(120_000);
  let pack: ChildProcess;
  let client: any;
  const grpc = requireFromPack("@grpc/grpc-js");
  const analyzerGrpc = requireFromPack("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
  const analyzerProto = requireFromPack("@pulumi/pulumi/proto/analyzer_pb.js");
  const { Empty } = requireFromPack("google-protobuf/google/protobuf/empty_pb.js");
  const { Struct } = requireFromPack("google-protobuf/google/protobuf/struct_pb.js");
  const rpc = <T>(method: string, request: unknown) =>
    new Promise<T>((done, fail) => client[method](request, (error: unknown, response: T) => (error ? fail(error) : done(response))));

  before(async () => {
    const launcher = join(packDir, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");
    pack = spawn(process.execPath, [launcher, "127.0.0.1:1", packDir], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    pack.stderr!.on("data", (chunk) => (stderr += chunk));
    const port = await new Promise<number>((done, fail) => {
      pack.stdout!.once("data", (chunk) => done(Number(String(chunk).trim())));
      pack.once("exit", (code) => fail(new Error(`the policy pack exited with ${code} before serving:\n${stderr}`)));
    });
    assert.ok(port > 0);
    client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    pack?.kill();
  });

  it("compiles, type-checks against @pulumi/policy and serves every policy, mandatory", async () => {
    const info: any = await rpc("getAnalyzerInfo", new Empty());
    assert.equal(info.getName(), POLICY_PACK_NAME);
    const served = info.getPoliciesList().map((p: any) => [p.getName(), p.getEnforcementlevel()]);
    const MANDATORY = analyzerProto.EnforcementLevel.MANDATORY;
    assert.deepEqual(served, policies.map((p) => [p.name, MANDATORY]));
  });

  it("denies a root gateway over the wire, with the policy's message", async () => {
    const request = new analyzerProto.AnalyzeRequest();
    request.setType("kubernetes:apps/v1:Deployment");
    request.setName("rogue");
    request.setUrn("urn:pulumi:test::openclaw-fleet::kubernetes:apps/v1:Deployment::rogue");
    request.setProperties(
      Struct.fromJavaScript({
        metadata: { name: "rogue", namespace: "openclaw-acme" },
        spec: { template: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, containers: [gatewayContainer({ runAsUser: 0 })] } } },
      }),
    );
    request.setOptions(new analyzerProto.AnalyzerResourceOptions());
    const response: any = await rpc("analyze", request);
    const diagnostics = response.getDiagnosticsList().map((d: any) => `${d.getPolicyname()}: ${d.getMessage().split("\n")[1]}`);
    assert.deepEqual(diagnostics, ['gateway-runs-as-non-root: Deployment openclaw-acme/rogue: container "gateway" runs as UID 0']);
  });
});

function gatewayContainer(securityContext: Record<string, unknown>) {
  return {
    name: "gateway",
    image: "ghcr.io/openclaw/openclaw:2026.9.6-slim",
    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } },
    securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, ...securityContext },
    livenessProbe: { httpGet: { path: "/healthz", port: 18789 } },
    readinessProbe: { httpGet: { path: "/startupz", port: 18789 } },
  };
}
