import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { renderStack } from "../../components/render/renderStack.js";
import { REDACTED } from "../../components/render/renderFleet.js";
import { readStackFile, SECRET_PLACEHOLDER } from "../../components/render/stackFile.js";
import { validateManifests } from "../../components/render/validateManifests.js";
import { writeRenderedFleet } from "../../components/render/writeManifests.js";

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

describe("offline render", () => {
  const tempDirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    tempDirs.push(dir);
    return dir;
  };
  after(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  for (const stack of ["local", "dev", "stage", "prod"]) {
    describe(`the ${stack} stack`, () => {
      it("renders two clusters whose every object passes the Kubernetes schema", async () => {
        const rendered = await renderStack(projectDir, stack);
        assert.equal(rendered.clusters.length, 2);
        assert.deepEqual(rendered.schemaProblems, []);
        const kinds: string[] = rendered.clusters[0]!.manifests.map((m) => m.kind);
        for (const kind of ["Namespace", "ResourceQuota", "LimitRange", "ServiceAccount", "ConfigMap", "PersistentVolumeClaim", "Deployment", "Service", "NetworkPolicy", "PodDisruptionBudget"]) {
          assert.ok(kinds.includes(kind), `${kind} missing`);
        }
        // The env Secret is named for whoever applies the render, never rendered with a placeholder value.
        assert.ok(!kinds.includes("Secret"));
        const deployment = rendered.clusters[0]!.manifests.find((m) => m.kind === "Deployment") as { spec: { template: { spec: { containers: { envFrom?: { secretRef?: { name: string } }[] }[] } } } };
        const envFrom = deployment.spec.template.spec.containers[0]!.envFrom!.map((source) => source.secretRef?.name);
        assert.ok(envFrom.includes(rendered.clusters[0]!.secret.name), `the Deployment reads ${envFrom.join(", ")}`);
        assert.equal(rendered.clusters[0]!.secret.keys[0], "OPENCLAW_GATEWAY_TOKEN");
      });
    });
  }

  it("every stack file of the repository sizes its gateways to fit what the gateway was measured to use (no sizing warning)", async () => {
    const stacks = readdirSync(projectDir).map((file) => /^Pulumi\.([^.]+)\.yaml$/.exec(file)?.[1]).filter((stack): stack is string => stack !== undefined && !/^(e2e|bench|scale)/.test(stack));
    assert.ok(stacks.includes("local") && stacks.includes("prod"), stacks.join(", "));
    for (const stack of stacks) assert.deepEqual((await renderStack(projectDir, stack)).model.warnings, [], stack);
  });

  it("renders Ingresses for prod, whose clusters have hosts", async () => {
    const rendered = await renderStack(projectDir, "prod");
    assert.ok(rendered.clusters.every((c) => c.manifests.some((m) => m.kind === "Ingress")));
  });

  it("writes one YAML stream per cluster with no Secret and no placeholder, naming the Secret to supply", async () => {
    const dir = tempDir("stack-keys-");
    writeFileSync(join(dir, "Pulumi.yaml"), readFileSync(join(projectDir, "Pulumi.yaml"), "utf8"));
    writeFileSync(join(dir, "Pulumi.keys.yaml"), readFileSync(join(projectDir, "Pulumi.prod.yaml"), "utf8").replace("config:\n", "config:\n  openclaw-fleet:apiKeys:\n    ANTHROPIC_API_KEY:\n      secure: v1:AAAAciphertextAAAA\n"));
    const rendered = await renderStack(dir, "keys");
    const out = tempDir("render-");
    const files = writeRenderedFleet(out, rendered.clusters);
    assert.deepEqual(files.map((f) => f.slice(out.length + 1)), ["eu-west.yaml", "us-east.yaml"]);
    const text = readFileSync(files[0]!, "utf8");
    const documents = parseAllDocuments(text).map((d) => d.toJS());
    assert.equal(documents.length, rendered.clusters[0]!.manifests.length);
    assert.deepEqual(documents.filter((d) => d.kind === "Secret"), []);
    // Applied as is, nothing could hand the gateway a made-up token.
    assert.ok(!text.includes(REDACTED) && !text.includes(SECRET_PLACEHOLDER), "a placeholder value is in the render");
    assert.match(text, /^# Not rendered: Secret openclaw-acme\/openclaw-acme-env, .*\n(#.*\n)*#   OPENCLAW_GATEWAY_TOKEN, ANTHROPIC_API_KEY\n/);
    assert.match(text, /kubectl create secret generic openclaw-acme-env -n openclaw-acme --from-literal=OPENCLAW_GATEWAY_TOKEN="\$\(openssl rand -hex 32\)" --from-literal=ANTHROPIC_API_KEY="\$ANTHROPIC_API_KEY"/);
  });

  it("clears its own earlier output but refuses to write into any other non-empty directory", async () => {
    const rendered = await renderStack(projectDir, "dev");
    const dir = tempDir("render-out-");
    writeFileSync(join(dir, "precious.txt"), "not ours");
    assert.throws(() => writeRenderedFleet(dir, rendered.clusters), /refusing to write into .*not empty/);
    assert.equal(readFileSync(join(dir, "precious.txt"), "utf8"), "not ours");
    const own = join(tempDir("render-own-"), "out");
    writeRenderedFleet(own, rendered.clusters);
    writeFileSync(join(own, "gone.yaml"), "stale");
    writeRenderedFleet(own, rendered.clusters.slice(0, 1));
    assert.deepEqual(readdirSync(own).sort(), [".openclaw-fleet-render", "kind-a.yaml"]);
  });

  it("turns secure: values into placeholders and never prints their ciphertext", () => {
    const dir = tempDir("stack-");
    const file = join(dir, "Pulumi.ci.yaml");
    writeFileSync(
      file,
      [
        "config:",
        "  openclaw-fleet:tenant: acme",
        "  openclaw-fleet:apiKeys:",
        "    ANTHROPIC_API_KEY:",
        "      secure: v1:AAAAciphertextAAAA",
        "  openclaw-fleet:kubeconfigs:",
        "    secure: v1:BBBBwholeobjectBBBB",
        "  aws:region: eu-west-1",
      ].join("\n"),
    );
    const { raw, opaqueSecrets, secretKeys } = readStackFile(file);
    assert.deepEqual(JSON.parse(raw.apiKeys!), { ANTHROPIC_API_KEY: SECRET_PLACEHOLDER });
    assert.deepEqual(opaqueSecrets, ["kubeconfigs"]);
    assert.deepEqual(secretKeys, ["apiKeys", "kubeconfigs"]);
    assert.deepEqual(Object.keys(raw).sort(), ["apiKeys", "tenant"]);
    assert.doesNotMatch(JSON.stringify(raw), /ciphertext|wholeobject/);
  });

  it("refuses a stack file whose API key or kubeconfig is plaintext, beside a secure one or alone, before rendering", async () => {
    const dir = tempDir("stack-plain-");
    writeFileSync(
      join(dir, "Pulumi.forgot.yaml"),
      [
        "config:",
        "  openclaw-fleet:tenant: acme",
        "  openclaw-fleet:environment: dev",
        "  openclaw-fleet:clusters: [{ name: alpha, context: a }]",
        "  openclaw-fleet:apiKeys:",
        "    ANTHROPIC_API_KEY:",
        "      secure: v1:AAAAciphertextAAAA",
        "    OPENAI_API_KEY: sk-live-forgot-the-secret-flag",
        "  openclaw-fleet:kubeconfigs:",
        "    alpha: 'apiVersion: v1'",
      ].join("\n"),
    );
    assert.deepEqual(readStackFile(join(dir, "Pulumi.forgot.yaml")).plaintextEntries, [["apiKeys", "OPENAI_API_KEY"], ["kubeconfigs", "alpha"]]);
    await assert.rejects(renderStack(dir, "forgot"), (error: Error) => {
      assert.match(error.message, /openclaw-fleet:apiKeys\.OPENAI_API_KEY: is plaintext .*pulumi config set --secret --path 'apiKeys\.OPENAI_API_KEY' <value> --stack forgot/);
      assert.match(error.message, /openclaw-fleet:kubeconfigs\.alpha: is plaintext .*--path 'kubeconfigs\.alpha'/);
      assert.doesNotMatch(error.message, /ANTHROPIC_API_KEY|sk-live/);
      return true;
    });
  });

  it("refuses an object the Kubernetes schema rejects", async () => {
    const problems = await validateManifests([
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "bad" }, spec: { replicas: "one", selector: {}, template: {} } } as never,
      { apiVersion: "v1", kind: "Service", metadata: { name: "bad-port" }, spec: { ports: [{ port: "http" }] } } as never,
      { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } },
    ]);
    assert.deepEqual(problems.map((p) => p.object), ["Deployment/bad", "Service/bad-port", "Widget/w"]);
    assert.match(problems[2]!.message, /no schema/);
  });

  it("names a missing stack file", async () => {
    await assert.rejects(() => renderStack(projectDir, "nope"), /no stack config .*Pulumi\.nope\.yaml/);
  });
});
