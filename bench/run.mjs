// `pnpm bench` / `node bench/run.mjs [options] [scenario…]`: runs the named scenarios (all when none
// is named) from bench/scenarios/, prints medians, ratios and goals, and writes docs/benchmarks/.
// A missed goal is printed as FAIL but does not change the exit code: benchmarks report, they do
// not gate. Only a scenario that cannot run exits non-zero.
import { readdirSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { runScenario, ScenarioSkipped } from "./lib/harness.mjs";
import { formatGoal, printResult, writeReadme, writeResult } from "./lib/report.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const scenariosDir = join(here, "scenarios");
const outputDir = join(here, "..", "docs", "benchmarks");

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: "string" },
    warmup: { type: "string" },
    ops: { type: "string" },
    list: { type: "boolean" },
    "no-write": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});

if (flags.help) {
  process.stdout.write(
    "usage: node bench/run.mjs [--rounds N] [--warmup N] [--ops N] [--no-write] [--list] [scenario…]\n",
  );
  process.exit(0);
}

// A scenario is named after its file. Only the chosen ones are imported, so a run does not depend on
// the build of packages it does not measure.
const files = readdirSync(scenariosDir)
  .filter((f) => f.endsWith(".mjs"))
  .sort();
const wanted = flags.list || positionals.length === 0 ? undefined : new Set(positionals);
const available = new Map();
for (const file of files) {
  const name = basename(file, ".mjs");
  if (wanted && !wanted.has(name)) {
    available.set(name, { file });
    continue;
  }
  const scenario = (await import(pathToFileURL(join(scenariosDir, file)).href)).default;
  if (scenario?.name !== name)
    throw new Error(`bench/scenarios/${file} names itself "${scenario?.name}", not "${name}"`);
  available.set(name, { file, scenario });
}

if (flags.list) {
  for (const [name, { scenario }] of available) process.stdout.write(`${name}: ${scenario.title}\n`);
  process.exit(0);
}

const chosen = positionals.length ? positionals : [...available.keys()];
const unknown = chosen.filter((name) => !available.has(name));
if (unknown.length) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(", ")}; available: ${[...available.keys()].join(", ")}\n`);
  process.exit(2);
}

const number = (value) => (value === undefined ? undefined : Number.parseInt(value, 10));
const overrides = { rounds: number(flags.rounds), warmupRounds: number(flags.warmup), opsPerRound: number(flags.ops) };
const machine = {
  nproc: availableParallelism(),
  cpu: cpus()[0]?.model.trim() ?? "unknown",
  node: process.version,
  platform: process.platform,
  arch: process.arch,
  osRelease: release(),
};

let failedToRun = 0;
const summary = [];
for (const name of chosen) {
  const { scenario } = available.get(name);
  process.stdout.write(`\n== ${name}: ${scenario.title}\n`);
  try {
    // The 1/5/15-minute load averages around the run: others' work on a shared machine shows here.
    const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));
    const result = await runScenario(scenario, overrides);
    const output = {
      ...result,
      load: { before: loadBefore, after: loadavg().map((l) => Number(l.toFixed(2))) },
      date: new Date().toISOString(),
      command: `node bench/run.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(" ")}` : ""}`,
      machine,
      versions: scenario.versions?.() ?? undefined,
    };
    printResult(output);
    if (!flags["no-write"]) writeResult(outputDir, output);
    summary.push(...output.goals.map((goal) => `${name}: ${formatGoal(goal, output.baseline)}`));
  } catch (error) {
    if (error instanceof ScenarioSkipped) {
      process.stdout.write(`  SKIPPED: ${error.message}\n`);
      summary.push(`${name}: SKIPPED (${error.message})`);
      continue;
    }
    failedToRun++;
    process.stderr.write(`scenario ${name} could not run: ${error?.stack ?? error}\n`);
  }
}
if (!flags["no-write"]) {
  writeReadme(outputDir);
  process.stdout.write(`\nresults written to ${join("docs", "benchmarks")}/\n`);
}
if (summary.length) process.stdout.write(`\ngoals:\n${summary.map((line) => `  ${line}`).join("\n")}\n`);
process.exit(failedToRun ? 1 : 0);
