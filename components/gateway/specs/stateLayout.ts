/**
 * The state claim's layout. The gateway's state is a directory inside the claim (`openclaw-fleet-state/`), mounted with `subPath`
 * at ~/.openclaw, not the claim's root: Kubernetes applies `fsGroup` to a volume's root but leaves it owned by root,
 * and OpenClaw 2026.9 chmods its state directory to 0700 whenever it writes its config (@openclaw/fs-safe), which
 * fails with EPERM on a directory it does not own. On the live-pod suite's real node every config write failed so
 * (`config.patch`: "EPERM: operation not permitted, fchmod"), as reported for block-storage claims
 * (paperclipinc/openclaw-operator#607: the config auto-restore and `doctor --fix` fail too). The directory is made
 * by the pod's own user, so the gateway owns its mount point with no privilege (codeready-toolchain/claw-operator#136
 * did the same); a root init container with CAP_CHOWN would break the restricted Pod Security level.
 */
import type { IContainer, IVolumeMount } from "kubernetes-models/v1";
import type { GatewaySettings } from "../../config/schema.js";
import { containerSecurityContext } from "../hardening.js";
import { prepareStateScript, STATE_SUBPATH } from "../scripts/prepareState.js";
import { STATE_CLAIM_DIR, STATE_DIR } from "./paths.js";

/** How every container but prepare-state mounts the state claim. */
export const stateMount: IVolumeMount = { name: "state", mountPath: STATE_DIR, subPath: STATE_SUBPATH };

/** The first init container: makes (or moves an older claim's state into) that directory, owned by the pod's user. */
export function buildPrepareStateContainer(settings: GatewaySettings, imagePullPolicy: IContainer["imagePullPolicy"]): IContainer {
  return {
    name: "prepare-state",
    image: settings.image,
    imagePullPolicy,
    command: ["sh", "-c", prepareStateScript()],
    env: [{ name: "OPENCLAW_FLEET_STATE_CLAIM", value: STATE_CLAIM_DIR }],
    resources: settings.initContainerResources,
    securityContext: containerSecurityContext(),
    terminationMessagePolicy: "FallbackToLogsOnError",
    volumeMounts: [{ name: "state", mountPath: STATE_CLAIM_DIR }],
  };
}
