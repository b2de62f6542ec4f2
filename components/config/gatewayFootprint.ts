/**
 * What the gateway of each pinned OpenClaw version was measured to use. The default resources, the heap cap and the
 * loader's checks of a memory or CPU limit are derived from it (sizing.ts), so a version that needs more shows up
 * here first: the gateway contract tests measure the running gateway and fail when it uses more than recorded.
 */
import { imagePin, imageTag } from "./imageReference.js";
import { OPENCLAW_VERSION } from "./versions.js";

export interface GatewayFootprint {
  /** Memory of the idle gateway's processes after its start and a few client calls (MiB). */
  idleMiB: number;
  /** The most they held at any time, the start included (MiB). */
  peakMiB: number;
  /** The largest V8 heap (heapTotal) seen, at start or serving a client (MiB). */
  peakHeapMiB: number;
  /** The most resident memory the gateway process held outside its V8 heap (MiB): what a heap cap does not bound. */
  nonHeapMiB: number;
  /** CPU seconds from process start to a passing startup probe. */
  startCpuSeconds: number;
}

/**
 * Two measurements per version, as taken:
 * - `kubelet`: the `local` stack's render applied to a real kubelet (cgroup v1, containerd, runc) with an image laid
 *   out like the official one: the container's working set, the gateway's own `memory pressure` line (rss 560.9
 *   MiB, heap 223.4 MiB), CPU time to Ready under a 500m limit (341 of 434 CFS periods throttled).
 * - `contractTests`: `npm run test:gateway` on 2 shared cores: resident memory summed over the gateway's processes
 *   (the gateway and its sqlite and spawn helpers, all in one container), its heap from `process.memoryUsage()`.
 *   The largest figure of the three scenarios in 8 runs: the dev and prod stacks took 790-890 MiB, 13-16 s of CPU;
 *   the user-config scenario (debug log level among its overrides) up to 949 MiB idle, 1064 MiB peak, 16.5-18.9 s
 *   (CPU time grows on a loaded machine). The gateway process keeps 650-930 MiB of anonymous memory when its heap
 *   is back at 30 MiB.
 */
export const GATEWAY_MEASUREMENTS: Readonly<Record<string, { kubelet: GatewayFootprint; contractTests: GatewayFootprint }>> = {
  "2026.9.6": {
    kubelet: { idleMiB: 650, peakMiB: 683, peakHeapMiB: 224, nonHeapMiB: 338, startCpuSeconds: 18 },
    contractTests: { idleMiB: 949, peakMiB: 1064, peakHeapMiB: 342, nonHeapMiB: 932, startCpuSeconds: 18.9 },
  },
};

/**
 * Figures vary from run to run: memory is recorded with a tenth more, rounded up to 64 MiB; CPU time, which grows
 * with the machine's load, with a quarter more, rounded up to a second.
 */
const roundUp = (mebibytes: number) => Math.ceil((mebibytes * 1.1) / 64) * 64;

/** Each figure the larger of the two measurements, so the sizing fits both. */
function recorded(version: string): GatewayFootprint {
  const { kubelet, contractTests } = GATEWAY_MEASUREMENTS[version]!;
  return {
    idleMiB: roundUp(Math.max(kubelet.idleMiB, contractTests.idleMiB)),
    peakMiB: roundUp(Math.max(kubelet.peakMiB, contractTests.peakMiB)),
    peakHeapMiB: roundUp(Math.max(kubelet.peakHeapMiB, contractTests.peakHeapMiB)),
    nonHeapMiB: roundUp(Math.max(kubelet.nonHeapMiB, contractTests.nonHeapMiB)),
    startCpuSeconds: Math.ceil(Math.max(kubelet.startCpuSeconds, contractTests.startCpuSeconds) * 1.25),
  };
}

/**
 * The footprint of the version an image runs: its tag's version when one was measured, else the pinned version's
 * (a digest, a moving tag or an unmeasured version is taken to be like the release this program pins).
 */
export function footprintFor(image: string): { version: string; footprint: GatewayFootprint } {
  const tag = imagePin(image) === "version" ? imageTag(image) : undefined;
  const version = tag?.replace(/-(?:slim|browser)$/, "");
  const measured = version !== undefined && GATEWAY_MEASUREMENTS[version] ? version : OPENCLAW_VERSION;
  return { version: measured, footprint: recorded(measured) };
}
