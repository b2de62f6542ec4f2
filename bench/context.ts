/** What every figure gets: the options, the project, the clusters, and a progress line on stderr. */
import type { BenchOptions } from "./args.js";
import type { LocalClusters } from "./clusters.js";

export interface BenchContext {
  projectDir: string;
  options: BenchOptions;
  clusters: LocalClusters;
  /** A callback for runAlternating's onRun: one line on stderr per timed run. */
  progress: (figure: string) => (side: string, repetition: number) => void;
}
