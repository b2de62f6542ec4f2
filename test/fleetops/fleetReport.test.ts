import assert from "node:assert/strict";
import { DEFAULT_IMAGE } from "../../components/config/versions.js";
import { buildFleetReport, clusterOfResource } from "../../components/fleetops/fleetReport.js";
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
    assert.deepEqual(acme[1], { cluster: "us-east", region: "us-east-1", wave: 1, image: "ghcr.io/openclaw/openclaw:2026.9.7-slim", rollout: "progressing", ready: "0/1", error: null, stale: false, live: false, warnings: [] });
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
    assert.deepEqual(Object.keys(report.stacks[0]!.clusters[0]!).sort(), ["cluster", "error", "image", "live", "ready", "region", "rollout", "stale", "warnings", "wave"]);
  });

  it("marks a failed update's cells stale: the checkpoint's outputs are the last successful update's", () => {
    const canary = report.stacks[0]!;
    assert.deepEqual(canary.clusters.map((c) => [c.cluster, c.rollout, c.stale]), [["eu-west", "failed", true], ["us-east", "complete", true]]);
    assert.ok(report.stacks[1]!.clusters.every((c) => !c.stale), "a succeeded stack's cells are this run's");
    assert.ok(report.stacks[2]!.clusters.every((c) => !c.stale), "a never-started stack has no outputs to be stale");
  });

  it("shows a rolled-back stack: the report carries the rollback, the page says where it went back to, and a failed rollback why", () => {
    const rollback = { from: "ghcr.io/openclaw/openclaw:2026.9.7-slim", to: "ghcr.io/openclaw/openclaw:2026.9.6-slim", restored: ["eu-west"], imageOnly: [], attempts: 1, result: "rolled-back" as const };
    const outcomes = fakeOutcomes();
    const failed = outcomes[0]!;
    assert.equal(failed.state, "failed");
    if (failed.state !== "failed") return;
    const withRollback = [{ ...failed, result: { ...failed.result!, rollback } }, ...outcomes.slice(1)];
    const rolledBack = buildFleetReport("up", withRollback, new Date(0));
    assert.deepEqual(rolledBack.stacks.map((s) => s.rollback), [rollback, null, null]);
    assert.match(reportPage(rolledBack), /data-rollback="rolled-back">rolled back to 2026\.9\.6-slim, data restored on eu-west</);
    const failedRollback = buildFleetReport("up", [{ ...failed, result: { ...failed.result!, rollback: { ...rollback, result: "failed" as const, attempts: 2, error: "eu-west-deployment: <timed out>" } } }], new Date(0));
    assert.match(reportPage(failedRollback), /data-rollback="failed">rollback to 2026\.9\.6-slim failed: eu-west-deployment: &lt;timed out&gt;</);
  });

  it("blames the one cluster a failed resource belongs to, not every cluster whose name is a prefix of it", () => {
    assert.equal(clusterOfResource("eu-west-deployment", ["eu", "eu-west"]), "eu-west");
    assert.equal(clusterOfResource("eu-deployment", ["eu-west", "eu"]), "eu");
    assert.equal(clusterOfResource("euro-deployment", ["eu"]), undefined);
    const outcome = fakeOutcomes()[0]!;
    const both = { ...outcome, stack: { ...outcome.stack, clusters: ["eu", "eu-west"] } } as typeof outcome;
    const cells = buildFleetReport("up", [both], new Date(0)).stacks[0]!.clusters;
    assert.deepEqual(cells.filter((c) => c.error !== null).map((c) => c.cluster), ["eu-west"]);
  });

  it("shows what fleet status read on the cluster: a missing Deployment, an unreachable cluster's reason", () => {
    const live = buildFleetReport("status", [{ stack: { name: "s", ring: 0, clusters: ["a", "b"], image: DEFAULT_IMAGE, clustersPinningImage: [], clustersUndoingUpgrade: [] }, state: "succeeded", result: { deployed: true, gateways: { a: { rollout: { source: "cluster", status: "missing" } }, b: { rollout: { source: "cluster", status: "unknown", error: "b: cluster did not answer: connect ECONNREFUSED" } } } } }], new Date(0));
    assert.deepEqual(live.stacks[0]!.clusters.map((c) => [c.cluster, c.rollout, c.live, c.error]), [["a", "missing", true, null], ["b", "unknown", true, "b: cluster did not answer: connect ECONNREFUSED"]]);
  });

  it("puts a gateway's pod warnings on its own cell only, newest first, with known fields", () => {
    const canary = report.stacks[0]!;
    assert.deepEqual(canary.clusters.map((c) => [c.cluster, c.warnings.map((w) => `${w.reason} x${w.count}`)]), [["eu-west", ["FailedScheduling x3", "BackOff x1"]], ["us-east", []]]);
    assert.deepEqual(Object.keys(canary.clusters[0]!.warnings[0]!).sort(), ["count", "lastSeen", "message", "pod", "reason"]);
    assert.ok(report.stacks[1]!.clusters.every((c) => c.warnings.length === 0));
  });

  it("reads a rollout status it does not know as unknown", () => {
    const odd = buildFleetReport("status", [{ stack: { name: "s", ring: 1, clusters: [], image: DEFAULT_IMAGE, clustersPinningImage: [], clustersUndoingUpgrade: [] }, state: "succeeded", result: { deployed: true, gateways: { c: { rollout: { status: "<b>weird</b>" } } } } }], new Date(0));
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
  it("says a stale cell is stale", () => {
    assert.match(page, /<td class="cell rollout-complete stale" data-stack="canary-prod" data-cluster="us-east" data-rollout="complete" data-stale="true"[^>]*>complete<small class="stale-note">stale: last successful update, not this run<\/small>/);
    assert.doesNotMatch(page, /data-stack="acme-prod"[^>]*data-stale/);
  });
  it("lists a cell's pod warnings with their reason and count, escaped", () => {
    assert.ok(page.includes(`<small class="warning" data-reason="FailedScheduling">FailedScheduling x3: 0/3 nodes are available: 3 Insufficient cpu. &lt;b&gt;preemption&lt;/b&gt; &amp; more</small>`));
    assert.ok(page.includes(`<small class="warning" data-reason="BackOff">BackOff: Back-off restarting failed container gateway</small>`));
    assert.doesNotMatch(/data-cluster="us-east"[^]*?<\/td>/.exec(page)![0], /class="warning"/);
  });
  it("shows the failure message escaped, never as markup", () => {
    assert.ok(page.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"));
    assert.ok(!page.includes(`<script>alert`));
  });
});
