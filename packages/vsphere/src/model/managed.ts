// Managed object classes, built from the wire metadata on first use. As in pyVmomi, a managed object is
// a reference (type and id) bound to a connection: its methods are the API's operations, and reading a
// property (`await vm.name`) asks the server, one round trip each; `si.collect` reads many at once.
import { inspect } from "node:util";
import { ConfigError, ValidationError } from "@nimbus-sdk/common/client";
import { managedType, onceByName, operation, pyvmomiMethods } from "../soap/metadata.js";
import type { SoapStub } from "../soap/stub.js";
import { readPropertyPath, type PathValue } from "../property-path.js";
import { serviceInstanceMethods } from "../service-instance.js";
import type { CallOptions } from "./base.js";
import { brand, isInstanceOf } from "./brand.js";

export interface ManagedConstructor {
  new (moId: string, stub?: SoapStub): ManagedObject;
  readonly _wsdlName: string;
}

/** The root of every managed object class (vmodl.ManagedObject). */
export class ManagedObject {
  static readonly _wsdlName: string = "ManagedObject";
  /** The managed object id ("vm-42"). */
  readonly _moId!: string;
  readonly #stub: SoapStub | undefined;

  constructor(moId: string, stub?: SoapStub) {
    if (typeof moId !== "string" || !moId) {
      throw new ValidationError(`a managed object needs its id (e.g. "vm-42"), got ${typeof moId}`, { field: "moId" });
    }
    // One object per reference and connection: the one already handed out, if any.
    const type = new.target === ManagedObject ? undefined : (new.target as ManagedConstructor)._wsdlName;
    const existing = stub && type !== undefined ? knownReference(stub, type, moId) : undefined;
    if (existing) return existing;
    this._moId = moId;
    this.#stub = stub;
    if (stub && type !== undefined) rememberReference(stub, type, this);
  }

  /** The WSDL type name; the prototype of each class carries its own. */
  declare readonly _wsdlName: string;

  /** The connection its methods and properties go through. */
  get _stub(): SoapStub | undefined {
    return this.#stub;
  }

  /**
   * Reads a property path in one await, following references: `await vm.get("runtime.host.name")`. Each
   * managed object the path reaches is one round trip (here two: the VM's runtime.host, then the host's
   * name); a path through an array of references reads each. A segment the schema lacks is a ValidationError.
   */
  get<const P extends string>(path: P, options?: CallOptions): Promise<PathValue<this, P>> {
    return readPropertyPath(this, path, options) as Promise<PathValue<this, P>>;
  }

  /** pyVmomi's form: 'vim.VirtualMachine:vm-42'. */
  toString(): string {
    return `vim.${this._wsdlName}:${this._moId}`;
  }

  toJSON(): { _wsdlName: string; _moId: string } {
    return { _wsdlName: this._wsdlName, _moId: this._moId };
  }

  [inspect.custom](): string {
    return `'${this.toString()}'`;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceOf(this, "managed", this === ManagedObject ? undefined : this._wsdlName, value);
  }
}
Object.defineProperty(ManagedObject.prototype, "_wsdlName", { value: "ManagedObject" });
brand(ManagedObject, "managed");

/** Methods written by hand that a managed type's class gets besides the API's. */
const EXTENSIONS: Readonly<Record<string, object>> = { ServiceInstance: serviceInstanceMethods };

const buildClass = onceByName((name): ManagedConstructor | undefined => {
  const info = managedType(name);
  if (!info) return undefined;
  const base = info.base ? managedClass(info.base.name)! : ManagedObject;
  const cls = { [name]: class extends base {} }[name] as ManagedConstructor;
  Object.defineProperty(cls, "_wsdlName", { value: name });
  const proto = cls.prototype as unknown as Record<string, unknown>;
  Object.defineProperty(proto, "_wsdlName", { value: name });
  for (const { name: property } of info.properties) {
    Object.defineProperty(proto, property, {
      get(this: ManagedObject) {
        return stubOf(this, property).retrieveProperty(this, property);
      },
      configurable: true,
    });
  }
  for (const method of info.methods) {
    Object.defineProperty(proto, method, {
      value: {
        [method](this: ManagedObject, ...args: unknown[]) {
          return callMethod(this, method, args);
        },
      }[method],
      writable: true,
      configurable: true,
    });
  }
  // pyVmomi's names of the same operations: vm.Clone(...) is vm.CloneVM_Task(...).
  for (const [alias, method] of pyvmomiMethods(name) ?? []) {
    Object.defineProperty(proto, alias, {
      value: {
        [alias](this: ManagedObject, ...args: unknown[]) {
          return callMethod(this, method, args);
        },
      }[alias],
      writable: true,
      configurable: true,
    });
  }
  const extension = Object.hasOwn(EXTENSIONS, name) ? EXTENSIONS[name] : undefined;
  if (extension) Object.defineProperties(proto, Object.getOwnPropertyDescriptors(extension));
  return cls;
});

/** The class of a managed type, built on first use; undefined for a type this SDK does not know. */
export function managedClass(name: string): ManagedConstructor | undefined {
  return name === "ManagedObject" ? ManagedObject : buildClass(name);
}

/** A reference of that type and id: the type's class, or the root class for a type this SDK does not know. */
export function managedReference(type: string, moId: string, stub?: SoapStub): ManagedObject {
  const cls = managedClass(type);
  if (cls) return new cls(moId, stub);
  const existing = stub && knownReference(stub, type, moId);
  if (existing) return existing;
  const reference = new ManagedObject(moId, stub);
  Object.defineProperty(reference, "_wsdlName", { value: type });
  if (stub) rememberReference(stub, type, reference);
  return reference;
}

// pyVmomi compares references by type and id (`s.snapshot == tree.currentSnapshot`); here each connection
// hands out one object per reference, so `===`, `indexOf`, `includes`, Map and Set keys agree with it.
// The objects are held weakly: a reference nobody keeps is collected, and its entry goes with it.
type References = Map<string, WeakRef<ManagedObject>>;
const referencesByStub = new WeakMap<SoapStub, References>();
const collected = new FinalizationRegistry<{ references: References; key: string }>(({ references, key }) => {
  if (references.get(key)?.deref() === undefined) references.delete(key);
});

function knownReference(stub: SoapStub, type: string, moId: string): ManagedObject | undefined {
  return referencesByStub.get(stub)?.get(`${type}:${moId}`)?.deref();
}

function rememberReference(stub: SoapStub, type: string, reference: ManagedObject): void {
  let references = referencesByStub.get(stub);
  if (!references) referencesByStub.set(stub, (references = new Map()));
  const key = `${type}:${reference._moId}`;
  references.set(key, new WeakRef(reference));
  collected.register(reference, { references, key });
}

function stubOf(mo: ManagedObject, what: string): SoapStub {
  const stub = mo._stub;
  if (!stub) {
    throw new ConfigError(
      `${mo.toString()}.${what}: this reference is not bound to a connection; ` +
        `build it with new vim.${mo._wsdlName}(id, si._stub)`,
    );
  }
  return stub;
}

/** Calls an operation on `mo`: positional parameters, then CallOptions. */
export function callMethod(mo: ManagedObject, method: string, args: readonly unknown[]): Promise<unknown> {
  try {
    const info = operation(method)!;
    const count = info.params.length;
    if (args.length > count + 1) {
      throw new ValidationError(
        `${method} takes ${count} parameter${count === 1 ? "" : "s"} (${info.params.map((p) => p.name).join(", ")}) ` +
          `and the call options; it was given ${args.length} arguments`,
      );
    }
    args.slice(0, count).forEach((arg, i) => {
      if (info.params[i]!.type.kind !== "data" && looksLikeCallOptions(arg)) {
        throw new ValidationError(
          `${method}: ${info.params[i]!.name} was given call options; they go last, after all ${count} ` +
            `parameter${count === 1 ? "" : "s"}: ${method}(${[...info.params.map((p) => p.name), "{ signal, timeout }"].join(", ")})`,
          { field: info.params[i]!.name },
        );
      }
    });
    const options = args[count] as CallOptions | undefined;
    return stubOf(mo, method).invoke(method, mo, args.slice(0, count), options);
  } catch (error) {
    return Promise.reject(error);
  }
}

const CALL_OPTION_KEYS = new Set(["signal", "timeout"]);

// `vm.PowerOnVM_Task({ signal })`: call options where a parameter (here a HostSystem) is expected.
function looksLikeCallOptions(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => CALL_OPTION_KEYS.has(k));
}
