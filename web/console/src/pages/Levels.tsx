// Level rules: the labels a user needs for each level. A change
// recomputes the levels of the users it may move in the background; its
// job's progress is shown here until it is done.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { LevelRulesQuery } from '../gql/graphql';
import { AddLevelRule, LevelRules, RemoveLevelRule } from '../ops';
import { useCan } from '../perms';
import { Field, Loading, Problem, ReasonAction, when } from '../ui';

export function Levels() {
  const can = useCan();
  const [data, setData] = useState<LevelRulesQuery | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [f, setF] = useState({ level: '2', key: '', value: '', description: '' });
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  const reload = () => setVersion(version + 1);

  useEffect(() => {
    call(LevelRules).then(setData).catch(setError);
  }, [version]);
  // While a job runs, its progress is read again every two seconds.
  const running = data?.levelJobs.some((j) => j.state === 'RUNNING');
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(reload, 2000);
    return () => clearTimeout(t);
  }, [running, data]);

  if (error) return <Problem error={error} />;
  if (!data) return <Loading />;
  return (
    <section>
      <h1>Levels</h1>
      <table>
        <thead><tr><th scope="col">Level</th><th scope="col">Label key</th><th scope="col">Value</th><th scope="col">Description</th><th scope="col"></th></tr></thead>
        <tbody>
          {data.levels.flatMap((l) => l.rules.map((r) => (
            <tr key={`${l.level}-${r.key}`}>
              <td>{l.level}</td><td><code>{r.key}</code></td><td>{r.value}</td><td>{r.description}</td>
              <td>
                {can('removeLevelRule') && (
                  <ReasonAction label={`Remove ${r.key} from level ${l.level}`} danger
                    run={async (reason) => { await call(RemoveLevelRule, { input: { level: l.level, key: r.key, reason } }); reload(); }} />
                )}
              </td>
            </tr>
          )))}
        </tbody>
      </table>
      {can('addLevelRule') && (
        <ReasonAction label="Add a level rule"
          run={async (reason) => {
            await call(AddLevelRule, { input: { level: Number(f.level), key: f.key.trim(), value: f.value.trim(), description: f.description, reason } });
            reload();
          }}>
          <Field label="Level" type="number" value={f.level} onValue={set('level')} required />
          <Field label="Label key" value={f.key} onValue={set('key')} required />
          <Field label="Label value" value={f.value} onValue={set('value')} required />
          <Field label="Description" value={f.description} onValue={set('description')} />
        </ReasonAction>
      )}
      <h2>Recomputations</h2>
      {data.levelJobs.length === 0 && <p class="muted">None yet.</p>}
      {data.levelJobs.length > 0 && (
        <table>
          <thead><tr><th scope="col">Started</th><th scope="col">Change</th><th scope="col">Progress</th><th scope="col">Levels changed</th><th scope="col">Finished</th></tr></thead>
          <tbody>
            {data.levelJobs.map((j) => (
              <tr key={j.id}>
                <td>{when(j.createdAt)}</td><td>{j.action} (from level {j.minLevel})</td>
                <td>
                  <progress max={Math.max(j.total, 1)} value={j.done} aria-label={`Job ${j.id} progress`} /> {j.done}/{j.total} {j.state}
                </td>
                <td>{j.changed}</td><td>{when(j.finishedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
