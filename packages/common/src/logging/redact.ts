// Redaction for logs and error messages. It is an allow-list: a header, query parameter or body
// value is shown only when its name is known to be safe; everything else becomes REDACTED. A provider
// widens the lists with its own safe names, never the other way round.

export const REDACTED = "REDACTED";

// Defence in depth on top of the allow-list: a value whose direct parent is named like a secret
// ({"token": {"id": …}}, <password><value>…) is hidden even when its own name is allow-listed.
const SECRET_PARENT = /token|secret|passw|credential|api_?key|session|cookie/i;

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
    const walk = (node: unknown, key: string, parent: string): unknown => {
      if (Array.isArray(node)) return node.map((item) => walk(item, key, parent));
      if (node !== null && typeof node === "object") {
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k, key)]));
      }
      return node === null || this.#isSafe(key, parent) ? node : REDACTED;
    };
    return JSON.stringify(walk(value, "", ""));
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
  #xml(text: string): string {
    const stack: { name: string; key: string }[] = [];
    let memberName = "";
    // Attribute values may be quoted or, in HTML, bare; under a secret-named element none is shown.
    const safeAttr = (attrs: string, element: string) =>
      attrs.replace(
        /([\w:.-]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'<>=`]+)/g,
        (all, name: string, eq: string, value: string) => {
          if (name.startsWith("xmlns") || name.startsWith("xsi:")) return all;
          if (this.#isSafe(localName(name), element)) return all;
          const quote = value[0] === '"' || value[0] === "'" ? value[0] : "";
          return `${name}${eq}${quote}${REDACTED}${quote}`;
        },
      );
    // Alternatives: CDATA, a complete tag (quoted values may hold '>'), the XML declaration, a '<'
    // that starts nothing complete (a comment, a tag cut off by truncation: never shown), text.
    return text.replace(
      /<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([\w:.-]+)((?:[^<>"']|"[^<"]*"|'[^<']*')*?)(\/?)>|(<\?xml[^<>]*\?>)|(<[^<]*)|([^<]+)/g,
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
            // Close up to the matching element, so HTML's unclosed <br>, <img> ... do not linger.
            const at = stack.map((element) => element.name).lastIndexOf(local);
            if (at >= 0) stack.length = at;
            return all;
          }
          if (local === "member") memberName = "";
          const parent = stack[stack.length - 1];
          const key = local === "value" && parent?.name === "member" ? memberName : local;
          if (!selfClosing) stack.push({ name: local, key: keyFor(key, parent) });
          return `<${name}${safeAttr(attrs, local)}${selfClosing}>`;
        }
        const content = cdata ?? chars ?? "";
        if (!content.trim()) return all;
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
