// v3's `os.boot`: a list of Boot objects, one per device in boot order (v3's api.xsd repeats <boot dev="hd"/>
// in <os>), read as `vm.os.boot[0].dev` or `vm.get_os().get_boot()[0].get_dev()`. API v4 has one Boot holding
// `devices`. A fetched Boot is v4's object (its own members are v4's, so JSON, update() and the encoder see
// v4's shape) that also reads as v3's list: a Proxy answers the indices and `length`, and Array.prototype
// under its accessors gives the list methods (docs/decisions/0025).
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

const INDEX = /^(?:0|[1-9]\d*)$/;

const lengthOf = (boot: BootData): number => (Array.isArray(boot.devices) ? boot.devices.length : 0);

const BOOT_LIST: ProxyHandler<BootData> = {
  get(target, key, receiver) {
    if (key === "length") return lengthOf(target);
    if (typeof key === "string" && INDEX.test(key)) {
      return Number(key) < lengthOf(target) ? new BootItem(target, Number(key)) : undefined;
    }
    return Reflect.get(target, key, receiver);
  },
  // Array.prototype's methods (map, forEach) ask whether each index is there.
  has(target, key) {
    if (typeof key === "string" && INDEX.test(key)) return Number(key) < lengthOf(target);
    return Reflect.has(target, key);
  },
};

/** A v4 struct whose fetched objects also read in v3's shape. */
export interface V3ReadShape {
  /** What the prototype holding the struct's accessors derives from. */
  readonly base: object;
  /** The object as it is read (it keeps its own members). */
  wrap(value: object): object;
}

/** The v4 structs read in another shape by v3 scripts: Boot, as v3's list of Boot objects. */
export const V3_READ_SHAPES: Readonly<Record<string, V3ReadShape>> = {
  Boot: { base: Array.prototype, wrap: (boot) => new Proxy(boot as BootData, BOOT_LIST) },
};
