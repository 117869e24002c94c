// The main job: runs each package's seed examples in turn against servers or simulators that each
// section starts and stops itself, and prints a readable transcript. Sections live in sections/,
// one file per package, run in name order; `node demo/run.mjs common` runs just the named ones.
import { readdirSync } from "node:fs";

const only = process.argv.slice(2);
const dir = new URL("./sections/", import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".mjs"))
  .sort();
let failed = 0;

/** The error a call (or a promise) ends in, as `Name: message`: how the sections show bad input. */
async function failure(call) {
  try {
    await (typeof call === "function" ? call() : call);
    return "(no error)";
  } catch (error) {
    return `${error.name}: ${error.message}`;
  }
}

/** A one-line progress bar, redrawn in place on a terminal and printed at quarters otherwise. */
function progressBar(label) {
  let lastQuarter = -1;
  let ended = false;
  return (fraction, note) => {
    const pct = Math.min(100, Math.round(fraction * 100));
    if (ended) return;
    ended = pct >= 100;
    if (process.stdout.isTTY) {
      const filled = Math.round(pct / 5);
      process.stdout.write(`\r  ${label} [${"#".repeat(filled)}${".".repeat(20 - filled)}] ${pct}% ${note}   `);
      if (ended) process.stdout.write("\n");
    } else if (Math.floor(pct / 25) > lastQuarter) {
      lastQuarter = Math.floor(pct / 25);
      console.log(`  ${label} ${pct}% ${note}`);
    }
  };
}

for (const file of files) {
  const name = file.replace(/^\d+-|\.mjs$/g, "");
  if (only.length && !only.includes(name)) continue;
  const started = Date.now();
  try {
    const section = await import(new URL(file, dir));
    console.log(`\n=== ${section.title} ===`);
    await section.run({
      step: (text) => console.log(`\n> ${text}`),
      show: (text) => console.log(`  ${text}`),
      failure,
      progressBar,
    });
    console.log(`\n(${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed++;
    console.error(`\n${name} failed: ${error?.stack ?? error}`);
  }
}
process.exitCode = failed ? 1 : 0;
