// The openclaw-fleet policy pack: `pulumi preview --policy-pack policy` (see README, "Policy pack").
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, policies } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
  description: "The hardening every openclaw-fleet gateway gets, enforced on whatever a stack deploys.",
  enforcementLevel: "mandatory",
  policies,
});
