// tutum.Image (pk `name`, which may contain slashes: "tutum.co/user/app"): images of the account's
// registries, created, changed and deleted like the others.
import { defineResource } from "../resource.js";

/** python-tutum's `Image`: a Docker image in Tutum's registry or a linked one. */
export class Image extends defineResource("Image") {}
