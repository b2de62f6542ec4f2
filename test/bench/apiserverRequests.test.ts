import assert from "node:assert/strict";
import { parseRequestCounts, requestsBetween } from "../../bench/apiserverRequests.js";

const scrape = (get: number, patch: number, apply: number) => `# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.
# TYPE apiserver_request_total counter
apiserver_request_total{code="200",component="apiserver",dry_run="",group="apps",resource="deployments",scope="resource",subresource="",verb="GET",version="v1"} ${get}
apiserver_request_total{code="404",component="apiserver",dry_run="",group="",resource="namespaces",scope="resource",subresource="",verb="GET",version="v1"} 3
apiserver_request_total{code="200",component="apiserver",dry_run="",group="apps",resource="deployments",scope="resource",subresource="status",verb="PATCH",version="v1"} ${patch}
apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="configmaps",scope="resource",subresource="",verb="APPLY",version="v1"} ${apply}
apiserver_request_total{code="0",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="WATCH",version="v1"} 7
apiserver_request_duration_seconds_count{component="apiserver",verb="GET"} 9999
apiserver_request_total_unrelated{verb="POST"} 5000
`;

describe("bench: API server requests from its metrics", () => {
  it("sums apiserver_request_total by verb and counts every verb but GET, LIST, WATCH and CONNECT as a write", () => {
    const counts = parseRequestCounts(scrape(10, 4, 2));
    assert.deepEqual(counts.byVerb, { GET: 13, PATCH: 4, APPLY: 2, WATCH: 7 });
    assert.equal(counts.total, 26);
    assert.equal(counts.writes, 6);
  });

  it("gives what was asked between two readings, including a verb the first reading had not seen", () => {
    const before = parseRequestCounts(scrape(10, 4, 2).replace(/^.*verb="APPLY".*$/m, ""));
    const between = requestsBetween(before, parseRequestCounts(scrape(25, 9, 3)));
    assert.deepEqual(between.byVerb, { GET: 15, PATCH: 5, APPLY: 3, WATCH: 0 });
    assert.equal(between.total, 23);
    assert.equal(between.writes, 8);
  });

  it("reads nothing from a scrape without the counter", () => {
    assert.deepEqual(parseRequestCounts("# no metrics\nup 1\n"), { total: 0, writes: 0, byVerb: {} });
  });
});
