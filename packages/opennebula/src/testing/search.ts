// vmpool.info's fifth parameter as oned 7.0.2 reads it (RequestManagerPoolInfoFilter.cc): `&`-separated
// `PATH=VALUE` terms, each a MySQL `JSON_UNQUOTE(JSON_EXTRACT(body_json, '$.PATH')) LIKE '%VALUE%'` over the
// VM's document as JSON (`VM.NAME=web`, `VM.USER_TEMPLATE.LABELS=prod`); a term without `=` searches the
// whole document. The terms are ANDed. `%` and `_` keep their LIKE meaning; the match is case-sensitive
// (JSON_UNQUOTE answers a utf8mb4_bin string).
import { scanXml } from "@nimbus-sdk/common";

type Json = string | JsonObject | Json[];
interface JsonObject {
  [key: string]: Json;
}

/** A document as oned's body_json holds it: elements by name, text as strings, repeated elements as arrays. */
function toJson(xml: string): JsonObject {
  const root: JsonObject = {};
  const stack: { node: JsonObject; text: string; children: boolean }[] = [{ node: root, text: "", children: true }];
  const names: string[] = [];
  scanXml(xml, {
    open(name) {
      const parent = stack[stack.length - 1]!;
      parent.children = true;
      names.push(name);
      stack.push({ node: {}, text: "", children: false });
    },
    text(value) {
      stack[stack.length - 1]!.text += value;
    },
    close() {
      const done = stack.pop()!;
      const name = names.pop()!;
      const value: Json = done.children ? done.node : done.text;
      const parent = stack[stack.length - 1]!.node;
      const previous = parent[name];
      if (previous === undefined) parent[name] = value;
      else if (Array.isArray(previous)) previous.push(value);
      else parent[name] = [previous, value];
    },
  });
  return root;
}

function extract(document: JsonObject, path: string): Json | undefined {
  let node: Json | undefined = document;
  for (const key of path.split(".")) {
    if (node === undefined || typeof node === "string" || Array.isArray(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** LIKE '%value%' as a regular expression. */
function likeContains(value: string): RegExp {
  const body = [...value]
    .map((c) => (c === "%" ? ".*" : c === "_" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(body, "s");
}

/** The predicate over a VM's info XML for a search text; undefined when the text is empty (no search). */
export function vmSearch(text: string): ((vmXml: string) => boolean) | undefined {
  const terms = text
    .split("&")
    .filter((term) => term !== "")
    .map((term) => {
      const [path = "", value] = term.split("=");
      // No key: oned searches JSON_EXTRACT(body_json, '$.*'), the whole document.
      return value === undefined ? { path: undefined, like: likeContains(path) } : { path, like: likeContains(value) };
    });
  if (terms.length === 0) return undefined;
  return (vmXml) => {
    const document = toJson(vmXml);
    return terms.every(({ path, like }) => {
      const found = path === undefined ? [document["VM"] ?? ""] : extract(document, path);
      if (found === undefined) return false; // JSON_EXTRACT answers NULL, and NULL LIKE … is not true
      return like.test(typeof found === "string" ? found : JSON.stringify(found));
    });
  };
}
