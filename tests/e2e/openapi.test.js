'use strict';
// The API description: /api/v1/openapi.json validates as OpenAPI 3.1 with
// @seriousme/openapi-schema-validator (a devDependency; no browser needed),
// and every GET operation without path parameters answers the leader or the
// admin (whichever its x-roles allow) with JSON or its file — never 404 or 500.
// (tests/http/test_openapi.c checks the document against the router table.)
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
			// personal-data downloads need a reason
			const url = server.base + '/api/v1' + p + (/\.(csv|xlsx)$/.test(p) ? '?reason=api-test' : '');
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
});
