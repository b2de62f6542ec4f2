/**
 * A repository's tags through the OCI distribution API: `GET /v2/<name>/tags/list`, following the `Link` header
 * page by page, answering a `401` challenge with the registry's token flow (Bearer: a token from the realm it names,
 * anonymous or with credentials) or with Basic credentials. Every failure is a RegistryError with one line that
 * names the registry and the repository; what to set is added by the caller, who knows which stacks asked.
 */
import { isLoopbackHost, registryBaseUrl } from "./imageLocation.js";
import { basicAuthorization, CREDENTIALS_HINT, parseChallenge, type Challenge, type RegistryCredentials } from "./registryAuth.js";

/** unreachable and server: the registry failed (exit 1); unauthorized and unknown-repository: the input is wrong (exit 2). */
export type RegistryErrorKind = "unreachable" | "server" | "unauthorized" | "unknown-repository";

export class RegistryError extends Error {
  override name = "RegistryError";
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface TagListOptions {
  credentials?: RegistryCredentials;
  /** A registry listing more pages than this is refused rather than followed for ever. */
  maxPages?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const DEFAULT_MAX_PAGES = 1000;

/** Every tag of `repository` on `registry` (the host as the image reference names it), in the registry's order. */
export async function listTags(registry: string, repository: string, options: TagListOptions = {}): Promise<string[]> {
  const doFetch = options.fetch ?? fetch;
  const where = `registry ${registry}, repository ${repository}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let authorization: string | undefined;

  const request = async (url: string, headers: Record<string, string> = {}): Promise<Response> => {
    try {
      return await doFetch(url, { headers: { Accept: "application/json", ...headers }, redirect: "follow", signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new RegistryError("unreachable", `${where}: unreachable at ${new URL(url).origin} (${networkCause(error)})`);
    }
  };

  const answerChallenge = async (challenge: Challenge | undefined): Promise<string> => {
    if (challenge?.scheme === "basic") {
      if (!options.credentials) throw new RegistryError("unauthorized", `${where}: the registry requires credentials (401, Basic); ${CREDENTIALS_HINT}`);
      return basicAuthorization(options.credentials);
    }
    if (challenge?.scheme !== "bearer" || !challenge.params.realm) throw new RegistryError("unauthorized", `${where}: 401 without a Bearer or Basic challenge the fleet can answer`);
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm);
    } catch {
      throw new RegistryError("server", `${where}: the challenge's token realm is not a URL`);
    }
    if (challenge.params.service) realm.searchParams.set("service", challenge.params.service);
    realm.searchParams.set("scope", challenge.params.scope ?? `repository:${repository}:pull`);
    const headers: Record<string, string> = {};
    if (options.credentials) {
      // Credentials cross the network only encrypted (or stay on this machine).
      if (realm.protocol !== "https:" && !isLoopbackHost(realm.host)) throw new RegistryError("unauthorized", `${where}: the token realm ${realm.origin} is plain HTTP; credentials are not sent there`);
      headers.Authorization = basicAuthorization(options.credentials);
    }
    const response = await request(realm.toString(), headers);
    if (response.status === 401 || response.status === 403) throw unauthorized(response.status, options.credentials !== undefined, where);
    if (!response.ok) throw new RegistryError("server", `${where}: the token service ${realm.origin} answered ${response.status}`);
    const body = (await response.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === "string" ? body.token : typeof body.access_token === "string" ? body.access_token : undefined;
    if (!token) throw new RegistryError("server", `${where}: the token service ${realm.origin} returned no token`);
    return `Bearer ${token}`;
  };

  const tags: string[] = [];
  const seen = new Set<string>();
  let url: string | undefined = `${registryBaseUrl(registry)}/v2/${repository}/tags/list`;
  while (url !== undefined) {
    if (seen.has(url) || seen.size >= (options.maxPages ?? DEFAULT_MAX_PAGES)) throw new RegistryError("server", `${where}: the tag list's Link pages do not end (${seen.size} pages read)`);
    seen.add(url);
    let response = await request(url, authorization ? { Authorization: authorization } : {});
    if (response.status === 401 && authorization === undefined) {
      authorization = await answerChallenge(parseChallenge(response.headers.get("www-authenticate")));
      response = await request(url, { Authorization: authorization });
    }
    if (response.status === 401 || response.status === 403) throw unauthorized(response.status, options.credentials !== undefined, where);
    if (response.status === 404) throw new RegistryError("unknown-repository", `${where}: no such repository (404${await errorCode(response)})`);
    if (!response.ok) throw new RegistryError("server", `${where}: tags/list answered ${response.status}${await errorCode(response)}`);
    const body = (await response.json().catch(() => undefined)) as { tags?: unknown } | undefined;
    if (!body || (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags))) throw new RegistryError("server", `${where}: tags/list did not return a tag list`);
    tags.push(...((body.tags as unknown[] | null | undefined) ?? []).filter((tag): tag is string => typeof tag === "string"));
    const next = nextLink(response.headers.get("link"));
    url = next === undefined ? undefined : new URL(next, url).toString();
  }
  return tags;
}

function unauthorized(status: number, withCredentials: boolean, where: string): RegistryError {
  return new RegistryError(
    "unauthorized",
    withCredentials ? `${where}: the registry refused the credentials (${status}); check them (${CREDENTIALS_HINT})` : `${where}: the registry requires credentials (${status}); ${CREDENTIALS_HINT}`,
  );
}

/** `Link: </v2/x/tags/list?last=b&n=2>; rel="next"`: the next page's URL (relative to the request's). */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?next"?/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

/** The distribution API's error code (`NAME_UNKNOWN`), when the body has one. */
async function errorCode(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { errors?: { code?: unknown }[] } | undefined;
  const code = body?.errors?.[0]?.code;
  return typeof code === "string" ? ` ${code}` : "";
}

function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === "string") return cause.code;
  if ((error as { name?: unknown })?.name === "TimeoutError") return "timed out";
  return typeof cause?.message === "string" ? cause.message : error instanceof Error ? error.message : String(error);
}
