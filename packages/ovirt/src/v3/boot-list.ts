// v3's `os.boot`: a list of Boot objects, one per device in boot order (v3's api.xsd repeats <boot dev="hd"/>
// in <os>), read as `vm.os.boot[0].dev` or `vm.get_os().get_boot()[0].get_dev()`. API v4 has one Boot holding
// `devices`. A fetched Boot is v4's object (its own members are v4's, so JSON, update() and the encoder see
// v4's shape) that also reads as v3's list, from its prototype (docs/decisions/0025).
import type { BootDevice } from "../generated/types.js";

/** One item of v3's `os.boot` list: its `dev` is the device at that place of v4's `boot.devices`. */
export interface V3Boot {
  /** The device (`hd`, `cdrom`, `network`); setting it changes v4's `boot.devices` at that place. */
  get dev(): BootDevice | undefined;
  set dev(value: BootDevice);
  /** generateDS's getter of `dev`. */
  get_dev(): BootDevice | undefined;
  /** generateDS's setter of `dev`. */
  set_dev(value: BootDevice): void;
}

interface BootData {
  devices?: BootDevice[];
}

class BootItem implements V3Boot {
  readonly #boot: BootData;
  readonly #index: number;

  constructor(boot: BootData, index: number) {
    this.#boot = boot;
    this.#index = index;
  }

  get dev(): BootDevice | undefined {
    return this.#boot.devices?.[this.#index];
  }

  set dev(value: BootDevice) {
    (this.#boot.devices ??= [])[this.#index] = value;
  }

  get_dev(): BootDevice | undefined {
    return this.dev;
  }

  set_dev(value: BootDevice): void {
    this.dev = value;
  }

  toJSON(): { dev?: BootDevice } {
    return { dev: this.dev };
  }
}

const lengthOf = (boot: BootData): number => (Array.isArray(boot.devices) ? boot.devices.length : 0);

// Indices answered: far more than the three boot devices of the model (cdrom, hd, network).
const MAX_ITEMS = 16;

/**
 * What a fetched Boot's accessors sit on: `length` and the indices read v4's `devices` (getters, so the object's
 * own members stay v4's), and Array.prototype gives the list methods (`map`, `forEach`, `for...of`).
 */
function bootListBase(): object {
  const base = Object.create(Array.prototype) as object;
  Object.defineProperty(base, "length", {
    get(this: BootData) {
      return lengthOf(this);
    },
    configurable: true,
  });
  for (let i = 0; i < MAX_ITEMS; i++) {
    Object.defineProperty(base, i, {
      get(this: BootData) {
        return i < lengthOf(this) ? new BootItem(this, i) : undefined;
      },
      configurable: true,
    });
  }
  return base;
}

/** The v4 structs read in another shape by v3 scripts, by the prototype their accessors sit on: Boot, as v3's list. */
export const V3_READ_BASES: Readonly<Record<string, object>> = { Boot: bootListBase() };
