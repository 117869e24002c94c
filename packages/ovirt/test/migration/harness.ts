// One simulator per migration test file, and a connected API on it.
import { afterAll, beforeAll } from "@jest/globals";
import { API } from "../../src/index.js";
import { startEngine, type EngineSimulator } from "../../src/testing/index.js";

export interface Session {
  engine: EngineSimulator;
  api: API;
}

/** Starts a simulator (fast status steps) before the file's tests and stops it after. */
export function useEngine(): Session {
  const session = {} as Session;
  beforeAll(async () => {
    session.engine = await startEngine({ stepMs: 10, protocol: "http" });
    session.api = await API.connect({ url: session.engine.url, ...session.engine.credentials });
  });
  afterAll(async () => {
    await session.api?.disconnect();
    await session.engine?.close();
  });
  return session;
}

/** v3 scripts poll with `time.sleep`; the ports poll the simulator without a real delay. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * Polls `read` until `done` holds for what it gives, as OST's `testlib.assert_true_within_*` and the
 * scripts' `while ...: time.sleep(n)` loops do; resolves to the last value read.
 */
export async function eventually<T>(read: () => PromiseLike<T>, done: (value: T) => boolean): Promise<T> {
  for (let polls = 0; polls < 2000; polls++) {
    const now = await read();
    if (done(now)) return now;
    await tick();
  }
  throw new Error("the condition never held");
}
