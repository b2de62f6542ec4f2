// The report page in a real browser: Debian's Chromium (scripts/ensure-chromium.sh installs it when missing)
// loads the generated file and dumps the DOM it built; the test reads the grid from that DOM, so what is
// checked is what a person opening the page sees, after the browser's own HTML parsing.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFleetReport } from "../../components/fleetops/fleetReport.js";
import { reportPage } from "../../components/fleetops/reportPage.js";
import { FAKE_TOKEN, fakeOutcomes } from "../fleetops/fakeFleet.js";
import { gridCells, renderedDom } from "./chromium.js";

describe("fleet report page in Chromium", function () {
  let dir: string;
  let dom: string;
  before(function () {
    dir = mkdtempSync(join(tmpdir(), "fleet-report-"));
    const file = join(dir, "fleet-report.html");
    writeFileSync(file, reportPage(buildFleetReport("up --image 2026.9.7-slim", fakeOutcomes(), new Date("2026-11-24T10:02:00Z"))));
    dom = renderedDom(file);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("renders a cell for every stack and cluster, absent where a stack has no such cluster", () => {
    const cells = gridCells(dom).map((c) => `${c.stack}/${c.cluster}`);
    const clusters = ["ap-south", "eu-west", "us-east"];
    for (const stack of ["canary-prod", "acme-prod", "beta-prod"]) for (const cluster of clusters) assert.ok(cells.includes(`${stack}/${cluster}`), `no cell ${stack}/${cluster} in ${cells.join(", ")}`);
    assert.equal(cells.length, 9);
  });

  it("colours each cell by its rollout status and shows the image version and ready count", () => {
    const cell = (stack: string, cluster: string) => gridCells(dom).find((c) => c.stack === stack && c.cluster === cluster)!;
    assert.ok(cell("canary-prod", "eu-west").classes.includes("rollout-failed"));
    assert.ok(cell("canary-prod", "eu-west").classes.includes("has-error"));
    assert.ok(cell("canary-prod", "us-east").classes.includes("rollout-complete"));
    // The canary's up failed: its complete cell is what the last successful update left, marked as such on the page.
    assert.ok(cell("canary-prod", "us-east").classes.includes("stale"));
    assert.match(cell("canary-prod", "us-east").text, /^complete stale: last successful update, not this run 2026\.9\.6-slim ready 1\/1$/);
    assert.ok(cell("acme-prod", "us-east").classes.includes("rollout-progressing"));
    assert.match(cell("acme-prod", "us-east").text, /2026\.9\.7-slim ready 0\/1/);
    assert.ok(cell("beta-prod", "ap-south").classes.includes("rollout-not-deployed"));
    assert.deepEqual(cell("beta-prod", "eu-west").classes, ["absent"]);
  });

  it("shows a not-ready cell's pod warnings as text (the DOM dump escapes it again), with reason and count", () => {
    const canary = gridCells(dom).find((c) => c.stack === "canary-prod" && c.cluster === "eu-west")!;
    assert.match(canary.text, /FailedScheduling x3: 0\/3 nodes are available: 3 Insufficient cpu\. &lt;b&gt;preemption&lt;\/b&gt; &amp; more BackOff: Back-off restarting failed container gateway$/);
    assert.doesNotMatch(gridCells(dom).find((c) => c.stack === "canary-prod" && c.cluster === "us-east")!.text, /FailedScheduling|BackOff/);
  });

  it("lists the failure with its message as text: the browser built no element from it", () => {
    assert.doesNotMatch(dom, /<script/i);
    const failures = /<table id="failures">([\s\S]*?)<\/table>/.exec(dom)?.[1] ?? "";
    assert.match(failures, /canary-prod/);
    assert.match(failures, /&lt;script&gt;alert\("x"\)&lt;\/script&gt; &amp; more/);
  });

  it("shows every image version running and no secret-looking value", () => {
    const images = /<table id="images">([\s\S]*?)<\/table>/.exec(dom)?.[1] ?? "";
    assert.match(images, /ghcr\.io\/openclaw\/openclaw:2026\.9\.6-slim<\/code><\/td><td>1</);
    assert.match(images, /ghcr\.io\/openclaw\/openclaw:2026\.9\.7-slim<\/code><\/td><td>3</);
    assert.ok(!dom.includes(FAKE_TOKEN));
    assert.doesNotMatch(dom, /token|secret|password/i);
  });
});
