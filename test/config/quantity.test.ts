import assert from "node:assert/strict";
import { formatBytes, formatCpu, isQuantity, quantityToNumber } from "../../components/config/quantity.js";

describe("Kubernetes quantities", () => {
  it("accepts the forms Kubernetes accepts", () => {
    for (const value of ["250m", "1", "0.5", "512Mi", "1.5Gi", "2G", "2e3", "10Gi", ".5"]) assert.ok(isQuantity(value), value);
  });
  it("rejects units Kubernetes does not know", () => {
    for (const value of ["2GB", "512mb", "1 Gi", "", "Gi", "1.2.3", "-"]) assert.equal(isQuantity(value), false, value);
  });
  it("converts to base units", () => {
    assert.equal(quantityToNumber("250m"), 0.25);
    assert.equal(quantityToNumber("2Gi"), 2 * 2 ** 30);
    assert.equal(quantityToNumber("1.5Gi"), 1.5 * 2 ** 30);
    assert.equal(quantityToNumber("2G"), 2e9);
    assert.equal(quantityToNumber("2e3"), 2000);
    assert.throws(() => quantityToNumber("2GB"), /not a Kubernetes quantity/);
  });
  it("formats the way the API server prints", () => {
    assert.equal(formatBytes(4 * 2 ** 30), "4Gi");
    assert.equal(formatBytes(1536 * 2 ** 20), "1536Mi");
    assert.equal(formatBytes(2e9), "1953125Ki");
    assert.equal(formatBytes(1000), "1000");
    assert.equal(formatCpu(2), "2");
    assert.equal(formatCpu(0.5), "500m");
    assert.equal(formatCpu(0.7 * 2), "1400m");
  });
});
