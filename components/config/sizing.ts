/**
 * The gateway's memory and CPU, fitted to what it was measured to use (gatewayFootprint.ts): the defaults, the
 * heap cap, and what the loader refuses (prod) or warns about (dev, staging).
 */
import { footprintFor, type GatewayFootprint } from "./gatewayFootprint.js";
import { startupBudgetSeconds } from "./probes.js";
import { bytesToMebibytes, quantityToNumber } from "./quantity.js";
import type { GatewaySettings } from "./schema.js";

/** Room outside the heap for what grows under load and was not measured idle (sockets, buffers, more sessions). */
export const LOAD_HEADROOM_MIB = 128;

/**
 * Memory kept outside the heap cap: the recorded non-heap memory and the load headroom. The cgroup kills the pod at
 * its limit, before Node's own cap can act, if heap cap + non-heap exceeds the limit (as a flat 75% of a 1Gi limit
 * did: 768 MiB of heap plus 340 MiB and more outside it).
 */
export function reservedOutsideHeapMebibytes(footprint: GatewayFootprint): number {
  return footprint.nonHeapMiB + LOAD_HEADROOM_MIB;
}

/**
 * The least heap the gateway can work in: twice the largest heap it was seen to use. V8 needs room beyond its live
 * data to collect, and a heap capped near what it uses spends its time collecting and fails at the next load.
 */
export function minimumHeapMebibytes(footprint: GatewayFootprint): number {
  return 2 * footprint.peakHeapMiB;
}

/** The smallest memory limit the gateway can live in: the reserve outside the heap plus the least heap. */
export function minimumMemoryLimitMebibytes(footprint: GatewayFootprint): number {
  return reservedOutsideHeapMebibytes(footprint) + minimumHeapMebibytes(footprint);
}

/**
 * Node's heap cap (`--max-old-space-size`, MiB) for a memory limit: the limit less the reserve outside the heap. A
 * limit too small for that (which the loader refuses in prod and warns about elsewhere) still gets a positive
 * cap, a quarter of the limit, so the pod starts and shows its trouble.
 */
export function heapCapMebibytes(memoryLimit: string, image: string): number {
  const limit = bytesToMebibytes(quantityToNumber(memoryLimit));
  const cap = limit - reservedOutsideHeapMebibytes(footprintFor(image).footprint);
  return Math.max(cap, Math.floor(limit / 4));
}

/** A memory request that covers the idle gateway: what it holds idle (already rounded up to 64 MiB). */
export function defaultMemoryRequestMebibytes(footprint: GatewayFootprint): number {
  return footprint.idleMiB;
}

export interface SizingFinding {
  /** Setting path below the gateway settings (`resources.limits.memory`). */
  setting: string[];
  message: string;
  /** Refused in prod, a warning elsewhere; otherwise always a warning. */
  fatalInProd: boolean;
}

/** Where the settings leave the gateway less memory or CPU than it was measured to need. */
export function sizingFindings(settings: GatewaySettings): SizingFinding[] {
  const { version, footprint } = footprintFor(settings.image);
  const findings: SizingFinding[] = [];
  const limitMiB = bytesToMebibytes(quantityToNumber(settings.resources.limits.memory));
  const minimum = minimumMemoryLimitMebibytes(footprint);
  if (limitMiB < minimum) {
    findings.push({
      setting: ["resources", "limits", "memory"],
      fatalInProd: true,
      message:
        `${settings.resources.limits.memory} is less than the ${minimum}Mi OpenClaw ${version} needs: ${footprint.nonHeapMiB} MiB recorded outside its heap ` +
        `and ${LOAD_HEADROOM_MIB} MiB for load, and a heap of at least ${minimumHeapMebibytes(footprint)} MiB (twice the ${footprint.peakHeapMiB} MiB recorded); ` +
        `it peaked at ${footprint.peakMiB} MiB (components/config/gatewayFootprint.ts). Set at least ${minimum}Mi (the default is 2Gi)`,
    });
  }
  const requestMiB = bytesToMebibytes(quantityToNumber(settings.resources.requests.memory));
  if (requestMiB < footprint.idleMiB) {
    findings.push({
      setting: ["resources", "requests", "memory"],
      fatalInProd: false,
      message:
        `${settings.resources.requests.memory} is less than the ${footprint.idleMiB} MiB recorded for an idle OpenClaw ${version} gateway: the scheduler ` +
        `counts less than the pod takes, and under memory pressure it is evicted first; request at least ${defaultMemoryRequestMebibytes(footprint)}Mi`,
    });
  }
  const cpuLimit = quantityToNumber(settings.resources.limits.cpu);
  const startSeconds = footprint.startCpuSeconds / cpuLimit;
  if (startSeconds > startupBudgetSeconds(settings)) {
    findings.push({
      setting: ["resources", "limits", "cpu"],
      fatalInProd: true,
      message:
        `${settings.resources.limits.cpu} lets the gateway start in no less than ${Math.ceil(startSeconds)} s (OpenClaw ${version} needs ${footprint.startCpuSeconds} s of CPU to start, as recorded), ` +
        `more than the startup probe's ${startupBudgetSeconds(settings)} s: Kubernetes would restart it before it is up. Raise the limit or the probe's failureThreshold`,
    });
  }
  return findings;
}
