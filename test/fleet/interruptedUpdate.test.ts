import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { importFile, plannedCreates, recoverInterruptedUpdate } from "../../components/automation/interruptedUpdate.js";

const GATEWAY = "urn:pulumi:local::openclaw-fleet::openclaw:fleet:Gateway::local-1-gateway";
const PROVIDER = "urn:pulumi:local::openclaw-fleet::pulumi:providers:kubernetes::local-1-kubernetes";
const urn = (type: string, name: string) => `urn:pulumi:local::openclaw-fleet::openclaw:fleet:Gateway$${type}::${name}`;
const create = (type: string, name: string, metadata?: Record<string, string>, provider = PROVIDER) => ({
  op: "create",
  urn: urn(type, name),
  newState: { type, parent: GATEWAY, provider: `${provider}::4f6c-id`, inputs: metadata ? { metadata } : {} },
});
const preview = {
  steps: [
    create("kubernetes:core/v1:Service", "local-1-service", { name: "openclaw-local", namespace: "openclaw-local" }),
    create("kubernetes:core/v1:Namespace", "local-1-namespace", { name: "openclaw-local" }),
    create("random:index/randomPassword:RandomPassword", "local-1-gateway-token"),
    create("kubernetes:core/v1:ConfigMap", "local-2-config", { name: "openclaw-local-config", namespace: "openclaw-local" }, "urn:pulumi:local::openclaw-fleet::pulumi:providers:kubernetes::local-2-kubernetes"),
    { op: "same", urn: urn("kubernetes:apps/v1:Deployment", "local-1-deployment"), newState: { type: "kubernetes:apps/v1:Deployment" } },
  ],
};
const state = { deployment: { resources: [{ urn: GATEWAY }, { urn: PROVIDER }] } };

/** A fake CLI: answers export and preview, and fails the imports named in `missing` as the real one does. */
function fakeCli(missing: string[] = [], calls: string[][] = []) {
  return (args: string[]) => {
    calls.push(args);
    if (args[0] === "stack") return JSON.stringify(state);
    if (args[0] === "preview") return JSON.stringify(preview);
    if (args[0] === "import") {
      const id = (JSON.parse(readFileSync(args[2]!, "utf8")) as { resources: { id: string }[] }).resources[0]!.id;
      if (missing.includes(id)) throw Object.assign(new Error("Command failed"), { stdout: `error: Preview failed: resource '${id}' does not exist` });
    }
    return "";
  };
}

describe("recovery from an interrupted update", () => {
  it("finds what up would create, with the ID each is imported by (namespace/name, or the name when cluster-scoped), parent and provider", () => {
    const found = plannedCreates(preview);
    assert.deepEqual(found.map((planned) => [planned.urn.split("::").at(-1), planned.id]), [
      ["local-1-service", "openclaw-local/openclaw-local"],
      ["local-1-namespace", "openclaw-local"],
      ["local-1-gateway-token", undefined],
      ["local-2-config", "openclaw-local/openclaw-local-config"],
    ]);
    assert.equal(found[0]!.parent, GATEWAY);
    assert.equal(found[0]!.provider, PROVIDER, "the provider reference's ::id is cut off: import wants the URN");
    assert.deepEqual(plannedCreates({ steps: [] }), []);
  });

  it("imports an object under its own URN: same name, parent and provider", () => {
    const [service] = plannedCreates(preview);
    assert.deepEqual(importFile(service as typeof service & { id: string }), {
      nameTable: { parent: GATEWAY, provider: PROVIDER },
      resources: [{ type: "kubernetes:core/v1:Service", name: "local-1-service", id: "openclaw-local/openclaw-local", parent: "parent", provider: "provider" }],
    });
  });

  it("cancels the lock, clears the pending creates, imports what exists and leaves the rest to up", () => {
    const calls: string[][] = [];
    const recovery = recoverInterruptedUpdate(fakeCli(["openclaw-local"], calls));
    assert.deepEqual(calls.map((call) => call[0]), ["cancel", "stack", "refresh", "stack", "preview", "import", "import"]);
    assert.ok(calls[2]!.includes("--clear-pending-creates"));
    assert.deepEqual(recovery.imported.map((planned) => planned.id), ["openclaw-local/openclaw-local"]);
    // Not on the cluster; not Kubernetes; its provider not in the state yet.
    assert.deepEqual(recovery.left.map((planned) => planned.urn.split("::").at(-1)), ["local-1-namespace", "local-1-gateway-token", "local-2-config"]);
  });

  it("restores the last good checkpoint when the killed engine left it unreadable, then recovers", () => {
    let restored = false;
    const cli = fakeCli();
    const recovery = recoverInterruptedUpdate(
      (args) => {
        if (args[0] === "stack" && !restored) throw Object.assign(new Error("Command failed"), { stderr: "error: failed to load checkpoint: EOF" });
        return cli(args);
      },
      () => undefined,
      () => (restored = true),
    );
    assert.equal(restored, true);
    assert.equal(recovery.imported.length, 2);
  });

  it("stops on an import failure that is not a missing object", () => {
    assert.throws(
      () =>
        recoverInterruptedUpdate((args) => {
          if (args[0] === "import") throw Object.assign(new Error("Command failed"), { stdout: "error: connection refused" });
          return fakeCli()(args);
        }),
      /Command failed/,
    );
  });
});
