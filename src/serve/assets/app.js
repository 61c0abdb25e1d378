/*
 * metatune serve: the page. Plain browser JavaScript (no build step, no framework), loaded from the
 * server that serves the studies, with Vega and Vega-Lite from the same server.
 *
 * Views (location.hash): `#/` the study list; `#/study/<key>` one study: progress, warnings, the
 * comparison table, status (running, failed, interrupted lifetimes), the figures and the lifetime
 * table (sorted, filtered and paged by the server).
 *
 * Live: one EventSource on api/events. A `study` event carries the study's list row (the list
 * updates from it alone; while the server reads a study's journal, the row says how far it is, and
 * the list and the study page show that progress); the study page then asks for its overview and its page of lifetimes (one
 * request of each at a time: a burst of events is one refresh) and, at the rate the server allows,
 * its figures.
 *
 * Every value from a study is written with textContent or as an attribute value, never parsed as
 * HTML (no innerHTML anywhere), so a study's strings always show as text.
 */

/** An element with attributes (`on...`: listeners) and children (strings become text nodes). */
function el(tag, attrs, ...children) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false) continue;
		if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
		else if (k === 'class') e.className = v;
		else e.setAttribute(k, String(v));
	}
	for (const c of children.flat()) {
		if (c === undefined || c === null || c === false) continue;
		e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
	}
	return e;
}

const fmt = (v) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v));
const count = (n) => n.toLocaleString('en-US');

function ago(iso) {
	if (!iso) return '';
	const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
	if (s < 60) return `${Math.round(s)} s ago`;
	if (s < 3600) return `${Math.round(s / 60)} min ago`;
	if (s < 86400) return `${(s / 3600).toFixed(1)} h ago`;
	return `${(s / 86400).toFixed(1)} days ago`;
}

async function getJson(path) {
	const res = await fetch(path, { cache: 'no-store' });
	if (!res.ok) throw new Error(`${path}: ${res.status}`);
	return res.json();
}

const page = {
	rows: new Map(),
	key: undefined,
	overviewBusy: false,
	overviewAgain: false,
	figuresBusy: false,
	figuresTimer: undefined,
	figuresVersion: -1,
	laterTimer: undefined,
	views: [],
	query: { sort: 'trial', dir: 'desc', filter: '', page: 0, size: 50 },
};

const main = () => document.getElementById('main');

function route() {
	const m = /^#\/study\/(.+)$/.exec(location.hash);
	page.key = m ? decodeURIComponent(m[1]) : undefined;
	page.figuresVersion = -1;
	page.figuresAt = undefined;
	page.query = { sort: 'trial', dir: 'desc', filter: '', page: 0, size: 50 };
	for (const v of page.views) v.finalize();
	page.views = [];
	main().removeAttribute('data-shown-ms');
	if (page.key === undefined) renderList();
	else renderStudySkeleton();
}

/* ---------- the study list ---------- */

function stateBadge(state) {
	return el('span', { class: `state ${state.replace(/\s+/g, '-')}` }, state);
}

/** While the server reads a study's journal: a bar and the share read (the server pushes it as it reads). */
function loadingBadge(loading) {
	const share = loading.size > 0 ? Math.min(1, loading.read / loading.size) : 0;
	const mb = (bytes) => (bytes / 1e6).toFixed(1);
	return el(
		'span',
		{ class: 'reading', 'data-loading': Math.floor(share * 100) },
		el('progress', { max: 1, value: share }),
		` reading ${Math.floor(share * 100)} % (${mb(loading.read)} of ${mb(loading.size)} MB)`,
	);
}

function listRow(r) {
	const best = r.arms.map((a) => el('div', {}, `${a.arm}: ${a.best === null ? '-' : fmt(a.best)}`));
	const lifetimes = r.arms.map((a) => el('div', {}, `${a.arm}: ${count(a.ended)}/${count(a.total)}`));
	return el(
		'tr',
		{ 'data-study-row': r.key },
		el('td', {}, el('a', { href: `#/study/${encodeURIComponent(r.key)}` }, r.name)),
		el('td', { class: 'wrap' }, r.description || ''),
		el('td', {}, r.loading ? loadingBadge(r.loading) : stateBadge(r.state)),
		el('td', { class: 'num', 'data-lifetimes': '' }, lifetimes),
		el('td', { class: 'num' }, best),
		el('td', { class: 'num', 'data-running': '' }, count(r.running)),
		el('td', { title: r.last_activity || '' }, ago(r.last_activity)),
		el('td', { class: 'wrap' }, r.warnings.length === 0 ? '' : `${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}`),
	);
}

function renderList() {
	document.getElementById('crumb').textContent = 'studies';
	const rows = [...page.rows.values()].sort((a, b) => a.key.localeCompare(b.key));
	const head = ['Study', 'Description', 'State', 'Lifetimes (ended/total per arm)', 'Best so far (per arm)', 'Running', 'Last activity', 'Warnings'];
	const body = el('tbody', { id: 'study-rows' }, rows.map(listRow));
	main().replaceChildren(
		el('h1', {}, 'Studies'),
		el('p', { class: 'meta' }, rows.length === 0 ? 'No study yet: start one with metatune run; it appears here.' : `${rows.length} stud${rows.length === 1 ? 'y' : 'ies'}, updated live.`),
		el(
			'table',
			{ class: 'studies' },
			el(
				'thead',
				{},
				el(
					'tr',
					{},
					head.map((h) => el('th', {}, h)),
				),
			),
			body,
		),
	);
}

function updateListRow(r) {
	const body = document.getElementById('study-rows');
	if (!body) return;
	const old = body.querySelector(`tr[data-study-row="${CSS.escape(r.key)}"]`);
	if (old) old.replaceWith(listRow(r));
	else renderList();
}

/* ---------- one study ---------- */

function section(id, title, ...children) {
	return el('section', { id }, el('h2', {}, title), ...children);
}

function renderStudySkeleton() {
	const key = page.key;
	document.getElementById('crumb').textContent = key;
	main().replaceChildren(
		el('h1', { id: 'study-name' }, key),
		el('p', { id: 'study-description', class: 'meta' }),
		el('p', { id: 'study-where', class: 'meta' }),
		el('div', { id: 'study-warnings' }),
		el('p', { id: 'study-progress', class: 'progress' }, el('span', { class: 'loading' }, 'Loading the study...')),
		section('comparison', 'Comparison', el('div', { id: 'comparison-table' }, el('p', { class: 'loading' }, 'Loading...'))),
		section('status', 'Status', el('div', { id: 'status-body' }, el('p', { class: 'loading' }, 'Loading...'))),
		section('lifetimes', 'Lifetimes', lifetimeControls(), el('div', { id: 'lifetime-table' }, el('p', { class: 'loading' }, 'Loading...'))),
		section('figures', 'Figures', el('div', { id: 'figure-list' }, el('p', { class: 'loading' }, 'Building the figures...'))),
		section('settings', 'Settings', el('div', { id: 'settings-table' })),
	);
	// the tables first, painted; then the figures (Vega compiling their specs holds the page a moment)
	refreshStudy().then(() => requestAnimationFrame(() => setTimeout(refreshFigures, 50)));
}

function table(head, rows, numeric = () => false, rowAttrs = () => ({})) {
	return el(
		'table',
		{},
		el(
			'thead',
			{},
			el(
				'tr',
				{},
				head.map((h) => el('th', {}, h)),
			),
		),
		el(
			'tbody',
			{},
			rows.map((r, i) =>
				el(
					'tr',
					rowAttrs(i),
					r.map((c, j) => el('td', { class: numeric(j) ? 'num' : 'wrap' }, c)),
				),
			),
		),
	);
}

function renderWarnings(warnings) {
	const box = document.getElementById('study-warnings');
	if (!box) return;
	box.replaceChildren(
		warnings.length === 0
			? ''
			: el(
					'ul',
					{ class: 'warnings', 'data-warnings': warnings.length },
					warnings.map((w) => el('li', {}, `warning: ${w}`)),
				),
	);
}

function renderOverview(data) {
	if (data.row.key !== page.key) return;
	const { row, overview } = data;
	document.getElementById('study-name').textContent = row.name;
	document.getElementById('study-description').textContent = row.description || '';
	document.getElementById('study-where').textContent = `${row.where} · last activity ${ago(row.last_activity)}`;
	renderWarnings(row.warnings);
	const progress = document.getElementById('study-progress');
	progress.setAttribute('data-version', String(row.version));
	if (row.loading) {
		progress.replaceChildren('Reading the study: ', loadingBadge(row.loading));
		return;
	}
	if (overview === null) {
		progress.textContent = 'No study record yet (the journal is empty, gone, or being written).';
		return;
	}
	const ended = row.arms.reduce((s, a) => s + a.ended, 0);
	progress.replaceChildren(stateBadge(row.state), ' ', el('span', { id: 'progress-text', 'data-ended': ended }, overview.progress));
	const c = overview.comparison;
	document.getElementById('comparison-table').replaceChildren(
		table(c.head, c.body, (j) => j >= c.left),
		c.notes.map((n) => el('p', { class: 'note' }, n)),
	);
	document.getElementById('status-body').replaceChildren(...statusParts(overview.status));
	document.getElementById('settings-table').replaceChildren(table(['Setting', 'Value'], overview.settings));
}

function capped(list, what) {
	return list.total > list.items.length ? el('p', { class: 'note' }, `showing ${list.items.length} of ${count(list.total)} ${what}`) : '';
}

function statusParts(s) {
	const params = (p) =>
		Object.entries(p)
			.map(([k, v]) => `${k}=${fmt(v)}`)
			.join(', ');
	const arms = table(
		['Arm', 'Searcher', 'Ended', 'Total', 'Failed', 'Pruned', 'Best', 'Best params'],
		s.arms.map((a) => [a.name, a.searcher, count(a.ended), count(a.total), count(a.failed), count(a.pruned), a.best ? fmt(a.best.value) : '-', a.best ? params(a.best.params) : '']),
		(j) => j >= 2 && j <= 6,
	);
	const out = [
		el(
			'p',
			{},
			`${s.state}: ${count(s.lifetimes.ended)} of ${count(s.lifetimes.total)} lifetimes ended, ${s.lifetimes.running} running, ${s.lifetimes.interrupted} interrupted; ${s.failed_attempts.total} failed attempts.`,
		),
		arms,
	];
	if (s.running.total > 0)
		out.push(
			el('h3', {}, `Running (${s.running.total})`),
			table(
				['Trial', 'Arm', 'Params', 'Host', 'Pid', 'Since', 'Last report'],
				s.running.items.map((r) => [r.trial, r.arm, params(r.params), r.host, r.pid, ago(r.since), r.last_report ? `step ${fmt(r.last_report.step)}: ${fmt(r.last_report.value)}` : '-']),
			),
			capped(s.running, 'running lifetimes'),
		);
	if (s.interrupted.total > 0)
		out.push(
			el('h3', {}, `Interrupted (${s.interrupted.total}): they re-run on the next metatune run`),
			table(
				['Trial', 'Arm', 'Params'],
				s.interrupted.items.map((r) => [r.trial, r.arm, params(r.params)]),
			),
			capped(s.interrupted, 'interrupted lifetimes'),
		);
	if (s.failed.total > 0)
		out.push(
			el('h3', {}, `Failed attempts (${s.failed.total})`),
			table(
				['Trial', 'Arm', 'Params', 'Reason', 'Message', 'Fate'],
				s.failed.items.map((r) => [r.trial, r.arm, params(r.params), r.reason, r.message, r.fate.kind]),
			),
			capped(s.failed, 'failed attempts (the latest)'),
		);
	return out;
}

/* ---------- the lifetime table ---------- */

const lifetimeColumns = [
	['trial', 'Trial', true],
	['arm', 'Arm', false],
	['purpose', 'Purpose', false],
	['slot', 'Slot', true],
	['attempt', 'Attempt', true],
	['seed', 'Seed', true],
	['state', 'State', false],
	['value', 'Value', true],
	['params', 'Params', false],
	['logged', 'Logged', false],
	['ended_at', 'Ended', false],
	['wall_ms', 'Wall (s)', true],
];

let filterTimer;
function lifetimeControls() {
	return el(
		'div',
		{ class: 'controls' },
		el('input', {
			type: 'search',
			id: 'lifetime-filter',
			placeholder: 'filter: arm, state, params, logged text',
			oninput: (e) => {
				clearTimeout(filterTimer);
				filterTimer = setTimeout(() => {
					page.query.filter = e.target.value;
					page.query.page = 0;
					refreshLifetimes();
				}, 200);
			},
		}),
		el('button', { type: 'button', id: 'page-prev', onclick: () => turn(-1) }, 'previous'),
		el('button', { type: 'button', id: 'page-next', onclick: () => turn(1) }, 'next'),
		el('span', { id: 'lifetime-count' }),
	);
}

function turn(by) {
	page.query.page = Math.max(0, page.query.page + by);
	refreshLifetimes();
}

function sortBy(col) {
	if (page.query.sort === col) page.query.dir = page.query.dir === 'asc' ? 'desc' : 'asc';
	else {
		page.query.sort = col;
		page.query.dir = col === 'trial' || col === 'ended_at' ? 'desc' : 'asc';
	}
	page.query.page = 0;
	refreshLifetimes();
}

function renderLifetimes(data) {
	const holder = document.getElementById('lifetime-table');
	if (!holder) return;
	page.query.page = data.page;
	const first = data.matched === 0 ? 0 : data.page * data.size + 1;
	const last = Math.min(data.matched, (data.page + 1) * data.size);
	const countText = `rows ${count(first)}-${count(last)} of ${count(data.matched)}${data.matched === data.total ? '' : ` matching (${count(data.total)} in all)`}`;
	const countEl = document.getElementById('lifetime-count');
	countEl.textContent = countText;
	countEl.setAttribute('data-total', String(data.total));
	const head = el(
		'tr',
		{},
		lifetimeColumns.map(([col, title]) =>
			col === 'logged' ? el('th', {}, title) : el('th', { class: `sortable${page.query.sort === col ? ` sorted-${page.query.dir}` : ''}`, 'data-sort': col, onclick: () => sortBy(col) }, title),
		),
	);
	const rows = data.rows.map((r) =>
		el(
			'tr',
			{ 'data-state': r.state, 'data-trial': r.trial },
			lifetimeColumns.map(([col, , numeric]) => {
				const v = col === 'wall_ms' ? (r.wall_ms === null ? null : r.wall_ms / 1000) : col === 'logged' && r.failure ? r.failure : r[col];
				return el('td', { class: numeric ? 'num' : 'wrap' }, fmt(v));
			}),
		),
	);
	holder.replaceChildren(el('table', { class: 'lifetimes' }, el('thead', {}, head), el('tbody', {}, rows)));
}

/* ---------- refreshing ---------- */

async function refreshLifetimes() {
	const key = page.key;
	if (key === undefined) return 0;
	const q = page.query;
	const params = new URLSearchParams({ key, sort: q.sort, dir: q.dir, filter: q.filter, page: String(q.page), size: String(q.size) });
	const data = await getJson(`api/lifetimes?${params}`);
	if (key === page.key) renderLifetimes(data);
	return data.next_ms;
}

/** The server sent an older version (it recomputes a large study's views at a bounded rate): ask again when it says. */
function refreshLater(ms) {
	if (ms <= 0 || page.laterTimer !== undefined) return;
	page.laterTimer = setTimeout(() => {
		page.laterTimer = undefined;
		refreshStudy();
	}, ms);
}

/** Overview and lifetimes of the study shown, one refresh at a time (a burst of events is one more refresh). */
async function refreshStudy() {
	if (page.overviewBusy) {
		page.overviewAgain = true;
		return;
	}
	page.overviewBusy = true;
	try {
		do {
			page.overviewAgain = false;
			const key = page.key;
			if (key === undefined) break;
			const [overview, tableWait] = await Promise.all([getJson(`api/study?key=${encodeURIComponent(key)}`), refreshLifetimes()]);
			if (key === page.key) renderOverview(overview);
			// when the study was first shown (not its loading progress), in ms since the page started loading (the benchmark reads it)
			if (overview.overview !== null && !main().hasAttribute('data-shown-ms')) main().setAttribute('data-shown-ms', String(Math.round(performance.now())));
			refreshLater(Math.max(overview.next_ms, tableWait));
		} while (page.overviewAgain);
	} catch (error) {
		renderWarnings([`cannot read the study from the server: ${error.message}`]);
	} finally {
		page.overviewBusy = false;
	}
}

/** Redraw the figures at most this often (ms): drawing them holds the page, the tables come first. */
const figureEveryMs = 3000;

async function refreshFigures() {
	if (page.figuresBusy || page.figuresTimer !== undefined) return;
	const key = page.key;
	if (key === undefined) return;
	const wait = (page.figuresAt ?? -Infinity) + figureEveryMs - performance.now();
	if (wait > 0) {
		page.figuresTimer = setTimeout(() => {
			page.figuresTimer = undefined;
			refreshFigures();
		}, wait);
		return;
	}
	page.figuresAt = performance.now();
	page.figuresBusy = true;
	try {
		const set = await getJson(`api/figures?key=${encodeURIComponent(key)}`);
		if (key !== page.key || set === null) return;
		if (set.version !== page.figuresVersion) drawFigures(set);
		if (set.next_ms > 0)
			page.figuresTimer = setTimeout(() => {
				page.figuresTimer = undefined;
				refreshFigures();
			}, set.next_ms);
	} catch (error) {
		document.getElementById('figure-list')?.replaceChildren(el('p', { class: 'skipped' }, `cannot read the figures: ${error.message}`));
	} finally {
		page.figuresBusy = false;
	}
}

/** Run `fn` when the page is idle (within 500 ms at the latest), so pushed updates of the tables are not held up. */
const idle = (fn) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 500 }) : setTimeout(fn, 30));

function drawFigures(set) {
	page.figuresVersion = set.version;
	const list = document.getElementById('figure-list');
	const old = page.views;
	page.views = [];
	const items = set.figures.map((f) => {
		if (f.kind === 'skipped') return { f, holder: undefined, figure: el('div', { class: 'skipped', 'data-skipped': f.id }, el('h3', {}, f.title), el('p', {}, `Not drawn: ${f.reason}.`)) };
		const holder = el('div', { class: 'vega' }, el('p', { class: 'loading' }, 'drawing...'));
		return { f, holder, figure: el('figure', { 'data-figure': f.id }, holder, f.sampled ? el('p', { class: 'sampled' }, f.sampled) : '', el('figcaption', {}, f.caption)) };
	});
	list.replaceChildren(
		...items.map((i) => i.figure),
		el('p', { class: 'note' }, `Figures built in ${set.ms} ms; they follow the study at most every ${Math.max(figureEveryMs / 1000, Math.round((3 * set.ms) / 1000))} s.`),
	);
	for (const v of old) v.finalize();
	// one figure per task, so the page stays responsive while Vega compiles them
	const version = set.version;
	const next = (i) => {
		const item = items[i];
		if (item === undefined || page.figuresVersion !== version) return;
		if (item.holder !== undefined) {
			try {
				const view = new vega.View(vega.parse(vegaLite.compile(item.f.spec).spec), { renderer: 'canvas', container: item.holder, hover: true });
				view.runAsync();
				page.views.push(view);
			} catch (error) {
				item.holder.textContent = `cannot draw this figure: ${error.message}`;
			}
		}
		idle(() => next(i + 1));
	};
	idle(() => next(0));
}

/* ---------- live events ---------- */

function connect() {
	const live = document.getElementById('live');
	const source = new EventSource('api/events');
	source.onopen = () => {
		live.textContent = 'live';
		live.className = 'live open';
	};
	source.onerror = () => {
		live.textContent = 'reconnecting';
		live.className = 'live closed';
	};
	source.addEventListener('studies', (e) => {
		page.rows = new Map(JSON.parse(e.data).map((r) => [r.key, r]));
		if (page.key === undefined) renderList();
	});
	source.addEventListener('study', (e) => {
		const row = JSON.parse(e.data);
		page.rows.set(row.key, row);
		if (page.key === undefined) updateListRow(row);
		else if (page.key === row.key) {
			refreshStudy();
			refreshFigures();
		}
	});
}

window.addEventListener('hashchange', route);
connect();
route();
