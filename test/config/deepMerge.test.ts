import assert from "node:assert/strict";
import { deepMerge } from "../../components/config/deepMerge.js";

describe("deepMerge", () => {
  it("merges objects key by key and replaces lists and scalars", () => {
    assert.deepEqual(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 }), { a: { b: 1, c: [3] }, d: 1, e: 2 });
  });
  it("keeps `constructor` and `prototype` keys as plain data and pollutes no prototype", () => {
    const merged = deepMerge<Record<string, unknown>>({ a: 1 }, JSON.parse('{"constructor": {"prototype": {"polluted": true}}, "prototype": {"x": 1}}'));
    assert.deepEqual(Object.keys(merged), ["a", "constructor", "prototype"]);
    assert.deepEqual(merged.constructor, { prototype: { polluted: true } });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(merged), Object.prototype);
  });
  it("never lets a `__proto__` key replace the merged object's prototype", () => {
    const merged = deepMerge<Record<string, unknown>>({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}}'));
    assert.equal(Object.getPrototypeOf(merged), Object.prototype);
    assert.equal(merged.polluted, undefined);
    assert.ok(Object.hasOwn(merged, "__proto__"), "kept as data, where the schema can refuse it");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
