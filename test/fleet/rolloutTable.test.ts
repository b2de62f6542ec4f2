import assert from "node:assert/strict";
import { rolloutTable } from "../../components/automation/rolloutTable.js";
import type { GatewayOutput } from "../../components/fleet/outputs.js";

const gateway = (cluster: string, wave: number, status: GatewayOutput["rollout"]["status"], ready: number): GatewayOutput => ({
  cluster,
  region: wave === 0 ? "eu-west-1" : null,
  wave,
  namespace: "openclaw-acme",
  image: "ghcr.io/openclaw/openclaw:2026.9.6-slim",
  configHash: "h",
  backupClaim: null,
  restoreArchive: null,
  serviceUrl: `http://openclaw-acme.openclaw-acme.svc.cluster.local:18789`,
  url: wave === 0 ? "https://claw.example.com" : null,
  rollout: { status, generation: 1, observedGeneration: 1, replicas: 1, readyReplicas: ready, updatedReplicas: 1, availableReplicas: ready },
});

describe("rollout table", () => {
  it("lists gateways wave by wave with their rollout, and the in-cluster URL where there is no ingress", () => {
    const lines = rolloutTable({ zeta: gateway("zeta", 1, "progressing", 0), alpha: gateway("alpha", 0, "complete", 1) }).split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^WAVE +CLUSTER +REGION +NAMESPACE +ROLLOUT +READY +IMAGE +URL$/);
    assert.match(lines[1]!, /^0 +alpha +eu-west-1 +openclaw-acme +complete +1\/1 .* https:\/\/claw\.example\.com$/);
    assert.match(lines[2]!, /^1 +zeta +- +openclaw-acme +progressing +0\/1 .* http:\/\/openclaw-acme\.openclaw-acme\.svc\.cluster\.local:18789$/);
    assert.equal(lines[1]!.indexOf("complete"), lines[0]!.indexOf("ROLLOUT"));
  });
});
