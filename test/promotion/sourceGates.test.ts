import assert from "node:assert/strict";
import { gateFailures, type SourceObservation } from "../../components/promotion/sourceGates.js";

const complete = { "eu-west": { rollout: { status: "complete" } }, "us-east": { rollout: { status: "complete" } } };
const healthy: SourceObservation = { deployed: true, lastUpdate: { kind: "update", result: "succeeded" }, gateways: complete, drift: [] };

describe("promotion gates on a source stack", () => {
  it("pass a stack whose last update succeeded, rollouts are complete and preview shows no drift", () => {
    assert.deepEqual(gateFailures("acme-dev", healthy), []);
  });

  it("refuse a stack never deployed", () => {
    assert.deepEqual(gateFailures("acme-dev", { deployed: false, drift: [] }), [
      "acme-dev: not deployed (the state backend has no such stack); deploy and test the release there first: npm run fleet -- up --stacks acme-dev",
    ]);
  });

  it("refuse a stack whose last update failed", () => {
    const [failure, ...more] = gateFailures("acme-dev", { ...healthy, lastUpdate: { kind: "update", result: "failed" } });
    assert.deepEqual(more, []);
    assert.match(failure!, /^acme-dev: its last update failed; fix the stack and run npm run fleet -- up --stacks acme-dev/);
  });

  it("refuse a rollout that is not complete, naming each cluster", () => {
    const [failure] = gateFailures("acme-dev", { ...healthy, gateways: { ...complete, "us-east": { rollout: { status: "failed" } }, "ap-south": {} } });
    assert.match(failure!, /acme-dev: rollout not complete \(us-east failed, ap-south unknown, gateways\.\*\.rollout\.status\)/);
    assert.match(gateFailures("acme-dev", { ...healthy, gateways: undefined })[0]!, /no gateways output/);
  });

  it("refuse a drifted stack, naming what would change", () => {
    const drift = ["create eu-west-deployment", "update eu-west-service", "delete a", "delete b", "delete c", "delete d"];
    const [failure] = gateFailures("acme-dev", { ...healthy, drift });
    assert.match(failure!, /acme-dev: drifted: preview --refresh would change create eu-west-deployment, update eu-west-service, delete a, delete b, delete c, and 1 more; .*npm run fleet -- up --stacks acme-dev/);
  });

  it("report every failing gate at once", () => {
    assert.equal(gateFailures("acme-dev", { deployed: true, gateways: {}, drift: ["update x"] }).length, 3);
  });
});
