/**
 * A storage URL as messages show it: without its password, wherever the URL puts it (in the user
 * part, even unencoded with `/`, `?`, `#` or `@` in it, or as a `password=`/`sslpassword=` query
 * parameter), and whether or not the URL is valid. Kept apart from postgres.ts so the cli can label
 * a URL without loading the PostgreSQL client.
 */

/** `scheme://` and the rest, or undefined when `text` is not URL-like (a folder path). */
function splitScheme(text: string): { scheme: string; rest: string } | undefined {
	const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(.*)$/s.exec(text);
	return m === null ? undefined : { scheme: m[1] as string, rest: m[2] as string };
}

/** Whether `text` looks like a URL (`scheme://...`) rather than a folder path. */
export function isUrlLike(text: string): boolean {
	return splitScheme(text) !== undefined;
}

const passwordParameter = /^(ssl)?password=/i;

/** The URL's parts: the user part's user and password (up to its last `@`), and the rest (host, path, query). */
function parts(url: string): { scheme: string; user: string | undefined; password: string | undefined; rest: string } | undefined {
	const split = splitScheme(url);
	if (split === undefined) return undefined;
	const at = split.rest.lastIndexOf('@');
	if (at < 0) return { scheme: split.scheme, user: undefined, password: undefined, rest: split.rest };
	const userinfo = split.rest.slice(0, at);
	const colon = userinfo.indexOf(':');
	return {
		scheme: split.scheme,
		user: colon < 0 ? userinfo : userinfo.slice(0, colon),
		password: colon < 0 ? undefined : userinfo.slice(colon + 1),
		rest: split.rest.slice(at + 1),
	};
}

/** Whether the URL carries a password (in its user part or as a query parameter). */
export function urlHasPassword(url: string): boolean {
	const p = parts(url);
	if (p === undefined) return false;
	const query = p.rest.includes('?') ? (p.rest.slice(p.rest.indexOf('?') + 1).split('#')[0] ?? '') : '';
	return (p.password !== undefined && p.password !== '') || query.split('&').some((q) => passwordParameter.test(q));
}

/** The URL as messages show it: without its password (a folder path is returned as it is). */
export function urlLabel(url: string): string {
	const p = parts(url);
	if (p === undefined) return url;
	const q = p.rest.indexOf('?');
	let rest = p.rest;
	if (q >= 0) {
		const [query = '', ...fragment] = rest.slice(q + 1).split('#');
		const kept = query.split('&').filter((param) => param !== '' && !passwordParameter.test(param));
		rest = `${rest.slice(0, q)}${kept.length > 0 ? `?${kept.join('&')}` : ''}${fragment.length > 0 ? `#${fragment.join('#')}` : ''}`;
	}
	return `${p.scheme}${p.user === undefined ? '' : `${p.user}@`}${rest}`;
}
