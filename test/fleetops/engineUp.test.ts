import assert from "node:assert/strict";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { lineSplitter, upArguments, upResultCollector } from "../../components/fleetops/engineUp.js";

const stackOutputs = (op: string, outputs: Record<string, unknown>, timestamp: number): EngineEvent =>
  ({
    sequence: timestamp,
    timestamp,
    resOutputsEvent: { metadata: { op, urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", type: "pulumi:pulumi:Stack", provider: "", new: { type: "pulumi:pulumi:Stack", urn: "", id: "", parent: "", inputs: {}, outputs, provider: "" } } },
  }) as unknown as EngineEvent;

describe("the fleet's own pulumi up", () => {
  it("asks the CLI for the update the Automation API ran: no preview, refresh and policy packs when asked, this stack", () => {
    assert.deepEqual(upArguments("acme", { refresh: true, policyPacks: ["/p/a", "/p/b"] }), ["up", "--yes", "--skip-preview", "--refresh", "--policy-pack", "/p/a", "--policy-pack", "/p/b", "--color", "never", "--non-interactive", "--stack", "acme"]);
    assert.deepEqual(upArguments("acme", {}), ["up", "--yes", "--skip-preview", "--color", "never", "--non-interactive", "--stack", "acme"]);
  });

  it("takes the outputs the update registered on the stack, not those the refresh before it read back, and the last event's time", () => {
    const collector = upResultCollector();
    collector.observe(stackOutputs("refresh", { gateways: { "local-1": { rollout: { status: "complete" } } } }, 1_790_000_000));
    assert.equal(collector.result.outputs, undefined, "the refresh's read is the previous update's outputs");
    collector.observe(stackOutputs("same", { gateways: { "local-1": { rollout: { status: "progressing" } } }, gatewayTokens: "[secret]" }, 1_790_000_007));
    collector.observe({ sequence: 9, timestamp: 1_790_000_009, summaryEvent: { maybeCorrupt: false, durationSeconds: 9, resourceChanges: {}, policyPacks: {} } } as unknown as EngineEvent);
    assert.deepEqual(collector.result.outputs, { gateways: { "local-1": { rollout: { status: "progressing" } } }, gatewayTokens: "[secret]" });
    assert.equal(collector.result.endTime?.toISOString(), "2026-09-21T14:13:29.000Z");
  });

  it("ignores other resources' outputs", () => {
    const collector = upResultCollector();
    const deployment = stackOutputs("update", { status: {} }, 5);
    (deployment.resOutputsEvent!.metadata as { type: string }).type = "kubernetes:apps/v1:Deployment";
    collector.observe(deployment);
    assert.equal(collector.result.outputs, undefined);
  });

  it("hands on whole lines only, however the event log's writes are cut", () => {
    const lines: string[] = [];
    const splitter = lineSplitter((line) => lines.push(line));
    splitter.push('{"a":');
    assert.deepEqual(lines, []);
    splitter.push('1}\n{"b":2}\n\n{"c"');
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
    splitter.push(":3}");
    splitter.end();
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});
