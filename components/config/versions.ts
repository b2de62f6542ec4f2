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
