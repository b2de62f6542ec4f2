/**
 * Plugins and skills installed at start (`gateway.installs`, docs/agents.md "Installing at start"): one init container
 * running the gateway's own installer into the state volume. Absent when the stack has no `installs`.
 */
import type { IContainer } from "kubernetes-models/v1";
import { installEntries } from "../../config/installs.js";
import { openclawCliFromCommand } from "../../config/openclawCli.js";
import type { GatewayContext } from "../context.js";
import { containerSecurityContext } from "../hardening.js";
import { installsScript } from "../scripts/installs.js";
import type { OpenclawContainerBase } from "./backup.js";
import { TMP_DIR } from "./paths.js";
import { stateMount } from "./stateLayout.js";

/** The list as the script reads it: `kind name source`, one a line (the loader admits no spaces in any of them). */
export function installList(context: GatewayContext): string {
  return installEntries(context.gateway.settings.installs)
    .map((entry) => `${entry.kind} ${entry.name} ${entry.source}`)
    .join("\n");
}

/**
 * After the config copy (the installer reads the config's install policy) and before the agent's files. The gateway's
 * resources, as the other containers running the OpenClaw CLI (backup.ts); its npm cache and scratch config in /tmp.
 */
export function buildInstallsContainer(context: GatewayContext, base: OpenclawContainerBase): IContainer[] {
  const { installs, command } = context.gateway.settings;
  // The loader refuses installs with a command it cannot derive the CLI from.
  const cli = openclawCliFromCommand(command);
  if (!installs || !cli) return [];
  const registries = [
    ...(installs.npmRegistry ? [{ name: "npm_config_registry", value: installs.npmRegistry }] : []),
    ...(installs.clawhubUrl ? [{ name: "OPENCLAW_CLAWHUB_URL", value: installs.clawhubUrl }] : []),
  ];
  return [
    {
      name: "installs",
      image: base.image,
      imagePullPolicy: base.imagePullPolicy,
      command: ["sh", "-c", installsScript(cli)],
      env: [...base.env, { name: "OPENCLAW_FLEET_INSTALLS", value: installList(context) }, ...registries],
      resources: base.resources,
      securityContext: containerSecurityContext(),
      terminationMessagePolicy: "FallbackToLogsOnError",
      volumeMounts: [stateMount, { name: "tmp", mountPath: TMP_DIR }],
    },
  ];
}
