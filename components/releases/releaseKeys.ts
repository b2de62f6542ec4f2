/**
 * Which stack config keys are a release and which belong to an environment: the one source of truth for
 * `npm run promote` (what it copies from one environment's stack to the next) and for docs/releases.md (a unit test
 * checks the page lists exactly these). A release is what was tested in one environment and must arrive unchanged in
 * the next: the OpenClaw image, the command that image runs, and the app team's OpenClaw config fragment (compared by
 * content hash). Everything else says where and how an environment runs it (clusters, sizes, hosts, secrets,
 * scheduling, rings, fleet membership) and is never promoted. The app team's agent content is a release too: the stack's
 * `agent` (STACK_RELEASE_KEYS), whose folder the promoted commit holds.
 */

export interface ReleaseKey {
  /** The key's path under `openclaw-fleet:gateway` (`pulumi config set --path 'openclaw-fleet:gateway.<path>'`). */
  path: string;
  /** How a diff shows a value: as it is (an image), or by its content hash (a config fragment, however long). */
  shown: "value" | "contentHash";
  /** Why it moves with a release. */
  why: string;
  /** `stack`: a top-level key (`openclaw-fleet:<path>`) rather than one under `openclaw-fleet:gateway`. */
  scope?: "stack";
}

export const RELEASE_KEYS: readonly ReleaseKey[] = [
  { path: "image", shown: "value", why: "the OpenClaw version (tag or digest) that was tested" },
  { path: "command", shown: "value", why: "the gateway's command, which depends on the image version" },
  { path: "config", shown: "contentHash", why: "the app team's openclaw.json fragment (channels, agents, models)" },
];

/** Top-level stack keys that are a release; unset means the stack has none (no agent folder). */
export const STACK_RELEASE_KEYS: readonly ReleaseKey[] = [
  { path: "agent", shown: "value", why: "the agent folder and its seed list; the folder's content is the promoted commit's", scope: "stack" },
];

/** Every release key: the gateway's, then the stack's. */
export const ALL_RELEASE_KEYS: readonly ReleaseKey[] = [...RELEASE_KEYS, ...STACK_RELEASE_KEYS];

/** Where a release key is in the stack config: `openclaw-fleet:gateway.image`, `openclaw-fleet:agent`. */
export function releaseKeyName(key: ReleaseKey): string {
  return key.scope === "stack" ? key.path : `gateway.${key.path}`;
}

/** Top-level stack keys (`openclaw-fleet:<key>`) that belong to an environment; `gateway` is split key by key below. */
export const ENVIRONMENT_STACK_KEYS = ["tenant", "environment", "ring", "fleet", "clusters", "apiKeys", "kubeconfigs", "retainState", "access"] as const;

/** `gateway.*` keys that belong to an environment: sizes, storage, exposure, secrets' names, scheduling, backups. */
export const ENVIRONMENT_GATEWAY_KEYS = [
  "resources",
  "initContainerResources",
  "storage",
  "configMode",
  "ingress",
  "networkPolicy",
  "probes",
  "terminationGracePeriodSeconds",
  "progressDeadlineSeconds",
  "apiKeysSecret",
  "nodeSelector",
  "tolerations",
  "affinity",
  "topologySpreadConstraints",
  "priorityClassName",
  "imagePullSecrets",
  "pod",
  "serviceAccount",
  "tokenRotation",
  "backup",
  "restore",
  "env",
  "observability",
  // Each environment lists its own (its mirror and egress differ); promotion does not carry them (docs/agents.md).
  "installs",
] as const;

export function isReleaseKey(gatewayKey: string): boolean {
  return RELEASE_KEYS.some((key) => key.path === gatewayKey);
}
