import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { resourceByEndpoint, resourceNames, resources, type ResourceMeta } from "../src/generated/api.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const specFile = fileURLToPath(new URL("../../../../shared/specs/tutum/api.json", import.meta.url));

describe("src/generated/api.ts", () => {
  // The generator runs in a child process: seconds on a busy machine, past jest's 5 s default.
  it("is what scripts/generate.mjs writes from api.json (--check)", async () => {
    if (!existsSync(specFile)) {
      console.log(`skipped: ${specFile} is absent (no ../shared beside this clone)`);
      return;
    }
    const { stdout } = await promisify(execFile)(process.execPath, ["scripts/generate.mjs", "--check"], {
      cwd: packageDir,
    });
    expect(stdout).toContain("up to date");
  }, 60_000);

  it("--check passes with a notice when the spec is absent", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["scripts/generate.mjs", "--check", "--spec", "/nonexistent/api.json"],
      { cwd: packageDir },
    );
    expect(stdout).toContain("not found");
  });

  it("describes the seed-era and service-era resources with their keys", () => {
    for (const name of ["Application", "Container", "Image", "Registry", "Service", "Node", "NodeCluster"] as const) {
      expect(resourceNames).toContain(name);
    }
    const pk: Record<string, string> = {
      Application: "uuid",
      Service: "uuid",
      Image: "name",
      Registry: "host",
      Provider: "name",
      Region: "name",
      NodeType: "name",
    };
    for (const [name, field] of Object.entries(pk)) {
      const meta: ResourceMeta = resources[name as keyof typeof resources];
      expect(meta.pk).toBe(field);
      expect(meta.fields.map((f) => f.name)).toContain(field);
    }
  });

  it("keeps every action's allowed states inside the resource's states", () => {
    for (const name of resourceNames) {
      const meta: ResourceMeta = resources[name];
      const states = new Set(meta.states.map((s) => s.name));
      for (const action of meta.actions) {
        for (const state of action.allowedStates ?? [])
          expect([name, action.name, states.has(state)]).toEqual([name, action.name, true]);
      }
      for (const t of meta.transitions) {
        expect(states.has(t.to)).toBe(true);
      }
    }
  });

  it("has the service state machine and the flags a client needs", () => {
    const service: ResourceMeta = resources.Service;
    expect(service.initialState).toBe("Not running");
    const start = service.actions.find((a) => a.name === "start");
    expect(start).toMatchObject({ method: "POST", kind: "action", segment: "start", resultingState: "Starting" });
    expect(start?.allowedStates).toEqual(["Not running", "Stopped", "Partly running"]);
    const state = service.fields.find((f) => f.name === "state");
    expect(state).toMatchObject({ readonly: true, create: false, update: false });
    const target = service.fields.find((f) => f.name === "target_num_containers");
    expect(target).toMatchObject({ type: "integer", readonly: false, create: true, update: true });
    expect(service.states.find((s) => s.name === "Starting")?.transitional).toBe(true);
    expect(resourceByEndpoint.nodecluster).toBe("NodeCluster");
  });
});
