import { describe, expect, it } from "vitest";
import { bannerMessage, fieldMessage, humanizeSystemError, isFieldError, toErrorPayload } from "./errors";

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

describe("humanizeSystemError", () => {
  it("puts the OS's wording in words and drops error codes", () => {
    expect(humanizeSystemError("cannot read folder /x: No such file or directory (os error 2)")).toBe("Cannot read folder /x: it does not exist (moved, renamed or deleted?)");
    expect(humanizeSystemError("cannot open /y: Permission denied (os error 13)")).toBe("Cannot open /y: Outpost is not allowed to open it (check its permissions)");
    expect(humanizeSystemError("odd failure (os error 99)")).toBe("Odd failure");
    expect(fieldMessage("Folder", "folder /x cannot be opened (No such file or directory (os error 2))")).toBe("Folder /x cannot be opened (it does not exist (moved, renamed or deleted?))");
    expect(bannerMessage({ kind: "io", field: null, message: "write failed: No space left on device (os error 28)" })).toBe("Write failed: the disk is full");
  });
});
