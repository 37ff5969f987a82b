import { describe, expect, it } from "vitest";
import { bannerMessage, fieldMessage, isFieldError, toErrorPayload } from "./errors";

describe("errors", () => {
  it("normalises command rejections", () => {
    expect(toErrorPayload({ kind: "invalid", message: "is required", field: "title" })).toEqual({ kind: "invalid", message: "is required", field: "title" });
    expect(toErrorPayload("invalid args `req` for command `add_deal`")).toEqual({ kind: "unknown", message: "invalid args `req` for command `add_deal`", field: null });
    expect(toErrorPayload(new Error("boom")).message).toBe("boom");
    expect(toErrorPayload(undefined).kind).toBe("unknown");
  });

  it("recognises field errors", () => {
    expect(isFieldError({ kind: "invalid", message: "x", field: "email" })).toBe(true);
    expect(isFieldError({ kind: "invalid", message: "x", field: null })).toBe(false);
    expect(isFieldError({ kind: "not_found", message: "x", field: null })).toBe(false);
  });

  it("turns server phrasing into sentences", () => {
    expect(fieldMessage("Title", "is required and cannot be blank")).toBe("Title is required and cannot be blank");
    expect(fieldMessage("Value", "cannot be negative (got -5)")).toBe("Value cannot be negative (got -5)");
    expect(fieldMessage("First name", "a contact needs a name")).toBe("A contact needs a name");
    expect(bannerMessage({ kind: "invalid", message: "must be at least 1", field: "limit" })).toBe("Limit must be at least 1");
    expect(bannerMessage({ kind: "not_found", message: "no deal with id 7", field: null })).toBe("No deal with id 7");
  });
});
