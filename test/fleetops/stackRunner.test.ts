import assert from "node:assert/strict";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { commandErrorSummary, firstErrorCollector, stackRollout } from "../../components/fleetops/stackRunner.js";

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
  });
});
