// Runs one scenario: its variants take turns in rounds (a different order each round), so a noisy
// moment on the machine hits every variant rather than one. Warm-up rounds run first and are not
// counted. A variant's figure is the median of its per-round times per operation.

/**
 * A scenario module's default export.
 * @typedef {object} Scenario
 * @property {string} name           file-friendly name; results go to docs/benchmarks/<name>.json
 * @property {string} title
 * @property {string} description    what one operation does
 * @property {string} baseline       the variant the others are divided by
 * @property {Goal[]} [goals]
 * @property {number} [rounds]       counted rounds (default 25)
 * @property {number} [warmupRounds] (default 3)
 * @property {number} [opsPerRound]  operations per variant per round (default 100)
 * @property {(context: { plannedOps: number }) => Promise<unknown>} [setup]  its result is the state
 * @property {Record<string, (state: any) => Promise<unknown>>} variants  one operation each
 * @property {(state: any) => Promise<Record<string, unknown> | void>} [teardown]  may return notes
 *
 * @typedef {object} Goal
 * @property {string} variant
 * @property {number} maxRatio       the variant's median divided by the baseline's, at most
 * @property {string} text           the goal in words
 */

export function median(values) {
  return quantile(values, 0.5);
}

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/** Rotates the order each round, so every variant runs first, second, ... equally often. */
function orderFor(labels, round) {
  const shift = round % labels.length;
  return [...labels.slice(shift), ...labels.slice(0, shift)];
}

/**
 * @param {Scenario} scenario
 * @param {{ rounds?: number, warmupRounds?: number, opsPerRound?: number }} overrides
 */
export async function runScenario(scenario, overrides = {}) {
  const labels = Object.keys(scenario.variants);
  if (!labels.includes(scenario.baseline)) {
    throw new Error(`scenario ${scenario.name}: baseline "${scenario.baseline}" is not one of its variants`);
  }
  const rounds = overrides.rounds ?? scenario.rounds ?? 25;
  const warmupRounds = overrides.warmupRounds ?? scenario.warmupRounds ?? 3;
  const opsPerRound = overrides.opsPerRound ?? scenario.opsPerRound ?? 100;
  const plannedOps = (rounds + warmupRounds) * opsPerRound * labels.length;

  const started = performance.now();
  const state = await scenario.setup?.({ plannedOps });
  let notes;
  const samples = Object.fromEntries(labels.map((label) => [label, []]));
  const cpuSamples = Object.fromEntries(labels.map((label) => [label, []]));
  try {
    for (let round = 0; round < warmupRounds + rounds; round++) {
      for (const label of orderFor(labels, round)) {
        const operation = scenario.variants[label];
        const cpu0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < opsPerRound; i++) await operation(state);
        const elapsedNs = Number(process.hrtime.bigint() - t0);
        const cpu = process.cpuUsage(cpu0);
        if (round >= warmupRounds) {
          samples[label].push(elapsedNs / opsPerRound / 1000);
          cpuSamples[label].push((cpu.user + cpu.system) / opsPerRound);
        }
      }
    }
  } finally {
    notes = (await scenario.teardown?.(state)) ?? undefined;
  }

  const baseline = samples[scenario.baseline];
  const baselineMedian = median(baseline);
  const baselineCpu = median(cpuSamples[scenario.baseline]);
  const variants = labels.map((label) => {
    const us = samples[label];
    const medianUs = median(us);
    const cpuUs = median(cpuSamples[label]);
    return {
      label,
      medianUs: round3(medianUs),
      p25Us: round3(quantile(us, 0.25)),
      p75Us: round3(quantile(us, 0.75)),
      minUs: round3(Math.min(...us)),
      opsPerSec: Math.round(1e6 / medianUs),
      ratio: round3(medianUs / baselineMedian),
      // The median of the round-by-round ratios: a cross-check that is less sensitive to drift.
      pairedRatio: round3(median(us.map((value, i) => value / baseline[i]))),
      // This process's CPU time (user + system) per operation: the client's own cost, which wall
      // time on a loopback round trip can hide behind scheduling latency.
      cpuUs: round3(cpuUs),
      cpuRatio: round3(cpuUs / baselineCpu),
      samplesUs: us.map(round3),
    };
  });
  const byLabel = Object.fromEntries(variants.map((v) => [v.label, v]));
  const goals = (scenario.goals ?? []).map((goal) => {
    const variant = byLabel[goal.variant];
    if (!variant) throw new Error(`scenario ${scenario.name}: goal names unknown variant "${goal.variant}"`);
    return { ...goal, ratio: variant.ratio, pass: variant.ratio <= goal.maxRatio };
  });

  return {
    scenario: scenario.name,
    title: scenario.title,
    description: scenario.description,
    baseline: scenario.baseline,
    settings: {
      rounds,
      warmupRounds,
      opsPerRound,
      order: "rotated each round",
      unit: "µs per operation (wall clock; cpu: this process's user + system time)",
    },
    variants,
    goals,
    notes,
    durationMs: Math.round(performance.now() - started),
  };
}

function round3(value) {
  return Math.round(value * 1000) / 1000;
}
