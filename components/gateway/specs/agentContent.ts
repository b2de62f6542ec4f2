/**
 * The agent's content (the stack's `agent` folder, docs/agents.md): a ConfigMap holding its files and the init
 * container that writes them into the gateway's workspace. Both absent when the stack has no `agent`.
 */
import type { IConfigMap, IContainer, IVolume } from "kubernetes-models/v1";
import { contentData } from "../../agent/contentIndex.js";
import type { GatewaySettings } from "../../config/schema.js";
import type { GatewayContext } from "../context.js";
import { containerSecurityContext } from "../hardening.js";
import { gatewayObjectNames, objectMeta } from "../naming.js";
import { agentContentScript } from "../scripts/agentContent.js";
import { AGENT_CONTENT_DIR, STATE_DIR, WORKSPACE_DIR } from "./paths.js";
import { stateMount } from "./stateLayout.js";

const VOLUME = "agent-content";

export function buildAgentContentConfigMap(context: GatewayContext): IConfigMap | undefined {
  if (!context.agent) return undefined;
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).agentContent),
    data: contentData(context.agent),
  };
}

/** The init container, hardened like the others, with the config copy's small resources. */
export function buildAgentContentContainer(context: GatewayContext, imagePullPolicy: IContainer["imagePullPolicy"]): IContainer[] {
  if (!context.agent) return [];
  const settings: GatewaySettings = context.gateway.settings;
  return [
    {
      name: "agent-content",
      image: settings.image,
      imagePullPolicy,
      command: ["sh", "-c", agentContentScript()],
      env: [
        { name: "OPENCLAW_STATE_DIR", value: STATE_DIR },
        { name: "OPENCLAW_FLEET_AGENT_CONTENT", value: AGENT_CONTENT_DIR },
        { name: "OPENCLAW_FLEET_WORKSPACE", value: WORKSPACE_DIR },
      ],
      resources: settings.initContainerResources,
      securityContext: containerSecurityContext(),
      terminationMessagePolicy: "FallbackToLogsOnError",
      volumeMounts: [stateMount, { name: VOLUME, mountPath: AGENT_CONTENT_DIR, readOnly: true }],
    },
  ];
}

export function buildAgentContentVolumes(context: GatewayContext): IVolume[] {
  if (!context.agent) return [];
  return [{ name: VOLUME, configMap: { name: gatewayObjectNames(context.tenant).agentContent } }];
}
