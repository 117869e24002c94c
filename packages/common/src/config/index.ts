export { expandHome } from "./paths.js";
