// Password (email or phone) or PIN (phone), then the second factor the
// server asks for: the code sent for a new device, or the authenticator
// app's code. The browser keeps no device secret, so every sign-in of a
// staff member answers a second factor.
import { useState } from 'preact/hooks';
import { call, deviceId, keep, type Auth } from '../api';
import { SignIn as SignInOp, SignInWithPin, VerifyDeviceSignIn, VerifySignIn } from '../ops';
import { Field, Problem } from '../ui';

type Step = { kind: 'password' | 'pin' } | { kind: 'code'; challengeId: string; via: 'password' | 'pin'; hint: string };

export function SignIn({ onSignedIn }: { onSignedIn: (a: Auth) => void }) {
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const finish = (a: Auth) => {
    keep(a);
    onSignedIn(a);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (step.kind === 'code') {
        const input = { challengeId: step.challengeId, code: code.trim() };
        finish(step.via === 'pin'
          ? (await call(VerifyDeviceSignIn, { input })).verifyDeviceSignIn
          : (await call(VerifySignIn, { input })).verifySignIn);
        return;
      }
      const device = { deviceId: deviceId(), deviceName: 'Staff console' };
      const r = step.kind === 'pin'
        ? (await call(SignInWithPin, { input: { phone: username.trim(), pin: secret, ...device } })).signInWithPin
        : (await call(SignInOp, { input: { username: username.trim(), password: secret, ...device } })).signIn;
      if (r.status === 'SIGNED_IN' && r.auth) return finish(r.auth);
      if (r.challenge) {
        const hint = r.challenge.channel === 'TOTP'
          ? 'Enter the code your authenticator app shows.'
          : `Enter the code sent by ${r.challenge.channel.toLowerCase()} to ${r.challenge.destination}.`;
        setSecret('');
        setCode('');
        setStep({ kind: 'code', challengeId: r.challenge.id, via: step.kind, hint });
        return;
      }
      setError(new Error('This account cannot sign in here (it has no PIN yet): set one up in the app first.'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <h1>Gatehouse staff console</h1>
      <form onSubmit={submit} aria-label="Sign in">
        {step.kind === 'code' ? (
          <>
            <p>{step.hint}</p>
            <Field label="Code" name="code" value={code} onValue={setCode} autoComplete="one-time-code"
              inputMode="numeric" required />
          </>
        ) : (
          <>
            <div class="tabs" role="group" aria-label="Sign in with">
              <button type="button" aria-pressed={step.kind === 'password'} onClick={() => setStep({ kind: 'password' })}>
                Password
              </button>
              <button type="button" aria-pressed={step.kind === 'pin'} onClick={() => setStep({ kind: 'pin' })}>
                Phone and PIN
              </button>
            </div>
            <Field label={step.kind === 'pin' ? 'Phone' : 'Email or phone'} name="username" value={username}
              onValue={setUsername} autoComplete="username" required />
            <Field label={step.kind === 'pin' ? 'PIN' : 'Password'} name="secret" type="password" value={secret}
              onValue={setSecret} autoComplete="current-password" inputMode={step.kind === 'pin' ? 'numeric' : undefined}
              required />
          </>
        )}
        <button type="submit" disabled={busy}>
          {step.kind === 'code' ? 'Verify' : 'Sign in'}
        </button>
        {step.kind === 'code' && (
          <button type="button" onClick={() => setStep({ kind: step.via })}>
            Start again
          </button>
        )}
        <Problem error={error} />
      </form>
    </main>
  );
}
