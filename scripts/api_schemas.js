#!/usr/bin/env node
'use strict';
// Writes src/web/openapi_models.json: the JSON schema of every page model
// (the response of each JSON GET route) and of every form (the request of
// each POST route), which src/web/openapi.c puts into /api/v1/openapi.json.
//
//   node scripts/api_schemas.js            # rewrite the file
//   node scripts/api_schemas.js --check    # exit 1 if it would change
//
// Responses: the daemon is started twice — on the demo database (bizsos demo)
// and on a fresh one with one user per role — and every GET route that
// answers JSON is asked by every role its route allows (path parameters tried
// as 1, 2, 3). The schema is inferred from all the answers together: a key is
// required when every answer had it, a value's type is every type seen (a
// value only ever seen as null is left open; a scalar in a list's rows may
// also be null), arrays describe their items.
// The page chrome (app, page, me, nav, breadcrumb, flash, csrf) is one shared
// schema, PageChrome. Requests: the forms in templates/ (method="post"), by
// their action matched against the router's paths: every named field, its
// maxlength, and required when the field is.
//
// Run it after changing a page model or a form and review the diff;
// tests/e2e/openapi.test.js checks the answers against these schemas.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const lib = require('../tests/e2e/lib');

const REPO = path.resolve(__dirname, '..');
const OUT = path.join(REPO, 'src', 'web', 'openapi_models.json');
const ROLES = ['staff', 'leader', 'executive', 'department', 'admin'];
const CHROME = ['app', 'asset_version', 'page', 'csrf', 'me', 'nav', 'breadcrumb', 'flash'];

function run(args, input) {
	const r = spawnSync(lib.BIN, args, { input: input || '', encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`bizsos ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

function tokens(db) {
	const t = {};
	for (const login of ROLES) {
		t[login] = run(['token', 'create', '--db', db, '--login', login, '--label', 'schemas']).match(/bz_[0-9a-f]{64}/)[0];
	}
	return t;
}

async function serve(db) {
	const child = spawn(lib.BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0',
		'--templates', path.join(REPO, 'templates'), '--static', path.join(REPO, 'static')],
	{ stdio: ['ignore', 'pipe', 'pipe'] });
	let err = '';
	child.stderr.on('data', (d) => { err += d; });
	const base = await new Promise((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
			if (m) resolve(m[1]);
		});
		child.once('exit', (c) => reject(new Error(`daemon exited ${c}: ${err}`)));
	});
	child.stdout.resume();
	return { base, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}

// ---- inference ---------------------------------------------------------------

function typeOf(v) {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
	return typeof v; // string, boolean, object
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

// inRow: inside the items of an array (a list's rows), where which values are
// empty depends on the data of the day (the demo's dates are relative to
// today): a scalar there may also be null.
function infer(samples, inRow = false) {
	const types = new Set(samples.map(typeOf));
	const s = {};
	const nonNull = [...types].filter((t) => t !== 'null');
	if (nonNull.length === 0) return s; // only ever null: left open
	if (types.has('number')) types.delete('integer');
	if (inRow && nonNull.every((t) => t !== 'object' && t !== 'array')) types.add('null');
	const list = [...types].sort();
	s.type = list.length === 1 ? list[0] : list;
	const objs = samples.filter((v) => typeOf(v) === 'object');
	if (objs.length) {
		const keys = new Set();
		for (const o of objs) for (const k of Object.keys(o)) keys.add(k);
		if ([...keys].some((k) => !IDENT.test(k))) {
			// a map keyed by data (dates, codes): describe its values
			s.additionalProperties = infer(objs.flatMap((o) => Object.values(o)), inRow);
		} else {
			s.properties = {};
			for (const k of [...keys].sort()) {
				s.properties[k] = infer(objs.filter((o) => k in o).map((o) => o[k]), inRow);
			}
			const req = [...keys].filter((k) => objs.every((o) => k in o)).sort();
			if (req.length) s.required = req;
		}
	}
	const arrs = samples.filter((v) => typeOf(v) === 'array');
	if (arrs.length) {
		const items = arrs.flat();
		if (items.length) s.items = infer(items, true);
	}
	return s;
}

// "?as_of=2024-Q3" for the query parameters an operation requires (their example)
function requiredQuery(op) {
	const q = (op.parameters || []).filter((x) => x.in === 'query' && x.required)
		.map((x) => `${x.name}=${encodeURIComponent(x.example)}`);
	return q.length ? '?' + q.join('&') : '';
}

// "/cases/{id}/referrals/{rid}" with every parameter as n
function concrete(p, n) {
	return p.replace(/\{day\}/g, '2024-05-01').replace(/\{kind\}/g, 'result').replace(/\{[a-z_]+\}/g, String(n));
}

// Rows the demo has none of, so that their pages answer too: a published
// card, an issued document, a survey invitation. Returns extra concrete URLs
// for parameters that are not small ids ({token}).
async function prime(server, toks) {
	const post = async (role, p, form) => {
		const res = await fetch(server.base + '/api/v1' + p, {
			method: 'POST', redirect: 'manual',
			headers: { Authorization: `Bearer ${toks[role]}`, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(form).toString(),
		});
		return { status: res.status, text: await res.text() };
	};
	await post('leader', '/card/snapshots', { as_of: '2024-Q3' });
	for (let id = 1; id <= 40; id++) {
		const r = await post('staff', `/cases/${id}/documents`, { kind: 'result' });
		if (r.status === 200) break;
	}
	await post('staff', '/companies/1/documents', { kind: 'anniversary' });
	const extra = {};
	for (let id = 1; id <= 200 && !extra['/survey/{token}']; id++) {
		const r = await post('staff', `/cases/${id}/survey`, { email: '' });
		const m = r.text.match(/\/survey\/([A-Za-z0-9_-]{16,})/);
		if (m) extra['/survey/{token}'] = `/survey/${m[1]}`;
	}
	return extra;
}

async function collect(server, toks, doc, samples, extra) {
	for (const [p, item] of Object.entries(doc.paths)) {
		const op = item.get;
		if (!op || !op.responses['200'].content || !op.responses['200'].content['application/json']) continue;
		if (p === '/openapi.json') continue;
		const who = op['x-roles'].includes('public') ? [null, ...ROLES] : op['x-roles'];
		const q = requiredQuery(op);
		const urls = (extra[p] ? [extra[p]] : p.includes('{') ? [1, 2, 3].map((n) => concrete(p, n)) : [p]).map((u) => u + q);
		for (const role of who) {
			for (const url of urls) {
				const headers = role ? { Authorization: `Bearer ${toks[role]}` } : { Accept: 'application/json' };
				const res = await fetch(server.base + '/api/v1' + url, { headers, redirect: 'manual' });
				const type = res.headers.get('content-type') || '';
				const body = await res.text();
				if (res.status !== 200 || !type.startsWith('application/json')) continue;
				(samples[p] = samples[p] || []).push(JSON.parse(body));
			}
		}
	}
}

function pageSchema(list) {
	const page = list.map((o) => {
		const c = { ...o };
		for (const k of CHROME) delete c[k];
		return c;
	});
	const s = infer(page);
	delete s.type;
	return { allOf: [{ $ref: '#/components/schemas/PageChrome' }, { type: 'object', ...s }] };
}

// ---- forms -------------------------------------------------------------------

function templates(dir) {
	const out = [];
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const f = path.join(dir, e.name);
		if (e.isDirectory()) out.push(...templates(f));
		else if (e.name.endsWith('.mustache')) out.push(f);
	}
	return out;
}

function matchRoute(action, posts) {
	const a = action.replace(/\{\{[^}]*\}\}/g, '{}').split('?')[0].split('/');
	return posts.find((p) => {
		const s = p.split('/');
		return s.length === a.length && s.every((seg, i) => seg === a[i] || (seg.startsWith('{') && /\{\}/.test(a[i]) && a[i] === '{}'));
	});
}

function forms(posts) {
	const req = {};
	for (const f of templates(path.join(REPO, 'templates'))) {
		const text = fs.readFileSync(f, 'utf8');
		for (const m of text.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
			const attrs = m[1];
			if (!/method="post"/i.test(attrs)) continue;
			const am = attrs.match(/action="([^"]*)"/);
			if (!am) continue;
			const route = matchRoute(am[1], posts);
			if (!route) continue;
			const s = req[route] || (req[route] = { type: 'object', properties: {}, required: new Set(), seen: 0 });
			s.seen++;
			const fields = new Set();
			for (const fm of m[2].matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
				const nm = fm[2].match(/\bname="([A-Za-z_][A-Za-z0-9_\[\]-]*)"/);
				if (!nm) continue;
				const name = nm[1];
				const type = (fm[2].match(/\btype="([a-z]+)"/) || [])[1];
				if (type === 'submit' || type === 'button') continue;
				fields.add(name);
				const prop = s.properties[name] || (s.properties[name] = { type: 'string' });
				const ml = fm[2].match(/\bmaxlength="(\d+)"/);
				if (ml) prop.maxLength = Number(ml[1]);
				if (type === 'file') { prop.contentMediaType = 'application/octet-stream'; delete prop.maxLength; }
				if (name === 'csrf') prop.description = '세션 쿠키로 보낼 때의 CSRF 토큰 (API 토큰으로는 필요 없음)';
				if (/\brequired\b/.test(fm[2])) s.required.add(name);
			}
		}
	}
	const out = {};
	for (const [route, s] of Object.entries(req).sort()) {
		const r = { type: 'object', properties: s.properties, additionalProperties: { type: 'string' } };
		const required = [...s.required].filter((n) => n !== 'csrf').sort();
		if (required.length) r.required = required;
		out[route] = r;
	}
	return out;
}

// ---- main --------------------------------------------------------------------

function sortKeys(v) {
	if (Array.isArray(v)) return v.map(sortKeys);
	if (v && typeof v === 'object') {
		const o = {};
		for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k]);
		return o;
	}
	return v;
}

async function main() {
	const check = process.argv.includes('--check');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizsos-schemas-'));
	const samples = {};
	let doc;
	try {
		const demo = path.join(dir, 'demo.db');
		run(['demo', '--db', demo]);
		const fresh = path.join(dir, 'fresh.db');
		run(['init', '--db', fresh]);
		for (const u of lib.USERS) {
			run(['user', 'add', '--db', fresh, '--login', u.login, '--name', u.name, '--role', u.role,
				'--department', u.department, '--password-stdin'], lib.PASSWORD + '\n');
		}
		for (const db of [demo, fresh]) {
			const toks = tokens(db);
			const server = await serve(db);
			try {
				if (!doc) doc = await (await fetch(server.base + '/api/v1/openapi.json')).json();
				const extra = db === demo ? await prime(server, toks) : {};
				await collect(server, toks, doc, samples, extra);
			} finally {
				await server.stop();
			}
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	const responses = {};
	for (const [p, list] of Object.entries(samples)) responses[p] = pageSchema(list);
	const chrome = [];
	for (const list of Object.values(samples)) {
		for (const o of list) {
			const c = {};
			for (const k of CHROME) if (k in o) c[k] = o[k];
			chrome.push(c);
		}
	}
	const posts = Object.entries(doc.paths).filter(([, i]) => i.post).map(([p]) => p);
	const chromeSchema = infer(chrome);
	// a flash message comes once, after a write (a cookie the answers above never had)
	chromeSchema.properties.flash = {
		type: 'object', required: ['kind', 'message'],
		properties: { kind: { enum: ['success', 'error', 'info'] }, message: { type: 'string' } },
	};
	const out = sortKeys({ chrome: chromeSchema, responses, requests: forms(posts) });
	const text = JSON.stringify(out, null, 1) + '\n';
	if (check) {
		const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
		if (old !== text) {
			console.error(`${path.relative(REPO, OUT)} is out of date: run node scripts/api_schemas.js`);
			process.exit(1);
		}
		return;
	}
	fs.writeFileSync(OUT, text);
	console.log(`${path.relative(REPO, OUT)}: ${Object.keys(responses).length} responses, ${Object.keys(out.requests).length} requests, ${text.length} bytes`);
}

main().catch((e) => { console.error(e); process.exit(1); });
