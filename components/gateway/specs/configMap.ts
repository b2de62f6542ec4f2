import type { IConfigMap } from "kubernetes-models/v1";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta } from "../naming.js";
import { renderOpenclawConfig } from "../openclawConfig.js";

export const CONFIG_FILE_NAME = "openclaw.json";

/** The generated openclaw.json; the init container copies it into the state volume. */
export function buildConfigMap(context: GatewayContext): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).configMap),
    data: { [CONFIG_FILE_NAME]: renderOpenclawConfig(context) },
  };
}
