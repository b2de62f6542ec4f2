import assert from "node:assert/strict";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { commandErrorSummary, firstErrorCollector, rolloutGateError, stackRollout } from "../../components/fleetops/stackRunner.js";

describe("fleet stack runner helpers", () => {
  it("keeps the first error diagnostic as one line, prefixed with the resource its URN names", () => {
    const collector = firstErrorCollector();
    const diagnostic = (message: string, urn?: string) => ({ sequence: 1, timestamp: 0, diagnosticEvent: { message, color: "never", severity: "error" as const, ...(urn ? { urn } : {}) } }) as EngineEvent;
    collector.observe({ sequence: 0, timestamp: 0, diagnosticEvent: { message: "warning only", color: "never", severity: "warning" } } as EngineEvent);
    collector.observe(diagnostic("1 error occurred:\n\t* readiness never passed\n", "urn:pulumi:canary::openclaw-fleet::openclaw:fleet:Gateway$kubernetes:apps/v1:Deployment::eu-west-deployment"));
    collector.observe(diagnostic("update failed"));
    assert.equal(collector.message, "eu-west-deployment: 1 error occurred: * readiness never passed");
    assert.equal(collector.resource, "eu-west-deployment");
  });
  it("takes a mandatory policy violation as the stack's first error, naming the pack, the policy and the resource; advisory ones are not errors", () => {
    const collector = firstErrorCollector();
    const policy = (enforcementLevel: "warning" | "mandatory", policyName: string, resourceUrn?: string) =>
      ({ sequence: 1, timestamp: 0, policyEvent: { message: "Deployment openclaw-t on local-1 runs in a namespace\nwithout a NetworkPolicy", color: "never", policyName, policyPackName: "openclaw-fleet", policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", enforcementLevel, ...(resourceUrn ? { resourceUrn } : {}) } }) as EngineEvent;
    collector.observe(policy("warning", "advisory-one"));
    collector.observe(policy("mandatory", "network-policy-per-gateway-namespace", "urn:pulumi:s::openclaw-fleet::openclaw:fleet:Gateway$kubernetes:apps/v1:Deployment::local-1-deployment"));
    collector.observe({ sequence: 2, timestamp: 0, diagnosticEvent: { message: "update failed", color: "never", severity: "error" } } as EngineEvent);
    assert.equal(collector.message, "local-1-deployment: policy openclaw-fleet/network-policy-per-gateway-namespace: Deployment openclaw-t on local-1 runs in a namespace without a NetworkPolicy");
    assert.equal(collector.resource, "local-1-deployment");
  });
  it("summarises a CLI failure by its error line, not the Automation API's `code: 255` preamble", () => {
    assert.equal(commandErrorSummary(new Error("code: 255\n stdout: \n stderr: error: no stack named 'x' found\n err?: \n")), "no stack named 'x' found");
    assert.equal(commandErrorSummary("just this"), "just this");
  });
  it("sums a stack's rollouts up as the worst of its gateways'", () => {
    const gateways = (...states: string[]) => Object.fromEntries(states.map((status, i) => [`c${i}`, { rollout: { status } }]));
    assert.equal(stackRollout(gateways("complete", "complete")), "complete");
    assert.equal(stackRollout(gateways("complete", "progressing")), "progressing");
    assert.equal(stackRollout(gateways("progressing", "failed", "unknown")), "failed");
    assert.equal(stackRollout(undefined), "not-deployed");
    assert.equal(stackRollout({}), "not-deployed");
    assert.equal(stackRollout(gateways("complete", "missing", "progressing")), "missing");
  });
  it("fails an up whose gateways are not all complete afterwards, naming each with its status", () => {
    const gateways = (statuses: Record<string, string | undefined>) => Object.fromEntries(Object.entries(statuses).map(([cluster, status]) => [cluster, status === undefined ? {} : { rollout: { status } }]));
    assert.equal(rolloutGateError("up", gateways({ eu: "complete", us: "complete" })), undefined);
    assert.equal(rolloutGateError("up", gateways({ eu: "complete", us: "progressing", ap: undefined })), "up succeeded but the rollout is not complete: us progressing, ap unknown (gateways.*.rollout.status)");
    assert.match(rolloutGateError("up", undefined)!, /no gateways output/);
    // Only `up` rolls out: a preview or a refresh of a progressing stack is no failure.
    assert.equal(rolloutGateError("preview", gateways({ eu: "progressing" })), undefined);
    assert.equal(rolloutGateError("refresh", gateways({ eu: "failed" })), undefined);
  });
});
