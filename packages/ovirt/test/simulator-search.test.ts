// The simulator's search language on its own: parsing (precedence, quoting, sortby, page) and matching
// (wildcards, case, comparisons, `!=` over several values).
import { describe, expect, it } from "@jest/globals";
import { matches, parseSearch, SearchSyntaxError, type FieldResolver } from "../src/testing/search.js";

const record =
  (fields: Record<string, string[]>, enums: string[] = []): FieldResolver =>
  (field) =>
    fields[field] ? { values: fields[field]!, ignoreCase: enums.includes(field) } : undefined;

describe("parseSearch", () => {
  it("binds `and` (or a plain space) tighter than `or`", () => {
    expect(parseSearch("name=a status=up or name=b")).toEqual({
      condition: {
        kind: "or",
        parts: [
          {
            kind: "and",
            parts: [
              { kind: "compare", field: "name", operator: "=", value: "a" },
              { kind: "compare", field: "status", operator: "=", value: "up" },
            ],
          },
          { kind: "compare", field: "name", operator: "=", value: "b" },
        ],
      },
    });
  });

  it("reads quoted values, every operator, sortby, page and the kind prefix", () => {
    expect(parseSearch('Vms: description="two words" and memory>=1024 sortby name desc page 3')).toEqual({
      condition: {
        kind: "and",
        parts: [
          { kind: "compare", field: "description", operator: "=", value: "two words" },
          { kind: "compare", field: "memory", operator: ">=", value: "1024" },
        ],
      },
      sortBy: { field: "name", descending: true },
      page: 3,
    });
    expect(parseSearch("")).toEqual({});
    expect(parseSearch("page 2")).toEqual({ page: 2 });
    for (const op of ["!=", "<", ">", "<=", ">="])
      expect(parseSearch(`memory${op}1`).condition).toMatchObject({ operator: op });
  });

  it("names what is wrong with a query", () => {
    expect(() => parseSearch("name")).toThrow(
      new SearchSyntaxError("expected an operator after 'name', found 'the end'"),
    );
    expect(() => parseSearch("name=")).toThrow(/expected a value after 'name='/);
    expect(() => parseSearch('name="open')).toThrow(/unterminated quoted value/);
    expect(() => parseSearch("name=a page x")).toThrow(/expected a page number/);
    expect(() => parseSearch("name=a sortby")).toThrow(/expected a field name after 'sortby'/);
  });
});

describe("matches", () => {
  const vm = record({ name: ["Web-1"], status: ["up"], memory: ["2048"], tag: ["a", "b"] }, ["status"]);
  const test = (query: string, caseSensitive = true) => matches(parseSearch(query).condition, vm, caseSensitive);

  it("matches wildcards, case as asked, enum fields without case", () => {
    expect(test("name=Web-*")).toBe(true);
    expect(test("name=web-*")).toBe(false);
    expect(test("name=web-*", false)).toBe(true);
    expect(test("status=UP")).toBe(true);
    expect(test("name=*b*1")).toBe(true);
  });

  it("compares numbers as numbers and applies != to every value", () => {
    expect(test("memory>1000")).toBe(true);
    expect(test("memory<300")).toBe(false);
    expect(test("tag=b")).toBe(true);
    expect(test("tag!=b")).toBe(false);
    expect(test("tag!=c")).toBe(true);
    expect(test("unknown=x")).toBe(false);
  });
});
