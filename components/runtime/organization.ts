import * as pulumi from "@pulumi/pulumi";

/**
 * The running stack's organization, or undefined where the SDK has none to give (mocks without one, an engine that
 * does not send it): the owner (naming.ts) is then qualified by the project alone.
 */
export function currentOrganization(): string | undefined {
  try {
    return pulumi.getOrganization();
  } catch {
    return undefined;
  }
}
