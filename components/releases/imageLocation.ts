/**
 * Where an image reference's tags are listed: the registry host and the repository path of the OCI distribution
 * API (`GET /v2/<repository>/tags/list`), with Docker's defaults for short names (`openclaw/openclaw` is Docker
 * Hub's, `nginx` is `library/nginx`).
 */

export interface ImageLocation {
  /** The registry as named in the reference (`ghcr.io`, `127.0.0.1:5000`, `docker.io`). */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = "docker.io";

export function parseImageLocation(image: string): ImageLocation {
  const at = image.indexOf("@");
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const name = at === -1 ? image : image.slice(0, at);
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  // A colon before the last slash is a registry port (localhost:5000/openclaw), not a tag.
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  const path = colon > slash ? name.slice(0, colon) : name;
  const first = path.split("/")[0]!;
  const hasRegistry = path.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first : DOCKER_HUB;
  let repository = hasRegistry ? path.slice(first.length + 1) : path;
  if (registry === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** A loopback registry is spoken to over plain HTTP, as Docker and containerd do; every other one over HTTPS. */
export function isLoopbackHost(host: string): boolean {
  const hostname = host.startsWith("[") ? host.slice(1, host.indexOf("]")) : host.split(":")[0]!;
  return hostname === "localhost" || hostname === "::1" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** The base URL of a registry's API (Docker Hub's API host is not its name). */
export function registryBaseUrl(registry: string): string {
  const host = registry === DOCKER_HUB ? "registry-1.docker.io" : registry;
  return `${isLoopbackHost(host) ? "http" : "https"}://${host}`;
}
