import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, forget, hasSession, resume, whenSignedOut, type Auth } from './api';
import { SignOut, Whoami } from './ops';
import { AdminActivities } from './pages/AdminActivities';
import { DeadLetters } from './pages/DeadLetters';
import { KycQueue } from './pages/KycQueue';
import { Levels } from './pages/Levels';
import { Metrics } from './pages/Metrics';
import { Permissions } from './pages/Permissions';
import { PinResets } from './pages/PinResets';
import { Settings } from './pages/Settings';
import { SignIn } from './pages/SignIn';
import { UserDetail } from './pages/UserDetail';
import { Users } from './pages/Users';
import { Perms } from './perms';
import { linkTo, navigate, useRoute } from './router';
import { Loading, Problem } from './ui';
import './style.css';

type Me = { id: string; name: string; email?: string | null; phone?: string | null; role: string };

// The pages, each shown only when the role may call the query it is built on.
const pages = [
  { path: '/users', title: 'Users', op: 'users' },
  { path: '/kyc', title: 'KYC review', op: 'kycSubmissions' },
  { path: '/pin-resets', title: 'PIN resets', op: 'pinResets' },
  { path: '/dead-letters', title: 'Dead letters', op: 'failedDeliveries' },
  { path: '/permissions', title: 'Permissions', op: 'permissions' },
  { path: '/admin-activities', title: 'Admin activities', op: 'adminActivities' },
  { path: '/metrics', title: 'Metrics', op: 'adminMetrics' },
  { path: '/settings', title: 'Settings', op: 'operatorSettings' },
  { path: '/levels', title: 'Levels', op: 'levelJobs' },
];

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [perms, setPerms] = useState<Set<string>>(new Set());
  // Until myPermissions answers, the pages a role may open are unknown:
  // show that it loads, not "no console pages".
  const [permsRead, setPermsRead] = useState(false);
  const [starting, setStarting] = useState(hasSession());
  const [error, setError] = useState<unknown>(null);
  const route = useRoute();

  const load = async () => {
    try {
      const d = await call(Whoami);
      setMe(d.me ?? null);
      setPerms(new Set(d.myPermissions));
    } catch (e) {
      setError(e);
    } finally {
      setPermsRead(true);
    }
  };

  useEffect(() => {
    whenSignedOut(() => { setMe(null); setPerms(new Set()); setPermsRead(false); });
    if (hasSession()) resume().then((ok) => (ok ? load() : undefined)).finally(() => setStarting(false));
  }, []);

  if (starting) return <Loading />;
  if (!me) {
    return (
      <>
        <SignIn onSignedIn={(a: Auth) => { setError(null); setPermsRead(false); setMe(a.user); load(); }} />
        <Problem error={error} />
      </>
    );
  }

  const open = pages.filter((p) => perms.has(p.op));
  const signOut = async () => {
    try { await call(SignOut); } catch { /* the session ends here either way */ }
    forget();
    setMe(null);
    setPerms(new Set());
    setPermsRead(false);
  };

  let body;
  const detail = route.path.match(/^\/users\/([^/]+)$/);
  if (!permsRead) body = <Loading />;
  else if (detail && perms.has('user')) body = <UserDetail id={decodeURIComponent(detail[1])} />;
  else {
    const page = open.find((p) => p.path === route.path);
    if (!page) {
      if (open.length > 0 && route.path === '/') {
        queueMicrotask(() => navigate(open[0].path));
        body = <Loading />;
      } else if (open.length === 0) {
        body = <p>Your role ({me.role}) has no console pages.</p>;
      } else {
        body = <p>Not a page, or not one your role may open.</p>;
      }
    } else {
      body = {
        '/users': <Users />, '/kyc': <KycQueue />, '/pin-resets': <PinResets />, '/dead-letters': <DeadLetters />,
        '/permissions': <Permissions />, '/admin-activities': <AdminActivities />, '/metrics': <Metrics />,
        '/settings': <Settings />, '/levels': <Levels />,
      }[page.path];
    }
  }

  return (
    <Perms.Provider value={perms}>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <strong>Gatehouse</strong>
        <nav aria-label="Pages">
          {open.map((p) => (
            <a key={p.path} {...linkTo(p.path)} aria-current={route.path.startsWith(p.path) ? 'page' : undefined}>
              {p.title}
            </a>
          ))}
        </nav>
        <span class="me">{me.name || me.email || me.phone} · {me.role}</span>
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <main id="main" tabIndex={-1}>
        <Problem error={error} />
        {body}
      </main>
    </Perms.Provider>
  );
}

render(<App />, document.getElementById('app')!);
