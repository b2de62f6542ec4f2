import assert from "node:assert/strict";
import { runningImages } from "../../components/releases/runningImages.js";

const model = (images: Record<string, string>) => ({
  gateways: Object.entries(images).map(([cluster, image]) => ({ cluster, settings: { image } })),
}) as unknown as Parameters<typeof runningImages>[0];

describe("what a fleet stack runs", () => {
  it("reads a deployed stack's images from its gateways output, grouping clusters by image", () => {
    const outputs = { eu: { image: "r/o:2026.9.6-slim" }, us: { image: "r/o:2026.9.6-slim" }, ap: { image: "r/o:2026.9.5-slim" } };
    assert.deepEqual(runningImages(model({ eu: "r/o:2026.10.1-slim", us: "r/o:2026.10.1-slim" }), outputs), [
      { image: "r/o:2026.9.6-slim", clusters: ["eu", "us"], source: "outputs" },
      { image: "r/o:2026.9.5-slim", clusters: ["ap"], source: "outputs" },
    ]);
  });

  it("falls back to the config's image per cluster (overrides included) when there are no outputs", () => {
    const config = model({ eu: "r/o:2026.9.6-slim", us: "r/o:2026.9.7-slim" });
    const expected = [
      { image: "r/o:2026.9.6-slim", clusters: ["eu"], source: "config" },
      { image: "r/o:2026.9.7-slim", clusters: ["us"], source: "config" },
    ];
    assert.deepEqual(runningImages(config, undefined), expected);
    assert.deepEqual(runningImages(config, {}), expected, "a destroyed stack's empty output");
    assert.deepEqual(runningImages(config, { eu: { rollout: {} } }), expected, "an output without images");
  });
});
