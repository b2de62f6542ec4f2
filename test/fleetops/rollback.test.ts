import assert from "node:assert/strict";
import { clearRollbackRestores, deployedImage, rollbackSummary, rollbackWrites, type RollbackRecord } from "../../components/fleetops/rollback.js";
import { model } from "../fixtures.js";

const OLD = "ghcr.io/openclaw/openclaw:2026.9.5";
const FAILED = "ghcr.io/openclaw/openclaw:2026.9.7";

describe("rollback of a failed release", () => {
  const fleet = model({
    tenant: "acme",
    environment: "staging",
    gateway: { backup: { enabled: true } },
    clusters: [{ name: "eu" }, { name: "us", overrides: { backup: { enabled: false } } }, { name: "ap", overrides: { restore: { archive: "a.tar.gz" } } }],
  });

  it("puts the image back and asks every gateway with backups to undo the upgrade, replacing any restore it had", () => {
    const writes = rollbackWrites(fleet, ["eu", "us", "ap"], OLD, FAILED);
    assert.deepEqual(writes.restored, ["eu", "ap"]);
    assert.deepEqual(writes.imageOnly, ["us"]);
    assert.deepEqual(writes.remove, ["openclaw-fleet:clusters[0].overrides.restore", "openclaw-fleet:clusters[2].overrides.restore"]);
    assert.deepEqual(writes.set, [
      { key: "openclaw-fleet:gateway.image", value: OLD },
      { key: "openclaw-fleet:clusters[0].overrides.restore.beforeUpgrade", value: FAILED },
      { key: "openclaw-fleet:clusters[2].overrides.restore.beforeUpgrade", value: FAILED },
    ]);
  });

  it("uses the stack file's position of each cluster, whatever order the gateways come in", () => {
    const writes = rollbackWrites(fleet, ["old-one", "eu", "us", "ap"], OLD, FAILED);
    assert.deepEqual(writes.remove, ["openclaw-fleet:clusters[1].overrides.restore", "openclaw-fleet:clusters[3].overrides.restore"]);
  });

  it("takes an earlier rollback's restore out with the next release", () => {
    assert.deepEqual(clearRollbackRestores(["eu", "us", "ap"], ["ap"]), ["openclaw-fleet:clusters[2].overrides.restore"]);
    assert.deepEqual(clearRollbackRestores(["eu"], []), []);
  });

  it("goes back to the image every gateway ran at the last successful update, and to none when they differ or there is none", () => {
    assert.equal(deployedImage({ eu: { image: OLD }, us: { image: OLD } }), OLD);
    assert.equal(deployedImage({ eu: { image: OLD }, us: { image: FAILED } }), undefined);
    assert.equal(deployedImage(undefined), undefined);
    assert.equal(deployedImage({}), undefined);
  });

  it("says in one line what it did", () => {
    const record: RollbackRecord = { from: FAILED, to: OLD, restored: ["eu"], imageOnly: ["us"], attempts: 1, result: "rolled-back" };
    assert.equal(rollbackSummary(record), `rolled back to ${OLD}, restoring the pre-upgrade archive on eu, image only on us (backups off) (1 attempt)`);
    assert.equal(rollbackSummary({ ...record, result: "failed", attempts: 2, error: "eu-deployment: timed out" }), `rollback to ${OLD} failed after 2 attempts: eu-deployment: timed out`);
  });
});
