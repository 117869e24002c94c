// The engine's search language as far as the simulator serves it: `field op value` conditions
// (`=`, `!=`, `<`, `>`, `<=`, `>=`) joined by `and` / `or` (a plain space means `and`), values bare
// or double-quoted with `*` as a wildcard, then optional `sortby field [asc|desc]` and `page N`.
// An optional leading `Vms:` prefix is accepted, as the engine's own syntax has one.

export type Operator = "=" | "!=" | "<" | ">" | "<=" | ">=";

export type Condition =
  { kind: "compare"; field: string; operator: Operator; value: string } | { kind: "and" | "or"; parts: Condition[] };

export interface SearchQuery {
  /** Undefined when the text has no condition (`sortby name`, `page 2` or nothing). */
  condition?: Condition;
  sortBy?: { field: string; descending: boolean };
  /** 1-based page number; pages are `max` (or 100) results long. */
  page?: number;
}

/** A field's values on one object; `ignoreCase` for enum-like fields the engine compares without case. */
export interface FieldValues {
  values: readonly string[];
  ignoreCase?: boolean;
}

/** Values of a search field on an object, or undefined when the object kind has no such field. */
export type FieldResolver = (field: string) => FieldValues | undefined;

export class SearchSyntaxError extends Error {}

interface Token {
  type: "word" | "quoted" | "operator";
  text: string;
}

const OPERATORS: readonly Operator[] = ["!=", "<=", ">=", "=", "<", ">"];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const operator = OPERATORS.find((op) => text.startsWith(op, i));
    if (operator) {
      tokens.push({ type: "operator", text: operator });
      i += operator.length;
      continue;
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new SearchSyntaxError(`unterminated quoted value at position ${i + 1}`);
      tokens.push({ type: "quoted", text: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < text.length && !/\s/.test(text[end]!) && !'=!<>"'.includes(text[end]!)) end++;
    if (end === i) throw new SearchSyntaxError(`unexpected '${c}' at position ${i + 1}`);
    tokens.push({ type: "word", text: text.slice(i, end) });
    i = end;
  }
  return tokens;
}

const isKeyword = (token: Token | undefined, word: string): boolean =>
  token?.type === "word" && token.text.toLowerCase() === word;

export function parseSearch(text: string): SearchQuery {
  // `Vms: name=x`: the prefix names the kind, which the URL already does.
  const tokens = tokenize(text.replace(/^\s*[A-Za-z]+\s*:/, ""));
  let at = 0;
  const query: SearchQuery = {};

  const parseComparison = (): Condition => {
    const field = tokens[at];
    const operator = tokens[at + 1];
    const value = tokens[at + 2];
    if (field?.type !== "word")
      throw new SearchSyntaxError(`expected a field name, found '${field?.text ?? "the end"}'`);
    if (operator?.type !== "operator") {
      throw new SearchSyntaxError(`expected an operator after '${field.text}', found '${operator?.text ?? "the end"}'`);
    }
    if (!value || value.type === "operator") {
      throw new SearchSyntaxError(`expected a value after '${field.text}${operator.text}'`);
    }
    at += 3;
    return { kind: "compare", field: field.text.toLowerCase(), operator: operator.text as Operator, value: value.text };
  };
  const atClauseEnd = () => at >= tokens.length || isKeyword(tokens[at], "sortby") || isKeyword(tokens[at], "page");
  const parseAnd = (): Condition => {
    const parts = [parseComparison()];
    while (!atClauseEnd() && !isKeyword(tokens[at], "or")) {
      if (isKeyword(tokens[at], "and")) at++;
      parts.push(parseComparison());
    }
    return parts.length === 1 ? parts[0]! : { kind: "and", parts };
  };

  if (!atClauseEnd()) {
    const parts = [parseAnd()];
    while (isKeyword(tokens[at], "or")) {
      at++;
      parts.push(parseAnd());
    }
    query.condition = parts.length === 1 ? parts[0]! : { kind: "or", parts };
  }
  if (isKeyword(tokens[at], "sortby")) {
    const field = tokens[at + 1];
    if (field?.type !== "word") throw new SearchSyntaxError("expected a field name after 'sortby'");
    at += 2;
    let descending = false;
    if (isKeyword(tokens[at], "asc") || isKeyword(tokens[at], "desc"))
      descending = tokens[at++]!.text.toLowerCase() === "desc";
    query.sortBy = { field: field.text.toLowerCase(), descending };
  }
  if (isKeyword(tokens[at], "page")) {
    const page = tokens[at + 1];
    if (!page || !/^[1-9]\d*$/.test(page.text))
      throw new SearchSyntaxError("expected a page number (1, 2 ...) after 'page'");
    query.page = Number(page.text);
    at += 2;
  }
  if (at < tokens.length) throw new SearchSyntaxError(`unexpected '${tokens[at]!.text}'`);
  return query;
}

/** Every field a condition names, so unknown ones can be refused before anything is matched. */
export function fieldsOf(condition: Condition | undefined): string[] {
  if (!condition) return [];
  if (condition.kind === "compare") return [condition.field];
  return condition.parts.flatMap(fieldsOf);
}

function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s");
}

function compareOne(actual: string, operator: Operator, expected: string, ignoreCase: boolean): boolean {
  if (operator === "=" || operator === "!=") {
    const equal = expected.includes("*")
      ? wildcard(expected, ignoreCase).test(actual)
      : ignoreCase
        ? actual.toLowerCase() === expected.toLowerCase()
        : actual === expected;
    return operator === "=" ? equal : !equal;
  }
  const a = Number(actual);
  const e = Number(expected);
  const order =
    actual !== "" && expected !== "" && Number.isFinite(a) && Number.isFinite(e)
      ? Math.sign(a - e)
      : actual.localeCompare(expected);
  switch (operator) {
    case "<":
      return order < 0;
    case ">":
      return order > 0;
    case "<=":
      return order <= 0;
    default:
      return order >= 0;
  }
}

export function matches(condition: Condition | undefined, resolve: FieldResolver, caseSensitive: boolean): boolean {
  if (!condition) return true;
  switch (condition.kind) {
    case "and":
      return condition.parts.every((part) => matches(part, resolve, caseSensitive));
    case "or":
      return condition.parts.some((part) => matches(part, resolve, caseSensitive));
    case "compare": {
      const field = resolve(condition.field);
      if (!field) return false;
      const ignoreCase = !caseSensitive || field.ignoreCase === true;
      // `!=` holds when no value equals; the others when any value compares.
      if (condition.operator === "!=") {
        return field.values.every((v) => compareOne(v, "!=", condition.value, ignoreCase));
      }
      return field.values.some((v) => compareOne(v, condition.operator, condition.value, ignoreCase));
    }
  }
}
