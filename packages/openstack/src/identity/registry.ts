// identity_type names to identity classes: pyrax's two, plus any a user registers (pyrax accepted a
// dotted class path for a custom identity; here the class itself is registered under a name).
import { InvalidSetting } from "../errors.js";
import type { BaseIdentity, IdentityOptions } from "./base.js";
import { KeystoneIdentity } from "./keystone-v3.js";
import { KeystoneV2Identity } from "./keystone-v2.js";
import { RACKSPACE_AUTH_ENDPOINT, RaxIdentity } from "./rackspace.js";

/** Makes an identity of one type from its options (see {@link createIdentity}). */
export type IdentityFactory = (options: IdentityOptions) => BaseIdentity;

const factories = new Map<string, IdentityFactory>([
  // Keystone's version follows the endpoint: .../v2.0 speaks v2.0, anything else v3.
  [
    "keystone",
    (options) =>
      /\/v2\.0\/?$/.test(options.authEndpoint) ? new KeystoneV2Identity(options) : new KeystoneIdentity(options),
  ],
  [
    "rackspace",
    (options) => new RaxIdentity({ ...options, authEndpoint: options.authEndpoint || RACKSPACE_AUTH_ENDPOINT }),
  ],
]);

/** Makes `identity_type = name` create identities with `factory` (e.g. a subclass of KeystoneIdentity). */
export function registerIdentityType(name: string, factory: IdentityFactory): void {
  factories.set(name, factory);
}

/**
 * Makes an identity of the given type, as pyrax's `identity_type` setting names it ("keystone", "rackspace" …).
 *
 * @param type - The identity type.
 * @param options - The identity service's URL and the transport's settings.
 * @throws {@link InvalidSetting} for an unknown type.
 */
export function createIdentity(type: string, options: IdentityOptions): BaseIdentity {
  const factory = factories.get(type);
  if (!factory) {
    throw new InvalidSetting(
      `unknown identity_type ${JSON.stringify(type)}: use one of ${[...factories.keys()].join(", ")}`,
    );
  }
  return factory(options);
}
