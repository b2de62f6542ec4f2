import assert from "node:assert/strict";
import { rolloutStatus, type DeploymentStatusInput } from "../../components/gateway/rolloutStatus.js";

const available = { type: "Available", status: "True", reason: "MinimumReplicasAvailable" };
const unavailable = { type: "Available", status: "False", reason: "MinimumReplicasUnavailable" };
const done = { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" };
const updating = { type: "Progressing", status: "True", reason: "ReplicaSetUpdated" };
const deadline = { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" };
const counts = (n: number) => ({ replicas: n, readyReplicas: n, updatedReplicas: n, availableReplicas: n });

const status = (input: DeploymentStatusInput) => rolloutStatus(input).status;

describe("rollout status", () => {
  it("is unknown without a status or generation", () => {
    assert.equal(status({}), "unknown");
    assert.equal(status({ generation: 1 }), "unknown");
    assert.equal(status({ generation: 1, status: { replicas: 1 } }), "unknown");
  });
  it("is complete when the new ReplicaSet is available with every replica ready", () => {
    assert.equal(status({ generation: 2, specReplicas: 1, status: { observedGeneration: 2, ...counts(1), conditions: [available, done] } }), "complete");
  });
  it("is progressing while the controller has not observed the latest generation", () => {
    assert.equal(status({ generation: 3, specReplicas: 1, status: { observedGeneration: 2, ...counts(1), conditions: [available, done] } }), "progressing");
  });
  it("is progressing while the new ReplicaSet is rolling out", () => {
    assert.equal(status({ generation: 2, specReplicas: 1, status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0, conditions: [unavailable, updating] } }), "progressing");
  });
  it("is progressing when replicas are ready but the Progressing condition has not caught up", () => {
    assert.equal(status({ generation: 2, specReplicas: 1, status: { observedGeneration: 2, ...counts(1), conditions: [available, updating] } }), "progressing");
  });
  it("is progressing when an old replica is still counted", () => {
    assert.equal(status({ generation: 2, specReplicas: 1, status: { observedGeneration: 2, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [available, done] } }), "progressing");
  });
  it("is failed once the progress deadline is exceeded, even if an old replica is available", () => {
    assert.equal(status({ generation: 2, specReplicas: 1, status: { observedGeneration: 2, ...counts(1), conditions: [available, deadline] } }), "failed");
    assert.equal(status({ generation: 2, specReplicas: 1, status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, conditions: [unavailable, deadline] } }), "failed");
  });
  it("is complete for a deliberately scaled-to-zero Deployment", () => {
    assert.equal(status({ generation: 4, specReplicas: 0, status: { observedGeneration: 4, conditions: [done] } }), "complete");
  });
  it("reports the counts and generations it decided from", () => {
    assert.deepEqual(rolloutStatus({ generation: 2, specReplicas: 1, status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, conditions: [] } }), {
      status: "progressing",
      generation: 2,
      observedGeneration: 2,
      replicas: 1,
      readyReplicas: 0,
      updatedReplicas: 1,
      availableReplicas: 0,
    });
  });
});
