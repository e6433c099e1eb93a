// The KYC review queue: each submission's document and selfie side by
// side, with the profile to compare them against; approve, or reject with
// the reason the user is shown.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { KycQueueQuery } from '../gql/graphql';
import { ApproveKyc, KycQueue as KycQueueOp, RejectKyc } from '../ops';
import { notAllowed, useCan } from '../perms';
import { linkTo } from '../router';
import { Loading, Problem, ReasonAction, Select, when } from '../ui';
import { KycImage } from './UserDetail';

type Sub = KycQueueQuery['kycSubmissions']['edges'][number]['node'];

export function KycQueue() {
  const [status, setStatus] = useState('PENDING');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [data, setData] = useState<KycQueueQuery['kycSubmissions'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const page = cursors.length - 1;

  useEffect(() => {
    setError(null);
    call(KycQueueOp, { filter: { status: status as 'PENDING' }, first: 10, after: cursors[page] })
      .then((d) => setData(d.kycSubmissions))
      .catch((e) => { setError(e); setData(null); });
  }, [status, cursors, version]);

  return (
    <section>
      <h1>KYC review</h1>
      <div class="filters">
        <Select label="Status" value={status} onValue={(v) => { setStatus(v); setCursors([null]); }}
          options={['PENDING', 'APPROVED', 'REJECTED']} />
      </div>
      <Problem error={error} />
      {!data && !error && <Loading />}
      {data && data.edges.length === 0 && <p>No submissions here.</p>}
      {data?.edges.map(({ node }) => <Submission key={node.id} s={node} done={() => setVersion(version + 1)} />)}
      {data && (
        <nav class="pager" aria-label="Pages">
          <button type="button" disabled={page === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Previous page</button>
          <button type="button" disabled={!data.pageInfo.hasNextPage}
            onClick={() => setCursors([...cursors, data.pageInfo.endCursor ?? null])}>Next page</button>
        </nav>
      )}
    </section>
  );
}

function Submission({ s, done }: { s: Sub; done: () => void }) {
  const can = useCan();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const approve = async () => {
    setBusy(true);
    setError(null);
    try {
      await call(ApproveKyc, { input: { id: s.id } });
      done();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const who = s.profile ? `${s.profile.firstName} ${s.profile.lastName}` : s.user.name || s.user.email || s.user.phone;
  return (
    <article class="submission" aria-label={`Submission of ${who}`}>
      <header>
        <h2><a {...linkTo('/users/' + s.user.id)}>{who}</a></h2>
        <p>
          {s.status} · submitted {when(s.submittedAt)} · country {s.country}
          {s.decidedAt ? ` · decided ${when(s.decidedAt)}` : ''}{s.reason ? ` · ${s.reason}` : ''}
        </p>
        {s.profile && <p>Born {s.profile.dateOfBirth} · {s.profile.country}</p>}
        <p>{s.document.type} {s.document.number}, expires {s.document.expiresOn}</p>
      </header>
      <div class="side-by-side">
        <figure><figcaption>Document (front)</figcaption><KycImage file={s.document.front} alt="Document front" /></figure>
        {s.document.back && <figure><figcaption>Document (back)</figcaption><KycImage file={s.document.back} alt="Document back" /></figure>}
        <figure><figcaption>Selfie</figcaption><KycImage file={s.selfie.image} alt="Selfie" /></figure>
      </div>
      {s.status === 'PENDING' && (
        <div class="decide">
          <button type="button" onClick={approve} disabled={busy || !can('approveKycSubmission')}
            title={can('approveKycSubmission') ? undefined : notAllowed}>
            Approve
          </button>
          <ReasonAction label="Reject" danger disabled={!can('rejectKycSubmission')}
            title={can('rejectKycSubmission') ? undefined : notAllowed}
            run={async (reason) => { await call(RejectKyc, { input: { id: s.id, reason } }); done(); }} />
          <Problem error={error} />
        </div>
      )}
    </article>
  );
}
