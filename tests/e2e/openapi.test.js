'use strict';
// The API description: /api/v1/openapi.json validates as OpenAPI 3.1 with
// @seriousme/openapi-schema-validator (a devDependency; no browser needed),
// and every GET operation without path parameters answers the leader or the
// admin (whichever its x-roles allow) with JSON or its file — never 404 or 500.
// Then the contract itself: on a fresh database and on the demo database,
// every JSON GET route (path parameters tried as 1, 2, 3) is asked by every
// role it allows, and each 200 answer validates (ajv, JSON Schema 2020-12, the
// dialect of OpenAPI 3.1) against the route's response schema, and each error
// answer against the Error schema; every route has its own schema (not the
// open PageModel), every write its form's fields.
// (tests/http/test_openapi.c checks the document against the router table;
// scripts/api_schemas.js --check, that the schemas are up to date.)
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

describe('OpenAPI', () => {
	let server;
	let doc;
	before(async () => {
		server = await lib.startServer();
		const res = await fetch(server.base + '/api/v1/openapi.json');
		assert.equal(res.status, 200);
		doc = await res.json();
	});
	after(async () => {
		if (server) await server.stop();
	});

	it('validates as OpenAPI 3.1', async () => {
		const { Validator } = await import('@seriousme/openapi-schema-validator');
		const v = new Validator();
		const r = await v.validate(doc);
		assert.equal(v.version, '3.1');
		assert.ok(r.valid, JSON.stringify(r.errors, null, 1));
	});

	it('every GET without path parameters answers', async () => {
		const tokens = { leader: lib.token(server.db, 'leader'), admin: lib.token(server.db, 'admin') };
		let n = 0;
		for (const [p, item] of Object.entries(doc.paths)) {
			const op = item.get;
			if (!op || p.includes('{')) continue;
			const who = op['x-roles'].includes('leader') || op['x-roles'].includes('public') ? 'leader' : 'admin';
			// personal-data downloads need a reason; some pages a query parameter (its example)
			const q = (op.parameters || []).filter((x) => x.in === 'query' && x.required)
				.map((x) => `${x.name}=${encodeURIComponent(x.example)}`);
			if (/\.(csv|xlsx)$/.test(p)) q.push('reason=api-test');
			const url = server.base + '/api/v1' + p + (q.length ? '?' + q.join('&') : '');
			const res = await fetch(url, { headers: { Authorization: `Bearer ${tokens[who]}` } });
			assert.ok(res.status === 200, `${p} as ${who}: ${res.status} ${(await res.text()).slice(0, 200)}`);
			const type = res.headers.get('content-type');
			const declared = Object.keys(op.responses['200'].content || {});
			assert.ok(declared.some((t) => type.startsWith(t)), `${p}: ${type} not in ${declared}`);
			await res.arrayBuffer().catch(() => null);
			n++;
		}
		assert.ok(n > 30, `only ${n} GET operations tried`);
	});

	it('every JSON page and write is described by its own schema', () => {
		const open = [];
		for (const [p, item] of Object.entries(doc.paths)) {
			const get = item.get && item.get.responses['200'].content && item.get.responses['200'].content['application/json'];
			if (get && get.schema.$ref === '#/components/schemas/PageModel') open.push(`GET ${p}`);
			const post = item.post && item.post.requestBody.content['application/x-www-form-urlencoded'];
			if (post && post.schema.$ref === '#/components/schemas/Form') open.push(`POST ${p}`);
		}
		// writes whose form is built by a partial or by script (uploads are multipart)
		const known = new Set(['POST /account/sessions/{sid}/revoke', 'POST /admin/users/{id}/sessions/{sid}/revoke',
			'POST /admin/departments/{id}/retire', 'POST /admin/departments/{id}/restore', 'POST /companies',
			'POST /companies/{id}', 'POST /cases/{id}/documents', 'POST /companies/{id}/documents',
			'POST /programs', 'POST /survey/{token}']);
		const unexpected = open.filter((o) => !known.has(o));
		assert.deepEqual(unexpected, [], `described only as an open object: ${unexpected.join(', ')}`);
	});

	for (const demo of [false, true]) {
		it(`every JSON GET answers its schema (${demo ? 'demo' : 'fresh'} database)`, async () => {
			const Ajv2020 = require('ajv/dist/2020');
			const ajv = new Ajv2020({ strict: false, allErrors: false });
			ajv.addSchema({ $id: 'urn:bizsos:openapi', components: doc.components });
			const validator = (schema) => ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"urn:bizsos:openapi#/components/')));
			const errorSchema = validator({ $ref: '#/components/schemas/Error' });
			const srv = demo ? await lib.startServer({ demo: [] }) : server;
			try {
				const roles = ['staff', 'leader', 'executive', 'department', 'admin'];
				const toks = {};
				for (const r of roles) toks[r] = lib.token(srv.db, r);
				let checked = 0;
				let errors = 0;
				for (const [p, item] of Object.entries(doc.paths)) {
					const op = item.get;
					const c = op && op.responses['200'].content && op.responses['200'].content['application/json'];
					if (!c || p === '/openapi.json') continue;
					const validate = validator(c.schema);
					const who = op['x-roles'].includes('public') ? [null, 'staff'] : op['x-roles'];
					const rq = (op.parameters || []).filter((x) => x.in === 'query' && x.required)
						.map((x) => `${x.name}=${encodeURIComponent(x.example)}`).join('&');
					const urls = (p.includes('{') ? [1, 2, 3].map((n) => p.replace(/\{day\}/g, '2024-05-01').replace(/\{kind\}/g, 'result').replace(/\{[a-z_]+\}/g, n)) : [p])
						.map((u) => (rq ? `${u}?${rq}` : u));
					for (const role of who) {
						for (const u of urls) {
							const headers = role ? { Authorization: `Bearer ${toks[role]}` } : { Accept: 'application/json' };
							const res = await fetch(srv.base + '/api/v1' + u, { headers, redirect: 'manual' });
							const type = res.headers.get('content-type') || '';
							const body = await res.text();
							if (!type.startsWith('application/json')) continue;
							const j = JSON.parse(body);
							if (res.status === 200) {
								assert.ok(validate(j), `${u} as ${role}: ${ajv.errorsText(validate.errors)}`);
								checked++;
							} else {
								assert.ok(res.status >= 400 && res.status < 500, `${u} as ${role}: ${res.status}`);
								assert.ok(errorSchema(j), `${u} as ${role} (${res.status}): ${ajv.errorsText(errorSchema.errors)}`);
								assert.ok(op.responses[String(res.status)], `${u}: ${res.status} is not described`);
								errors++;
							}
						}
					}
				}
				assert.ok(checked > 100, `only ${checked} answers checked`);
				assert.ok(errors > 0, 'no error answer checked');
				// a bad limit and a bad cursor: the error shape, described
				for (const [u, status] of [['/activities?limit=0', 422], ['/grants?cursor=abc', 400]]) {
					const res = await fetch(srv.base + '/api/v1' + u, { headers: { Authorization: `Bearer ${toks.leader}` } });
					assert.equal(res.status, status, u);
					assert.ok(errorSchema(await res.json()), u);
				}
			} finally {
				if (demo) await srv.stop();
			}
		});
	}
});
