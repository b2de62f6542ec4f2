/**
 * Kubernetes resource quantities (`250m`, `512Mi`, `1.5Gi`, `2e3`). Kubernetes rejects anything else
 * at apply time; validating here moves that failure to `pulumi preview` with the config path attached.
 */

// The grammar of k8s.io/apimachinery resource.Quantity: a signed decimal number and one optional suffix.
const QUANTITY_PATTERN = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

const SUFFIX_MULTIPLIERS: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

export function isQuantity(value: string): boolean {
  return QUANTITY_PATTERN.test(value);
}

/** The quantity as a plain number of base units (bytes, cores). Throws on a malformed quantity. */
export function quantityToNumber(value: string): number {
  const match = QUANTITY_PATTERN.exec(value);
  if (!match) throw new Error(`not a Kubernetes quantity: ${JSON.stringify(value)}`);
  const suffix = match[2] ?? "";
  if (/^[eE]/.test(suffix)) return Number(value);
  return Number(match[1]) * SUFFIX_MULTIPLIERS[suffix]!;
}

/** Bytes as whole MiB, rounded down (the unit of Node's --max-old-space-size). */
export function bytesToMebibytes(bytes: number): number {
  return Math.floor(bytes / 2 ** 20);
}

/** A byte count in the form Kubernetes itself prints (`2Gi`, `1536Mi`), so applied and live values agree. */
export function formatBytes(bytes: number): string {
  for (const [suffix, size] of [["Gi", 2 ** 30], ["Mi", 2 ** 20], ["Ki", 2 ** 10]] as const) {
    if (bytes >= size && Number.isInteger(bytes / size)) return `${bytes / size}${suffix}`;
  }
  return String(Math.ceil(bytes));
}

/** CPU cores in canonical form: whole cores as `2`, fractions as millicores `500m`. */
export function formatCpu(cores: number): string {
  const millicores = Math.round(cores * 1000); // 0.7 * 2 is 1.4000000000000001
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}
