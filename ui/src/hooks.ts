import { useCallback, useEffect, useRef, useState, type DependencyList, type FormEvent } from "react";
import { useChanges } from "./changes";
import { useBanner } from "./context";
import { isFieldError, toErrorPayload } from "./errors";

export interface Loaded<T> {
  data: T | undefined;
  /** True while a request is in flight (the previous data stays shown meanwhile). */
  loading: boolean;
  /** Set when the last load failed (also reported to the banner). */
  failed: boolean;
  reload: () => void;
}

/**
 * Loads data when `deps` change; ignores stale responses; reports failures to the banner.
 *
 * Also refreshes quietly whenever the core says records changed (the `changed` event, from any
 * writer: this window, the CLI, sync, watched folders, the agent): the shown data is replaced
 * in place — no loading state, no skeleton, nothing unmounted — so scroll positions and open
 * forms stay as they are. Events arriving while a refresh runs coalesce into one more refresh.
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const { report } = useBanner();
  const subscribe = useChanges();
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const id = ++latest.current;
    setLoading(true);
    loadRef.current().then(
      (value) => {
        if (id !== latest.current) return;
        setData(value);
        setFailed(false);
        setLoading(false);
      },
      (error: unknown) => {
        if (id !== latest.current) return;
        report(error);
        setFailed(true);
        setLoading(false);
      },
    );
    // `load` is read through a ref: callers pass a fresh closure each render; `deps` say when to reload.
  }, [...deps, tick, report]);

  useEffect(() => {
    let live = true;
    let running = false;
    let again = false;
    const refresh = () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      // A newer id: a load started before this change (with older data) must not win.
      const id = ++latest.current;
      const settle = () => {
        running = false;
        if (live && again) {
          again = false;
          refresh();
        }
      };
      loadRef.current().then(
        (value) => {
          if (live && id === latest.current) {
            setData(value);
            setFailed(false);
            setLoading(false);
          }
          settle();
        },
        (error: unknown) => {
          // The shown data stays; a background refresh does not raise the banner.
          if (live && id === latest.current) setLoading(false);
          console.warn("refresh after a change failed", error);
          settle();
        },
      );
    };
    const stop = subscribe(refresh);
    return () => {
      live = false;
      stop();
    };
  }, [subscribe]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, loading, failed, reload };
}

/** `value`, settled for `delay` ms. */
export function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

export type FieldErrors = Partial<Record<string, string>>;

export interface Submit {
  saving: boolean;
  errors: FieldErrors;
  setErrors: (errors: FieldErrors) => void;
  onSubmit: (event: FormEvent) => void;
}

/**
 * Form submission: runs `validate` (client-side checks, returning field errors), then `save`.
 * A rejected save with an `invalid` payload naming one of `fields` becomes an inline error;
 * `aliases` maps server field names onto form fields (e.g. `company_id` → `company`). Any
 * other failure goes to the global banner.
 */
export function useSubmit<T>(opts: {
  fields: readonly string[];
  aliases?: Record<string, string>;
  validate?: () => FieldErrors;
  save: () => Promise<T>;
  onSaved: (result: T) => void;
}): Submit {
  const { report, clear } = useBanner();
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const busy = useRef(false);

  const onSubmit = useCallback(
    (event: FormEvent) => {
      event.preventDefault();
      if (busy.current) return;
      const { fields, aliases, validate, save, onSaved } = optsRef.current;
      const local = validate?.() ?? {};
      if (Object.keys(local).length > 0) {
        setErrors(local);
        return;
      }
      setErrors({});
      busy.current = true;
      setSaving(true);
      save().then(
        (result) => {
          busy.current = false;
          setSaving(false);
          clear();
          onSaved(result);
        },
        (error: unknown) => {
          busy.current = false;
          setSaving(false);
          const payload = toErrorPayload(error);
          const field = isFieldError(payload) ? (aliases?.[payload.field] ?? payload.field) : null;
          if (field && fields.includes(field)) setErrors({ [field]: payload.message });
          else report(payload);
        },
      );
    },
    [report, clear],
  );

  return { saving, errors, setErrors, onSubmit };
}

/** Who the app acts as, asked once per backend: `ownerName(owner, me)` shows them as "You". */
const currentUsers = new WeakMap<object, Promise<string | null>>();
export function useCurrentUser(api: { currentUser(): Promise<string> }): string[] {
  const [me, setMe] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    let asked = currentUsers.get(api);
    if (!asked) {
      asked = api.currentUser().catch(() => null);
      currentUsers.set(api, asked);
    }
    asked.then((user) => live && setMe(user ? [user] : []));
    return () => {
      live = false;
    };
  }, [api]);
  return me;
}
