import type { ISecret } from "kubernetes-models/v1";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta } from "../naming.js";
import { TOKEN_ENV_NAME } from "../openclawConfig.js";

/** The env Secret's keys: the gateway token and the configured API keys, nothing else. */
export function secretKeys(context: GatewayContext): string[] {
  return [TOKEN_ENV_NAME, ...context.apiKeyNames];
}

/**
 * The Secret the gateway takes its env from. Values are passed in: the Pulumi component gives secret
 * Outputs, the offline renderer gives redacted placeholders.
 */
export function buildGatewaySecret(context: GatewayContext, values: Readonly<Record<string, string>>): ISecret {
  const missing = secretKeys(context).filter((key) => values[key] === undefined);
  if (missing.length > 0) throw new Error(`secret values missing for ${missing.join(", ")}`);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).secret),
    type: "Opaque",
    stringData: Object.fromEntries(secretKeys(context).map((key) => [key, values[key]!])),
  };
}
