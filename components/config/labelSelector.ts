/**
 * A Kubernetes label selector (metav1.LabelSelector) checked the way the API server checks one
 * (apimachinery's ValidateLabelSelector): qualified-name keys, label values, and values that fit the operator.
 * A selector the API server would refuse fails with its config path before anything is applied.
 */
import { z } from "zod";
import { labelMap, labelValue, qualifiedName } from "./labels.js";

const requirement = z
  .strictObject({
    key: qualifiedName,
    operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"], { error: "must be In, NotIn, Exists or DoesNotExist" }),
    values: z.array(labelValue).optional(),
  })
  .superRefine((value, context) => {
    const listed = value.values?.length ?? 0;
    if ((value.operator === "In" || value.operator === "NotIn") && listed === 0) {
      context.addIssue({ code: "custom", path: ["values"], message: `must list at least one value for operator ${value.operator}` });
    }
    if ((value.operator === "Exists" || value.operator === "DoesNotExist") && value.values !== undefined) {
      context.addIssue({ code: "custom", path: ["values"], message: `must be left out for operator ${value.operator}` });
    }
  });

export const labelSelectorSchema = z.strictObject(
  { matchLabels: labelMap.optional(), matchExpressions: z.array(requirement).optional() },
  { error: "must be a label selector: {matchLabels: {key: value}, matchExpressions: [{key, operator, values}]}" },
);
export type LabelSelector = z.infer<typeof labelSelectorSchema>;
