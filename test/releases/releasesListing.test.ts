import assert from "node:assert/strict";
import { listReleases, type ReleasesStack } from "../../components/releases/releasesListing.js";
import { releasesTable } from "../../components/releases/releasesTable.js";

const DIGEST = `sha256:${"b".repeat(64)}`;

const stack = (name: string, images: Record<string, string>, gatewaysOutput?: unknown): ReleasesStack => ({
  name,
  ring: 0,
  model: { gateways: Object.entries(images).map(([cluster, image]) => ({ cluster, settings: { image } })) } as unknown as ReleasesStack["model"],
  gatewaysOutput,
});

/** A registry as `fetch` sees it: tags per URL path, 404 for any other; every URL asked is recorded. */
function registry(tags: Record<string, string[]>) {
  const asked: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(String(input));
    asked.push(url.toString());
    const list = tags[url.host + url.pathname];
    return list ? Response.json({ tags: list }) : Response.json({ errors: [{ code: "NAME_UNKNOWN" }] }, { status: 404 });
  };
  return { fetch, asked };
}

describe("the releases listing", () => {
  it("lists each repository once for every stack using it, and gives each image its own variant's newer versions", async () => {
    const { fetch, asked } = registry({ "ghcr.io/v2/openclaw/openclaw/tags/list": ["2026.9.6-slim", "2026.9.7-slim", "2026.9.7", "2026.9.8-browser"] });
    const listing = await listReleases(
      [stack("a", { eu: "ghcr.io/openclaw/openclaw:2026.9.6-slim", us: "ghcr.io/openclaw/openclaw:2026.9.6" }), stack("b", { eu: "ghcr.io/openclaw/openclaw:2026.9.7-slim" })],
      { fetch },
    );
    assert.deepEqual(asked, ["https://ghcr.io/v2/openclaw/openclaw/tags/list"]);
    assert.deepEqual(listing.errors, []);
    assert.deepEqual(
      listing.rows.map((row) => [row.stack, row.clusters, row.running, row.newer]),
      [
        ["a", ["eu"], "2026.9.6-slim", ["2026.9.7-slim"]],
        ["a", ["us"], "2026.9.6", ["2026.9.7"]],
        ["b", ["eu"], "2026.9.7-slim", []],
      ],
    );
    assert.match(releasesTable(listing), /^a +0 +us +2026\.9\.6 +config +2026\.9\.7$/m);
    assert.match(releasesTable(listing), /^b .*2026\.9\.7-slim\s+config\s+none$/m);
  });

  it("says why an image pinned by digest alone or by a moving tag is not compared, and asks no registry for it", async () => {
    const { fetch, asked } = registry({});
    const listing = await listReleases([stack("pinned", { eu: `ghcr.io/openclaw/openclaw@${DIGEST}`, us: "ghcr.io/openclaw/openclaw:latest" })], { fetch });
    assert.deepEqual(asked, []);
    assert.deepEqual(listing.rows.map((row) => row.note), ["pinned by digest only: no version to compare", "tag latest is not a version"]);
  });

  it("lists on the mirror --registry names, keeping the repository", async () => {
    const { fetch, asked } = registry({ "mirror.example.com:5000/v2/openclaw/openclaw/tags/list": ["2026.9.7-slim"] });
    const listing = await listReleases([stack("a", { eu: "ghcr.io/openclaw/openclaw:2026.9.6-slim" }, { eu: { image: "ghcr.io/openclaw/openclaw:2026.9.6-slim" } })], { registry: "mirror.example.com:5000", fetch });
    assert.deepEqual(asked, ["https://mirror.example.com:5000/v2/openclaw/openclaw/tags/list"]);
    assert.deepEqual(listing.rows[0]!.newer, ["2026.9.7-slim"]);
    assert.equal(listing.rows[0]!.source, "outputs");
  });

  it("reports a repository it cannot list once, naming the stacks that asked and the config to fix", async () => {
    const { fetch } = registry({});
    const listing = await listReleases([stack("a", { eu: "ghcr.io/openclaw/nope:2026.9.6" }), stack("b", { eu: "ghcr.io/openclaw/nope:2026.9.7" })], { fetch });
    assert.deepEqual(listing.errors, [
      {
        kind: "unknown-repository",
        message: "registry ghcr.io, repository openclaw/nope: no such repository (404 NAME_UNKNOWN); asked by a, b (their openclaw-fleet:gateway.image, or --registry HOST for a mirror)",
      },
    ]);
  });
});
