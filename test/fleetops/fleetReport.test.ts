import assert from "node:assert/strict";
import { DEFAULT_IMAGE } from "../../components/config/versions.js";
import { buildFleetReport } from "../../components/fleetops/fleetReport.js";
import { escapeHtml, reportPage } from "../../components/fleetops/reportPage.js";
import { CANARY_ERROR, FAKE_TOKEN, fakeOutcomes } from "./fakeFleet.js";

describe("fleet report", () => {
  const report = buildFleetReport("up --image 2026.9.7-slim", fakeOutcomes(), new Date("2026-11-24T10:02:00Z"));

  it("has every stack and cluster with ring, image, rollout, ready count and last update", () => {
    assert.deepEqual(report.stacks.map((s) => [s.stack, s.ring, s.result, s.lastUpdate]), [
      ["canary-prod", 0, "failed", "2026-11-24T10:00:00.000Z"],
      ["acme-prod", 0, "succeeded", "2026-11-24T10:01:00.000Z"],
      ["beta-prod", 1, "skipped", null],
    ]);
    const acme = report.stacks[1]!.clusters;
    assert.deepEqual(acme[1], { cluster: "us-east", region: "us-east-1", wave: 1, image: "ghcr.io/openclaw/openclaw:2026.9.7-slim", rollout: "progressing", ready: "0/1", error: null });
  });

  it("shows a stack that never ran with its configured clusters, not deployed", () => {
    assert.deepEqual(report.stacks[2]!.clusters.map((c) => [c.cluster, c.rollout]), [["ap-south", "not-deployed"]]);
  });

  it("puts the first error on the stack, on the cluster whose resource it names, and in the failure list", () => {
    const canary = report.stacks[0]!;
    assert.equal(canary.error, CANARY_ERROR);
    assert.deepEqual(canary.clusters.map((c) => c.error), [CANARY_ERROR, null]);
    assert.deepEqual(report.failed, [{ stack: "canary-prod", ring: 0, error: CANARY_ERROR }]);
  });

  it("takes known gateway fields only, so nothing else an output holds reaches the report", () => {
    assert.ok(!JSON.stringify(report).includes(FAKE_TOKEN));
    assert.deepEqual(Object.keys(report.stacks[0]!.clusters[0]!).sort(), ["cluster", "error", "image", "ready", "region", "rollout", "wave"]);
  });

  it("reads a rollout status it does not know as unknown", () => {
    const odd = buildFleetReport("status", [{ stack: { name: "s", ring: 1, clusters: [], image: DEFAULT_IMAGE, clustersPinningImage: [] }, state: "succeeded", result: { deployed: true, gateways: { c: { rollout: { status: "<b>weird</b>" } } } } }], new Date(0));
    assert.equal(odd.stacks[0]!.clusters[0]!.rollout, "unknown");
  });
});

describe("fleet report page", () => {
  const page = reportPage(buildFleetReport("up", fakeOutcomes(), new Date("2026-11-24T10:02:00Z")));

  it("escapes every character HTML gives a meaning", () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
  it("is one self-contained file: no script, no external stylesheet, image or font", () => {
    assert.doesNotMatch(page, /<script|<link|<img|src=|@import|url\(/i);
  });
  it("shows the failure message escaped, never as markup", () => {
    assert.ok(page.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"));
    assert.ok(!page.includes(`<script>alert`));
  });
});
