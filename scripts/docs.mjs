// The API reference: TypeDoc, in this one process, over every published package's entry points (the
// `exports` of its package.json), into docs/api/<package>/. Warnings are errors, and TypeDoc's
// `notDocumented` check makes every public export without a doc comment a warning, so this is also
// the test that fails when one is missing. Usage: node scripts/docs.mjs [--check] [package ...]
// (--check validates without writing HTML). Exits non-zero when any package has a warning.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, LogLevel, ReflectionKind } from "typedoc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const checkOnly = args.includes("--check");
const only = args.filter((arg) => !arg.startsWith("--"));

// What a user can import: the exports of each entry point and, inside an exported namespace, its
// members (`vim.VirtualMachine`). Each needs a doc comment of its own (for a function, on it or its
// signature). A re-export under another name points at a documented declaration and needs none.
const NAMESPACE = ReflectionKind.Namespace | ReflectionKind.Module;

/** The exports of a converted project that have no doc comment, as dotted names. */
export function undocumentedExports(project) {
  const missing = [];
  const hasComment = (reflection) =>
    reflection.hasComment() ||
    (reflection.signatures ?? []).some((s) => s.hasComment()) ||
    (reflection.type?.type === "reflection" &&
      (reflection.type.declaration.signatures ?? []).some((s) => s.hasComment()));
  // `type A = B` (no type parameters of its own) adds nothing to document: the reference links it to B,
  // whose comment documents both (vSphere's pyVmomi names, `vim.vm.ConfigSpec`).
  const isDocumentedAlias = (reflection) =>
    reflection.kindOf(ReflectionKind.TypeAlias) &&
    !reflection.typeParameters?.length &&
    reflection.type?.type === "reference" &&
    reflection.type.reflection !== undefined &&
    hasComment(reflection.type.reflection);
  const visit = (container, prefix) => {
    // Merged declarations (`interface X` with `const X`, a class with the namespace of its nested names)
    // are one name that TypeDoc shows as several reflections: one comment documents the name.
    const documentedNames = new Set((container.children ?? []).filter(hasComment).map((child) => child.name));
    for (const child of container.children ?? []) {
      if (child.kindOf(ReflectionKind.Reference)) continue;
      const name = prefix ? `${prefix}.${child.name}` : child.name;
      if (child.kindOf(ReflectionKind.Module)) {
        visit(child, name);
        continue;
      }
      const source = child.sources?.[0];
      if (!hasComment(child) && !isDocumentedAlias(child) && !documentedNames.has(child.name))
        missing.push(source ? `${name} (${source.fullFileName}:${source.line})` : name);
      if (child.kindOf(NAMESPACE)) visit(child, name);
    }
  };
  visit(project, "");
  return missing;
}

/** The source entry point of each subpath a package exports ("." -> src/index.ts). */
export function entryPoints(packageDir) {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  return Object.keys(manifest.exports ?? { ".": null })
    .filter((subpath) => subpath !== "./package.json")
    .map((subpath) => join(packageDir, "src", subpath === "." ? "" : subpath.slice(2), "index.ts"));
}

/** TypeDoc's options for one package; `out` is where the HTML goes. */
export function typedocOptions(packageDir, out, { quiet = false } = {}) {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  return {
    name: manifest.name,
    entryPoints: entryPoints(packageDir),
    entryPointStrategy: "resolve",
    tsconfig: join(packageDir, "tsconfig.build.json"),
    readme: "none",
    out,
    excludePrivate: true,
    excludeProtected: false,
    excludeInternal: true,
    excludeExternals: true,
    disableSources: false,
    disableGit: true,
    sourceLinkTemplate: `../../../packages/${packageDir.split("/").pop()}/{path}#L{line}`,
    treatWarningsAsErrors: true,
    // Types are checked by `tsc` (the typecheck task); TypeDoc only reads them.
    skipErrorChecking: true,
    // notDocumented is replaced by undocumentedExports() below; notExported (a type referenced but
    // not exported) asks for code changes, see docs/decisions/0023.
    validation: { notExported: false, invalidLink: true, rewrittenLink: true, notDocumented: false },
    // Quiet counts the warnings without printing them (scripts/docs-test.mjs expects some).
    logLevel: quiet ? LogLevel.Error : LogLevel.Warn,
    githubPages: false,
    hideGenerator: true,
    cleanOutputDir: true,
  };
}

/** Converts, validates and (unless checkOnly) renders one package; answers its warning and error counts. */
export async function buildReference(packageDir, out, { check = false, quiet = false } = {}) {
  const app = await Application.bootstrapWithPlugins(typedocOptions(packageDir, out, { quiet }));
  const project = await app.convert();
  const undocumented = project ? undocumentedExports(project) : [];
  if (project) {
    app.validate(project);
    for (const name of undocumented) app.logger.warn(`${name} is exported but has no doc comment`);
    if (!check && !app.logger.hasErrors() && !app.logger.hasWarnings()) await app.generateOutputs(project);
  }
  return {
    converted: Boolean(project),
    warnings: app.logger.warningCount,
    errors: app.logger.errorCount,
    undocumented,
    reflections: project ? project.getReflectionsByKind(ReflectionKind.All).length : 0,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = readdirSync(join(root, "packages"))
    .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
    .filter((dir) => !JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")).private)
    .filter((dir) => !only.length || only.includes(dir));
  const started = performance.now();
  let failed = 0;
  for (const dir of dirs) {
    const out = join(root, "docs/api", dir);
    if (!checkOnly) rmSync(out, { recursive: true, force: true });
    const t0 = performance.now();
    const result = await buildReference(join(root, "packages", dir), out, { check: checkOnly });
    const ok = result.converted && result.warnings === 0 && result.errors === 0;
    if (!ok) failed++;
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(
      `${ok ? "PASS" : "FAIL"}  ${dir}: ${result.reflections} reflections, ${result.undocumented.length} exports without a doc comment, ${result.warnings} warnings, ${result.errors} errors (${seconds} s)${ok && !checkOnly ? ` -> docs/api/${dir}/` : ""}`,
    );
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`API reference: ${dirs.length - failed} of ${dirs.length} packages without a warning (${seconds} s)`);
  process.exit(failed ? 1 : 0);
}
