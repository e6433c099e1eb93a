// The operator's settings: maintenance, app versions, feature flags, the
// clients' rules, app contents, push channels and the terms documents.
// Every change takes a reason and writes an admin activity.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { OperatorSettingsQuery } from '../gql/graphql';
import {
  OperatorSettings as SettingsOp, PublishTerms, RemoveFeatureFlag, SetAppContents, SetAppVersion, SetClientRules,
  SetFeatureFlag, SetMaintenance, SetPushChannels,
} from '../ops';
import { notAllowed, useCan } from '../perms';
import { Check, Field, Loading, Problem, ReasonAction, Select, TextArea, when } from '../ui';

type Data = OperatorSettingsQuery;

export function Settings() {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const reload = () => setVersion(version + 1);
  useEffect(() => {
    call(SettingsOp).then(setData).catch(setError);
  }, [version]);
  if (error) return <Problem error={error} />;
  if (!data) return <Loading />;
  const s = data.operatorSettings;
  return (
    <section class="settings">
      <h1>Settings</h1>
      <p class="muted">Last changed {when(s.updatedAt)}. Clients read these through appConfig.</p>
      <MaintenanceBox s={s} done={reload} />
      <Versions s={s} done={reload} />
      <Flags s={s} done={reload} />
      <Rules s={s} done={reload} />
      <Contents s={s} done={reload} />
      <Channels s={s} done={reload} />
      <Terms kinds={data.termsKinds} done={reload} />
    </section>
  );
}

type S = Data['operatorSettings'];

function MaintenanceBox({ s, done }: { s: S; done: () => void }) {
  const can = useCan();
  const [message, setMessage] = useState(s.maintenance.message ?? '');
  const on = s.maintenance.enabled;
  return (
    <>
      <h2>Maintenance</h2>
      <p>{on ? `On: “${s.maintenance.message ?? ''}”. Clients are refused with MAINTENANCE; signed-in staff pass.` : 'Off.'}</p>
      <ReasonAction label={on ? 'End maintenance' : 'Start maintenance'} danger={!on} disabled={!can('setMaintenance')}
        title={can('setMaintenance') ? undefined : notAllowed}
        run={async (reason) => { await call(SetMaintenance, { input: { enabled: !on, message, reason } }); done(); }}>
        {!on && <Field label="Message to users" value={message} onValue={setMessage} />}
      </ReasonAction>
    </>
  );
}

function Versions({ s, done }: { s: S; done: () => void }) {
  const can = useCan();
  const [f, setF] = useState({ platform: 'ANDROID', minimumVersion: '', currentVersion: '', storeUrl: '', storeAppId: '' });
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  const pick = (platform: string) => {
    const v = s.appVersions.find((a) => a.platform === platform);
    setF(v ? { ...v } : { platform, minimumVersion: '', currentVersion: '', storeUrl: '', storeAppId: '' });
  };
  return (
    <>
      <h2>App versions</h2>
      <table>
        <thead><tr><th scope="col">Platform</th><th scope="col">Minimum</th><th scope="col">Current</th><th scope="col">Store URL</th><th scope="col">Store app id</th></tr></thead>
        <tbody>
          {s.appVersions.map((v) => (
            <tr key={v.platform}><td>{v.platform}</td><td>{v.minimumVersion}</td><td>{v.currentVersion}</td><td>{v.storeUrl || '—'}</td><td>{v.storeAppId || '—'}</td></tr>
          ))}
        </tbody>
      </table>
      {can('setAppVersion') && (
        <ReasonAction label="Set an app version"
          run={async (reason) => { await call(SetAppVersion, { input: { ...f, platform: f.platform as 'ANDROID', reason } }); done(); }}>
          <Select label="Platform" value={f.platform} onValue={pick} options={['ANDROID', 'IOS', 'WEB']} />
          <Field label="Minimum version" value={f.minimumVersion} onValue={set('minimumVersion')} required />
          <Field label="Current version" value={f.currentVersion} onValue={set('currentVersion')} required />
          <Field label="Store URL" value={f.storeUrl} onValue={set('storeUrl')} />
          <Field label="Store app id" value={f.storeAppId} onValue={set('storeAppId')} />
        </ReasonAction>
      )}
    </>
  );
}

function Flags({ s, done }: { s: S; done: () => void }) {
  const can = useCan();
  const [key, setKey] = useState('');
  const [description, setDescription] = useState('');
  const [enabled, setEnabled] = useState(true);
  return (
    <>
      <h2>Feature flags</h2>
      <table>
        <thead><tr><th scope="col">Flag</th><th scope="col">On</th><th scope="col">Description</th><th scope="col">Change</th></tr></thead>
        <tbody>
          {s.featureFlags.map((f) => (
            <tr key={f.key} data-flag={f.key}>
              <td><code>{f.key}</code></td><td>{f.enabled ? 'on' : 'off'}</td><td>{f.description}</td>
              <td class="row-actions">
                {can('setFeatureFlag') && (
                  <ReasonAction label={`Turn ${f.key} ${f.enabled ? 'off' : 'on'}`}
                    run={async (reason) => {
                      await call(SetFeatureFlag, { input: { key: f.key, enabled: !f.enabled, description: f.description, reason } });
                      done();
                    }} />
                )}
                {can('removeFeatureFlag') && (
                  <ReasonAction label={`Remove ${f.key}`} danger
                    run={async (reason) => { await call(RemoveFeatureFlag, { input: { key: f.key, reason } }); done(); }} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {can('setFeatureFlag') && (
        <ReasonAction label="Add a flag"
          run={async (reason) => { await call(SetFeatureFlag, { input: { key: key.trim(), enabled, description, reason } }); setKey(''); setDescription(''); done(); }}>
          <Field label="Flag key" value={key} onValue={setKey} required />
          <Field label="Flag description" value={description} onValue={setDescription} />
          <Check label="Flag on" checked={enabled} onChecked={setEnabled} />
        </ReasonAction>
      )}
    </>
  );
}

function Rules({ s, done }: { s: S; done: () => void }) {
  const can = useCan();
  const [idle, setIdle] = useState(String(s.rules.idleTimeSeconds));
  const [otp, setOtp] = useState(s.rules.otpLifetimeSeconds == null ? '' : String(s.rules.otpLifetimeSeconds));
  return (
    <>
      <h2>Client rules</h2>
      <p>
        Idle time {s.rules.idleTimeSeconds} s · code lifetime told to clients{' '}
        {s.rules.otpLifetimeSeconds == null ? `the server's (${s.rules.serverOtpLifetimeSeconds} s)` : `${s.rules.otpLifetimeSeconds} s`}
      </p>
      <ReasonAction label="Change client rules" disabled={!can('setClientRules')} title={can('setClientRules') ? undefined : notAllowed}
        run={async (reason) => {
          await call(SetClientRules, { input: { idleTimeSeconds: Number(idle), otpLifetimeSeconds: otp === '' ? null : Number(otp), reason } });
          done();
        }}>
        <Field label="Idle time (seconds)" type="number" value={idle} onValue={setIdle} required />
        <Field label="Code lifetime told to clients (seconds; empty: the server's)" type="number" value={otp} onValue={setOtp} />
      </ReasonAction>
    </>
  );
}

function Contents({ s, done }: { s: S; done: () => void }) {
  const can = useCan();
  const [text, setText] = useState(JSON.stringify(s.appContents, null, 2));
  const [bad, setBad] = useState<unknown>(null);
  return (
    <>
      <h2>App contents</h2>
      <p class="muted">The clients' menu and home layout: a JSON object.</p>
      <ReasonAction label="Change app contents" disabled={!can('setAppContents')} title={can('setAppContents') ? undefined : notAllowed}
        run={async (reason) => {
          let contents: Record<string, unknown>;
          try {
            contents = JSON.parse(text);
          } catch (e) {
            setBad(new Error('Not JSON: ' + (e as Error).message));
            throw new Error('Not JSON: fix the contents first.');
          }
          setBad(null);
          await call(SetAppContents, { input: { contents, reason } });
          done();
        }}>
        <TextArea label="Contents (JSON object)" value={text} onValue={setText} rows={10} />
        <Problem error={bad} />
      </ReasonAction>
      <pre class="json">{JSON.stringify(s.appContents, null, 2)}</pre>
    </>
  );
}

function Channels({ s, done }: { s: S; done: () => void }) {
  const can = useCan();
  const [text, setText] = useState(s.pushChannels.join(', '));
  return (
    <>
      <h2>Push channels</h2>
      <p>{s.pushChannels.length > 0 ? s.pushChannels.join(', ') : 'None.'}</p>
      <ReasonAction label="Change push channels" disabled={!can('setPushChannels')} title={can('setPushChannels') ? undefined : notAllowed}
        run={async (reason) => {
          const channels = text.split(',').map((c) => c.trim()).filter(Boolean);
          await call(SetPushChannels, { input: { channels, reason } });
          done();
        }}>
        <Field label="Channels (comma-separated)" value={text} onValue={setText} />
      </ReasonAction>
    </>
  );
}

function Terms({ kinds, done }: { kinds: Data['termsKinds']; done: () => void }) {
  const can = useCan();
  const [f, setF] = useState({ kind: 'GENERAL', version: '', title: '', url: '', body: '' });
  const [ask, setAsk] = useState(true);
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  return (
    <>
      <h2>Terms</h2>
      <table>
        <thead><tr><th scope="col">Kind</th><th scope="col">Users asked</th><th scope="col">Current version</th><th scope="col">Title</th><th scope="col">Published</th></tr></thead>
        <tbody>
          {kinds.map((k) => (
            <tr key={k.kind}>
              <td><code>{k.kind}</code></td><td>{k.askUsers ? 'yes' : 'no'}</td><td>{k.current?.version ?? '—'}</td>
              <td>{k.current ? (k.current.url ? <a href={k.current.url} rel="noopener" target="_blank">{k.current.title}</a> : k.current.title) : '—'}</td>
              <td>{when(k.current?.publishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {can('publishTerms') && (
        <ReasonAction label="Publish terms"
          run={async (reason) => {
            await call(PublishTerms, { input: { ...f, kind: f.kind.trim().toUpperCase(), askUsers: ask, reason } });
            done();
          }}>
          <Field label="Kind (e.g. GENERAL, PRIVACY, or a new one)" value={f.kind} onValue={set('kind')} required />
          <Field label="Version" value={f.version} onValue={set('version')} required />
          <Field label="Title" value={f.title} onValue={set('title')} required />
          <Field label="Link to the full text" value={f.url} onValue={set('url')} />
          <TextArea label="Text" value={f.body} onValue={set('body')} required />
          <Check label="Ask users to accept it" checked={ask} onChecked={setAsk} />
        </ReasonAction>
      )}
    </>
  );
}
