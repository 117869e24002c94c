// The refusals of the engine, as its REST API writes them: a status and a `<fault>` with a reason
// and a detail (the engine's own wording where it is known), or a bare status with no body, which
// is what the engine sends for an unknown id or path.

export class EngineFault extends Error {
  constructor(
    readonly status: number,
    /** Undefined for a bare status without a `<fault>` body. */
    readonly reason?: string,
    readonly detail?: string,
  ) {
    super(reason ? `${status} ${reason}: ${detail ?? ""}` : `HTTP ${status}`);
  }
}

/** An unknown id or path: the engine answers 404 without a body. */
export const notFound = (): EngineFault => new EngineFault(404);

/** A body the engine cannot read (not XML, an element the model does not define, a value of the wrong XSD type). */
export const syntaxError = (usageLink: string): EngineFault =>
  new EngineFault(400, "Request syntactically incorrect.", `For correct usage, see: ${usageLink}`);

export const invalidValue = (detail: string): EngineFault => new EngineFault(400, "Invalid value", detail);

/** Mandatory members missing on add or an action: `Vm [name] required for add`. */
export const incomplete = (type: string, members: string[], method: string): EngineFault =>
  new EngineFault(400, "Incomplete parameters", `${type} [${members.join(", ")}] required for ${method}`);

/** A command the engine's validation refuses: `[Cannot run VM. VM is running.]` with 409. */
export const operationFailed = (message: string, status = 409): EngineFault =>
  new EngineFault(status, "Operation Failed", `[${message}]`);

/** A reference in a body (`<cluster><name>x</name></cluster>`) to nothing. */
export const entityNotFound = (what: string): EngineFault =>
  new EngineFault(404, "Operation Failed", `Entity not found: ${what}`);

/** A path id that is not a UUID (the engine parses ids with Java's UUID.fromString). */
export const malformedId = (id: string): EngineFault =>
  new EngineFault(400, "Operation failed", `Invalid UUID string: ${id}`);
