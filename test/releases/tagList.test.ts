/**
 * The tag list client against a protocol fixture: a loopback HTTP server that answers as the distribution spec
 * says registries may (Link pages, Bearer and Basic challenges, errors). The real registry (crane's) is in
 * test/e2e/releases.e2e.test.ts, which has no Link pages and no auth of its own.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { listTags, nextLink, RegistryError } from "../../components/releases/tagList.js";

interface Seen {
  path: string;
  authorization?: string;
}

/** A fixture server; `handle` answers each request, every request is recorded. */
async function fixture(handle: (req: IncomingMessage, url: URL, host: string) => { status: number; headers?: Record<string, string>; body?: unknown }) {
  const seen: Seen[] = [];
  let host = "";
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url!, `http://${host}`);
    seen.push({ path: url.pathname + url.search, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const answer = handle(req, url, host);
    res.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers }).end(answer.body === undefined ? "" : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const PAGES: Record<string, { tags: string[]; next?: string }> = {
  "": { tags: ["2026.9.5", "2026.9.6"], next: "/v2/openclaw/openclaw/tags/list?last=2026.9.6&n=2" },
  "2026.9.6": { tags: ["2026.9.7", "latest"], next: "/v2/openclaw/openclaw/tags/list?last=latest&n=2" },
  latest: { tags: ["slim"] },
};

/** The paginated tag list, for requests that carry `authorized`. */
function pages(url: URL) {
  const page = PAGES[url.searchParams.get("last") ?? ""]!;
  return { status: 200, ...(page.next ? { headers: { Link: `<${page.next}>; rel="next"` } } : {}), body: { name: "openclaw/openclaw", tags: page.tags } };
}

const rejects = (promise: Promise<unknown>, kind: string, message: RegExp) =>
  assert.rejects(promise, (error: unknown) => error instanceof RegistryError && error.kind === kind && message.test(error.message));

describe("tag lists through the OCI distribution API", function () {
  const servers: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  const start = async (...args: Parameters<typeof fixture>) => {
    const server = await fixture(...args);
    servers.push(server);
    return server;
  };

  it("follows the Link header page by page and sends no credentials to an anonymous registry", async () => {
    const registry = await start((_req, url) => pages(url));
    const tags = await listTags(registry.host, "openclaw/openclaw", { credentials: { username: "u", password: "p" } });
    assert.deepEqual(tags, ["2026.9.5", "2026.9.6", "2026.9.7", "latest", "slim"]);
    assert.deepEqual(registry.seen, [
      { path: "/v2/openclaw/openclaw/tags/list" },
      { path: "/v2/openclaw/openclaw/tags/list?last=2026.9.6&n=2" },
      { path: "/v2/openclaw/openclaw/tags/list?last=latest&n=2" },
    ]);
  });

  it("answers a Bearer challenge with a token from its realm (service and scope, Basic credentials) and keeps it for every page", async () => {
    const registry = await start((req, url, host) => {
      if (url.pathname === "/token") {
        if (req.headers.authorization !== `Basic ${Buffer.from("ci:s3cret").toString("base64")}`) return { status: 401 };
        return { status: 200, body: { token: "tok-1" } };
      }
      if (req.headers.authorization !== "Bearer tok-1") {
        return { status: 401, headers: { "WWW-Authenticate": `Bearer realm="http://${host}/token",service="reg",scope="repository:openclaw/openclaw:pull"` }, body: { errors: [{ code: "UNAUTHORIZED" }] } };
      }
      return pages(url);
    });
    const tags = await listTags(registry.host, "openclaw/openclaw", { credentials: { username: "ci", password: "s3cret" } });
    assert.equal(tags.length, 5);
    assert.deepEqual(
      registry.seen.map((each) => each.path),
      [
        "/v2/openclaw/openclaw/tags/list",
        "/token?service=reg&scope=repository%3Aopenclaw%2Fopenclaw%3Apull",
        "/v2/openclaw/openclaw/tags/list",
        "/v2/openclaw/openclaw/tags/list?last=2026.9.6&n=2",
        "/v2/openclaw/openclaw/tags/list?last=latest&n=2",
      ],
    );
    assert.ok(registry.seen.slice(2).every((each) => each.authorization === "Bearer tok-1"));
  });

  it("takes an anonymous token (access_token) when the realm gives one without credentials", async () => {
    const registry = await start((req, url, host) => {
      if (url.pathname === "/token") return req.headers.authorization ? { status: 400 } : { status: 200, body: { access_token: "anon" } };
      if (req.headers.authorization !== "Bearer anon") return { status: 401, headers: { "WWW-Authenticate": `Bearer realm="http://${host}/token"` } };
      return { status: 200, body: { tags: ["2026.9.6"] } };
    });
    assert.deepEqual(await listTags(registry.host, "openclaw/openclaw"), ["2026.9.6"]);
    assert.equal(registry.seen[1]!.path, "/token?scope=repository%3Aopenclaw%2Fopenclaw%3Apull", "the default scope: pull on the repository");
  });

  it("answers a Basic challenge with the credentials, and asks for them when there are none", async () => {
    const expected = `Basic ${Buffer.from("ci:pw").toString("base64")}`;
    const registry = await start((req) =>
      req.headers.authorization === expected ? { status: 200, body: { tags: ["2026.9.6"] } } : { status: 401, headers: { "WWW-Authenticate": 'Basic realm="registry"' } },
    );
    assert.deepEqual(await listTags(registry.host, "o/o", { credentials: { username: "ci", password: "pw" } }), ["2026.9.6"]);
    await rejects(listTags(registry.host, "o/o"), "unauthorized", new RegExp(`^registry ${registry.host}, repository o/o: the registry requires credentials \\(401, Basic\\); set OPENCLAW_FLEET_REGISTRY_USERNAME and OPENCLAW_FLEET_REGISTRY_PASSWORD`));
    await rejects(listTags(registry.host, "o/o", { credentials: { username: "ci", password: "wrong" } }), "unauthorized", /the registry refused the credentials \(401\)/);
  });

  it("refuses credentials the token service rejects, without printing them", async () => {
    const registry = await start((_req, url, host) =>
      url.pathname === "/token" ? { status: 401 } : { status: 401, headers: { "WWW-Authenticate": `Bearer realm="http://${host}/token",service="reg"` } },
    );
    await assert.rejects(listTags(registry.host, "o/o", { credentials: { username: "ci", password: "do-not-print" } }), (error: Error) => {
      assert.equal((error as RegistryError).kind, "unauthorized");
      assert.match(error.message, /refused the credentials/);
      assert.doesNotMatch(error.message, /do-not-print|ci:/);
      return true;
    });
  });

  it("never sends credentials to a token realm on plain HTTP off this machine", async () => {
    const registry = await start(() => ({ status: 401, headers: { "WWW-Authenticate": 'Bearer realm="http://auth.example.com/token",service="reg"' } }));
    const asked: string[] = [];
    const recording: typeof fetch = (input, init) => {
      asked.push(String(input));
      return fetch(input, init);
    };
    await rejects(listTags(registry.host, "o/o", { credentials: { username: "ci", password: "pw" }, fetch: recording }), "unauthorized", /the token realm http:\/\/auth\.example\.com is plain HTTP; credentials are not sent there/);
    assert.deepEqual(asked, [`http://${registry.host}/v2/o/o/tags/list`]);
  });

  it("names an unknown repository, an unreachable registry, a failing one and Link pages that never end", async () => {
    const missing = await start(() => ({ status: 404, body: { errors: [{ code: "NAME_UNKNOWN", message: "Unknown name" }] } }));
    await rejects(listTags(missing.host, "openclaw/nope"), "unknown-repository", new RegExp(`^registry ${missing.host}, repository openclaw/nope: no such repository \\(404 NAME_UNKNOWN\\)$`));
    const failing = await start(() => ({ status: 503 }));
    await rejects(listTags(failing.host, "o/o"), "server", /tags\/list answered 503/);
    const looping = await start(() => ({ status: 200, headers: { Link: '</v2/o/o/tags/list?last=a>; rel="next"' }, body: { tags: ["a"] } }));
    await rejects(listTags(looping.host, "o/o"), "server", /the tag list's Link pages do not end \(2 pages read\)/);
    // A port just taken and released: nothing listens there.
    const vacant = createServer();
    await new Promise<void>((resolve) => vacant.listen(0, "127.0.0.1", resolve));
    const closed = `127.0.0.1:${(vacant.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => vacant.close(() => resolve()));
    await rejects(listTags(closed, "o/o"), "unreachable", new RegExp(`^registry ${closed}, repository o/o: unreachable at http://${closed} \\(ECONNREFUSED\\)$`));
  });

  it("reads the next page from a Link header among other links", () => {
    assert.equal(nextLink('</v2/o/tags/list?last=b&n=2>; rel="next"'), "/v2/o/tags/list?last=b&n=2");
    assert.equal(nextLink('<https://x/prev>; rel="prev", <https://x/next>; rel=next'), "https://x/next");
    assert.equal(nextLink('<https://x/prev>; rel="prev"'), undefined);
    assert.equal(nextLink(null), undefined);
  });
});
