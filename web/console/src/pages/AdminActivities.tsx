// What staff did: the append-only admin trail, newest first.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { AdminActivitiesQuery, AdminActivityFilter } from '../gql/graphql';
import { AdminActivities as Op } from '../ops';
import { linkTo } from '../router';
import { Field, Loading, Problem, when } from '../ui';

type Person = { id: string; name: string; email?: string | null; phone?: string | null } | null | undefined;

function who(p: Person) {
  if (!p) return '—';
  return <a {...linkTo('/users/' + p.id)}>{p.name || p.email || p.phone || p.id}</a>;
}

export function AdminActivities() {
  const [form, setForm] = useState({ action: '', adminId: '', targetUserId: '', from: '', to: '' });
  const [filter, setFilter] = useState<AdminActivityFilter>({});
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [data, setData] = useState<AdminActivitiesQuery['adminActivities'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const page = cursors.length - 1;
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });

  useEffect(() => {
    setError(null);
    call(Op, { filter, first: 50, after: cursors[page] })
      .then((d) => setData(d.adminActivities))
      .catch((e) => { setError(e); setData(null); });
  }, [filter, cursors]);

  const apply = (e: Event) => {
    e.preventDefault();
    const f: AdminActivityFilter = {};
    if (form.action.trim()) f.action = form.action.trim();
    if (form.adminId.trim()) f.adminId = form.adminId.trim();
    if (form.targetUserId.trim()) f.targetUserId = form.targetUserId.trim();
    if (form.from) f.from = new Date(form.from + 'T00:00:00Z').toISOString();
    if (form.to) f.to = new Date(form.to + 'T00:00:00Z').toISOString();
    setFilter(f);
    setCursors([null]);
  };

  return (
    <section>
      <h1>Admin activities</h1>
      <form class="filters" onSubmit={apply} aria-label="Filter admin activities">
        <Field label="Operation (e.g. setUserState)" value={form.action} onValue={set('action')} />
        <Field label="Staff member id" value={form.adminId} onValue={set('adminId')} />
        <Field label="Target user id" value={form.targetUserId} onValue={set('targetUserId')} />
        <Field label="From" type="date" value={form.from} onValue={set('from')} />
        <Field label="Before" type="date" value={form.to} onValue={set('to')} />
        <div class="actions"><button type="submit">Filter</button></div>
      </form>
      <Problem error={error} />
      {!data && !error && <Loading />}
      {data && (
        <>
          <table>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Staff</th><th scope="col">Operation</th><th scope="col">User</th><th scope="col">Reason</th><th scope="col">Result</th><th scope="col">IP</th></tr>
            </thead>
            <tbody>
              {data.edges.map(({ node: a }) => (
                <tr key={a.id}>
                  <td>{when(a.createdAt)}</td><td>{who(a.admin)}</td><td><code>{a.action}</code></td><td>{who(a.targetUser)}</td>
                  <td>{a.reason}</td><td>{a.result}{a.error ? ` (${a.error})` : ''}</td><td>{a.ip}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="Pages">
            <button type="button" disabled={page === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Previous page</button>
            <button type="button" disabled={!data.pageInfo.hasNextPage}
              onClick={() => setCursors([...cursors, data.pageInfo.endCursor ?? null])}>Next page</button>
          </nav>
        </>
      )}
    </section>
  );
}
