// Runs one scenario: its variants take turns in rounds (a different order each round), so a noisy
// moment on the machine hits every variant rather than one. Warm-up rounds run first and are not
// counted. A variant's figure is the median of its per-round times per operation, and every goal is
// scored on a median (or a p75) over the rounds, never on the largest or smallest round: on a shared
// machine one round's load spike says nothing about the client. Each figure keeps its spread.

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
 * @property {{ perOp: number, unit: string }} [work]  what one operation does, for the throughput
 *   column (default { perOp: 1, unit: "ops" }): e.g. { perOp: 1000, unit: "objects" } gives objects/s
 * @property {Metric[]} [metrics]    figures the variants report besides time (peak RSS, sizes …)
 *
 * An operation may resolve to an {@link OperationReport}: its `elapsedUs` and `cpuUs` then replace
 * the harness's own wall clock and CPU reading for that operation (for a variant that runs in a
 * child process, or that must leave set-up work out of the timed part), and its `metrics` are
 * collected per round.
 *
 * @typedef {object} OperationReport
 * @property {number} [elapsedUs]
 * @property {number | null} [cpuUs]  the client's own CPU time; null when it cannot be known
 * @property {Record<string, number>} [metrics]
 *
 * @typedef {object} Metric
 * @property {string} key
 * @property {string} label
 * @property {"median" | "p75"} [aggregate]  over the counted rounds (default "median"); goals use it
 *   too. The spread (p25, p75, min, max over the rounds) is recorded and printed beside it.
 * @property {number} [digits]       decimals shown (default 1)
 *
 * A goal is one of:
 * @typedef {object} Goal
 * @property {string} variant
 * @property {number} [maxRatio]     the variant's median time divided by the baseline's, at most
 * @property {string} [than]         with `maxRatio`: divide by this variant's figure instead of the baseline's
 * @property {"cpu"} [measure]       with `maxRatio`: compare CPU time per operation instead of wall time
 * @property {number} [minThroughputRatio]  the variant's throughput divided by the baseline's, at least
 * @property {string} [metric]       with `max`: a metric's aggregate, at most `max` (an absolute goal)
 * @property {number} [max]
 * @property {string} text           the goal in words
 */

/** Thrown by a scenario's setup when the machine cannot run it (no disk space …): reported, not failed. */
export class ScenarioSkipped extends Error {}

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
  const metricSamples = Object.fromEntries(labels.map((label) => [label, {}]));
  try {
    for (let round = 0; round < warmupRounds + rounds; round++) {
      for (const label of orderFor(labels, round)) {
        const operation = scenario.variants[label];
        const reports = [];
        const cpu0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < opsPerRound; i++) reports.push(await operation(state));
        const elapsedNs = Number(process.hrtime.bigint() - t0);
        const cpu = process.cpuUsage(cpu0);
        if (round >= warmupRounds) {
          // Operations that time themselves (see OperationReport) override the harness's readings.
          const reported = (key) =>
            reports.every((r) => r && typeof r === "object" && key in r)
              ? reports.reduce((sum, r) => (sum === null || r[key] === null ? null : sum + r[key]), 0)
              : undefined;
          const elapsedUs = reported("elapsedUs") ?? elapsedNs / 1000;
          const cpuUs = reported("cpuUs");
          samples[label].push(elapsedUs / opsPerRound);
          cpuSamples[label].push(
            cpuUs === undefined ? (cpu.user + cpu.system) / opsPerRound : cpuUs && cpuUs / opsPerRound,
          );
          for (const { key } of scenario.metrics ?? []) {
            const values = reports.map((r) => r?.metrics?.[key]).filter((v) => typeof v === "number");
            if (values.length) (metricSamples[label][key] ??= []).push(median(values));
          }
        }
      }
    }
  } finally {
    notes = (await scenario.teardown?.(state)) ?? undefined;
  }

  const baseline = samples[scenario.baseline];
  const baselineMedian = median(baseline);
  const baselineCpu = medianOrNull(cpuSamples[scenario.baseline]);
  const work = scenario.work ?? { perOp: 1, unit: "ops" };
  const variants = labels.map((label) => {
    const us = samples[label];
    const medianUs = median(us);
    const cpuUs = medianOrNull(cpuSamples[label]);
    const metrics = {};
    const metricSpread = {};
    for (const { key, aggregate = "median" } of scenario.metrics ?? []) {
      const values = metricSamples[label][key];
      if (!values?.length) continue;
      if (aggregate !== "median" && aggregate !== "p75") {
        throw new Error(`scenario ${scenario.name}: metric ${key} has aggregate "${aggregate}" (median or p75)`);
      }
      metrics[key] = round3(quantile(values, aggregate === "p75" ? 0.75 : 0.5));
      metricSpread[key] = spread(values);
    }
    return {
      label,
      medianUs: round3(medianUs),
      p25Us: round3(quantile(us, 0.25)),
      p75Us: round3(quantile(us, 0.75)),
      minUs: round3(Math.min(...us)),
      opsPerSec: Math.round(1e6 / medianUs),
      ...(scenario.work ? { throughput: round3((work.perOp * 1e6) / medianUs) } : {}),
      ratio: round3(medianUs / baselineMedian),
      // The median of the round-by-round ratios: a cross-check that is less sensitive to drift.
      pairedRatio: round3(median(us.map((value, i) => value / baseline[i]))),
      // This process's CPU time (user + system) per operation: the client's own cost, which wall
      // time on a loopback round trip can hide behind scheduling latency.
      cpuUs: cpuUs === null ? null : round3(cpuUs),
      cpuRatio: cpuUs === null || baselineCpu === null ? null : round3(cpuUs / baselineCpu),
      ...(scenario.metrics ? { metrics, metricSpread, metricSamples: metricSamples[label] } : {}),
      samplesUs: us.map(round3),
    };
  });
  const byLabel = Object.fromEntries(variants.map((v) => [v.label, v]));
  const goals = (scenario.goals ?? []).map((goal) => {
    const variant = byLabel[goal.variant];
    if (!variant) throw new Error(`scenario ${scenario.name}: goal names unknown variant "${goal.variant}"`);
    if (goal.metric !== undefined) {
      const value = variant.metrics?.[goal.metric];
      const metric = (scenario.metrics ?? []).find((m) => m.key === goal.metric) ?? {};
      const { label = goal.metric, digits = 1, aggregate = "median" } = metric;
      return {
        ...goal,
        value: value ?? null,
        label,
        digits,
        aggregate,
        spread: variant.metricSpread?.[goal.metric] ?? null,
        pass: value !== undefined && value <= goal.max,
      };
    }
    // Ratio goals: the ratio of the two medians; the spread is that of the round-by-round ratios
    // (variants run interleaved, so a round's two figures saw the same moment of the machine).
    const other = byLabel[goal.than ?? scenario.baseline];
    if (!other) throw new Error(`scenario ${scenario.name}: goal names unknown variant "${goal.than}"`);
    const cpu = goal.measure === "cpu";
    const series = (v) => (cpu ? cpuSamples[v.label] : samples[v.label]);
    const roundRatios = (flip) =>
      series(variant).some((x) => x === null) || series(other).some((x) => x === null)
        ? null
        : spread(series(variant).map((x, i) => (flip ? series(other)[i] / x : x / series(other)[i])));
    if (goal.minThroughputRatio !== undefined) {
      const throughputRatio = round3(other.medianUs / variant.medianUs);
      return { ...goal, throughputRatio, spread: roundRatios(true), pass: throughputRatio >= goal.minThroughputRatio };
    }
    const figure = (v) => (cpu ? v.cpuUs : v.medianUs);
    const ratio = figure(variant) === null || figure(other) === null ? null : round3(figure(variant) / figure(other));
    return { ...goal, ratio, spread: roundRatios(false), pass: ratio !== null && ratio <= goal.maxRatio };
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
      ...(scenario.work ? { work: scenario.work } : {}),
      ...(scenario.metrics ? { metrics: scenario.metrics } : {}),
    },
    variants,
    goals,
    notes,
    durationMs: Math.round(performance.now() - started),
  };
}

function medianOrNull(values) {
  return values.some((v) => v === null) ? null : median(values);
}

/** How a figure varied over the rounds. */
function spread(values) {
  return {
    p25: round3(quantile(values, 0.25)),
    p75: round3(quantile(values, 0.75)),
    min: round3(Math.min(...values)),
    max: round3(Math.max(...values)),
  };
}

function round3(value) {
  return Math.round(value * 1000) / 1000;
}
