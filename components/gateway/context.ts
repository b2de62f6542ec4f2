import type { AgentContent } from "../agent/content.js";
import type { ClusterGateway } from "../config/load.js";
import type { Environment } from "../config/schema.js";

/** What every spec builder of one gateway needs: the gateway and the stack it belongs to. */
export interface GatewayContext {
  tenant: string;
  environment: Environment;
  gateway: ClusterGateway;
  /** Env var names of the configured API keys (their values stay secret). */
  apiKeyNames: readonly string[];
  /** The Pulumi stack that owns the gateway, when known (`ownershipLabels`). */
  stack?: string;
  /** The stack's project and organization: qualify the owner (`stackOwnerValue`). */
  project?: string;
  organization?: string;
  /** The stack's agent folder (`agent`), read and checked: its files go into the workspace (docs/agents.md). */
  agent?: AgentContent;
  /** The field manager stays the bare stack name whatever the project (`fieldManagerOwner`). */
  stackOnlyFieldManager?: boolean;
}
