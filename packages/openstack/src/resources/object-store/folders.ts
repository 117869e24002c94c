// Folders: uploadFolder (every file, a few at a time) and syncFolderToContainer (what changed).
import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { NimbusError, ProgressTracker, type Progress } from "@nimbus-sdk/common";
import { FolderNotFound } from "../../errors.js";
import type { Container } from "./container.js";
import { createContainer, headContainer } from "./containers.js";
import { containerName, toList, type ContainerRef, type ObjectStoreContext } from "./context.js";
import { LISTING_LIMIT, listObjectsPage } from "./listing.js";
import { checkInteger, objectPath, validateContainerName, validateObjectName } from "./names.js";
import { objectHeaders } from "./store.js";
import { eachLimited, syncFolder, walkFolder, type LocalFile, type RemoteEntry, type SyncSummary } from "./sync.js";
import type { CallOptions, SyncOptions } from "./types.js";
import { DEFAULT_UPLOAD_CONCURRENCY, MAX_SEGMENT_SIZE, uploadFile } from "./upload.js";
import { fetchSloManifest } from "./wire.js";

/** common's Progress (bytes of the whole folder) with the folder upload's own counters. */
export interface FolderUploadProgress extends Progress {
  uploadedBytes: number;
  totalBytes: number;
  filesDone: number;
  fileCount: number;
  /** The object just stored. */
  objName: string;
}

export interface UploadFolderOptions extends CallOptions {
  /** The container (created when missing); by default one named after the folder. */
  container?: ContainerRef;
  /** fnmatch patterns (`*.pyc`) for file and folder names to leave out. */
  ignore?: string | readonly string[];
  /** Seconds until Swift deletes the uploaded objects. */
  ttl?: number;
  /** Files sent at once (default 4). */
  concurrency?: number;
  segmentSize?: number;
  /** Replaces pyrax's `get_uploaded(key)`. Cancel with the signal (pyrax's `cancel_folder_upload`). */
  onProgress?: (progress: FolderUploadProgress) => void;
}

export const UPLOAD_FOLDER_KEYS = ["container", "ignore", "ttl", "concurrency", "segmentSize", "onProgress"] as const;

/** What a folder upload did: the files uploaded, skipped as unchanged, and ignored. */
export interface FolderUploadResult {
  container: Container;
  totalBytes: number;
  /** Object names stored, in the order they finished. */
  objectNames: string[];
}

async function uploadLocal(
  ctx: ObjectStoreContext,
  cname: string,
  file: LocalFile,
  md5: string | undefined,
  options: { ttl?: number; segmentSize?: number; leaveSegments?: boolean },
  signal: AbortSignal | undefined,
): Promise<void> {
  await uploadFile(ctx, {
    container: cname,
    obj: validateObjectName(file.objName),
    path: file.path,
    headers: objectHeaders({ ttl: options.ttl }),
    etag: md5,
    checksum: true,
    segmentSize: checkInteger(options.segmentSize, "segmentSize", 1, MAX_SEGMENT_SIZE) ?? ctx.segmentSize,
    concurrency: ctx.concurrency,
    segmentContainer: validateContainerName(`${cname}_segments`, "segmentContainer"),
    leaveSegments: options.leaveSegments ?? false,
    signal,
  });
}

/** The first failure cancels the rest (files already stored stay). */
export async function uploadFolder(
  ctx: ObjectStoreContext,
  folderPath: string,
  options: UploadFolderOptions,
): Promise<FolderUploadResult> {
  const concurrency = checkInteger(options.concurrency, "concurrency", 1, 64) ?? DEFAULT_UPLOAD_CONCURRENCY;
  checkInteger(options.ttl, "ttl", 1);
  const { files } = await walkFolder(folderPath, {
    ignore: toList(options.ignore),
    includeHidden: true,
    signal: options.signal,
  });
  const name = options.container === undefined ? basename(resolve(folderPath)) : containerName(options.container);
  const container = await createContainer(ctx, name, { signal: options.signal });
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const objectNames: string[] = [];
  let uploadedBytes = 0;
  const tracker = new ProgressTracker("upload", "bytes", totalBytes);
  await eachLimited(files, concurrency, async (file) => {
    try {
      await uploadLocal(
        ctx,
        container.name,
        file,
        undefined,
        { ttl: options.ttl, segmentSize: options.segmentSize },
        signal,
      );
    } catch (error) {
      controller.abort(error);
      throw error;
    }
    uploadedBytes += file.size;
    objectNames.push(file.objName);
    options.onProgress?.({
      ...(objectNames.length === files.length ? tracker.finish(uploadedBytes) : tracker.report(uploadedBytes)),
      uploadedBytes,
      totalBytes,
      filesDone: objectNames.length,
      fileCount: files.length,
      objName: file.objName,
    });
  });
  return { container, totalBytes, objectNames };
}

/** Failed files are counted in the summary, not thrown; cancelling throws. */
export async function syncFolderToContainer(
  ctx: ObjectStoreContext,
  folderPath: string,
  container: ContainerRef,
  options: SyncOptions,
): Promise<SyncSummary> {
  const cname = containerName(container);
  const concurrency = checkInteger(options.concurrency, "concurrency", 1, 64) ?? DEFAULT_UPLOAD_CONCURRENCY;
  const folder = await stat(folderPath).catch(() => undefined);
  if (!folder?.isDirectory()) throw new FolderNotFound(`No such folder: '${folderPath}'`);
  await headContainer(ctx, cname, options.signal);
  const ignore = toList(options.ignore);
  return syncFolder(
    {
      listAll: async (prefix, signal) => {
        const entries: RemoteEntry[] = [];
        let marker: string | undefined;
        for (;;) {
          const page = await listObjectsPage(ctx, cname, { prefix, marker, limit: LISTING_LIMIT, signal });
          for (const e of page) {
            if (e.name === undefined) continue;
            entries.push({
              name: e.name,
              hash: e.hash ?? "",
              bytes: e.bytes ?? 0,
              lastModified: e.last_modified ?? "",
              sloEtag: e.slo_etag,
            });
          }
          if (page.length < LISTING_LIMIT) return entries;
          marker = page.at(-1)!.name ?? page.at(-1)!.subdir;
        }
      },
      largeObjectSegments: (name, signal) => fetchSloManifest(ctx, objectPath(cname, name), { signal }),
      upload: (file, md5, replacesLargeObject, signal) =>
        uploadLocal(
          ctx,
          cname,
          file,
          md5,
          // The listing says whether a large object is replaced; no HEAD per file needed.
          { segmentSize: options.segmentSize, leaveSegments: !replacesLargeObject },
          signal,
        ),
      deleteNames: async (names, signal) => {
        const result = await ctx.client.bulkDelete(cname, names, { signal });
        if (result.errors.length > 0) {
          throw new NimbusError(
            `Could not delete ${result.errors.length} extra object(s): ${result.errors
              .slice(0, 3)
              .map(([n, s]) => `${n} (${s})`)
              .join(", ")}`,
          );
        }
        return result.deleted;
      },
    },
    folderPath,
    {
      delete: options.delete,
      includeHidden: options.includeHidden,
      ignore,
      ignoreTimestamps: options.ignoreTimestamps,
      objectPrefix: options.objectPrefix,
      concurrency,
      onProgress: options.onProgress,
      signal: options.signal,
    },
  );
}
