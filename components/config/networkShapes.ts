/**
 * Network shapes of the stack config shared by its sections (the NetworkPolicy's `extraEgress`, `installs.egress`):
 * here rather than in schema.ts so a section module that schema.ts imports can use them too.
 */
import { z } from "zod";

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const dnsLabel = (maxLength: number) =>
  z
    .string()
    .max(maxLength, `must be at most ${maxLength} characters`)
    .regex(DNS_LABEL, "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit");

/** One egress rule the NetworkPolicy adds: to these addresses and/or namespaces, on these ports. */
export const egressRule = z.strictObject({
  cidrs: z.array(z.cidrv4().or(z.cidrv6())).optional(),
  namespaces: z.array(dnsLabel(63)).optional(),
  ports: z
    .array(z.strictObject({ port: z.int().min(1).max(65535), protocol: z.enum(["TCP", "UDP", "SCTP"]).default("TCP") }))
    .min(1, "must list at least one port"),
});
