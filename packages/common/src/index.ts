export * from "./client/index.js";
export * from "./config/index.js";
export * from "./keyring/index.js";
export { waitUntil, type WaitOptions } from "./polling/wait-until.js";
export { AwaitablePagedList, PagedList, type Page } from "./paging/paginate.js";
export { PACKAGE_NAME, PACKAGE_VERSION } from "./version.js";
