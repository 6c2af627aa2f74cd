/**
 * How big each scenario runs, in a full run and in quick mode (under 2 minutes in all). The
 * scenarios read their sizes from here, and the results record the same object
 * (`settings.n`), so the report always names what was run.
 */
export interface Sizes {
  /** Messages accepted before the drain starts. */
  drain: number;
  /** The end-to-end producers' message budget, and how long they send at most. */
  e2eMaxMessages: number;
  e2eSeconds: number;
  /** Seconds of steady 200 msg/s. */
  latencySeconds: number;
  /** Seconds of each isolation phase (all healthy, then one hanging). */
  isolationSecondsEach: number;
  /** Deliveries pending for the endpoint that is down. */
  backlog: number;
  /** Events read through each pull API. */
  pull: number;
  /** Messages in the one application whose message log is paged. */
  messageLog: number;
  /** Messages a replay-missing task sends to one endpoint, and seconds of live traffic measured beside it. */
  replay: number;
  replaySeconds: number;
  /** Usage events POSTed per ingest round, and usage events in the store the meter queries read. */
  usageIngest: number;
  usageQueryEvents: number;
}

const FULL: Sizes = {
  drain: 100_000,
  e2eMaxMessages: 100_000,
  e2eSeconds: 20,
  latencySeconds: 60,
  isolationSecondsEach: 20,
  backlog: 1_000_000,
  pull: 100_000,
  messageLog: 1_000_000,
  replay: 100_000,
  replaySeconds: 20,
  usageIngest: 100_000,
  usageQueryEvents: 10_000_000,
};
const QUICK: Sizes = {
  drain: 5_000,
  e2eMaxMessages: 10_000,
  e2eSeconds: 3,
  latencySeconds: 4,
  isolationSecondsEach: 2,
  backlog: 10_000,
  pull: 5_000,
  messageLog: 100_000,
  replay: 5_000,
  replaySeconds: 3,
  usageIngest: 5_000,
  usageQueryEvents: 200_000,
};

export const sizesFor = (quick: boolean): Sizes => (quick ? QUICK : FULL);
