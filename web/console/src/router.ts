// Paths under /console, kept in the address bar: the server answers every
// /console/* path with index.html, so a reload or a shared link lands on
// the same page.
import { useEffect, useState } from 'preact/hooks';

export const base = '/console';

export function navigate(path: string) {
  history.pushState(null, '', base + path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The path after /console, with its search parameters. */
export function useRoute(): { path: string; params: URLSearchParams } {
  const read = () => ({
    path: location.pathname.slice(base.length).replace(/\/+$/, '') || '/',
    params: new URLSearchParams(location.search),
  });
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return route;
}

/** A link that stays in the app (and still opens in a new tab). */
export function linkTo(path: string) {
  return {
    href: base + path,
    onClick: (e: MouseEvent) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(path);
    },
  };
}
