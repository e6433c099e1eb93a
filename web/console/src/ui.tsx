// Small shared pieces: labelled fields, refusals, confirmations with a reason.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from './api';

let nextId = 0;
function useId(prefix: string) {
  const [id] = useState(() => `${prefix}-${++nextId}`);
  return id;
}

export function textOf(e: unknown): string {
  if (e instanceof ApiError) return e.text;
  return e instanceof Error ? e.message : String(e);
}

/** A refusal, announced to screen readers as it appears. */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'ERROR';
  return (
    <p class="problem" role="alert" data-code={code}>
      {textOf(error)}
    </p>
  );
}

type InputProps = {
  label: string;
  value: string;
  onValue: (v: string) => void;
  type?: 'text' | 'password' | 'number' | 'date' | 'email';
  name?: string;
  required?: boolean;
  autoComplete?: string;
  placeholder?: string;
  inputMode?: 'numeric' | 'text' | 'email' | 'tel';
};

export function Field(p: InputProps) {
  const id = useId('f');
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={p.name}
        // One input for every kind; the union of kinds is wider than preact's per-type props.
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        required={p.required}
        autoComplete={p.autoComplete}
        placeholder={p.placeholder}
        inputMode={p.inputMode}
        onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
      />
    </div>
  );
}

export function TextArea(p: { label: string; value: string; onValue: (v: string) => void; rows?: number; required?: boolean }) {
  const id = useId('t');
  return (
    <div class="field wide">
      <label for={id}>{p.label}</label>
      <textarea id={id} rows={p.rows ?? 6} value={p.value} required={p.required}
        onInput={(e) => p.onValue((e.currentTarget as HTMLTextAreaElement).value)} />
    </div>
  );
}

export function Check(p: { label: string; checked: boolean; onChecked: (v: boolean) => void }) {
  const id = useId('c');
  return (
    <div class="check">
      <input id={id} type="checkbox" checked={p.checked} onChange={(e) => p.onChecked((e.currentTarget as HTMLInputElement).checked)} />
      <label for={id}>{p.label}</label>
    </div>
  );
}

export function Select(p: { label: string; value: string; onValue: (v: string) => void; options: string[]; blank?: string }) {
  const id = useId('s');
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <select id={id} value={p.value} onChange={(e) => p.onValue((e.currentTarget as HTMLSelectElement).value)}>
        {p.blank !== undefined && <option value="">{p.blank}</option>}
        {p.options.map((o) => (
          <option value={o} key={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * A staff action that needs a reason (every one kept in the audit trail):
 * the button opens a small form; the reason is required before it runs.
 */
export function ReasonAction(p: {
  label: string;
  disabled?: boolean;
  title?: string;
  run: (reason: string) => Promise<unknown>;
  children?: ComponentChildren;
  danger?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  if (!open) {
    return (
      <button type="button" class={p.danger ? 'danger' : ''} disabled={p.disabled} title={p.title}
        onClick={() => { setOpen(true); setDone(false); }}>
        {p.label}
      </button>
    );
  }
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await p.run(reason);
      setOpen(false);
      setReason('');
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="reason" onSubmit={submit}>
      {p.children}
      <Field label={`Reason for "${p.label}"`} value={reason} onValue={setReason} required />
      <button type="submit" disabled={busy} class={p.danger ? 'danger' : ''}>
        {p.label}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      <Problem error={error} />
      {done && <span class="ok">Done.</span>}
    </form>
  );
}

export function when(t?: string | null): string {
  if (!t) return '—';
  return t.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z$/, '$1 UTC');
}

export function Loading() {
  return <p aria-live="polite">Loading…</p>;
}
