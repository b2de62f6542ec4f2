/**
 * The secure defaults, written once (house style, from cdk8s-plus) and applied to every container the
 * program builds. They mirror the official manifest's hardening (openclaw-facts.md) and satisfy Pod
 * Security Admission `restricted`, which the tenant namespace enforces.
 */
import type { IPodSecurityContext, ISecurityContext } from "kubernetes-models/v1";

/** The image's `node` user (UID/GID 1000); the PVC is group-owned by it through fsGroup. */
export const GATEWAY_UID = 1000;

export const podSecurityContext = (): IPodSecurityContext => ({
  runAsNonRoot: true,
  runAsUser: GATEWAY_UID,
  runAsGroup: GATEWAY_UID,
  fsGroup: GATEWAY_UID,
  // Re-chown the volume only when its root is wrong: a recursive chown of a large state dir delays every start.
  fsGroupChangePolicy: "OnRootMismatch",
  seccompProfile: { type: "RuntimeDefault" },
});

export const containerSecurityContext = (): ISecurityContext => ({
  runAsNonRoot: true,
  runAsUser: GATEWAY_UID,
  runAsGroup: GATEWAY_UID,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  privileged: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
});

/** Pod Security Admission labels for the tenant namespace: enforce, audit and warn at `restricted`. */
export const restrictedPodSecurityLabels = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/audit-version": "latest",
  "pod-security.kubernetes.io/warn": "restricted",
  "pod-security.kubernetes.io/warn-version": "latest",
} as const;
