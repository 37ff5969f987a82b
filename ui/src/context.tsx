import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { tauriApi, type Api } from "./api";
import { bannerMessage, toErrorPayload } from "./errors";

/** The backend. Defaults to the real Tauri api; tests provide their own. */
export const ApiContext = createContext<Api>(tauriApi);

export function useApi(): Api {
  return useContext(ApiContext);
}

interface Banner {
  /** The message shown, or null. */
  message: string | null;
  /** Shows any error (an `ErrorPayload`, a string, an `Error`) in the banner. */
  report: (error: unknown) => void;
  /** Hides the banner. */
  clear: () => void;
}

const BannerContext = createContext<Banner>({
  message: null,
  report: (error) => console.error(error),
  clear: () => {},
});

export function BannerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<string | null>(null);
  const report = useCallback((error: unknown) => {
    setMessage(bannerMessage(toErrorPayload(error)));
  }, []);
  const clear = useCallback(() => setMessage(null), []);
  const value = useMemo(() => ({ message, report, clear }), [message, report, clear]);
  return <BannerContext.Provider value={value}>{children}</BannerContext.Provider>;
}

export function useBanner(): Banner {
  return useContext(BannerContext);
}
