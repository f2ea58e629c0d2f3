import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** First path segment after `#/`, e.g. `topics` for `#/topics/orders`. */
  page: string;
  /** The segments after it, decoded. */
  params: string[];
}

/** Hash routes (`#/messages/<id>`): the server serves one index.html and needs no fallback route. */
export function parseRoute(hash: string): Route {
  const [page = '', ...params] = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { page, params };
}

export function href(page: string, ...params: string[]): string {
  return `#/${[page, ...params].map(encodeURIComponent).join('/')}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
