/**
 * Kubernetes label and annotation syntax (k8s.io/apimachinery validation: IsQualifiedName, IsValidLabelValue),
 * checked here so a bad key fails `pulumi preview` with its config path instead of the API server's apply.
 */
import { z } from "zod";

// A name segment: at most 63 characters, alphanumerics with '-', '_' and '.' inside.
const NAME_SEGMENT = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// The optional prefix: a lowercase DNS-1123 subdomain of at most 253 characters.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a qualified name (`example.com/name` or `name`) is invalid, or undefined when it is valid. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split("/");
  if (parts.length > 2) return "must be a qualified name: an optional DNS subdomain prefix and '/', then a name";
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]!];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `has the prefix "${prefix}", which must be a lowercase DNS subdomain (such as example.com) of at most 253 characters`;
  }
  if (name.length === 0 || name.length > 63 || !NAME_SEGMENT.test(name)) {
    return "must end in a name of 1 to 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** A label or annotation key: a qualified name. */
export const qualifiedName = z.string().superRefine((key, context) => {
  const problem = qualifiedNameProblem(key);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

/** Label values: at most 63 characters, empty or alphanumerics with '-', '_' and '.' inside. Always strings. */
export const labelValue = z
  .string({ error: 'must be a string (quote numbers and booleans in YAML: "true")' })
  .max(63, "must be at most 63 characters (a Kubernetes label value)")
  .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, "must be empty or letters, digits, '-', '_' and '.', starting and ending with a letter or digit");

/**
 * Label and annotation key prefixes the program sets itself: the selectors (`app.kubernetes.io/name`,
 * `app.kubernetes.io/instance`) that a user value would detach the Service, PDB and NetworkPolicy from, the
 * tenant, environment and cluster labels the policy pack reads, and the checksum annotation.
 */
export const PROGRAM_KEY_PREFIXES = ["openclaw.ai/", "app.kubernetes.io/"] as const;
const notProgramOwned = (key: string) => !PROGRAM_KEY_PREFIXES.some((prefix) => key.startsWith(prefix));
const PROGRAM_OWNED_MESSAGE = `is the program's own (the ${PROGRAM_KEY_PREFIXES.map((p) => `${p}*`).join(" and ")} labels and annotations select and identify the gateway); choose a key with another prefix`;

/** A map of labels: keys are qualified names, values label values. */
export const labelMap = z.record(qualifiedName, labelValue);
/** Labels a user adds to an object the program also labels: the program's keys are refused. */
export const userLabels = z.record(qualifiedName.refine(notProgramOwned, { error: PROGRAM_OWNED_MESSAGE }), labelValue);
/** Annotations a user adds: any string value, keys qualified names outside the program's prefixes. */
export const userAnnotations = z.record(
  qualifiedName.refine(notProgramOwned, { error: PROGRAM_OWNED_MESSAGE }),
  z.string({ error: 'must be a string (quote numbers and booleans in YAML: "true")' }),
);
