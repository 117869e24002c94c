// Prints a scenario's results and writes them to docs/benchmarks/: <scenario>.json, and README.md
// rebuilt from every JSON file there, so running one scenario keeps the others' last results.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export function formatGoal(goal, baseline) {
  const verdict = goal.pass ? "PASS" : "FAIL";
  if (goal.metric !== undefined) {
    const digits = goal.digits ?? 1;
    const value = goal.value === null ? "not measured" : goal.value.toFixed(digits);
    const over = goal.aggregate === "p75" ? "p75" : "median";
    return `${verdict}  ${goal.variant}: ${goal.label ?? goal.metric} ${value}, ${over} of the rounds${spreadText(goal.spread, digits)} (goal: at most ${goal.max}; ${goal.text})`;
  }
  if (goal.minThroughputRatio !== undefined) {
    return `${verdict}  ${goal.variant}: ${goal.throughputRatio.toFixed(2)}x ${goal.than ?? baseline}'s throughput${spreadText(goal.spread, 2, "x")} (goal: at least ${goal.minThroughputRatio.toFixed(2)}x; ${goal.text})`;
  }
  const against = `${goal.than ?? baseline}${goal.measure === "cpu" ? " in CPU time" : ""}`;
  const ratio = goal.ratio === null ? "not measured against" : `${goal.ratio.toFixed(2)}x`;
  return `${verdict}  ${goal.variant}: ${ratio} ${against}${spreadText(goal.spread, 2, "x")} (goal: at most ${goal.maxRatio.toFixed(2)}x; ${goal.text})`;
}

/** ", rounds p25-p75 a-b, min-max c-d": how a goal's figure varied from round to round. */
function spreadText(spread, digits, suffix = "") {
  if (!spread) return "";
  const f = (v) => `${v.toFixed(digits)}${suffix}`;
  return ` [rounds: p25-p75 ${f(spread.p25)}-${f(spread.p75)}, min-max ${f(spread.min)}-${f(spread.max)}]`;
}

/** Times in µs, shown in the unit that suits the scenario's baseline (µs for the small ones). */
function timeUnit(result, key = "medianUs") {
  const baseline = result.variants.find((v) => v.label === result.baseline)?.[key] ?? 0;
  if (baseline >= 1e6) return { name: "s", div: 1e6, digits: 2 };
  if (baseline >= 1e4) return { name: "ms", div: 1e3, digits: 1 };
  return { name: "µs", div: 1, digits: 1 };
}

/** The table of a result, as rows of cells (the first row is the header). */
function tableRows(result) {
  const t = timeUnit(result);
  const work = result.settings.work;
  const metrics = result.settings.metrics ?? [];
  const time = (us) => (us / t.div).toFixed(t.digits);
  // CPU in its own unit: a client's few ms of CPU under a server's second of wall time stay readable.
  const c = timeUnit(result, "cpuUs");
  const cpu = (us) => (us === null || us === undefined ? "n/a" : (us / c.div).toFixed(c.digits));
  const ratio = (value) => (value === null || value === undefined ? "n/a" : `${value.toFixed(2)}x`);
  return [
    [
      "variant",
      `median ${t.name}/op`,
      `p25-p75 ${t.name}`,
      work ? `${work.unit}/s` : "ops/s",
      "ratio",
      "paired ratio",
      `CPU ${c.name}/op`,
      "CPU ratio",
      ...metrics.map((m) => m.label),
    ],
    ...result.variants.map((v) => [
      v.label + (v.label === result.baseline ? " (baseline)" : ""),
      time(v.medianUs),
      `${time(v.p25Us)}-${time(v.p75Us)}`,
      work ? v.throughput.toFixed(v.throughput >= 100 ? 0 : 1) : String(v.opsPerSec),
      ratio(v.ratio),
      ratio(v.pairedRatio),
      cpu(v.cpuUs),
      ratio(v.cpuRatio),
      ...metrics.map((m) => metricCell(v, m)),
    ]),
  ];
}

/** A metric's median (or p75) over the rounds, with its smallest and largest round when they differ. */
function metricCell(variant, metric) {
  const value = variant.metrics?.[metric.key];
  if (value === undefined) return "n/a";
  const digits = metric.digits ?? 1;
  const spread = variant.metricSpread?.[metric.key];
  if (!spread || spread.min.toFixed(digits) === spread.max.toFixed(digits)) return value.toFixed(digits);
  return `${value.toFixed(digits)} (${spread.min.toFixed(digits)}-${spread.max.toFixed(digits)})`;
}

export function printResult(result, log = (line) => process.stdout.write(`${line}\n`)) {
  const rows = tableRows(result);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) {
    log(
      `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ")}`,
    );
  }
  for (const goal of result.goals) log(`  ${formatGoal(goal, result.baseline)}`);
  if (result.notes) log(`  notes: ${JSON.stringify(result.notes)}`);
  log(
    `  (${result.settings.warmupRounds} warm-up + ${result.settings.rounds} rounds x ${result.settings.opsPerRound} ops per variant, ${(result.durationMs / 1000).toFixed(1)} s)`,
  );
}

export function writeResult(directory, result) {
  mkdirSync(directory, { recursive: true });
  // One line per sample array keeps the file readable.
  const text = JSON.stringify(result, null, 2).replace(
    /"samplesUs": \[([^\]]*)\]/g,
    (_, inner) => `"samplesUs": [${inner.trim().split(/,\s*/).join(", ")}]`,
  );
  writeFileSync(join(directory, `${result.scenario}.json`), `${text}\n`);
}

export function writeReadme(directory) {
  const results = readdirSync(directory)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(directory, file), "utf8")));
  const lines = [
    "# Benchmarks",
    "",
    "Written by `pnpm bench` (`node bench/run.mjs [scenario…]`); do not edit by hand. Each scenario's",
    "variants run interleaved in rounds after warm-up rounds; figures are medians of the per-round time",
    "per operation (wall clock), and ratios divide by the scenario's baseline. `paired ratio` is the",
    "median of the round-by-round ratios; `CPU µs/op` is the benchmark process's own CPU time (user +",
    "system) per operation, the client's cost apart from waiting (for a variant run in a child process,",
    "that process's own). Goals are reported, not enforced, and scored on medians (or a p75) over the",
    "rounds, never on the largest round; each goal line gives the round-by-round spread (for a ratio,",
    "of the ratios within a round), and a metric column shows its median with the smallest-largest",
    "round in brackets.",
    "Raw per-round samples are in the JSON file next to this one.",
    "",
  ];
  for (const result of results) {
    const m = result.machine;
    lines.push(`## ${result.scenario}: ${result.title}`, "", result.description, "");
    lines.push(
      `Machine: ${m.nproc} CPUs (${m.cpu}), Node ${m.node}, ${m.platform} ${m.arch}. Date: ${result.date}. ` +
        `Command: \`${result.command}\`. ${result.settings.warmupRounds} warm-up + ${result.settings.rounds} rounds ` +
        `x ${result.settings.opsPerRound} operations per variant.` +
        (result.versions
          ? ` Versions: ${Object.entries(result.versions)
              .map(([k, v]) => `${k} ${v}`)
              .join(", ")}.`
          : "") +
        (result.load
          ? ` Load average (1/5/15 min) before ${result.load.before.join(" / ")}, after ${result.load.after.join(" / ")}.`
          : ""),
      "",
    );
    const [header, ...rows] = tableRows(result);
    lines.push(
      `| ${header.join(" | ")} |`,
      `|---|${header
        .slice(1)
        .map(() => "--:")
        .join("|")}|`,
    );
    for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
    lines.push("");
    for (const goal of result.goals) lines.push(`- **${formatGoal(goal, result.baseline)}**`);
    if (result.goals.length) lines.push("");
    if (result.notes) {
      const text = (value) => (typeof value === "string" ? value : JSON.stringify(value));
      lines.push(
        `Notes: ${Object.entries(result.notes)
          .map(([key, value]) => `${key}: ${text(value)}`)
          .join("; ")}.`,
        "",
      );
    }
  }
  writeFileSync(join(directory, "README.md"), `${lines.join("\n").trimEnd()}\n`);
}
