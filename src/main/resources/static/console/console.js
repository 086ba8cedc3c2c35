// The Engine Control console: one page, hand-written, no build step. Every value shown
// is put into the page as text (textContent, attributes), never parsed as HTML, and every
// change is a call of the documented admin API with the operator's headers.

const STORE = 'engine-control-console';
const SVG = 'http://www.w3.org/2000/svg';

// ---- credentials: sessionStorage only ----

function credentials() {
	const saved = sessionStorage.getItem(STORE);
	return saved ? JSON.parse(saved) : null;
}

function signOut() {
	sessionStorage.clear();
	samples.length = 0;
	stopTimers();
	location.hash = '';
	render();
}

// ---- DOM ----

function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [name, value] of Object.entries(attrs || {})) {
		if (value === undefined || value === null || value === false) {
			continue;
		}
		if (name.startsWith('on')) {
			el.addEventListener(name.slice(2), value);
		}
		else if (name === 'class') {
			el.className = value;
		}
		else if (name === 'value' || name === 'checked') {
			el[name] = value;
		}
		else {
			el.setAttribute(name, value === true ? '' : String(value));
		}
	}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const child of children.flat(Infinity)) {
		if (child === undefined || child === null || child === false) {
			continue;
		}
		el.append(child instanceof Node ? child : document.createTextNode(String(child)));
	}
	return el;
}

function s(tag, attrs, ...children) {
	const el = document.createElementNS(SVG, tag);
	for (const [name, value] of Object.entries(attrs || {})) {
		el.setAttribute(name, String(value));
	}
	append(el, children);
	return el;
}

let ids = 0;

/** A labelled control: the label names it for every reader. */
function field(label, control) {
	control.id = control.id || 'f' + (++ids);
	return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

function select(name, options, value) {
	return h('select', { name }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

function table(headers, rows, empty) {
	if (rows.length === 0) {
		return h('p', { class: 'empty' }, empty || 'Nothing to show.');
	}
	return h('table', {}, h('thead', {}, h('tr', {}, headers.map((x) => x.startsWith('~')
		? h('th', { scope: 'col', class: 'hide-narrow' }, x.slice(1)) : h('th', { scope: 'col' }, x)))),
		h('tbody', {}, rows));
}

function when(instant) {
	if (!instant) {
		return '';
	}
	const d = new Date(instant);
	return isNaN(d) ? String(instant) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function badge(text) {
	const t = String(text).toLowerCase();
	const kind = ['available', 'active', 'allowed', 'on', 'enforce', 'info'].includes(t) ? 'b-ok'
		: ['maintenance', 'suspended', 'shadow', 'warn', 'pending', 'scheduled'].includes(t) ? 'b-warn'
			: ['disabled', 'revoked', 'denied', 'error', 'off', 'expired'].includes(t) ? 'b-bad' : 'b-muted';
	return h('span', { class: 'badge ' + kind }, text);
}

function capabilitiesText(caps) {
	return Object.entries(caps || {}).map(([p, actions]) => p + ': ' + actions.join(', ')).join('; ');
}

function say(message) {
	const status = document.getElementById('status');
	status.textContent = message;
	clearTimeout(say.timer);
	say.timer = setTimeout(() => { status.textContent = ''; }, 4000);
}

function confirmAction(text, yes) {
	const dialog = document.getElementById('confirm');
	document.getElementById('confirm-text').textContent = text;
	document.getElementById('confirm-yes').textContent = yes || 'Confirm';
	dialog.showModal();
	return new Promise((resolve) => {
		const done = (answer) => {
			dialog.close();
			document.getElementById('confirm-yes').onclick = null;
			document.getElementById('confirm-no').onclick = null;
			dialog.oncancel = null;
			resolve(answer);
		};
		document.getElementById('confirm-yes').onclick = () => done(true);
		document.getElementById('confirm-no').onclick = () => done(false);
		dialog.oncancel = () => done(false);
	});
}

/** A one-time secret: shown once, with a copy button. */
function secretBox(title, value, note) {
	const code = h('code', { class: 'secret-value' }, value);
	const copy = h('button', {
		type: 'button',
		onclick: async () => {
			try {
				await navigator.clipboard.writeText(value);
				say('Copied to the clipboard');
			}
			catch {
				const range = document.createRange();
				range.selectNodeContents(code);
				getSelection().removeAllRanges();
				getSelection().addRange(range);
				say('Selected: copy it with Ctrl+C');
			}
		}
	}, 'Copy');
	return h('div', { class: 'secret', role: 'alert' }, h('strong', {}, title), code, copy,
		h('p', { class: 'muted' }, note || 'It is shown only now: keep it somewhere safe.'));
}

// ---- API ----

class ApiError extends Error {
	constructor(status, problem) {
		super((problem && problem.title) || 'HTTP ' + status);
		this.status = status;
		this.problem = problem || { title: 'HTTP ' + status };
	}
}

async function api(method, path, body, creds) {
	const c = creds || credentials();
	const headers = { 'Accept': 'application/json, application/problem+json', 'X-Engine-ID': c.id, 'X-Engine-Key': c.key };
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
	}
	let response;
	try {
		response = await fetch(path, {
			method, headers, body: body !== undefined ? JSON.stringify(body) : undefined,
			credentials: 'omit', cache: 'no-store'
		});
	}
	catch (ex) {
		throw new ApiError(0, { title: 'The service cannot be reached', detail: String(ex.message || ex) });
	}
	const text = await response.text();
	let json = null;
	try {
		json = text ? JSON.parse(text) : null;
	}
	catch {
		json = null;
	}
	if (!response.ok) {
		throw new ApiError(response.status, json);
	}
	return json;
}

async function scrape() {
	const c = credentials();
	const response = await fetch('/actuator/prometheus', {
		headers: { 'Accept': 'text/plain', 'X-Engine-ID': c.id, 'X-Engine-Key': c.key },
		credentials: 'omit', cache: 'no-store'
	});
	if (!response.ok) {
		throw new ApiError(response.status, null);
	}
	return response.text();
}

/** The problem's title and detail (and field errors), as text. */
function problemBox(error) {
	const p = error.problem || { title: String(error.message || error) };
	return h('div', { class: 'problem', role: 'alert' }, h('strong', { class: 'problem-title' }, p.title || 'Error'),
		p.detail ? h('span', { class: 'problem-detail' }, p.detail) : null,
		Array.isArray(p.errors) ? h('ul', {}, p.errors.map((e) => h('li', {}, (e.field || '') + ' ' + (e.message || '')))) : null);
}

/** Runs an API change; on failure shows the problem in the given place (or the page's). */
async function run(where, action, done) {
	const target = where || document.getElementById('page-problem');
	target.replaceChildren();
	try {
		const result = await action();
		if (done) {
			await done(result);
		}
		return result;
	}
	catch (error) {
		target.replaceChildren(problemBox(error));
		return undefined;
	}
}

// ---- shared data ----

async function catalog() {
	return (await api('GET', '/platforms/list')).platforms;
}

function capabilityPicker(platforms, selected) {
	const chosen = selected || {};
	return h('div', { class: 'caps' }, platforms.flatMap((p) => p.actions.map((a) =>
		h('label', {}, h('input', {
			type: 'checkbox', 'data-platform': p.platform, 'data-action': a.action_type,
			checked: (chosen[p.platform] || []).includes(a.action_type)
		}), p.platform + ' · ' + a.action_type))));
}

function pickedCapabilities(picker) {
	const caps = {};
	for (const box of picker.querySelectorAll('input[type=checkbox]:checked')) {
		(caps[box.dataset.platform] = caps[box.dataset.platform] || []).push(box.dataset.action);
	}
	return caps;
}

// ---- pages ----

const PAGES = [
	['overview', 'Overview', overviewPage],
	['engines', 'Engines', enginesPage],
	['platforms', 'Platforms', platformsPage],
	['kill-switches', 'Kill switches', killSwitchesPage],
	['quotas', 'Quotas and budgets', quotasPage],
	['decisions', 'Decisions', decisionsPage],
	['events', 'Events', eventsPage],
	['audit', 'Audit trail', auditPage]
];

let timers = [];

function every(ms, fn) {
	timers.push(setInterval(fn, ms));
}

function stopTimers() {
	timers.forEach(clearInterval);
	timers = [];
}

function section(title, ...children) {
	const id = 's' + (++ids);
	return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

// Overview: decision rates come from this replica's counters, sampled while the tab is open.
// Kept in the tab's sessionStorage (counts only, nothing secret) so a reload keeps the chart.
const SAMPLES = 'engine-control-console-samples';
const samples = JSON.parse(sessionStorage.getItem(SAMPLES) || '[]');

function parseDecisions(text) {
	const totals = { allowed: 0, denied: 0, error: 0 };
	const reasons = {};
	for (const line of text.split('\n')) {
		if (!line.startsWith('engine_control_decisions_total{')) {
			continue;
		}
		const labels = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
		const value = Number(line.slice(line.lastIndexOf('}') + 1).trim());
		const result = (labels.match(/result="([^"]*)"/) || [])[1];
		const reason = (labels.match(/reason="([^"]*)"/) || [])[1];
		if (result in totals) {
			totals[result] += value;
		}
		if (result === 'denied') {
			reasons[reason] = (reasons[reason] || 0) + value;
		}
	}
	return { at: Date.now(), totals, reasons };
}

async function sample() {
	const taken = parseDecisions(await scrape());
	samples.push(taken);
	while (samples.length > 200) {
		samples.shift();
	}
	sessionStorage.setItem(SAMPLES, JSON.stringify(samples));
	return taken;
}

function perMinute() {
	const minutes = new Map();
	const now = Math.floor(Date.now() / 60000);
	for (let m = now - 9; m <= now; m++) {
		minutes.set(m, { allowed: 0, denied: 0 });
	}
	for (let i = 1; i < samples.length; i++) {
		const m = Math.floor(samples[i].at / 60000);
		if (!minutes.has(m)) {
			continue;
		}
		for (const kind of ['allowed', 'denied']) {
			// A counter that went down was another replica or a restart: count nothing.
			minutes.get(m)[kind] += Math.max(0, samples[i].totals[kind] - samples[i - 1].totals[kind]);
		}
	}
	return [...minutes.entries()];
}

function rateChart(rows) {
	const width = 560, height = 170, left = 36, bottom = 22;
	const max = Math.max(1, ...rows.map(([, v]) => Math.max(v.allowed, v.denied)));
	const slot = (width - left) / rows.length;
	const y = (v) => (height - bottom) - (v / max) * (height - bottom - 10);
	const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
		'aria-label': 'Decisions per minute, allowed and denied, last 10 minutes' });
	svg.append(s('line', { x1: left, x2: width, y1: height - bottom, y2: height - bottom, stroke: '#8c959f' }));
	svg.append(s('text', { x: 2, y: 14, 'font-size': 11, fill: '#57606a' }, String(max)));
	svg.append(s('text', { x: 2, y: height - bottom, 'font-size': 11, fill: '#57606a' }, '0'));
	rows.forEach(([minute, v], i) => {
		const x = left + i * slot + 4;
		const w = (slot - 10) / 2;
		svg.append(s('rect', { x, y: y(v.allowed), width: w, height: (height - bottom) - y(v.allowed), fill: '#2f9e44' },
			s('title', {}, `${v.allowed} allowed`)));
		svg.append(s('rect', { x: x + w + 2, y: y(v.denied), width: w, height: (height - bottom) - y(v.denied), fill: '#c92a2a' },
			s('title', {}, `${v.denied} denied`)));
		if (i % 2 === 1 || rows.length <= 5) {
			svg.append(s('text', { x, y: height - 6, 'font-size': 11, fill: '#57606a' },
				new Date(minute * 60000).toISOString().slice(11, 16)));
		}
	});
	return svg;
}

async function overviewPage(page) {
	const platforms = section('Platforms');
	const switches = section('Kill switches that are off');
	const rates = section('Decisions per minute');
	const limits = section('Budgets and quotas close to their limits');
	const changes = section('Last operator changes');
	page.append(h('div', { class: 'grid' }, platforms, switches, rates, limits, changes));

	const load = async (box, fn) => {
		try {
			await fn(box);
		}
		catch (error) {
			box.append(problemBox(error));
		}
	};
	await Promise.all([
		load(platforms, async (box) => {
			const list = await catalog();
			box.append(table(['Platform', 'Status', 'Message'], list.map((p) => h('tr', {},
				h('td', {}, p.platform), h('td', {}, badge(p.status)), h('td', { class: 'wrap' }, p.message || '')))));
		}),
		load(switches, async (box) => {
			const flags = (await api('GET', '/admin/flags')).flags.filter((f) => !f.enabled && isKillSwitch(f.name));
			box.append(flags.length === 0 ? h('p', { class: 'empty' }, 'Every kill switch is on: nothing is stopped.')
				: h('ul', {}, flags.map((f) => h('li', {}, h('code', {}, f.name), ' ', badge(f.mode === 'shadow' ? 'shadow' : 'off'),
					' ', h('span', { class: 'muted' }, stops(f.name))))));
		}),
		load(rates, async (box) => {
			const drawn = h('div');
			box.append(h('div', { class: 'legend' }, h('span', {}, h('span', { class: 'sw sw-allowed' }), 'allowed'),
				h('span', {}, h('span', { class: 'sw sw-denied' }), 'denied')), drawn);
			const draw = async () => {
				const last = await sample();
				const rows = perMinute();
				const reasons = Object.entries(last.reasons).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 5);
				const top = Math.max(1, ...reasons.map(([, n]) => n));
				drawn.replaceChildren(rateChart(rows),
					h('p', { class: 'muted' }, 'Counted by the replica that answered /actuator/prometheus, sampled every 5 s while ',
						'this tab is open (so the first minute is partial). Since that replica started: ',
						`${last.totals.allowed} allowed, ${last.totals.denied} denied, ${last.totals.error} errors.`),
					h('h3', {}, 'Top deny reasons since that replica started'),
					reasons.length === 0 ? h('p', { class: 'empty' }, 'No check denied yet.') : table(['Reason', 'Denied', ''],
						reasons.map(([reason, n]) => h('tr', {}, h('td', {}, h('code', {}, reason)), h('td', {}, String(n)),
							h('td', {}, s('svg', { width: 120, height: 10, 'aria-hidden': 'true' },
								s('rect', { width: Math.max(2, 120 * n / top), height: 10, fill: '#c92a2a', rx: 2 })))))));
			};
			box.append(h('button', { type: 'button', id: 'sample-now', onclick: () => run(drawn, draw) }, 'Sample now'));
			await draw();
			every(5000, () => draw().catch(() => {}));
		}),
		load(limits, async (box) => {
			box.append(await quotaUsage(0.8));
			const low = [];
			for (const e of (await api('GET', '/admin/engines?limit=100')).engines.filter((x) => x.role !== 'admin')) {
				const b = await api('GET', `/admin/engines/${e.engine_id}/budget`);
				for (const [kind, burst] of [['checks', b.checks_burst], ['events', b.events_burst], ['validate', b.validate_burst]]) {
					if (b.enforced && b.available[kind] <= burst * 0.2) {
						low.push(h('li', {}, h('code', {}, e.engine_id), ` ${kind}: ${b.available[kind]} of ${burst} tokens left`));
					}
				}
			}
			box.append(low.length ? h('ul', {}, ...low) : h('p', { class: 'empty' }, 'No request budget at 80% of its burst or more.'),
				h('p', { class: 'muted' }, 'Budgets as the replica that answered sees them (first 100 engines).'));
		}),
		load(changes, async (box) => {
			const entries = (await api('GET', '/admin/audit?limit=6')).entries;
			box.append(table(['When', 'Who', 'What'], entries.map((e) => h('tr', {}, h('td', {}, when(e.occurred_at)),
				h('td', {}, e.actor), h('td', { class: 'wrap' }, e.action + ' ' + e.target_id))), 'No change yet.'));
			box.append(h('p', {}, h('a', { href: '#/audit' }, 'Whole audit trail')));
		})
	]);
}

function isKillSwitch(name) {
	return name === 'global' || name.startsWith('engine.') || name.startsWith('platform.') || name.startsWith('action.');
}

function stops(name) {
	if (name === 'global') {
		return 'every action of every engine';
	}
	const [level, ...rest] = name.split('.');
	if (level === 'engine') {
		return `every action of engine ${rest.join('.')}`;
	}
	if (level === 'platform') {
		return `every action on ${rest.join('.')}, for every engine`;
	}
	if (level === 'action') {
		return `${rest.slice(1).join('.')} on ${rest[0]}, for every engine`;
	}
	return 'nothing (not a kill switch)';
}

// Quotas come from GET /admin/quotas; a service without them answers 404.
async function loadQuotas() {
	try {
		return (await api('GET', '/admin/quotas')).quotas;
	}
	catch (error) {
		if (error.status === 404 && error.problem && /No endpoint/.test(error.problem.detail || '')) {
			return null;
		}
		throw error;
	}
}

const NO_QUOTAS = 'This service has no quotas: GET /admin/quotas answered 404 (no such endpoint).';

async function quotaUsage(threshold) {
	const quotas = await loadQuotas();
	if (quotas === null) {
		return h('p', { class: 'empty' }, NO_QUOTAS);
	}
	const rows = [];
	for (const q of quotas) {
		const detail = await api('GET', '/admin/quotas/' + encodeURIComponent(q.name));
		for (const u of usageOf(detail)) {
			if (threshold === 0 || u.used / u.max >= threshold) {
				rows.push(h('tr', {}, h('td', {}, q.name), h('td', {}, badge(q.mode || 'enforce')), h('td', {}, usageText(u))));
			}
		}
	}
	return table(['Quota', 'Mode', 'Used'], rows, threshold === 0 ? 'No quota rule.' : 'No quota at 80% of a limit or more.');
}

function usageOf(detail) {
	const usage = Array.isArray(detail.usage) ? detail.usage : [];
	if (usage.length === 0) {
		return (detail.limits || []).map((l) => ({ engine: null, max: l.max, per: l.per, used: 0 }));
	}
	return usage.map((u) => ({ engine: u.engine_id, max: u.max, per: u.per, used: u.max - u.remaining }));
}

function usageText(u) {
	return `${u.used} / ${u.max} per ${u.per}` + (u.engine ? ` (${u.engine})` : '');
}

async function enginesPage(page) {
	const platforms = await catalog();
	const listBox = section('Engines');
	const detailBox = h('div');
	const registerBox = section('Register an engine');
	const tokensBox = section('Enrollment tokens');
	page.append(listBox, detailBox, registerBox, tokensBox);

	// List, with a filter by status (the API's) and a search over id and description.
	const search = h('input', { type: 'search', name: 'search', placeholder: 'id or description' });
	const status = select('status', [['', 'any'], ['active', 'active'], ['suspended', 'suspended'], ['revoked', 'revoked']], '');
	const rows = h('div');
	const more = h('div');
	let engines = [];
	let cursor = null;
	const draw = () => {
		const q = search.value.trim().toLowerCase();
		const shown = engines.filter((e) => !q || e.engine_id.includes(q) || (e.description || '').toLowerCase().includes(q));
		rows.replaceChildren(table(['Engine', 'Description', 'Status', 'Capabilities', ''], shown.map((e) => h('tr', {},
			h('td', {}, h('code', {}, e.engine_id), e.role === 'admin' ? [' ', badge('operator')] : null),
			h('td', { class: 'wrap' }, e.description || ''), h('td', {}, badge(e.status)),
			h('td', { class: 'wrap' }, capabilitiesText(e.capabilities)),
			h('td', {}, h('button', { type: 'button', onclick: () => openEngine(e.engine_id), 'aria-label': 'Open ' + e.engine_id }, 'Open')))),
		'No engine matches.'));
		more.replaceChildren(cursor ? h('button', { type: 'button', onclick: () => fetchPage(false) }, 'Load more') : '');
	};
	const fetchPage = async (fresh) => {
		const query = new URLSearchParams({ limit: '50' });
		if (status.value) {
			query.set('status', status.value);
		}
		if (!fresh && cursor) {
			query.set('cursor', cursor);
		}
		await run(null, () => api('GET', '/admin/engines?' + query), (result) => {
			engines = fresh ? result.engines : engines.concat(result.engines);
			cursor = result.next_cursor || null;
			draw();
		});
	};
	search.addEventListener('input', draw);
	status.addEventListener('change', () => fetchPage(true));
	listBox.append(h('div', { class: 'row filters' }, field('Search', search), field('Status', status)), rows, more);

	const openEngine = async (engineId) => {
		const problem = h('div');
		const box = section('Engine ' + engineId, problem);
		box.id = 'engine-detail';
		detailBox.replaceChildren(box);
		let engine;
		try {
			engine = await api('GET', '/admin/engines/' + engineId);
		}
		catch (error) {
			problem.append(problemBox(error));
			return;
		}
		const refresh = async () => {
			await fetchPage(true);
			await openEngine(engineId);
		};
		const act = (label, method, path, question, cls) => h('button', {
			type: 'button', class: cls,
			onclick: async () => {
				if (question && !(await confirmAction(question, label))) {
					return;
				}
				await run(problem, () => api(method, path), async () => {
					say(`${label}: done`);
					if (method === 'DELETE') {
						detailBox.replaceChildren();
						await fetchPage(true);
					}
					else {
						await refresh();
					}
				});
			}
		}, label);
		const base = '/admin/engines/' + engineId;
		box.append(h('p', {}, badge(engine.status), ' ', engine.description || h('span', { class: 'muted' }, 'no description')),
			h('div', { class: 'actions' },
				engine.status === 'active' ? act('Suspend', 'POST', base + '/suspend', `Suspend ${engineId}? Every request it makes will get 403 until it is resumed.`) : null,
				engine.status === 'suspended' ? act('Resume', 'POST', base + '/resume') : null,
				engine.status !== 'revoked' ? act('Revoke', 'POST', base + '/revoke', `Revoke ${engineId}? Its keys stop working for good.`, 'danger') : null,
				act('Delete', 'DELETE', base, `Delete ${engineId} and its keys?`, 'danger')));

		// Keys, with last use; rotation shows the new key once.
		const keysBox = h('div');
		const rotated = h('div');
		const keyTable = h('div');
		const loadKeys = async () => {
			const keys = (await api('GET', base + '/keys')).keys;
			keyTable.replaceChildren(table(['Key id', 'Created', 'Last used', 'Expires', 'Revoked', ''], keys.map((k) => h('tr', {},
				h('td', { class: 'mono wrap' }, k.key_id), h('td', {}, when(k.created_at)), h('td', {}, k.last_used_at ? when(k.last_used_at) : 'never'),
				h('td', {}, when(k.expires_at)), h('td', {}, when(k.revoked_at)),
				h('td', {}, k.revoked_at ? '' : act('Revoke key', 'POST', base + '/keys/' + k.key_id + '/revoke', `Revoke key ${k.key_id}?`))))));
		};
		await loadKeys();
		keysBox.append(h('h3', {}, 'Keys'), keyTable,
		h('div', { class: 'actions' }, h('button', {
			type: 'button', id: 'rotate-key',
			onclick: async () => {
				if (!(await confirmAction(`Rotate the key of ${engineId}? Its current keys stay valid for the default overlap.`, 'Rotate'))) {
					return;
				}
				await run(problem, () => api('POST', base + '/keys/rotate'), async (r) => {
					rotated.replaceChildren(secretBox('New key of ' + engineId, r.engine_key));
					await loadKeys();
				});
			}
		}, 'Rotate key')), rotated);
		box.append(keysBox);

		// Capabilities, chosen from the catalog.
		const picker = capabilityPicker(platforms, engine.capabilities);
		box.append(h('form', {
			onsubmit: async (event) => {
				event.preventDefault();
				await run(problem, () => api('PUT', base + '/capabilities', { capabilities: pickedCapabilities(picker) }), async () => {
					say('Capabilities saved');
					await fetchPage(true);
				});
			}
		}, h('fieldset', {}, h('legend', {}, 'Capabilities'), picker), h('button', { type: 'submit' }, 'Save capabilities')));
		box.dataset.ready = 'true';
		box.querySelector('h2').setAttribute('tabindex', '-1');
		box.querySelector('h2').focus();
	};

	// Register: the key is in the answer and nowhere else.
	const regProblem = h('div');
	const regId = h('input', { name: 'engine_id', required: true, placeholder: 'mailer' });
	const regDescription = h('input', { name: 'description', placeholder: 'What it does' });
	const regPicker = capabilityPicker(platforms, {});
	const regResult = h('div', { id: 'register-result' });
	registerBox.append(h('form', {
		id: 'register-form',
		onsubmit: async (event) => {
			event.preventDefault();
			regResult.replaceChildren();
			const body = { engine_id: regId.value.trim(), capabilities: pickedCapabilities(regPicker) };
			if (regDescription.value) {
				body.description = regDescription.value;
			}
			await run(regProblem, () => api('POST', '/engines/register', body), async (r) => {
				regResult.replaceChildren(secretBox('Key of ' + r.engine_id, r.engine_key));
				await fetchPage(true);
			});
		}
	}, h('div', { class: 'row' }, field('Engine id', regId), field('Description', regDescription)),
	h('fieldset', {}, h('legend', {}, 'Capabilities'), regPicker), h('button', { type: 'submit' }, 'Register'), regProblem, regResult));

	// Enrollment tokens.
	const tokProblem = h('div');
	const tokList = h('div');
	const tokResult = h('div');
	const tokPicker = capabilityPicker(platforms, {});
	const tokHours = h('input', { type: 'number', name: 'ttl_hours', min: 1, max: 720, value: '1' });
	const tokUses = h('input', { type: 'number', name: 'uses', min: 1, max: 10000, value: '1' });
	const tokDescription = h('input', { name: 'token_description' });
	const loadTokens = async () => {
		const tokens = (await api('GET', '/admin/enrollment-tokens')).tokens;
		tokList.replaceChildren(table(['Token id', 'Description', 'Status', 'Uses left', 'Expires', 'Capabilities', ''], tokens.map((t) => h('tr', {},
			h('td', { class: 'mono wrap' }, t.token_id), h('td', { class: 'wrap' }, t.description || ''), h('td', {}, badge(t.status)),
			h('td', {}, `${t.uses_left} / ${t.uses}`), h('td', {}, when(t.expires_at)), h('td', { class: 'wrap' }, capabilitiesText(t.capabilities)),
			h('td', {}, t.status === 'active' ? h('button', {
				type: 'button',
				onclick: async () => {
					if (await confirmAction(`Revoke enrollment token ${t.token_id}?`, 'Revoke')) {
						await run(tokProblem, () => api('DELETE', '/admin/enrollment-tokens/' + t.token_id), loadTokens);
					}
				}
			}, 'Revoke') : ''))), 'No enrollment token.'));
	};
	tokensBox.append(tokList, h('form', {
		onsubmit: async (event) => {
			event.preventDefault();
			const body = { capabilities: pickedCapabilities(tokPicker), ttl: `PT${Number(tokHours.value)}H`, uses: Number(tokUses.value) };
			if (tokDescription.value) {
				body.description = tokDescription.value;
			}
			await run(tokProblem, () => api('POST', '/admin/enrollment-tokens', body), async (r) => {
				tokResult.replaceChildren(secretBox('Enrollment token ' + r.token_id, r.enrollment_token));
				await loadTokens();
			});
		}
	}, h('h3', {}, 'Create a token'), h('div', { class: 'row' }, field('Valid for (hours)', tokHours), field('Uses', tokUses),
		field('Description', tokDescription)), h('fieldset', {}, h('legend', {}, 'Capability ceiling'), tokPicker),
	h('button', { type: 'submit' }, 'Create token'), tokProblem, tokResult));

	await Promise.all([fetchPage(true), run(tokProblem, loadTokens)]);
}

function isoFromLocal(value) {
	return value ? new Date(value).toISOString() : undefined;
}

function localInput(name, date) {
	const pad = (n) => String(n).padStart(2, '0');
	const value = date ? `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}` : '';
	return h('input', { type: 'datetime-local', name, value });
}

async function platformsPage(page) {
	const platforms = await catalog();
	const list = section('Platforms');
	page.append(list);
	list.append(table(['Platform', 'Status', 'Message', '~Configured', '~Window'], platforms.map((p) => h('tr', {},
		h('td', {}, h('code', {}, p.platform), h('div', { class: 'muted' }, p.display_name || '')), h('td', {}, badge(p.status)),
		h('td', { class: 'wrap' }, p.message || ''), h('td', { class: 'hide-narrow' }, p.configured_status),
		h('td', { class: 'hide-narrow' }, p.maintenance_window ? `${p.maintenance_window.state}: ${when(p.maintenance_window.starts_at)} – ${when(p.maintenance_window.ends_at)}` : '')))));

	for (const p of platforms) {
		const problem = h('div');
		const box = section(`${p.display_name || p.platform} (${p.platform})`);
		page.append(box);
		const status = select('status', [['available', 'available'], ['maintenance', 'maintenance'], ['disabled', 'disabled']], p.configured_status);
		const message = h('input', { name: 'message', value: p.message || '' });
		box.append(h('form', {
			class: 'platform-status', 'data-platform': p.platform,
			onsubmit: async (event) => {
				event.preventDefault();
				if (status.value !== 'available' && !(await confirmAction(
					`Set ${p.platform} to ${status.value}? Every check of an action on ${p.platform} will be denied until it is available again.`, 'Set ' + status.value))) {
					return;
				}
				const body = { status: status.value };
				if (message.value) {
					body.message = message.value;
				}
				await run(problem, () => api('PUT', `/admin/platforms/${p.platform}/status`, body), () => {
					say(`${p.platform} is now ${status.value}`);
					return render();
				});
			}
		}, h('div', { class: 'row' }, field('Status', status), field('Message', message), h('button', { type: 'submit' }, 'Apply'))), problem);

		const windows = (await api('GET', `/admin/platforms/${p.platform}/maintenance-windows`)).maintenance_windows;
		box.append(h('h3', {}, 'Maintenance windows'), table(['Starts', 'Ends', 'State', 'Message', ''], windows.map((w) => h('tr', {},
			h('td', {}, when(w.starts_at)), h('td', {}, when(w.ends_at)), h('td', {}, badge(w.state)), h('td', { class: 'wrap' }, w.message || ''),
			h('td', {}, h('button', {
				type: 'button',
				onclick: async () => {
					if (await confirmAction(`Cancel the maintenance window of ${p.platform} from ${when(w.starts_at)}?`, 'Cancel window')) {
						await run(problem, () => api('DELETE', `/admin/platforms/${p.platform}/maintenance-windows/${w.id}`), render);
					}
				}
			}, 'Cancel')))), 'None scheduled.'));
		const start = localInput('starts_at', new Date(Date.now() + 3600000));
		const end = localInput('ends_at', new Date(Date.now() + 7200000));
		const windowMessage = h('input', { name: 'window_message' });
		box.append(h('form', {
			class: 'maintenance-window', 'data-platform': p.platform,
			onsubmit: async (event) => {
				event.preventDefault();
				const body = { starts_at: isoFromLocal(start.value), ends_at: isoFromLocal(end.value) };
				if (windowMessage.value) {
					body.message = windowMessage.value;
				}
				await run(problem, () => api('POST', `/admin/platforms/${p.platform}/maintenance-windows`, body), render);
			}
		}, h('div', { class: 'row' }, field('Starts (local time)', start), field('Ends (local time)', end), field('Message', windowMessage),
			h('button', { type: 'submit' }, 'Schedule'))));
	}
}

async function killSwitchesPage(page) {
	const [platforms, flagList, engineList] = await Promise.all([catalog(), api('GET', '/admin/flags'), api('GET', '/admin/engines?limit=500')]);
	const flags = new Map(flagList.flags.map((f) => [f.name, f]));
	const problem = document.getElementById('page-problem');
	const row = (name, what) => {
		const flag = flags.get(name);
		const on = !flag || flag.enabled;
		return h('tr', { 'data-flag': name }, h('td', { class: 'wrap' }, h('code', {}, name)), h('td', { class: 'hide-narrow' }, what),
			h('td', {}, badge(on ? 'on' : (flag.mode === 'shadow' ? 'shadow' : 'off'))),
			h('td', { class: 'actions' }, on ? h('button', {
				type: 'button', 'aria-label': 'Shadow ' + name,
				onclick: async () => {
					if (!(await confirmAction(`Put ${name} in shadow mode? It will deny nothing: checks it would deny (${stops(name)}) are answered as usual and recorded as shadow denials.`, 'Shadow'))) {
						return;
					}
					await run(problem, () => api('PUT', '/admin/flags/' + name, { enabled: false, mode: 'shadow' }), () => {
						say(`${name} is now in shadow mode`);
						return render();
					});
				}
			}, 'Shadow') : null, h('button', {
				type: 'button', class: on ? 'danger' : 'primary', 'aria-label': (on ? 'Turn off ' : 'Turn on ') + name,
				onclick: async () => {
					const question = on ? `Turn off ${name}? This will deny ${stops(name)} until it is turned on again.`
						: flag.mode === 'shadow' ? `Turn ${name} back on? It stops recording shadow denials.`
						: `Turn ${name} back on? Checks it denied will be decided as usual again.`;
					if (!(await confirmAction(question, on ? 'Turn off' : 'Turn on'))) {
						return;
					}
					await run(problem, () => api('PUT', '/admin/flags/' + name, { enabled: !on }), () => {
						say(`${name} is now ${on ? 'off' : 'on'}`);
						return render();
					});
				}
			}, on ? 'Turn off' : 'Turn on')));
	};
	const headers = ['Switch', '~Stops', 'State', ''];
	page.append(
		section('Global', table(headers, [row('global', stops('global'))])),
		section('Platforms', table(headers, platforms.map((p) => row('platform.' + p.platform, stops('platform.' + p.platform))))),
		section('Actions', table(headers, platforms.flatMap((p) => p.actions.map((a) => {
			const name = `action.${p.platform}.${a.action_type}`;
			return row(name, stops(name));
		})))),
		section('Engines', table(headers, engineList.engines.filter((e) => e.role !== 'admin').map((e) => row('engine.' + e.engine_id, stops('engine.' + e.engine_id))),
			'No engine registered.')));
}

async function quotasPage(page) {
	const quotaBox = section('Quotas');
	const budgetBox = section('Request budgets');
	page.append(quotaBox, budgetBox);
	const problem = h('div');
	quotaBox.append(problem);
	const quotas = await loadQuotas();
	if (quotas === null) {
		quotaBox.append(h('p', { class: 'empty', id: 'no-quotas' }, NO_QUOTAS));
	}
	else {
		const rows = [];
		for (const q of quotas) {
			const detail = await api('GET', '/admin/quotas/' + encodeURIComponent(q.name));
			rows.push(h('tr', {}, h('td', {}, h('code', {}, q.name)), h('td', {}, q.engine_id || 'every engine'),
				h('td', {}, `${q.platform} · ${q.action_type}`), h('td', {}, badge(q.mode || 'enforce')),
				h('td', {}, usageOf(detail).map((u) => h('div', {}, usageText(u)))),
				h('td', {}, h('button', {
					type: 'button', 'aria-label': 'Delete quota ' + q.name,
					onclick: async () => {
						if (await confirmAction(`Delete quota ${q.name}? Its checks will no longer be counted.`, 'Delete')) {
							await run(problem, () => api('DELETE', '/admin/quotas/' + encodeURIComponent(q.name)), render);
						}
					}
				}, 'Delete'))));
		}
		quotaBox.append(table(['Rule', 'Engine', 'Platform · action', 'Mode', 'Used (leased) in the current window', ''], rows, 'No quota rule.'));
		const name = h('input', { name: 'quota_name', required: true });
		const engine = h('input', { name: 'quota_engine', placeholder: 'every engine' });
		const platform = h('input', { name: 'quota_platform', required: true });
		const action = h('input', { name: 'quota_action', value: '*' });
		const max = h('input', { type: 'number', name: 'quota_max', min: 1, value: '100' });
		const per = h('input', { name: 'quota_per', value: 'PT1H' });
		const mode = select('quota_mode', [['enforce', 'enforce'], ['shadow', 'shadow']], 'enforce');
		quotaBox.append(h('form', {
			id: 'quota-form',
			onsubmit: async (event) => {
				event.preventDefault();
				const body = { platform: platform.value, action_type: action.value, limits: [{ max: Number(max.value), per: per.value }], mode: mode.value };
				if (engine.value) {
					body.engine_id = engine.value;
				}
				await run(problem, () => api('PUT', '/admin/quotas/' + encodeURIComponent(name.value), body), render);
			}
		}, h('h3', {}, 'Create or replace a rule'), h('div', { class: 'row' }, field('Name', name), field('Engine id', engine),
			field('Platform', platform), field('Action (* for all)', action), field('Max', max), field('Per (ISO-8601)', per),
			field('Mode', mode), h('button', { type: 'submit' }, 'Save rule'))));
	}

	const engines = (await api('GET', '/admin/engines?limit=100')).engines.filter((e) => e.role !== 'admin');
	const rows = [];
	for (const e of engines) {
		const b = await api('GET', `/admin/engines/${e.engine_id}/budget`);
		rows.push(h('tr', {}, h('td', {}, h('code', {}, e.engine_id)),
			h('td', {}, `${b.available.checks} of ${b.checks_burst} left; ${b.checks_per_second}/s`),
			h('td', {}, `${b.available.events} of ${b.events_burst} left; ${b.events_per_second}/s`),
			h('td', {}, `${b.available.validate} of ${b.validate_burst} left; ${b.validate_per_second}/s`),
			h('td', {}, b.overridden.length ? 'overridden: ' + b.overridden.join(', ') : 'defaults')));
	}
	budgetBox.append(h('p', { class: 'muted' }, 'Each engine\'s tokens left now on the replica that answered, of its burst, ',
		'and the rate they refill at; every replica has its own buckets.'),
		table(['Engine', 'Checks', 'Events', 'Validations', 'Source'], rows, 'No engine registered.'));
}

function pager(load) {
	const box = h('div', { class: 'actions' });
	return {
		box,
		set(next) {
			box.replaceChildren(next ? h('button', { type: 'button', onclick: () => load(next) }, 'Older') : '');
		}
	};
}

async function decisionsPage(page) {
	const engine = h('input', { name: 'engine_id' });
	const platform = h('input', { name: 'platform' });
	const reason = h('input', { name: 'reason', placeholder: 'FLAG_DISABLED' });
	const status = select('status', [['', 'any'], ['allowed', 'allowed'], ['denied', 'denied'], ['error', 'error']], '');
	const shadow = h('input', { type: 'checkbox', name: 'shadow' });
	const since = localInput('since');
	const until = localInput('until');
	const follow = h('input', { type: 'checkbox', name: 'follow' });
	const problem = h('div');
	const results = h('div', { id: 'decision-results' });
	let decisions = [];
	const query = () => {
		const q = new URLSearchParams({ limit: '50' });
		for (const [key, input] of [['engine_id', engine], ['platform', platform], ['reason', reason], ['status', status]]) {
			if (input.value.trim()) {
				q.set(key, input.value.trim());
			}
		}
		if (shadow.checked) {
			q.set('shadow', 'true');
		}
		if (since.value) {
			q.set('since', isoFromLocal(since.value));
		}
		if (until.value) {
			q.set('until', isoFromLocal(until.value));
		}
		return q;
	};
	const draw = () => {
		results.replaceChildren(table(['When', 'Engine', 'Platform · action', 'Result', 'Reason', 'Count', '~Request'], decisions.map((d) => h('tr', { 'data-decision': d.decision_id },
			h('td', {}, when(d.decided_at)), h('td', {}, d.engine_id + (d.subject_engine_id && d.subject_engine_id !== d.engine_id ? ' → ' + d.subject_engine_id : '')),
			h('td', {}, `${d.platform} · ${d.action_type}`), h('td', {}, badge(d.status)),
			h('td', {}, h('code', {}, d.reason), d.flag ? h('div', { class: 'muted' }, 'switch ' + d.flag) : null,
				Array.isArray(d.shadow) ? d.shadow.map((x) => h('div', { class: 'muted' }, `shadow ${x.rule}: ${x.reason}`)) : null),
			h('td', {}, String(d.count)), h('td', { class: 'mono wrap hide-narrow' }, d.request_id || ''))), 'No decision matches.'));
	};
	const paging = pager(async (cursor) => {
		const q = query();
		q.set('cursor', cursor);
		await run(problem, () => api('GET', '/admin/decisions?' + q), (r) => {
			decisions = decisions.concat(r.decisions);
			paging.set(r.next_cursor);
			draw();
		});
	});
	const load = () => run(problem, () => api('GET', '/admin/decisions?' + query()), (r) => {
		// Which query the rows answer: tests (and curious people) can tell a stale list.
		results.dataset.query = query().toString();
		if (follow.checked && decisions.length > 0) {
			// Following: keep what is shown, put the new ones on top.
			const known = new Set(decisions.map((d) => d.decision_id));
			decisions = r.decisions.filter((d) => !known.has(d.decision_id)).concat(decisions);
		}
		else {
			decisions = r.decisions;
			paging.set(r.next_cursor);
		}
		draw();
	});
	page.append(section('Decisions', h('form', {
		class: 'row filters',
		onsubmit: (event) => {
			event.preventDefault();
			decisions = [];
			load();
		}
	}, field('Engine', engine), field('Platform', platform), field('Reason', reason), field('Result', status), field('Since', since),
	field('Until', until), h('div', { class: 'field' }, h('label', {}, shadow, ' shadow only')), h('button', { type: 'submit' }, 'Refresh'),
	h('div', { class: 'field' }, h('label', {}, follow, ' follow new ones'))),
	h('p', { class: 'muted' }, 'Newest first. Denied, error and operator checks are recorded; allowed ones only where the service persists them.'),
	problem, results, paging.box));
	every(5000, () => {
		if (follow.checked) {
			load();
		}
	});
	await load();
}

async function eventsPage(page) {
	const engine = h('input', { name: 'engine_id' });
	const level = select('level', [['', 'any'], ['debug', 'debug'], ['info', 'info'], ['warn', 'warn'], ['error', 'error']], '');
	const type = h('input', { name: 'event_type' });
	const problem = h('div');
	const results = h('div');
	let events = [];
	const query = () => {
		const q = new URLSearchParams({ limit: '50' });
		if (engine.value.trim()) {
			q.set('engine_id', engine.value.trim());
		}
		if (level.value) {
			q.set('level', level.value);
		}
		if (type.value.trim()) {
			q.set('event_type', type.value.trim());
		}
		return q;
	};
	const draw = () => results.replaceChildren(table(['Received', 'Engine', 'Level', '~Type', 'Message', '~Attributes'], events.map((e) => h('tr', {},
		h('td', {}, when(e.received_at)), h('td', {}, e.engine_id), h('td', {}, badge(e.level)), h('td', { class: 'hide-narrow' }, h('code', {}, e.event_type)),
		h('td', { class: 'wrap event-message' }, e.message || ''), h('td', { class: 'hide-narrow' }, e.attributes ? h('pre', {}, JSON.stringify(e.attributes)) : ''))),
	'No event matches.'));
	const paging = pager(async (cursor) => {
		const q = query();
		q.set('cursor', cursor);
		await run(problem, () => api('GET', '/admin/events?' + q), (r) => {
			events = events.concat(r.events);
			paging.set(r.next_cursor);
			draw();
		});
	});
	const load = () => run(problem, () => api('GET', '/admin/events?' + query()), (r) => {
		events = r.events;
		paging.set(r.next_cursor);
		draw();
	});
	page.append(section('Events', h('form', {
		class: 'row filters',
		onsubmit: (event) => {
			event.preventDefault();
			load();
		}
	}, field('Engine', engine), field('Level', level), field('Event type', type), h('button', { type: 'submit' }, 'Refresh')), problem, results, paging.box));
	await load();
}

function json(value) {
	return value === undefined || value === null ? '' : h('pre', {}, JSON.stringify(value, null, 0).replace(/,"/g, ', "'));
}

async function auditPage(page) {
	const actor = h('input', { name: 'actor' });
	const targetType = h('input', { name: 'target_type' });
	const targetId = h('input', { name: 'target_id' });
	const problem = h('div');
	const results = h('div');
	let entries = [];
	const query = () => {
		const q = new URLSearchParams({ limit: '50' });
		for (const [key, input] of [['actor', actor], ['target_type', targetType], ['target_id', targetId]]) {
			if (input.value.trim()) {
				q.set(key, input.value.trim());
			}
		}
		return q;
	};
	const draw = () => results.replaceChildren(table(['When', 'Who', 'What', 'Target', 'Before', 'After'], entries.map((e) => h('tr', { 'data-action': e.action },
		h('td', {}, when(e.occurred_at)), h('td', {}, e.actor), h('td', {}, h('code', {}, e.action)),
		h('td', { class: 'wrap' }, `${e.target_type} ${e.target_id}`), h('td', { class: 'wrap' }, json(e.before)), h('td', { class: 'wrap' }, json(e.after)))),
	'No change matches.'));
	const paging = pager(async (cursor) => {
		const q = query();
		q.set('cursor', cursor);
		await run(problem, () => api('GET', '/admin/audit?' + q), (r) => {
			entries = entries.concat(r.entries);
			paging.set(r.next_cursor);
			draw();
		});
	});
	const load = () => run(problem, () => api('GET', '/admin/audit?' + query()), (r) => {
		entries = r.entries;
		paging.set(r.next_cursor);
		draw();
	});
	page.append(section('Audit trail', h('form', {
		class: 'row filters',
		onsubmit: (event) => {
			event.preventDefault();
			load();
		}
	}, field('Actor', actor), field('Target type', targetType), field('Target id', targetId), h('button', { type: 'submit' }, 'Refresh')),
	problem, results, paging.box));
	await load();
}

// ---- shell ----

async function render() {
	stopTimers();
	const creds = credentials();
	const signin = document.getElementById('signin');
	const page = document.getElementById('page');
	const nav = document.getElementById('nav');
	const out = document.getElementById('signout');
	if (!creds) {
		signin.hidden = false;
		page.hidden = true;
		nav.hidden = true;
		out.hidden = true;
		document.getElementById('who').textContent = '';
		document.title = 'Sign in · Engine Control console';
		return;
	}
	signin.hidden = true;
	page.hidden = false;
	nav.hidden = false;
	out.hidden = false;
	document.getElementById('who').textContent = 'Signed in as ' + creds.id;
	const name = (location.hash.match(/^#\/([a-z-]+)/) || [])[1] || 'overview';
	const entry = PAGES.find(([key]) => key === name) || PAGES[0];
	nav.replaceChildren(...PAGES.map(([key, title]) => h('a', { href: '#/' + key, 'aria-current': key === entry[0] ? 'page' : undefined }, title)));
	document.title = entry[1] + ' · Engine Control console';
	const body = h('div', { id: 'page-body', 'data-page': entry[0], 'aria-busy': 'true' });
	page.replaceChildren(h('h1', {}, entry[1]), h('div', { id: 'page-problem' }), body);
	try {
		await entry[2](body);
	}
	catch (error) {
		if (error.status === 401 || (error.status === 403 && error.problem && /revoked|suspended/.test(error.problem.detail || ''))) {
			sessionStorage.removeItem(STORE);
			await render();
			document.getElementById('signin-error').hidden = false;
			document.getElementById('signin-error').replaceChildren(problemBox(error));
			return;
		}
		document.getElementById('page-problem').replaceChildren(problemBox(error));
	}
	body.setAttribute('aria-busy', 'false');
}

async function signIn(event) {
	event.preventDefault();
	const id = document.getElementById('signin-id').value.trim();
	const key = document.getElementById('signin-key').value;
	const error = document.getElementById('signin-error');
	error.hidden = true;
	error.replaceChildren();
	try {
		// An operator-only read: an ordinary engine's key is refused here.
		await api('GET', '/admin/flags', undefined, { id, key });
	}
	catch (ex) {
		error.hidden = false;
		if (ex.status === 403 && ex.problem && /reserved for operators/.test(ex.problem.detail || '')) {
			error.replaceChildren(problemBox({ problem: { title: 'Not the operator', detail: `"${id}" is an ordinary engine: the console needs the operator's key.` } }));
		}
		else {
			error.replaceChildren(problemBox(ex));
		}
		return;
	}
	sessionStorage.setItem(STORE, JSON.stringify({ id, key }));
	document.getElementById('signin-key').value = '';
	if (!location.hash) {
		location.hash = '#/overview';
	}
	else {
		await render();
	}
	document.getElementById('main').focus();
}

document.getElementById('signin-form').addEventListener('submit', signIn);
document.getElementById('signout').addEventListener('click', signOut);
window.addEventListener('hashchange', () => {
	if (location.hash === '' || location.hash.startsWith('#/')) {
		render();
	}
});
render();
