// The calls an Image makes on its client, so the resource depends on this small interface rather
// than on the client's module (Images implements it). The resource type is a parameter,
// `ImageManager<Image>`, so this file does not import it. Also what the data and member calls need.
import type { NimbusResponse, RequestOptions } from "@nimbus-sdk/common";
import type {
  ImageCallOptions,
  ImageChanges,
  ImageDownloadOptions,
  ImageDownloadResult,
  ImageDownloadTarget,
  ImageMember,
  ImageRecord,
  ImageStatus,
  ImageUploadOptions,
  ImageUploadSource,
  WaitOptions,
} from "./types.js";

export interface ImageManager<I> {
  get(image: string | I, options?: ImageCallOptions): Promise<I>;
  update(image: string | I, changes: ImageChanges, options?: ImageCallOptions): Promise<I>;
  delete(image: string | I, options?: ImageCallOptions): Promise<void>;
  upload(image: string | I, source: ImageUploadSource, options?: ImageUploadOptions): Promise<I>;
  download(
    image: string | I,
    target: ImageDownloadTarget,
    options?: ImageDownloadOptions,
  ): Promise<ImageDownloadResult>;
  waitForStatus(image: string | I, status: ImageStatus | readonly ImageStatus[], options?: WaitOptions<I>): Promise<I>;
  addTag(image: string | I, tag: string, options?: ImageCallOptions): Promise<void>;
  deleteTag(image: string | I, tag: string, options?: ImageCallOptions): Promise<void>;
  listImageMembers(image: string | I, options?: ImageCallOptions): Promise<ImageMember[]>;
  getImageMember(image: string | I, memberId: string, options?: ImageCallOptions): Promise<ImageMember>;
  addImageMember(image: string | I, projectId: string, options?: ImageCallOptions): Promise<ImageMember>;
  deleteImageMember(image: string | I, projectId: string, options?: ImageCallOptions): Promise<void>;
}

/** What the data and member calls need from the client. */
export interface GlanceContext {
  request(options: RequestOptions): Promise<NimbusResponse>;
  /** The URL of a path under /v2 (segments are encoded). */
  url(...segments: string[]): URL;
  /** The image as Glance reports it now. */
  get(id: string, signal?: AbortSignal): Promise<ImageRecord>;
}
