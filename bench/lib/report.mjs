// Prints a scenario's results and writes them to docs/benchmarks/: <scenario>.json, and README.md
// rebuilt from every JSON file there, so running one scenario keeps the others' last results.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export function formatGoal(goal, baseline) {
  const verdict = goal.pass ? "PASS" : "FAIL";
  return `${verdict}  ${goal.variant}: ${goal.ratio.toFixed(2)}x ${baseline} (goal: at most ${goal.maxRatio.toFixed(2)}x; ${goal.text})`;
}

export function printResult(result, log = (line) => process.stdout.write(`${line}\n`)) {
  const rows = [
    ["variant", "median µs/op", "p25-p75 µs", "ops/s", "ratio", "paired ratio", "CPU µs/op", "CPU ratio"],
    ...result.variants.map((v) => [
      v.label + (v.label === result.baseline ? " (baseline)" : ""),
      v.medianUs.toFixed(1),
      `${v.p25Us.toFixed(1)}-${v.p75Us.toFixed(1)}`,
      String(v.opsPerSec),
      `${v.ratio.toFixed(2)}x`,
      `${v.pairedRatio.toFixed(2)}x`,
      v.cpuUs.toFixed(1),
      `${v.cpuRatio.toFixed(2)}x`,
    ]),
  ];
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
    "system) per operation, the client's cost apart from waiting. Goals are reported, not enforced.",
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
          : ""),
      "",
    );
    lines.push(
      "| variant | median µs/op | p25-p75 µs | ops/s | ratio | paired ratio | CPU µs/op | CPU ratio |",
      "|---|--:|--:|--:|--:|--:|--:|--:|",
    );
    for (const v of result.variants) {
      const label = v.label === result.baseline ? `${v.label} (baseline)` : v.label;
      lines.push(
        `| ${label} | ${v.medianUs.toFixed(1)} | ${v.p25Us.toFixed(1)}-${v.p75Us.toFixed(1)} | ${v.opsPerSec} | ${v.ratio.toFixed(2)}x | ${v.pairedRatio.toFixed(2)}x | ${v.cpuUs.toFixed(1)} | ${v.cpuRatio.toFixed(2)}x |`,
      );
    }
    lines.push("");
    for (const goal of result.goals) lines.push(`- **${formatGoal(goal, result.baseline)}**`);
    if (result.goals.length) lines.push("");
  }
  writeFileSync(join(directory, "README.md"), `${lines.join("\n").trimEnd()}\n`);
}
