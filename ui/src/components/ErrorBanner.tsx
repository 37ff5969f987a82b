import { useBanner } from "../context";

/** The app-wide error banner (for failures that don't belong to a form field). */
export function ErrorBanner() {
  const { message, clear } = useBanner();
  if (!message) return null;
  return (
    <div className="error-banner" data-testid="error-banner" role="alert">
      <span className="error-banner__icon" aria-hidden="true">
        !
      </span>
      <span className="error-banner__text">{message}</span>
      <button type="button" className="icon-button" aria-label="Dismiss error" onClick={clear}>
        ×
      </button>
    </div>
  );
}
