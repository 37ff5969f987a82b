// "Choose a folder": browses the disk one folder at a time through the core (`browse_folders`)
// so a rep picks the folder their exports land in instead of typing its path. See README
// ("Watched folders: the folder chooser") for why this is not the native GTK dialog.
import { useEffect, useState } from "react";
import type { FolderListing } from "../bindings/FolderListing";
import { useApi } from "../context";
import { humanizeSystemError, toErrorPayload } from "../errors";
import { Modal } from "./Modal";

/** `/home/rep/Downloads` → `["/", "/home", "/home/rep", "/home/rep/Downloads"]` with their names. */
export function crumbs(path: string): Array<{ name: string; path: string }> {
  const parts = path.split("/").filter(Boolean);
  return [{ name: "/", path: "/" }, ...parts.map((name, i) => ({ name, path: `/${parts.slice(0, i + 1).join("/")}` }))];
}

const join = (folder: string, name: string) => (folder.endsWith("/") ? `${folder}${name}` : `${folder}/${name}`);

/** A modal listing one folder's sub-folders; "Choose this folder" hands its path back. */
export function FolderPicker(props: { start?: string; onChoose: (path: string) => void; onClose: () => void }) {
  const api = useApi();
  const [wanted, setWanted] = useState<string | undefined>(props.start?.startsWith("/") ? props.start : undefined);
  const [showHidden, setShowHidden] = useState(false);
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const go = (path: string) => {
    setNotice(null);
    setWanted(path);
  };
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    setLoading(true);
    api.browseFolders({ path: wanted, show_hidden: showHidden }).then(
      (l) => {
        if (!live) return;
        setListing(l);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        const message = humanizeSystemError(toErrorPayload(e).message);
        setLoading(false);
        // A typed start path that is gone: say so above home instead of an empty dialog.
        if (!listing && wanted !== undefined) {
          setNotice(message);
          setWanted(undefined);
        } else {
          setError(message);
        }
      },
    );
    return () => {
      live = false;
    };
    // `listing` is only read to decide the fallback above; it must not trigger a reload.
  }, [api, wanted, showHidden]);

  return (
    <Modal title="Choose a folder to watch" onClose={props.onClose} wide>
      <div className="folder-picker" data-testid="folder-picker" aria-busy={loading}>
        <nav className="folder-picker__crumbs" aria-label="Folder path">
          {listing &&
            crumbs(listing.path).map((c, i, all) =>
              i === all.length - 1 ? (
                <span key={c.path} className="folder-picker__crumb folder-picker__crumb--current" aria-current="location">
                  {c.name}
                </span>
              ) : (
                <button key={c.path} type="button" className="folder-picker__crumb" onClick={() => go(c.path)}>
                  {c.name}
                </button>
              ),
            )}
        </nav>
        <div className="folder-picker__tools">
          <button type="button" className="button button--small" data-autofocus disabled={!!listing && !listing.parent} onClick={() => listing?.parent && go(listing.parent)}>
            ↑ Up
          </button>
          <button type="button" className="button button--small" disabled={!listing?.home || listing.home === listing.path} onClick={() => listing?.home && go(listing.home)}>
            Home
          </button>
          <label className="check folder-picker__hidden">
            <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> Show hidden folders
          </label>
        </div>
        {(error ?? notice) && (
          <p className="field__error" role="alert" data-testid="folder-picker-error">
            {error ?? notice}
          </p>
        )}
        <ul className="folder-picker__list" aria-label={listing ? `Folders in ${listing.path}` : "Folders"}>
          {listing?.folders.map((name) => (
            <li key={name}>
              <button type="button" className="folder-picker__folder" data-testid="folder-picker-folder" onClick={() => go(join(listing.path, name))}>
                <span aria-hidden="true" className="folder-picker__icon">
                  ▸
                </span>
                {name}
              </button>
            </li>
          ))}
          {listing && listing.folders.length === 0 && <li className="empty-note">No folders inside. Choose this one, or go up.</li>}
        </ul>
        {listing?.truncated && <p className="muted">Only the first {listing.folders.length} folders are listed.</p>}
      </div>
      <footer className="form__actions">
        <span className="muted folder-picker__chosen" title={listing?.path}>
          {listing ? listing.path : "Loading…"}
        </span>
        <button type="button" className="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="button button--primary" data-testid="folder-picker-choose" disabled={!listing || loading} onClick={() => listing && props.onChoose(listing.path)}>
          Choose this folder
        </button>
      </footer>
    </Modal>
  );
}
