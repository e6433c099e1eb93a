// The PIN-reset queue: the document (approved in KYC, or uploaded during
// the reset, which proves nothing alone) beside the selfie taken for it.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { PinResetsQuery } from '../gql/graphql';
import { ApprovePinReset, PinResets as PinResetsOp, RejectPinReset } from '../ops';
import { notAllowed, useCan } from '../perms';
import { linkTo } from '../router';
import { Loading, Problem, ReasonAction, Select, when } from '../ui';
import { KycImage } from './UserDetail';

type Reset = PinResetsQuery['pinResets']['edges'][number]['node'];
const statuses = ['PENDING_REVIEW', 'DOCUMENT_REQUIRED', 'SELFIE_REQUIRED', 'APPROVED', 'REJECTED', 'COMPLETED'];

export function PinResets() {
  const [status, setStatus] = useState('PENDING_REVIEW');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [data, setData] = useState<PinResetsQuery['pinResets'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const page = cursors.length - 1;

  useEffect(() => {
    setError(null);
    call(PinResetsOp, { status: status as 'PENDING_REVIEW', first: 10, after: cursors[page] })
      .then((d) => setData(d.pinResets))
      .catch((e) => { setError(e); setData(null); });
  }, [status, cursors, version]);

  return (
    <section>
      <h1>PIN resets</h1>
      <div class="filters">
        <Select label="Status" value={status} onValue={(v) => { setStatus(v); setCursors([null]); }} options={statuses} />
      </div>
      <Problem error={error} />
      {!data && !error && <Loading />}
      {data && data.edges.length === 0 && <p>No PIN resets here.</p>}
      {data?.edges.map(({ node }) => <ResetCard key={node.id} r={node} done={() => setVersion(version + 1)} />)}
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

function ResetCard({ r, done }: { r: Reset; done: () => void }) {
  const can = useCan();
  const [error, setError] = useState<unknown>(null);
  const approve = async () => {
    setError(null);
    try {
      await call(ApprovePinReset, { input: { id: r.id } });
      done();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <article class="submission" aria-label={`PIN reset of ${r.user.name || r.user.phone}`}>
      <header>
        <h2><a {...linkTo('/users/' + r.user.id)}>{r.user.name || r.user.phone}</a></h2>
        <p>{r.status} · asked {when(r.createdAt)}{r.decidedAt ? ` · decided ${when(r.decidedAt)}` : ''}{r.reason ? ` · ${r.reason}` : ''}</p>
        {r.documentUploaded && (
          <p class="warn">The document was uploaded during this reset, not approved in KYC: compare it with the user's profile.</p>
        )}
      </header>
      <div class="side-by-side">
        <figure>
          <figcaption>Document{r.document ? ` (${r.document.type} ${r.document.number})` : ''}</figcaption>
          <KycImage file={r.document?.front} alt="Document" />
        </figure>
        <figure><figcaption>Selfie</figcaption><KycImage file={r.selfie} alt="Selfie" /></figure>
      </div>
      {r.status === 'PENDING_REVIEW' && (
        <div class="decide">
          <button type="button" onClick={approve} disabled={!can('approvePinReset')}
            title={can('approvePinReset') ? undefined : notAllowed}>Approve</button>
          <ReasonAction label="Reject" danger disabled={!can('rejectPinReset')}
            title={can('rejectPinReset') ? undefined : notAllowed}
            run={async (reason) => { await call(RejectPinReset, { input: { id: r.id, reason } }); done(); }} />
          <Problem error={error} />
        </div>
      )}
    </article>
  );
}
