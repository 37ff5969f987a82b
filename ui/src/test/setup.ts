import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// findBy*/waitFor give up after 1 s by default, which a loaded CI machine can exceed while a
// debounced search or a polled status settles; nothing here waits on purpose, so be generous.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  // Node-environment tests (the build-level class check) have no DOM to clean.
  if (typeof window === "undefined") return;
  cleanup();
  window.location.hash = "";
});
