/** Shown where data could not be loaded (the banner says why). */
export function LoadFailed(props: { what: string; onRetry: () => void }) {
  return (
    <div className="load-failed" role="status">
      <p>Couldn’t load {props.what}.</p>
      <button type="button" className="button" onClick={props.onRetry}>
        Try again
      </button>
    </div>
  );
}

/** Placeholder rows of a fixed height, so the page doesn't jump when data arrives. */
export function SkeletonRows(props: { rows?: number }) {
  return (
    <div className="skeleton-rows" aria-hidden="true">
      {Array.from({ length: props.rows ?? 6 }, (_, i) => (
        <div key={i} className="skeleton skeleton--row" />
      ))}
    </div>
  );
}
