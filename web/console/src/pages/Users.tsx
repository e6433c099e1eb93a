// User search: every filter, order and keyset page of the users query.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { UserFilter, UsersQuery } from '../gql/graphql';
import { Users as UsersOp } from '../ops';
import { useCan } from '../perms';
import { linkTo } from '../router';
import { Field, Loading, Problem, Select, when } from '../ui';

const roles = ['MEMBER', 'SUPPORT', 'COMPLIANCE', 'ACCOUNTANT', 'ADMIN', 'SUPERADMIN', 'PARTNER'];
const states = ['PENDING', 'ACTIVE', 'LOCKED', 'BANNED', 'DELETED'];
const kycStatuses = ['NONE', 'PENDING', 'APPROVED', 'REJECTED'];
const pageSize = 25;

type Form = Record<
  'id' | 'email' | 'phone' | 'name' | 'role' | 'state' | 'levelMin' | 'levelMax' | 'country' | 'kycStatus' |
  'labelKey' | 'labelValue' | 'createdFrom' | 'createdTo' | 'documentsPending' | 'order' | 'direction',
  string
>;

const empty: Form = {
  id: '', email: '', phone: '', name: '', role: '', state: '', levelMin: '', levelMax: '', country: '',
  kycStatus: '', labelKey: '', labelValue: '', createdFrom: '', createdTo: '', documentsPending: '',
  order: 'CREATED_AT', direction: 'DESC',
};

// filterOf turns the form into the query's filter: empty fields are no condition.
function filterOf(f: Form): UserFilter {
  const out: UserFilter = {};
  if (f.id.trim()) out.id = f.id.trim();
  if (f.email.trim()) out.email = f.email.trim();
  if (f.phone.trim()) out.phone = f.phone.trim();
  if (f.name.trim()) out.name = f.name.trim();
  if (f.role) out.role = f.role as UserFilter['role'];
  if (f.state) out.state = f.state as UserFilter['state'];
  if (f.levelMin !== '') out.levelMin = Number(f.levelMin);
  if (f.levelMax !== '') out.levelMax = Number(f.levelMax);
  if (f.country.trim()) out.country = f.country.trim().toUpperCase();
  if (f.kycStatus) out.kycStatus = f.kycStatus as UserFilter['kycStatus'];
  if (f.labelKey.trim()) out.label = { key: f.labelKey.trim(), value: f.labelValue.trim() || null };
  if (f.createdFrom) out.createdFrom = new Date(f.createdFrom + 'T00:00:00Z').toISOString();
  if (f.createdTo) out.createdTo = new Date(f.createdTo + 'T00:00:00Z').toISOString();
  if (f.documentsPending) out.documentsPending = f.documentsPending === 'yes';
  return out;
}

// The search lives in the address (?name=…&order=…): Back from a user
// returns to the same results, and a search can be shared as a link.
function fromAddress(): Form {
  const q = new URLSearchParams(location.search);
  const f = { ...empty };
  for (const k of Object.keys(empty) as (keyof Form)[]) {
    const v = q.get(k);
    if (v !== null) f[k] = v;
  }
  return f;
}

function toAddress(f: Form) {
  const q = new URLSearchParams();
  for (const k of Object.keys(empty) as (keyof Form)[]) if (f[k] !== empty[k]) q.set(k, f[k]);
  const search = q.toString();
  history.replaceState(null, '', location.pathname + (search ? '?' + search : ''));
}

export function Users() {
  const [form, setForm] = useState<Form>(fromAddress);
  const [applied, setApplied] = useState<Form>(fromAddress);
  // cursors[i] is the after of page i (page 0 has none).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [data, setData] = useState<UsersQuery['users'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Form) => (v: string) => setForm({ ...form, [k]: v });
  const page = cursors.length - 1;
  const can = useCan();

  useEffect(() => {
    let live = true;
    setBusy(true);
    setError(null);
    call(UsersOp, {
      filter: filterOf(applied),
      orderBy: { field: applied.order as 'CREATED_AT', direction: applied.direction as 'DESC' },
      first: pageSize,
      after: cursors[page],
      kyc: can('User.kycStatus'),
    })
      .then((d) => live && setData(d.users))
      .catch((e) => live && (setError(e), setData(null)))
      .finally(() => live && setBusy(false));
    return () => { live = false; };
  }, [applied, cursors]);

  const search = (e: Event) => {
    e.preventDefault();
    toAddress(form);
    setApplied(form);
    setCursors([null]);
  };

  return (
    <section>
      <h1>Users</h1>
      <form class="filters" onSubmit={search} aria-label="Filter users">
        <Field label="Name" value={form.name} onValue={set('name')} />
        <Field label="Email starts with" value={form.email} onValue={set('email')} />
        <Field label="Phone starts with" value={form.phone} onValue={set('phone')} />
        <Field label="User id" value={form.id} onValue={set('id')} />
        <Select label="Role" value={form.role} onValue={set('role')} options={roles} blank="Any" />
        <Select label="State" value={form.state} onValue={set('state')} options={states} blank="Any" />
        <Select label="KYC status" value={form.kycStatus} onValue={set('kycStatus')} options={kycStatuses} blank="Any" />
        <Select label="Documents pending" value={form.documentsPending} onValue={set('documentsPending')}
          options={['yes', 'no']} blank="Either" />
        <Field label="Level at least" type="number" value={form.levelMin} onValue={set('levelMin')} />
        <Field label="Level at most" type="number" value={form.levelMax} onValue={set('levelMax')} />
        <Field label="Country (ISO code)" value={form.country} onValue={set('country')} />
        <Field label="Label key" value={form.labelKey} onValue={set('labelKey')} />
        <Field label="Label value" value={form.labelValue} onValue={set('labelValue')} />
        <Field label="Created from" type="date" value={form.createdFrom} onValue={set('createdFrom')} />
        <Field label="Created before" type="date" value={form.createdTo} onValue={set('createdTo')} />
        <Select label="Order by" value={form.order} onValue={set('order')} options={['CREATED_AT', 'LAST_SIGN_IN', 'NAME']} />
        <Select label="Direction" value={form.direction} onValue={set('direction')} options={['DESC', 'ASC']} />
        <div class="actions">
          <button type="submit">Search</button>
          <button type="button" onClick={() => { toAddress(empty); setForm(empty); setApplied(empty); setCursors([null]); }}>
            Clear
          </button>
        </div>
      </form>
      <Problem error={error} />
      {busy && !data && <Loading />}
      {data && (
        <>
          <p class="count">
            {data.totalCount.toLocaleString('en')}
            {data.totalCountExact ? '' : '+'} users match · page {page + 1}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th><th scope="col">Email</th><th scope="col">Phone</th><th scope="col">Role</th>
                <th scope="col">State</th><th scope="col">Level</th><th scope="col">KYC</th><th scope="col">Country</th>
                <th scope="col">Created</th><th scope="col">Last sign-in</th>
              </tr>
            </thead>
            <tbody>
              {data.edges.map(({ node: u }) => (
                <tr key={u.id}>
                  <td><a {...linkTo('/users/' + u.id)}>{u.name || u.email || u.phone || '(no name)'}</a></td>
                  <td>{u.email ?? '—'}</td><td>{u.phone ?? '—'}</td><td>{u.role}</td><td>{u.state}</td>
                  <td>{u.level}</td><td>{u.kycStatus ?? '—'}</td><td>{u.countryCode || '—'}</td>
                  <td>{when(u.createdAt)}</td><td>{when(u.lastSignInAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="Pages">
            <button type="button" disabled={page === 0 || busy} onClick={() => setCursors(cursors.slice(0, -1))}>
              Previous page
            </button>
            <button type="button" disabled={!data.pageInfo.hasNextPage || busy}
              onClick={() => setCursors([...cursors, data.pageInfo.endCursor ?? null])}>
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
