import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider.js";
import { parse } from "yaml";
import * as multilang from "../../components/multilang/index.js";
import { GATEWAY_COMPONENT_TYPE, Gateway, PACKAGE_NAME } from "../../components/multilang/index.js";
import { installMocks, isSecretOutput, resolve } from "../mocks.js";

/** How Pulumi serializes a secret value: `{[SECRET_SIG]: SECRET_MARKER, value}` (pulumi/pulumi sdk/nodejs/runtime/rpc.ts). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_MARKER = "1b47061264138c4ac30d75fd1eb44270";
const root = resolvePath(dirname(fileURLToPath(import.meta.url)), "../..");
const pluginDir = join(root, "components/multilang");

/** The package name `pulumi package add` derives from the plugin's package.json (cmd/run-plugin's rule). */
function providerNameOf(packageName: string): string {
  return packageName.match(/(@.*?\/)?(.+)/)![2]!.replace(/[^-a-zA-Z0-9_]/g, "-");
}

interface PackageSchema {
  name: string;
  resources: Record<string, { isComponent?: boolean; inputProperties: Record<string, any>; requiredInputs?: string[]; properties: Record<string, any>; required?: string[] }>;
  types: Record<string, { properties: Record<string, any>; required?: string[] }>;
}

describe("multi-language Gateway component (PulumiPlugin.yaml)", function () {
  // Schema inference type-checks the component with the TypeScript that @pulumi/pulumi bundles: seconds.
  this.timeout(120_000);
  let schema: PackageSchema;
  let componentProvider: ComponentProvider;

  before(async () => {
    // The code path of `pulumi package get-schema`/`add`: cmd/run-plugin finds the components among the
    // module's exports, then componentProviderHost serves ComponentProvider.getSchema().
    const components = getPulumiComponents(multilang);
    const name = providerNameOf(JSON.parse(readFileSync(join(pluginDir, "package.json"), "utf8")).name);
    componentProvider = new ComponentProvider({ components, dirname: pluginDir, name });
    schema = JSON.parse(await componentProvider.getSchema());
  });

  it("is a nodejs plugin whose entry (index.js) the schema analyzer maps to index.ts", () => {
    const plugin = parse(readFileSync(join(pluginDir, "PulumiPlugin.yaml"), "utf8"));
    assert.equal(plugin.runtime, "nodejs");
    const manifest = JSON.parse(readFileSync(join(pluginDir, "package.json"), "utf8"));
    assert.equal(manifest.main, "index.js");
    // No dependencies of its own: a second @pulumi/pulumi next to the root's would split the runtime.
    assert.equal(manifest.dependencies, undefined);
  });

  it("exports exactly one component, the Gateway, under the package name", () => {
    assert.deepEqual(getPulumiComponents(multilang), [Gateway]);
    assert.equal(schema.name, PACKAGE_NAME);
    assert.deepEqual(Object.keys(schema.resources), [GATEWAY_COMPONENT_TYPE]);
    assert.equal(schema.resources[GATEWAY_COMPONENT_TYPE]!.isComponent, true);
  });

  it("infers the inputs from the args interface, with the required ones", () => {
    const gateway = schema.resources[GATEWAY_COMPONENT_TYPE]!;
    assert.deepEqual(Object.keys(gateway.inputProperties).sort(), ["apiKeys", "cluster", "environment", "kubeconfig", "settings", "tenant"]);
    assert.deepEqual(gateway.requiredInputs, ["cluster", "environment", "tenant"]);
    assert.equal(gateway.inputProperties.tenant.type, "string");
    assert.equal(gateway.inputProperties.cluster.$ref, `#/types/${PACKAGE_NAME}:index:ClusterArgs`);
    assert.equal(gateway.inputProperties.settings.additionalProperties.$ref, "pulumi.json#/Any");
    assert.equal(gateway.inputProperties.apiKeys.additionalProperties.type, "string");
    // Outputs-capable (not plain) so a secret from another language stays a secret Output.
    assert.equal(gateway.inputProperties.kubeconfig.plain, undefined);
    const cluster = schema.types[`${PACKAGE_NAME}:index:ClusterArgs`]!;
    assert.deepEqual(Object.keys(cluster.properties).sort(), ["context", "host", "kubeconfigPath", "name", "namespace", "region"]);
    assert.deepEqual(cluster.required, ["name"]);
  });

  it("infers the outputs from the class's Output properties", () => {
    const gateway = schema.resources[GATEWAY_COMPONENT_TYPE]!;
    assert.deepEqual(Object.keys(gateway.properties).sort(), ["configHash", "namespace", "rolloutStatus", "serviceUrl", "token", "url"]);
    for (const output of Object.values(gateway.properties)) assert.equal(output.type, "string");
    assert.deepEqual(gateway.required?.slice().sort(), ["configHash", "namespace", "rolloutStatus", "serviceUrl", "token", "url"]);
  });

  describe("constructed the way another language's program constructs it", () => {
    const provider = () => componentProvider;
    const inputs = (extra: Record<string, unknown> = {}) => ({
      tenant: "acme",
      environment: "dev",
      cluster: { name: "kind-a", context: "kind-openclaw-a" },
      settings: { storage: { size: "2Gi" } },
      apiKeys: { ANTHROPIC_API_KEY: pulumi.secret("sk-ant-test") },
      ...extra,
    });

    it("builds the fleet's hardened gateway under an explicit provider and returns the schema's outputs", async () => {
      const registered = await installMocks();
      const kubeconfig = pulumi.secret("apiVersion: v1\nkind: Config\n");
      const result = await provider().construct("demo", GATEWAY_COMPONENT_TYPE, inputs({ kubeconfig }), {});
      assert.deepEqual(Object.keys(result.state).sort(), ["configHash", "namespace", "rolloutStatus", "serviceUrl", "token", "url"]);
      assert.equal(await resolve(result.state.namespace as pulumi.Output<string>), "openclaw-acme");
      assert.equal(await resolve(result.state.rolloutStatus as pulumi.Output<string>), "complete");
      assert.equal(await isSecretOutput(result.state.token as pulumi.Output<string>), true);
      await new Promise((done) => setTimeout(done, 50));
      const types = registered.map((r) => r.type);
      // One component type per gateway: the objects sit directly under the package's component.
      assert.deepEqual(types.filter((type) => !type.startsWith("kubernetes:") && !type.startsWith("random:") && !type.startsWith("pulumi:providers:")), [GATEWAY_COMPONENT_TYPE]);
      const provider_ = registered.find((r) => r.type === "pulumi:providers:kubernetes")!;
      assert.equal(provider_.inputs.context, "kind-openclaw-a");
      assert.equal(provider_.inputs.kubeconfig[SECRET_SIG], SECRET_MARKER, "the kubeconfig content reaches the provider as a secret");
      assert.equal(provider_.inputs.kubeconfig.value, "apiVersion: v1\nkind: Config\n");
      const deployment = registered.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
      assert.ok(deployment.provider.startsWith(`${provider_.urn}::`), deployment.provider);
      const claim = registered.find((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim")!;
      assert.equal(claim.inputs.spec.resources.requests.storage, "2Gi");
      // The manager its stacks were deployed with: another name would be an apply conflict on the annotation itself.
      assert.equal(claim.inputs.metadata.annotations["pulumi.com/patchFieldManager"], `openclaw-fleet-stack-${pulumi.getStack()}`);
      const secret = registered.find((r) => r.type === "kubernetes:core/v1:Secret")!;
      // The API key reaches the env Secret, inside Pulumi's secret envelope, and no other object.
      assert.equal(secret.inputs.stringData[SECRET_SIG], SECRET_MARKER);
      assert.equal(secret.inputs.stringData.value.ANTHROPIC_API_KEY, "sk-ant-test");
      const leaks = registered.filter((r) => r !== secret && JSON.stringify(r.inputs).includes("sk-ant-test"));
      assert.deepEqual(leaks.map((r) => r.name), []);
    });

    it("names every child after the component and aliases it from where it was (providers by cluster, objects in a nested openclaw:fleet:Gateway)", async () => {
      const registered = await installMocks();
      await provider().construct("demo", GATEWAY_COMPONENT_TYPE, inputs(), {});
      await new Promise((done) => setTimeout(done, 50));
      const component = registered.find((r) => r.type === GATEWAY_COMPONENT_TYPE)!;
      const children = registered.filter((r) => r !== component);
      assert.ok(children.length >= 15);
      for (const child of children) {
        assert.equal(child.parent, component.urn, child.name);
        assert.match(child.name, /^demo-/);
        const suffix = child.name.slice("demo-".length);
        // (The SDK adds a nameless alias to the current parent to some children: their own URN.)
        const specs = child.aliases.map((alias) => alias.spec!).filter((spec) => spec.name !== "");
        if (child.type.startsWith("pulumi:providers:")) {
          assert.deepEqual(specs.map((spec) => spec.name), [`kind-a-${suffix}`], child.name);
        } else {
          // The nested component's URN: `<package type>$openclaw:fleet:Gateway::kind-a-gateway`, beside this one.
          const nested = component.urn.replace(`${GATEWAY_COMPONENT_TYPE}::demo`, `${GATEWAY_COMPONENT_TYPE}$openclaw:fleet:Gateway::kind-a-gateway`);
          assert.deepEqual(specs.map((spec) => [spec.name, spec.parenturn]), [[`kind-a-${suffix}`, nested]], child.name);
        }
      }
    });

    it("puts two tenants on one cluster in one program without a URN collision", async () => {
      const registered = await installMocks();
      await provider().construct("acme", GATEWAY_COMPONENT_TYPE, inputs(), {});
      await provider().construct("globex", GATEWAY_COMPONENT_TYPE, inputs({ tenant: "globex" }), {});
      await new Promise((done) => setTimeout(done, 50));
      const urns = registered.map((r) => r.urn);
      assert.ok(urns.length >= 30);
      assert.deepEqual(urns.filter((urn, index) => urns.indexOf(urn) !== index), []);
      const namespaces = registered.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => r.inputs.metadata.name);
      assert.deepEqual(namespaces.sort(), ["openclaw-acme", "openclaw-globex"]);
    });

    it("refuses bad args through the stack config contract, naming the field", async () => {
      await installMocks();
      await assert.rejects(
        () => provider().construct("bad", GATEWAY_COMPONENT_TYPE, inputs({ environment: "qa", settings: { resources: { limits: { memory: "2GB" } } } }), {}),
        (error: Error) => /openclaw-fleet:environment/.test(error.message) && /2GB/.test(error.message),
      );
    });

    it("refuses a moving image tag in prod, like a prod stack", async () => {
      await installMocks();
      await assert.rejects(
        () => provider().construct("prod", GATEWAY_COMPONENT_TYPE, inputs({ environment: "prod", settings: { image: "ghcr.io/openclaw/openclaw:latest" } }), {}),
        /moving tag/,
      );
    });
  });

  describe("the YAML example", () => {
    const example = parse(readFileSync(join(root, "examples/yaml-gateway/Pulumi.yaml"), "utf8"));

    it("points its package entry at the plugin folder", () => {
      assert.equal(example.runtime, "yaml");
      assert.equal(resolvePath(root, "examples/yaml-gateway", example.packages[PACKAGE_NAME]), pluginDir);
    });

    it("uses only inputs the schema declares, all required ones, and only declared outputs", () => {
      const gateway = schema.resources[GATEWAY_COMPONENT_TYPE]!;
      const resources = Object.values(example.resources) as { type: string; properties: Record<string, unknown> }[];
      assert.equal(resources.length, 1);
      const [resource] = resources;
      assert.equal(resource!.type, `${PACKAGE_NAME}:Gateway`);
      for (const key of Object.keys(resource!.properties)) assert.ok(key in gateway.inputProperties, `${key} is not an input`);
      for (const key of gateway.requiredInputs ?? []) assert.ok(key in resource!.properties, `required input ${key} missing`);
      const cluster = schema.types[`${PACKAGE_NAME}:index:ClusterArgs`]!;
      for (const key of Object.keys(resource!.properties.cluster as object)) assert.ok(key in cluster.properties, `cluster.${key}`);
      for (const output of Object.values(example.outputs) as string[]) {
        const property = /^\$\{gateway\.(\w+)\}$/.exec(output)![1]!;
        assert.ok(property in gateway.properties, `${property} is not an output`);
      }
    });

    it("passes settings that the stack config contract accepts (the component validates them the same way)", async () => {
      await installMocks();
      const resource = Object.values(example.resources)[0] as { properties: Record<string, any> };
      const props = { ...resource.properties, apiKeys: { ANTHROPIC_API_KEY: pulumi.secret("x") } };
      const result = await componentProvider.construct("example", GATEWAY_COMPONENT_TYPE, props, {});
      assert.equal(await resolve(result.state.namespace as pulumi.Output<string>), "openclaw-acme");
    });
  });

  describe("launched as `pulumi package add`/`get-schema` launch it", () => {
    let plugin: ChildProcess;
    let client: any;
    // The gRPC stubs and library @pulumi/pulumi itself uses.
    const requireFromPulumi = createRequire(createRequire(join(root, "package.json")).resolve("@pulumi/pulumi/package.json"));
    const grpc = requireFromPulumi("@grpc/grpc-js");
    const providerGrpc = requireFromPulumi("./proto/provider_grpc_pb.js");
    const providerProto = requireFromPulumi("./proto/provider_pb.js");

    before(async () => {
      // The nodejs language host runs @pulumi/pulumi's run-plugin on the plugin folder; it prints the port of
      // the provider's gRPC server. The engine address is a dummy: GetSchema never calls back.
      const launcher = join(root, "node_modules/@pulumi/pulumi/cmd/run-plugin");
      plugin = spawn(process.execPath, [launcher, pluginDir, "127.0.0.1:1"], { cwd: pluginDir, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      plugin.stderr!.on("data", (chunk) => (stderr += chunk));
      const port = await new Promise<number>((done, fail) => {
        plugin.stdout!.once("data", (chunk) => done(Number(String(chunk).trim())));
        plugin.once("exit", (code) => fail(new Error(`the plugin exited with ${code} before serving:\n${stderr}`)));
      });
      client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
      client?.close();
      plugin?.kill();
    });

    it("serves over gRPC the same schema as in-process inference", async () => {
      const request = new providerProto.GetSchemaRequest();
      request.setVersion(0);
      const response: any = await new Promise((done, fail) => client.getSchema(request, (error: unknown, result: unknown) => (error ? fail(error) : done(result))));
      const served = JSON.parse(response.getSchema());
      assert.deepEqual(served, schema);
    });
  });
});
