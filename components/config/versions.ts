/**
 * The OpenClaw release this program deploys by default. The container image tag and the npm
 * `openclaw` package the gateway contract tests run share this one constant, so a bump moves both.
 * Image tags and npm versions are the same numbers (openclaw-facts.md, "Seen on these machines").
 */
export const OPENCLAW_VERSION = "2026.9.6";

/** The `-slim` variant: the gateway without the bundled browser, which a headless gateway never uses. */
export const DEFAULT_IMAGE = `ghcr.io/openclaw/openclaw:${OPENCLAW_VERSION}-slim`;

/** The gateway's listening port (openclaw-facts.md: `--port` > env > config > 18789). */
export const GATEWAY_PORT = 18789;

/**
 * How long OpenClaw 2026.9.6 may take to stop on SIGTERM outside systemd and launchd (its "Gateway stop policy",
 * which it logs at start): it drains active work (chat runs, replies being written) for up to 315 s, exits by
 * 325 s, and that policy adds a 5 s exit margin. No config key or env var changes it (dist
 * `gateway-shutdown-budget`, docs/gateway/restart-recovery.md: only a systemd unit's TimeoutStopSec lowers it), so
 * the pod's grace period is fitted to it instead. The gateway contract tests read it from the gateway's log.
 */
export const GATEWAY_STOP_POLICY_SECONDS = 330;
