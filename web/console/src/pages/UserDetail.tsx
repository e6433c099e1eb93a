// One user: profile, KYC files through their signed links, labels, phones,
// devices, sessions, activity, accounts and portfolios, and the staff
// actions, each with the reason the audit trail keeps.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { UserActivityQuery, UserDetailQuery, UserSessionsQuery } from '../gql/graphql';
import {
  RemoveUserLabel, ResetUserMfa, RevokeUserSessions, SetUserLabel, SetUserRole, SetUserState, UserActivity,
  UserDetail as UserDetailOp, UserSessions,
} from '../ops';
import { notAllowed, useCan } from '../perms';
import { Field, Loading, Problem, ReasonAction, Select, when } from '../ui';

type U = NonNullable<UserDetailQuery['user']>;
type File = { id: string; contentType: string; url?: string | null };

/** A KYC file through its short-lived signed link (null when the role may not open it). */
export function KycImage({ file, alt }: { file: File | null | undefined; alt: string }) {
  const [broken, setBroken] = useState(false);
  if (!file) return <p class="muted">No {alt.toLowerCase()}.</p>;
  if (!file.url) return <p class="muted">{alt}: your role may not open KYC files.</p>;
  if (broken) {
    return <p class="problem" role="alert">{alt}: the file could not be loaded (missing from storage, or its link expired: reload the page).</p>;
  }
  if (file.contentType === 'application/pdf') {
    return <a href={file.url} target="_blank" rel="noopener">{alt} (PDF)</a>;
  }
  return (
    <a href={file.url} target="_blank" rel="noopener" class="kycfile">
      <img src={file.url} alt={alt} onError={() => setBroken(true)} />
    </a>
  );
}

export function UserDetail({ id }: { id: string }) {
  const can = useCan();
  const [user, setUser] = useState<U | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sessions, setSessions] = useState<UserSessionsQuery['user'] | null>(null);
  const [activity, setActivity] = useState<UserActivityQuery['user'] | null>(null);
  const [side, setSide] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const reload = () => setVersion(version + 1);

  useEffect(() => {
    setError(null);
    call(UserDetailOp, {
      id,
      profile: can('User.profile'), kyc: can('User.kycStatus'), labels: can('User.labels'),
      phones: can('User.phones'), documents: can('User.documents'), selfie: can('User.selfie'),
      devices: can('User.devices'), accounts: can('User.accounts'),
    })
      .then((d) => (d.user ? setUser(d.user) : setError(new Error('No user has this id.'))))
      .catch(setError);
    if (can('User.sessions')) call(UserSessions, { id }).then((d) => setSessions(d.user)).catch(setSide);
    if (can('User.recentActivity')) call(UserActivity, { id }).then((d) => setActivity(d.user)).catch(setSide);
  }, [id, version]);

  if (error) return <Problem error={error} />;
  if (!user) return <Loading />;
  const u = user;
  return (
    <section class="detail">
      <h1>{u.name || (u.profile ? `${u.profile.firstName} ${u.profile.lastName}` : u.email || u.phone || '(no name)')}</h1>
      <dl class="facts">
        <dt>Id</dt><dd>{u.id}</dd>
        <dt>Email</dt><dd>{u.email ?? '—'}</dd>
        <dt>Phone</dt><dd>{u.phone ?? '—'}{u.pendingPhone ? ` (unproven: ${u.pendingPhone})` : ''}</dd>
        <dt>Role</dt><dd>{u.role}</dd>
        <dt>State</dt><dd>{u.state}</dd>
        <dt>Level</dt><dd>{u.level}</dd>
        <dt>Country</dt><dd>{u.countryCode || '—'}</dd>
        <dt>Sign-in</dt>
        <dd>{[u.hasPin && 'PIN', u.hasPassword && 'password', u.totpEnabled && 'authenticator app'].filter(Boolean).join(', ') || '—'}</dd>
        <dt>Created</dt><dd>{when(u.createdAt)}</dd>
        <dt>Last sign-in</dt><dd>{when(u.lastSignInAt)}</dd>
        {u.kycStatus && (<><dt>KYC</dt><dd>{u.kycStatus}{u.kycRejectionReason ? ` — ${u.kycRejectionReason}` : ''}</dd></>)}
      </dl>
      <Problem error={side} />

      <StaffActions u={u} reload={reload} />

      {u.profile !== undefined && (
        <>
          <h2>Profile</h2>
          {u.profile ? (
            <dl class="facts">
              <dt>Name</dt><dd>{u.profile.firstName} {u.profile.lastName}</dd>
              <dt>Born</dt><dd>{u.profile.dateOfBirth}</dd>
              <dt>Address</dt><dd>{u.profile.address}, {u.profile.postcode} {u.profile.city}, {u.profile.country}</dd>
              <dt>Confirmed</dt><dd>{u.profile.confirmed ? 'yes' : 'no'}</dd>
            </dl>
          ) : <p class="muted">No profile.</p>}
        </>
      )}

      {(u.documents !== undefined || u.selfie !== undefined) && (
        <>
          <h2>KYC files</h2>
          <div class="files">
            {(u.documents ?? []).map((d) => (
              <figure key={d.id}>
                <figcaption>{d.type} {d.number} (expires {d.expiresOn})</figcaption>
                <KycImage file={d.front} alt={`${d.type} front`} />
                {d.back && <KycImage file={d.back} alt={`${d.type} back`} />}
              </figure>
            ))}
            {u.selfie !== undefined && (
              <figure>
                <figcaption>Selfie</figcaption>
                <KycImage file={u.selfie?.image} alt="Selfie" />
              </figure>
            )}
          </div>
        </>
      )}

      {u.labels !== undefined && <Labels u={u} reload={reload} />}

      {u.phones !== undefined && (
        <>
          <h2>Phones</h2>
          <table>
            <thead><tr><th scope="col">Number</th><th scope="col">Verified</th><th scope="col">Added</th></tr></thead>
            <tbody>
              {u.phones!.map((p) => (
                <tr key={p.id}><td>{p.number}</td><td>{p.verified ? when(p.verifiedAt) : 'no'}</td><td>{when(p.createdAt)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {u.devices !== undefined && (
        <>
          <h2>Devices</h2>
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Device id</th><th scope="col">Trusted</th><th scope="col">First seen</th><th scope="col">Last seen</th></tr></thead>
            <tbody>
              {u.devices!.map((d) => (
                <tr key={d.id}><td>{d.name}</td><td>{d.deviceId}</td><td>{d.trusted ? 'yes' : 'no'}</td><td>{when(d.createdAt)}</td><td>{when(d.lastSeenAt)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {sessions && (
        <>
          <h2>Sessions</h2>
          <table>
            <thead><tr><th scope="col">Device</th><th scope="col">Opened</th><th scope="col">Last used</th><th scope="col">Ends</th><th scope="col">Second factor</th></tr></thead>
            <tbody>
              {sessions.sessions.map((s) => (
                <tr key={s.id}><td>{s.device.name}</td><td>{when(s.createdAt)}</td><td>{when(s.lastUsedAt)}</td><td>{when(s.expiresAt)}</td><td>{s.mfa ? 'yes' : 'no'}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {activity && (
        <>
          <h2>Activity</h2>
          <table>
            <thead><tr><th scope="col">When</th><th scope="col">Topic</th><th scope="col">Action</th><th scope="col">Result</th><th scope="col">IP</th></tr></thead>
            <tbody>
              {activity.recentActivity.map((a) => (
                <tr key={a.id}><td>{when(a.createdAt)}</td><td>{a.topic}</td><td>{a.action}</td><td>{a.result}{a.reason ? ` (${a.reason})` : ''}</td><td>{a.ip}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {u.accounts !== undefined && (
        <>
          <h2>Accounts and portfolios</h2>
          {u.accounts!.length === 0 && <p class="muted">No accounts.</p>}
          {u.accounts!.length > 0 && (
            <table>
              <thead>
                <tr><th scope="col">Account</th><th scope="col">Email</th><th scope="col">Sub-account</th><th scope="col">Active</th><th scope="col">Opened</th><th scope="col">Portfolios</th></tr>
              </thead>
              <tbody>
                {u.accounts!.map((a) => (
                  <tr key={a.id}>
                    <td><code>{a.id}</code></td><td>{a.email || '—'}</td><td>{a.subAccountId || '—'}</td>
                    <td>{a.active ? 'yes' : 'no'}</td><td>{when(a.createdAt)}</td>
                    <td>
                      {a.portfolios.length === 0 ? '—' : (
                        <ul>
                          {a.portfolios.map((p) => (
                            <li key={p.id}>{p.name} — {p.type}{p.publicStrategy ? ', public strategy' : ''}{p.address ? ` (${p.address})` : ''}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function StaffActions({ u, reload }: { u: U; reload: () => void }) {
  const can = useCan();
  const [state, setState] = useState('LOCKED');
  const [role, setRole] = useState(u.role);
  const deny = (op: string) => (can(op) ? undefined : notAllowed);
  return (
    <div class="staff-actions">
      <h2>Staff actions</h2>
      <ReasonAction label="Change state" disabled={!can('setUserState')} title={deny('setUserState')}
        run={async (reason) => { await call(SetUserState, { input: { userId: u.id, state: state as 'LOCKED', reason } }); reload(); }}>
        <Select label="New state" value={state} onValue={setState} options={['ACTIVE', 'LOCKED', 'BANNED']} />
      </ReasonAction>
      <ReasonAction label="Change role" disabled={!can('setUserRole')} title={deny('setUserRole')}
        run={async (reason) => { await call(SetUserRole, { input: { userId: u.id, role: role as 'MEMBER', reason } }); reload(); }}>
        <Select label="New role" value={role} onValue={(v) => setRole(v as U['role'])}
          options={['MEMBER', 'SUPPORT', 'COMPLIANCE', 'ACCOUNTANT', 'ADMIN', 'SUPERADMIN', 'PARTNER']} />
      </ReasonAction>
      <ReasonAction label="Reset second factor" disabled={!can('resetUserMfa') || !u.totpEnabled}
        title={deny('resetUserMfa') ?? (u.totpEnabled ? undefined : 'No authenticator app to reset')}
        run={async (reason) => { await call(ResetUserMfa, { input: { userId: u.id, reason } }); reload(); }} />
      <ReasonAction label="End all sessions" danger disabled={!can('revokeUserSessions')} title={deny('revokeUserSessions')}
        run={async (reason) => { await call(RevokeUserSessions, { input: { userId: u.id, reason } }); reload(); }} />
    </div>
  );
}

function Labels({ u, reload }: { u: U; reload: () => void }) {
  const can = useCan();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [scope, setScope] = useState('PRIVATE');
  return (
    <>
      <h2>Labels</h2>
      <table>
        <thead><tr><th scope="col">Key</th><th scope="col">Value</th><th scope="col">Scope</th><th scope="col">Changed</th><th scope="col"></th></tr></thead>
        <tbody>
          {u.labels!.map((l) => (
            <tr key={l.key}>
              <td>{l.key}</td><td>{l.value}</td><td>{l.scope}</td><td>{when(l.updatedAt)}</td>
              <td>
                {can('removeUserLabel') && (
                  <ReasonAction label={`Remove ${l.key}`}
                    run={async (reason) => { await call(RemoveUserLabel, { input: { userId: u.id, key: l.key, reason } }); reload(); }} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {can('setUserLabel') && (
        <ReasonAction label="Set a label"
          run={async (reason) => {
            await call(SetUserLabel, { input: { userId: u.id, key, value, scope: scope as 'PRIVATE', reason } });
            setKey(''); setValue(''); reload();
          }}>
          <Field label="Label key" value={key} onValue={setKey} required />
          <Field label="Label value" value={value} onValue={setValue} required />
          <Select label="Label scope" value={scope} onValue={setScope} options={['PRIVATE', 'PUBLIC']} />
        </ReasonAction>
      )}
    </>
  );
}
