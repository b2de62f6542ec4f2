/**
 * What a release costs a cluster's control plane: the API server's own request counter (`apiserver_request_total`
 * on its /metrics), read before and after, by verb. Every client counts (the providers, and the controllers and
 * kubelets acting on what they changed): that is the load a platform team sizes its clusters for.
 */
import type { LocalClusters } from "./clusters.js";

/** Verbs that read; every other verb (POST, PUT, PATCH, APPLY, DELETE, ...) writes. */
const READ_VERBS = new Set(["GET", "LIST", "WATCH", "CONNECT"]);

export interface RequestCounts {
  total: number;
  writes: number;
  byVerb: Record<string, number>;
}

/** The counter's series summed by verb, from the Prometheus text format. */
export function parseRequestCounts(metrics: string): RequestCounts {
  const byVerb: Record<string, number> = {};
  for (const line of metrics.split("\n")) {
    const match = /^apiserver_request_total\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!match) continue;
    const verb = /(?:^|,)verb="([^"]*)"/.exec(match[1]!)?.[1] ?? "";
    byVerb[verb] = (byVerb[verb] ?? 0) + Number(match[2]);
  }
  return summarise(byVerb);
}

/** The requests between two readings of the same API server. */
export function requestsBetween(before: RequestCounts, after: RequestCounts): RequestCounts {
  const verbs = new Set([...Object.keys(before.byVerb), ...Object.keys(after.byVerb)]);
  return summarise(Object.fromEntries([...verbs].map((verb) => [verb, (after.byVerb[verb] ?? 0) - (before.byVerb[verb] ?? 0)])));
}

function summarise(byVerb: Record<string, number>): RequestCounts {
  const entries = Object.entries(byVerb);
  return {
    total: entries.reduce((sum, [, count]) => sum + count, 0),
    writes: entries.reduce((sum, [verb, count]) => sum + (READ_VERBS.has(verb) ? 0 : count), 0),
    byVerb,
  };
}

export async function readRequestCounts(clusters: LocalClusters, context: string): Promise<RequestCounts> {
  return parseRequestCounts(await clusters.kubectlRun(context, ["get", "--raw", "/metrics"]));
}
