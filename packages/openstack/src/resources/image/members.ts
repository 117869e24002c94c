// Sharing an image: its members (the projects it is shared with) and their acceptance.
import { ValidationError } from "@nimbus-sdk/common";
import { isOneOf } from "./attributes.js";
import type { GlanceContext } from "./client-api.js";
import { idOf, onImage, type ImageRef } from "./image.js";
import type { ImageCallOptions, ImageMember, ImageMemberStatus } from "./types.js";

// Glance names a member by `member_id`; pyrax's ImageMember answers to `id` as well (its samples print
// member.id and pass it to delete_image_member).
function member(record: Omit<ImageMember, "id">): ImageMember {
  return { ...record, id: record.member_id };
}

function checkMember(member: string): void {
  if (typeof member !== "string" || member.trim() === "") {
    throw new ValidationError("a member is a project id (a non-empty string)", { field: "member" });
  }
}

export async function listImageMembers(
  ctx: GlanceContext,
  image: ImageRef,
  options: ImageCallOptions,
): Promise<ImageMember[]> {
  const id = idOf(image);
  const response = await onImage(id, () => ctx.request({ url: ctx.url("images", id, "members"), ...options }));
  return (await response.json<{ members: ImageMember[] }>()).members.map(member);
}

export async function getImageMember(
  ctx: GlanceContext,
  image: ImageRef,
  memberId: string,
  options: ImageCallOptions,
): Promise<ImageMember> {
  const id = idOf(image);
  checkMember(memberId);
  return member(
    await (await ctx.request({ url: ctx.url("images", id, "members", memberId), ...options })).json<ImageMember>(),
  );
}

export async function addImageMember(
  ctx: GlanceContext,
  image: ImageRef,
  projectId: string,
  options: ImageCallOptions,
): Promise<ImageMember> {
  const id = idOf(image);
  checkMember(projectId);
  const response = await onImage(id, () =>
    ctx.request({ method: "POST", url: ctx.url("images", id, "members"), json: { member: projectId }, ...options }),
  );
  return member(await response.json<ImageMember>());
}

export async function deleteImageMember(
  ctx: GlanceContext,
  image: ImageRef,
  projectId: string,
  options: ImageCallOptions,
): Promise<void> {
  const id = idOf(image);
  checkMember(projectId);
  await (await ctx.request({ method: "DELETE", url: ctx.url("images", id, "members", projectId), ...options })).dump();
}

export async function updateImageMember(
  ctx: GlanceContext,
  image: ImageRef,
  status: ImageMemberStatus,
  memberId: string | undefined,
  options: ImageCallOptions,
): Promise<ImageMember> {
  const id = idOf(image);
  if (!isOneOf(["pending", "accepted", "rejected"] as const, status)) {
    throw new ValidationError(`member status must be pending, accepted or rejected, not ${JSON.stringify(status)}`, {
      field: "status",
    });
  }
  if (!memberId) {
    throw new ValidationError("updateImageMember needs the member's projectId (the client was given none)", {
      field: "projectId",
    });
  }
  const response = await ctx.request({
    method: "PUT",
    url: ctx.url("images", id, "members", memberId),
    json: { status },
    signal: options.signal,
  });
  return member(await response.json<ImageMember>());
}
