/** Where the image keeps state and config (`OPENCLAW_STATE_DIR`, the `node` user's `~/.openclaw`): the state claim. */
export const STATE_DIR = "/home/node/.openclaw";
/** Where the init container sees the ConfigMap. Never mounted into the gateway itself (see deployment.ts). */
export const CONFIG_SEED_DIR = "/etc/openclaw-seed";
/** Where the agent-content init container sees the agent's ConfigMap. Never mounted into the gateway. */
export const AGENT_CONTENT_DIR = "/etc/openclaw-agent";
/** The gateway's workspace: OpenClaw's default under a custom OPENCLAW_STATE_DIR (`<state-dir>/workspace`). */
export const WORKSPACE_DIR = "/home/node/.openclaw/workspace";
/** Where the backup and restore init containers see the backup claim. Never mounted into the gateway. */
export const BACKUP_DIR = "/backups";
/** The writable emptyDir on a read-only root filesystem; the gateway and the CLI log under /tmp/openclaw. */
export const TMP_DIR = "/tmp";
/** Where the prepare-state init container sees the state claim's root (everything else mounts its `state/`). */
export const STATE_CLAIM_DIR = "/var/lib/openclaw-claim";
