import assert from "node:assert/strict";
import { importFile, pendingCreates, recoverInterruptedUpdate } from "../../components/automation/pendingCreates.js";

const GATEWAY = "urn:pulumi:local::openclaw-fleet::openclaw:fleet:Gateway::local-1-gateway";
const PROVIDER = "urn:pulumi:local::openclaw-fleet::pulumi:providers:kubernetes::local-1-kubernetes";
const urn = (type: string, name: string) => `urn:pulumi:local::openclaw-fleet::openclaw:fleet:Gateway$${type}::${name}`;
const creating = (type: string, name: string, metadata?: Record<string, string>) => ({
  type: "creating",
  resource: { urn: urn(type, name), type, parent: GATEWAY, provider: `${PROVIDER}::4f6c-id`, inputs: metadata ? { metadata } : {} },
});
const exported = {
  version: 3,
  deployment: {
    resources: [],
    pending_operations: [
      creating("kubernetes:core/v1:Service", "local-1-service", { name: "openclaw-local", namespace: "openclaw-local" }),
      creating("kubernetes:core/v1:Namespace", "local-1-namespace", { name: "openclaw-local" }),
      creating("random:index/randomPassword:RandomPassword", "local-1-gateway-token"),
      { type: "updating", resource: { urn: urn("kubernetes:apps/v1:Deployment", "local-1-deployment"), type: "kubernetes:apps/v1:Deployment" } },
    ],
  },
};

describe("recovery from an interrupted update", () => {
  it("finds the pending creates with the ID each is imported by (namespace/name, or the name when cluster-scoped), parent and provider", () => {
    const found = pendingCreates(exported);
    assert.deepEqual(found.map((create) => [create.urn.split("::").at(-1), create.id]), [
      ["local-1-service", "openclaw-local/openclaw-local"],
      ["local-1-namespace", "openclaw-local"],
      ["local-1-gateway-token", undefined],
    ]);
    assert.equal(found[0]!.parent, GATEWAY);
    assert.equal(found[0]!.provider, PROVIDER, "the provider reference's ::id is cut off: import wants the URN");
    assert.deepEqual(pendingCreates({ version: 3, deployment: { resources: [] } }), []);
  });

  it("imports an object under its own URN: same name, parent and provider", () => {
    const [service] = pendingCreates(exported);
    assert.deepEqual(importFile(service as typeof service & { id: string }), {
      nameTable: { parent: GATEWAY, provider: PROVIDER },
      resources: [{ type: "kubernetes:core/v1:Service", name: "local-1-service", id: "openclaw-local/openclaw-local", parent: "parent", provider: "provider" }],
    });
  });

  it("cancels the lock, clears the pending creates, imports what exists and leaves the rest to up", () => {
    const calls: string[][] = [];
    const recovery = recoverInterruptedUpdate((args) => {
      calls.push(args);
      if (args[0] === "stack") return JSON.stringify(exported);
      if (args[0] === "import" && calls.filter((call) => call[0] === "import").length === 2) {
        throw Object.assign(new Error("Command failed"), { stdout: 'error: Preview failed: resource "openclaw-local" does not exist' });
      }
      return "";
    });
    assert.deepEqual(calls.map((call) => call[0]), ["cancel", "stack", "refresh", "import", "import"]);
    assert.ok(calls[2]!.includes("--clear-pending-creates"));
    assert.deepEqual(recovery.imported.map((create) => create.id), ["openclaw-local/openclaw-local"]);
    assert.deepEqual(recovery.dropped.map((create) => create.urn.split("::").at(-1)), ["local-1-namespace", "local-1-gateway-token"]);
  });

  it("restores the last good checkpoint when the killed engine left it unreadable, then recovers", () => {
    let restored = false;
    const recovery = recoverInterruptedUpdate(
      (args) => {
        if (args[0] === "stack" && !restored) throw Object.assign(new Error("Command failed"), { stderr: "error: failed to load checkpoint: EOF" });
        if (args[0] === "stack") return JSON.stringify(exported);
        return "";
      },
      () => undefined,
      () => (restored = true),
    );
    assert.equal(restored, true);
    assert.equal(recovery.imported.length + recovery.dropped.length, 3);
  });

  it("stops on an import failure that is not a missing object", () => {
    assert.throws(
      () =>
        recoverInterruptedUpdate((args) => {
          if (args[0] === "stack") return JSON.stringify(exported);
          if (args[0] === "import") throw Object.assign(new Error("Command failed"), { stdout: "error: connection refused" });
          return "";
        }),
      /Command failed/,
    );
  });
});
