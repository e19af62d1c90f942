import { describe, expect, it } from "vitest";
import { ApiError, friendly } from "../src/api";

describe("friendly", () => {
  it("gives the server's words for an unavailability, which may need an administrator rather than a retry", () => {
    expect(friendly(new ApiError("unavailable", "the audit log was restored under this server; it refuses changes until an administrator restarts it"))).toContain("until an administrator restarts it");
    expect(friendly(new ApiError("unavailable", ""))).toContain("Try again shortly");
  });
  it("hides what the server does not explain", () => {
    expect(friendly(new ApiError("internal", "driver: connection reset"))).toBe("Something went wrong on the server.");
  });
});
