// Redaction for logs and error messages. It is an allow-list: a header, query parameter or body
// value is shown only when its name is known to be safe; everything else becomes REDACTED. A provider
// widens the lists with its own safe names, never the other way round.
import { inspect, type InspectOptionsStylized } from "node:util";

/** What a hidden value is replaced with in logs, error messages and `inspect` output. */
export const REDACTED = "REDACTED";

// Defence in depth on top of the allow-list: a value whose direct parent is named like a secret
// ({"token": {"id": …}}, <password><value>…) is hidden even when its own name is allow-listed.
const SECRET_PARENT = /token|secret|passw|credential|api_?key|session|cookie/i;

/**
 * Deepest nesting a body excerpt shows (JSON or XML; deeper is REDACTED), and the deepest JSON answer
 * `json()` accepts: a hostile 100,000-level body stays linear in time and within the call stack.
 */
export const MAX_REDACTED_DEPTH = 1000;

const SAFE_HEADERS = [
  "accept",
  "accept-encoding",
  "accept-ranges",
  "age",
  "allow",
  "cache-control",
  "connection",
  "content-disposition",
  "content-encoding",
  "content-language",
  "content-length",
  "content-range",
  "content-type",
  "date",
  "etag",
  "expires",
  "host",
  "keep-alive",
  "last-modified",
  "location",
  "range",
  "request-id",
  "retry-after",
  "server",
  "transfer-encoding",
  "user-agent",
  "vary",
  "via",
  "x-correlation-id",
  "x-request-id",
];

const SAFE_QUERY_PARAMS = [
  "delimiter",
  "fields",
  "format",
  "limit",
  "marker",
  "max",
  "offset",
  "page",
  "page_size",
  "per_page",
  "prefix",
  "search",
  "sort",
  "sort_dir",
  "sort_key",
  "version",
];

const SAFE_BODY_KEYS = [
  "code",
  "count",
  "created",
  "created_at",
  "description",
  "detail",
  "details",
  "enabled",
  "error",
  "errors",
  "href",
  "id",
  "kind",
  "message",
  "methodname",
  "name",
  "reason",
  "rel",
  "region",
  "size",
  "state",
  "status",
  "title",
  "total",
  "type",
  "updated",
  "updated_at",
  "uuid",
  "version",
  // XML-RPC scalars that are not strings, and HTML error pages' headings.
  "boolean",
  "double",
  "i4",
  "i8",
  "int",
  "h1",
  "h2",
  "p",
];

/** Names (case-insensitive) whose values may be shown. */
export interface RedactionAllowList {
  headers?: Iterable<string>;
  queryParams?: Iterable<string>;
  bodyKeys?: Iterable<string>;
}

/**
 * Hides secrets in what gets logged or put in an error: every header, query parameter and body key that is
 * not on the allow-list (the defaults widened by the constructor's `extra`) shows as {@link REDACTED}.
 */
export class Redactor {
  readonly #headers: Set<string>;
  readonly #queryParams: Set<string>;
  readonly #bodyKeys: Set<string>;

  /** The default allow-list, widened by `extra`. */
  constructor(extra: RedactionAllowList = {}) {
    const lower = (names: Iterable<string>) => [...names].map((n) => n.toLowerCase());
    this.#headers = new Set([...SAFE_HEADERS, ...lower(extra.headers ?? [])]);
    this.#queryParams = new Set([...SAFE_QUERY_PARAMS, ...lower(extra.queryParams ?? [])]);
    this.#bodyKeys = new Set([...SAFE_BODY_KEYS, ...lower(extra.bodyKeys ?? [])]);
  }

  /** A new redactor whose lists are this one's plus `extra`. */
  extend(extra: RedactionAllowList): Redactor {
    return new Redactor({
      headers: [...this.#headers, ...(extra.headers ?? [])],
      queryParams: [...this.#queryParams, ...(extra.queryParams ?? [])],
      bodyKeys: [...this.#bodyKeys, ...(extra.bodyKeys ?? [])],
    });
  }

  /** The URL without user info, and with the values of unknown query parameters replaced. */
  url(url: string | URL): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return REDACTED;
    }
    parsed.username = "";
    parsed.password = "";
    if (parsed.search) {
      const query = new URLSearchParams();
      for (const [key, value] of parsed.searchParams) {
        query.append(key, this.#queryParams.has(key.toLowerCase()) ? value : REDACTED);
      }
      parsed.search = query.toString();
    }
    return parsed.toString();
  }

  headers(headers: Record<string, string | string[] | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      const lower = name.toLowerCase();
      // A redirect can carry a signed URL (Swift temp URLs, presigned S3 links) in its query.
      out[name] = !this.#headers.has(lower) ? REDACTED : lower === "location" ? this.url(String(value)) : String(value);
    }
    return out;
  }

  /**
   * A redacted excerpt of a body of the given content type, at most `maxLength` characters.
   * JSON, XML (XML-RPC and HTML included) and form bodies are shown with unsafe values replaced;
   * any other format is described by its size only.
   */
  body(text: string, contentType = "", maxLength = 1000): string {
    const type = contentType.toLowerCase();
    const start = text.trimStart()[0];
    let shown: string;
    if (type.includes("json") || ((start === "{" || start === "[") && !type.includes("xml"))) {
      shown = this.#json(text);
    } else if (type.includes("xml") || type.includes("html") || start === "<") {
      shown = this.#xml(text);
    } else if (type.includes("x-www-form-urlencoded")) {
      shown = this.#form(text);
    } else {
      shown = text.length ? `[${text.length} characters of ${type || "unknown type"}, not shown]` : "";
    }
    return shown.length > maxLength ? `${shown.slice(0, maxLength)}… (${shown.length} characters)` : shown;
  }

  #json(text: string): string {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return `[${text.length} characters of JSON that does not parse, not shown]`;
    }
    const walk = (node: unknown, key: string, parent: string, depth: number): unknown => {
      if (node !== null && typeof node === "object" && depth >= MAX_REDACTED_DEPTH) return REDACTED;
      if (Array.isArray(node)) return node.map((item) => walk(item, key, parent, depth + 1));
      if (node !== null && typeof node === "object") {
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k, key, depth + 1)]));
      }
      return node === null || this.#isSafe(key, parent) ? node : REDACTED;
    };
    return JSON.stringify(walk(value, "", "", 0));
  }

  #isSafe(key: string, parent: string): boolean {
    return this.#bodyKeys.has(key.toLowerCase()) && !SECRET_PARENT.test(parent);
  }

  #form(text: string): string {
    const out = new URLSearchParams();
    for (const [key, value] of new URLSearchParams(text)) {
      out.append(key, this.#bodyKeys.has(key.toLowerCase()) ? value : REDACTED);
    }
    return out.toString();
  }

  // A small tag scanner rather than a parser: it must cope with truncated and malformed bodies.
  // Text is shown when its element is safe; in XML-RPC, a struct member's value takes the member's
  // name, so <member><name>password</name><value><string>…</string></value></member> is redacted.
  // Linear in the body: an end tag pops what it closes (each element once), elements past
  // MAX_REDACTED_DEPTH are not tracked, and their text is REDACTED.
  #xml(text: string): string {
    const stack: { name: string; key: string }[] = [];
    // How many elements of each name the stack holds: an end tag with none open is skipped at once.
    const openCount = new Map<string, number>();
    let untracked = 0;
    let memberName = "";
    // Attribute values may be quoted or, in HTML, bare; under a secret-named element none is shown.
    // The lookbehind starts a name only at a name's first character, so a long run of name
    // characters without "=" is tried once, not once per position.
    const safeAttr = (attrs: string, element: string, hideAll = false) =>
      attrs.replace(
        /(?<![\w:.-])([\w:.-]+)(\s*=\s*)("[^"]*(?:"|$)|'[^']*(?:'|$)|[^\s"'<>=`]+)/g,
        (all, name: string, eq: string, value: string) => {
          if (name.startsWith("xmlns") || name.startsWith("xsi:")) return all;
          if (!hideAll && this.#isSafe(localName(name), element)) return all;
          const quote = value[0] === '"' || value[0] === "'" ? value[0] : "";
          return `${name}${eq}${quote}${REDACTED}${quote}`;
        },
      );
    // Alternatives: CDATA, a complete tag (quoted values may hold '>'), the XML declaration, a '<'
    // that starts nothing complete (a comment, a tag cut off by truncation: never shown), text.
    // Every alternative that can reach far ends at the body's end or at a "<" the next match
    // starts from, so no stretch of the body is scanned twice; an unclosed CDATA or quoted
    // value runs to the end rather than failing there.
    return text.replace(
      /<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<(\/?)([\w:.-]+)((?:[^<>"']|"[^<"]*"|'[^<']*')*?)(\/?)>|(<\?xml[^<>]*\?>)|(<[^<]*)|([^<]+)/g,
      (
        all,
        cdata: string | undefined,
        closing: string,
        name: string,
        attrs: string,
        selfClosing: string,
        declaration: string | undefined,
        stray: string | undefined,
        chars: string | undefined,
      ) => {
        if (declaration !== undefined) return all;
        if (stray !== undefined) return REDACTED;
        if (name !== undefined) {
          const local = localName(name);
          if (closing) {
            if (untracked > 0) {
              untracked--;
              return all;
            }
            // Close up to the matching element, so HTML's unclosed <br>, <img> ... do not linger.
            if (openCount.get(local)) {
              for (let popped = stack.pop(); popped; popped = stack.pop()) {
                openCount.set(popped.name, openCount.get(popped.name)! - 1);
                if (popped.name === local) break;
              }
            }
            return all;
          }
          if (untracked > 0 || stack.length >= MAX_REDACTED_DEPTH) {
            if (!selfClosing) untracked++;
            return `<${name}${safeAttr(attrs, local, true)}${selfClosing}>`;
          }
          if (local === "member") memberName = "";
          const parent = stack[stack.length - 1];
          const key = local === "value" && parent?.name === "member" ? memberName : local;
          if (!selfClosing) {
            stack.push({ name: local, key: keyFor(key, parent) });
            openCount.set(local, (openCount.get(local) ?? 0) + 1);
          }
          return `<${name}${safeAttr(attrs, local)}${selfClosing}>`;
        }
        const content = cdata ?? chars ?? "";
        if (!content.trim()) return all;
        if (untracked > 0) return cdata === undefined ? REDACTED : `<![CDATA[${REDACTED}]]>`;
        const top = stack[stack.length - 1];
        if (top?.name === "name" && stack[stack.length - 2]?.name === "member") {
          memberName = content.trim().toLowerCase();
          return all;
        }
        const parentKey = stack[stack.length - 2]?.key ?? "";
        return top && this.#isSafe(top.key, parentKey)
          ? all
          : cdata === undefined
            ? REDACTED
            : `<![CDATA[${REDACTED}]]>`;
      },
    );

    // Inside an XML-RPC <value>, the typed element (<string>, <int> ...) keeps the member's name.
    function keyFor(key: string, parent: { name: string; key: string } | undefined): string {
      return parent?.name === "value" && parent.key !== "value" && key !== "struct" && key !== "array"
        ? parent.key
        : key;
    }
  }
}

function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1).toLowerCase();
}

/**
 * Makes the instances of a class show `fields` as REDACTED in their inspect output (console.log,
 * util.inspect, even with showHidden) and in JSON.stringify; plain objects and arrays they hold are
 * cleaned of those names too. Other class instances they hold show as their own classes say.
 * Called once per class: `hideSecrets(TutumClient, ["apikey", "basic_auth"])`; a toJSON the class
 * defines itself is kept.
 */
export function hideSecrets(target: abstract new (...args: never[]) => object, fields: readonly string[]): void {
  const hidden = new Set(fields);
  const clean = (value: unknown, depth: number): unknown => {
    if (Array.isArray(value)) return depth > MAX_REDACTED_DEPTH ? REDACTED : value.map((v) => clean(v, depth + 1));
    if (value === null || typeof value !== "object") return value;
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null && depth > 0) return value;
    if (depth > MAX_REDACTED_DEPTH) return REDACTED;
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      copy[key] = hidden.has(key) && v !== undefined && v !== null ? REDACTED : clean(v, depth + 1);
    }
    return copy;
  };
  // Instances being shown: each shows a fresh copy, which inspect's own cycle check cannot recognise.
  const showing = new WeakSet<object>();
  Object.defineProperties(target.prototype, {
    [inspect.custom]: {
      value(this: object, depth: number, options: InspectOptionsStylized, show: typeof inspect): string {
        const name = this.constructor?.name ?? "Object";
        if (depth < 0) return options.stylize(`[${name}]`, "special");
        if (showing.has(this)) return options.stylize(`[Circular ${name}]`, "special");
        const next = { ...options, depth: options.depth === null ? null : (options.depth ?? 2) - 1 };
        showing.add(this);
        try {
          return `${name} ${show(clean(this, 0), next)}`;
        } finally {
          showing.delete(this);
        }
      },
      configurable: true,
      writable: true,
    },
  });
  // A class's own toJSON (one that shows a chosen few fields) is kept.
  if (!Object.hasOwn(target.prototype, "toJSON")) {
    Object.defineProperty(target.prototype, "toJSON", {
      value(this: object): unknown {
        return clean(this, 0);
      },
      configurable: true,
      writable: true,
    });
  }
}
