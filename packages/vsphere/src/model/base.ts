// The types every generated vim25 type builds on (src/generated/vim.d.ts): what a data object, a fault and a
// managed object have besides their WSDL fields, and the shape of the classes the `vim` value hands out.
import type { NimbusErrorOptions } from "@nimbus-sdk/common/client";
import type { PathValue } from "../property-path.js";
import type { SoapStub } from "../soap/stub.js";

/** What every call of a managed object's method takes after its parameters. */
export interface CallOptions {
  signal?: AbortSignal;
  /** ms allowed for the answer (default: the connection's `timeout`). */
  timeout?: number;
}

/** Fields every data object has besides its WSDL fields. */
export interface DataObjectBase {
  /**
   * The WSDL type name. Set on every object the SDK built or decoded (for a type newer than this SDK, the
   * server's name, while the object is an instance of the nearest known base class); absent on plain
   * object literals, which are sent as the declared type of the field they fill.
   */
  readonly _wsdlName?: string;
}

/** What every managed object reference has besides its properties and methods. */
export interface ManagedObjectBase {
  /** The managed object id ("vm-42"), pyVmomi's `_moId`. */
  readonly _moId: string;
  /** The WSDL type name ("VirtualMachine"). */
  readonly _wsdlName: string;
  /** The connection its methods and properties go through (pyVmomi's `_stub`); undefined when unbound. */
  readonly _stub: SoapStub | undefined;
}

/** What every managed object of `vim` has besides the API's: reading a property path in one await. */
export interface PropertyPathReader {
  /**
   * Reads a property path, following references: `await vm.get("runtime.host.name")`; one round trip per
   * managed object the path reaches (src/property-path.ts).
   */
  get<const P extends string>(path: P, options?: CallOptions): Promise<PathValue<this, P>>;
}

/** A vim type given where the API takes a type name (PropertySpec.type, CreateContainerView's type). */
export type TypeName = string | { readonly _wsdlName: string };

// Keys of an Error that are not WSDL fields of a fault (name, message, url and method can be).
type ErrorOnlyKeys = "stack" | "cause" | "status" | "code" | "requestId" | "bodyExcerpt" | "context" | "toJSON";

/** The fields a data class's constructor takes: any of the type's WSDL fields. */
export type DataInit<T> = { [K in keyof T as K extends ErrorOnlyKeys | "_wsdlName" ? never : K]?: Input<T[K]> };

type Leaf = string | number | bigint | boolean | Date | Uint8Array | ManagedObjectBase;
type ArrayKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends readonly unknown[] ? K : never }[keyof T];
type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/**
 * What a method or constructor takes where the API declares the data type T: T itself (an object the SDK
 * built or decoded), or a plain object literal in which, at every depth, the array members may be left
 * out (they go out empty, as pyVmomi's []) besides the optional ones. T types what the SDK hands out, whose
 * arrays are always present.
 */
export type Input<T> = T extends Leaf
  ? T
  : T extends readonly (infer U)[]
    ? readonly Input<U>[]
    : T extends object
      ? {
          [
            K in keyof T as K extends ErrorOnlyKeys ? never : K extends ArrayKeys<T> | OptionalKeys<T> ? K : never
          ]?: Input<T[K]>;
        } & {
          [
            K in keyof T as K extends ErrorOnlyKeys ? never : K extends ArrayKeys<T> | OptionalKeys<T> ? never : K
          ]: Input<T[K]>;
        }
      : T;

/** What a fault's constructor takes besides its fields: the error's message and context. */
export type DataClassOptions = NimbusErrorOptions & { message?: string };

/** A data or fault class of the `vim` value: `new vim.VirtualMachineConfigSpec({ memoryMB: 2048 })`. */
export interface DataClass<T> {
  /** Faults also take the error's message and context as a second argument. */
  new (init?: DataInit<T>, options?: DataClassOptions): T;
  readonly prototype: T;
  readonly _wsdlName: string;
}

/** A managed object class of the `vim` value: `new vim.VirtualMachine("vm-42", si._stub)`. */
export interface ManagedClass<T> {
  new (moId: string, stub?: SoapStub): T;
  readonly prototype: T;
  readonly _wsdlName: string;
}

/** An enum's values by name: `vim.VirtualMachinePowerState.poweredOff === "poweredOff"`. */
export type EnumValues<U extends string> = { readonly [K in U]: K };
