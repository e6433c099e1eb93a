// The dead letters: messages the provider refused for good, or that failed
// every try, newest first. Staff send one again once its cause is fixed
// (the number ported, the provider's credentials renewed); the server
// refuses (CONFLICT) one that has not failed, was replaced by a newer
// message, or carries a code that has expired.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { FailedDeliveriesQuery } from '../gql/graphql';
import { FailedDeliveries as Op, RetryDelivery } from '../ops';
import { notAllowed, useCan } from '../perms';
import { Loading, Problem, when } from '../ui';

type Letter = FailedDeliveriesQuery['failedDeliveries']['edges'][number]['node'];

export function DeadLetters() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [data, setData] = useState<FailedDeliveriesQuery['failedDeliveries'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [queued, setQueued] = useState<string | null>(null);
  const page = cursors.length - 1;

  useEffect(() => {
    setError(null);
    call(Op, { first: 20, after: cursors[page] })
      .then((d) => setData(d.failedDeliveries))
      .catch((e) => { setError(e); setData(null); });
  }, [cursors, version]);

  return (
    <section>
      <h1>Dead letters</h1>
      <p class="muted">Messages that could not be delivered, newest first; kept 30 days.</p>
      <Problem error={error} />
      {queued && <p class="ok" role="status">{queued}</p>}
      {!data && !error && <Loading />}
      {data && data.edges.length === 0 && <p>No dead letters here.</p>}
      {data && data.edges.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Failed</th><th scope="col">Reason</th><th scope="col">To</th><th scope="col">Template</th>
              <th scope="col">About</th><th scope="col">Tries</th><th scope="col">Provider's answer</th>
              <th scope="col">Code expires</th><th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {data.edges.map(({ node }) => (
              <LetterRow key={node.id} d={node}
                sent={(status) => { setQueued(`The message to ${node.destination} is queued again (${status}).`); setVersion(version + 1); }} />
            ))}
          </tbody>
        </table>
      )}
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

function LetterRow({ d, sent }: { d: Letter; sent: (status: string) => void }) {
  const can = useCan();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const again = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call(RetryDelivery, { input: { id: d.id } });
      sent(r.retryDelivery.status);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-delivery={d.id}>
      <td>{when(d.failedAt)}<br /><span class="muted">queued {when(d.createdAt)}</span></td>
      <td><code>{d.reason}</code></td>
      <td>{d.destination}<br /><span class="muted">{d.channel}</span></td>
      <td><code>{d.template}</code></td>
      <td><code>{d.about}</code></td>
      <td>{d.attempts}</td>
      <td>{d.provider}{d.detail ? `: ${d.detail}` : ''}</td>
      <td>{d.codeExpiresAt ? when(d.codeExpiresAt) : 'No code'}</td>
      <td>
        <div class="row-actions">
          <button type="button" onClick={again} disabled={busy || !can('retryDelivery')}
            title={can('retryDelivery') ? undefined : notAllowed}>Send again</button>
          <Problem error={error} />
        </div>
      </td>
    </tr>
  );
}
