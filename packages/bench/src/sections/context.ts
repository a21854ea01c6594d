/** What every benchmark section gets from the runner. */
export interface BenchContext {
  /** Fewer rounds and calls: a quick look rather than a measurement to publish. */
  quick: boolean;
  /** Origin of the stub TaskRouter server. */
  stubUrl: string;
  /** Progress output (stderr), never part of the results. */
  log(message: string): void;
}
