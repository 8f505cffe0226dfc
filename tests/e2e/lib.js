'use strict';
// Shared helpers for the browser tests (node:test + playwright-core + axe-core).
//
// startServer(): a fresh database in a temp dir with one user per role, and the
// real daemon on an ephemeral port serving this repository's templates/ and
// static/. launchBrowser(): Debian's chromium. checkAxe(): axe-core with the
// WCAG 2.0 A/AA and 2.1 AA rules; returns the violations.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');

const REPO = path.resolve(__dirname, '..', '..');
const BIN = process.env.BIZSOS_BIN || path.join(REPO, 'build', 'bizsos');
const CHROMIUM = process.env.BIZSOS_CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, 'screenshots');
const PASSWORD = 'Correct-horse-42';

// One account per role; names are what the header must show after sign-in.
const USERS = [
	{ login: 'staff', name: '김주무', role: 'staff', department: '기업경제과' },
	{ login: 'leader', name: '이팀장', role: 'leader', department: '기업경제과' },
	{ login: 'executive', name: '박과장', role: 'executive', department: '경제국' },
	{ login: 'department', name: '최담당', role: 'department', department: '도시계획과' },
	{ login: 'admin', name: '정관리', role: 'admin', department: '기업경제과' },
];

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
// The two widths every page is looked at: [name, viewport].
const SIZES = [['desktop', DESKTOP], ['phone', PHONE]];

function run(args, input) {
	const r = spawnSync(BIN, args, { input: input || '', encoding: 'utf8', timeout: 300000 });
	if (r.error) throw r.error;
	if (r.status !== 0) {
		throw new Error(`${path.basename(BIN)} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
	}
	return r.stdout;
}

function get(url) {
	return new Promise((resolve, reject) => {
		const req = http.get(url, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		});
		req.on('error', reject);
		req.setTimeout(2000, () => req.destroy(new Error('timeout')));
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the daemon's base URL from its "listening on" line. */
function waitListening(child, stderr) {
	return new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error(`daemon printed no "listening on" line in 15 s\n${out}\n${stderr()}`)), 15000);
		child.once('error', (e) => { clearTimeout(timer); reject(e); });
		child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`daemon exited (${code}) before listening\n${out}\n${stderr()}`)); });
		child.stdout.setEncoding('utf8');
		let done = false;
		child.stdout.on('data', (d) => {
			if (done) return; // later output (the access log) is not kept
			out += d;
			const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
			if (m) { done = true; clearTimeout(timer); resolve(m[1]); }
		});
	});
}

/** Waits until GET /healthz answers 200. */
async function waitHealthy(base, stderr) {
	const deadline = Date.now() + 15000;
	for (;;) {
		try {
			if ((await get(base + '/healthz')) === 200) return;
		} catch (_) { /* not yet */ }
		if (Date.now() > deadline) throw new Error(`GET /healthz never answered 200\n${stderr()}`);
		await sleep(100);
	}
}

/**
 * Starts the daemon on a fresh database. extraUsers: more accounts to add
 * (same shape as USERS). demo: instead, `bizsos demo`'s database, with the
 * password PASSWORD given to each of these demo logins (['staff', 'leader']).
 * Returns { base, dir, db, users, password, stop() }.
 * Always call stop() (in an after() hook): it sends SIGTERM and waits for exit.
 */
async function startServer({ extraUsers = [], demo = null } = {}) {
	if (!fs.existsSync(BIN)) throw new Error(`daemon not found at ${BIN} (build it, or set BIZSOS_BIN)`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizsos-e2e-'));
	const db = path.join(dir, 'bizsos.db');
	let users = [];
	if (demo) {
		run(['demo', '--db', db]);
		for (const login of demo) {
			run(['user', 'passwd', '--db', db, '--login', login, '--password-stdin'], PASSWORD + '\n');
		}
	} else {
		run(['init', '--db', db]);
		users = [...USERS, ...extraUsers];
		for (const u of users) {
			const args = ['user', 'add', '--db', db, '--login', u.login, '--name', u.name, '--role', u.role];
			if (u.department) args.push('--department', u.department);
			args.push('--password-stdin');
			run(args, (u.password || PASSWORD) + '\n');
		}
	}

	const child = spawn(BIN, [
		'serve', '--db', db, '--listen', '127.0.0.1:0',
		'--templates', path.join(REPO, 'templates'),
		'--static', path.join(REPO, 'static'),
	], { stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (d) => { stderr += d; });
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	// Never leave a daemon behind, even when the test process ends abruptly
	// (an uncaught error, process.exit() from a library, a test-runner timeout).
	const reap = () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		fs.rmSync(dir, { recursive: true, force: true });
	};
	process.once('exit', reap);
	for (const sig of ['SIGINT', 'SIGTERM']) {
		process.once(sig, () => { reap(); process.exit(128 + (sig === 'SIGINT' ? 2 : 15)); });
	}

	let base;
	try {
		base = await waitListening(child, () => stderr);
		await waitHealthy(base, () => stderr);
	} catch (e) {
		reap();
		process.removeListener('exit', reap);
		throw e;
	}

	let stopped = null;
	async function stop() {
		if (stopped) return stopped;
		stopped = (async () => {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const t = setTimeout(() => child.kill('SIGKILL'), 10000);
				const r = await exited;
				clearTimeout(t);
				process.removeListener('exit', reap);
				fs.rmSync(dir, { recursive: true, force: true });
				return r;
			}
			fs.rmSync(dir, { recursive: true, force: true });
			return exited;
		})();
		return stopped;
	}
	return { base, dir, db, users, password: PASSWORD, stop, stderr: () => stderr };
}

async function launchBrowser() {
	const { chromium } = require('playwright-core');
	return chromium.launch({
		executablePath: CHROMIUM,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
}

/**
 * A new browser context + page. Records every response of 400 or more and
 * every console error / CSP report on page.problems, so tests can assert that
 * no stylesheet, font or script failed and nothing was blocked by the CSP.
 */
async function newPage(browser, viewport = DESKTOP, options = {}) {
	const context = await browser.newContext({ viewport, locale: 'ko-KR', ...options });
	const page = await context.newPage();
	page.problems = [];
	page.on('response', (r) => {
		// the error pages themselves answer 4xx on purpose; count sub-resources only
		if (r.status() >= 400 && r.request().resourceType() !== 'document') {
			page.problems.push(`HTTP ${r.status()} ${r.url()}`);
		}
	});
	page.on('requestfailed', (r) => {
		const why = r.failure() && r.failure().errorText;
		// A request the next navigation cut short (the icon, typically) did not fail.
		if (why === 'net::ERR_ABORTED') return;
		page.problems.push(`failed ${r.url()} ${why}`);
	});
	page.on('console', (m) => {
		if (m.type() === 'error') page.problems.push(`console: ${m.text()} (${m.location().url || 'no url'})`);
	});
	page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
	return { context, page };
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on the page; returns the violations (an empty array is a pass). */
async function checkAxe(page) {
	// Evaluated through the DevTools protocol, which the page's CSP does not govern
	// (unlike addScriptTag, which inserts a <script> that script-src 'self' blocks).
	if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
		await page.evaluate(AXE_SOURCE);
	}
	const result = await page.evaluate(() => window.axe.run(document, {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] },
	}));
	return result.violations;
}

/** Human-readable axe report for assertion messages. */
function formatViolations(violations) {
	return violations.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n` + v.nodes.slice(0, 5)
		.map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`).join('\n')).join('\n');
}

/** Asserts 0 axe violations, printing them if any. */
async function assertAxeClean(page, label) {
	const assert = require('node:assert/strict');
	const v = await checkAxe(page);
	if (v.length) console.log(`axe violations on ${label}:\n${formatViolations(v)}`);
	assert.equal(v.length, 0, `axe: ${v.length} violation(s) on ${label}\n${formatViolations(v)}`);
}

/**
 * A full-page screenshot, once the fonts are in, to SCREENSHOTS/<name>.png
 * (options: more page.screenshot options); asserts it is not empty. The file.
 */
async function shoot(page, name, options = {}) {
	const assert = require('node:assert/strict');
	await fontsReady(page);
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	const file = path.join(SCREENSHOTS, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true, ...options });
	assert.ok(fs.statSync(file).size > 10000, `${file} looks empty`);
	return file;
}

/**
 * Registers the before/after hooks of a suite that drives one server
 * (startServer(options)) with one browser: before() starts both and hands
 * them to set(server, browser); after() closes the browser and stops the
 * server. Screenshots may be written to SCREENSHOTS.
 */
function serverAndBrowser(options, set) {
	const { before, after } = require('node:test');
	let server = null;
	let browser = null;
	before(async () => {
		fs.mkdirSync(SCREENSHOTS, { recursive: true });
		server = await startServer(options);
		browser = await launchBrowser();
		set(server, browser);
	});
	after(async () => {
		if (browser) await browser.close();
		if (server) await server.stop();
	});
}

/** A fresh API token of login (`bizsos token create`) on the database at db. */
function token(db, login) {
	const out = run(['token', 'create', '--db', db, '--login', login, '--label', 'e2e']);
	const m = out.match(/bz_[0-9a-f]{64}/);
	if (!m) throw new Error(`no token in: ${out}`);
	return m[0];
}

/**
 * Calls /api/v1<p> with the bearer token tok, a form (an object) url-encoded
 * as the body. Returns { status, json, text }; json is null when the answer
 * is not JSON. A redirect is answered as it is, not followed.
 */
async function api(server, tok, method, p, form) {
	const res = await fetch(server.base + '/api/v1' + p, {
		method,
		headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: form ? new URLSearchParams(form).toString() : undefined,
		redirect: 'manual',
	});
	const text = await res.text();
	let json = null;
	try { json = JSON.parse(text); } catch (_) { /* not JSON (a redirect, a file) */ }
	return { status: res.status, json, text };
}

/** Registers a company through the API (form: its fields); asserts 200; its id. */
async function newCompany(server, tok, form) {
	const assert = require('node:assert/strict');
	const r = await api(server, tok, 'POST', '/companies', form);
	assert.equal(r.status, 200, JSON.stringify(r.json));
	return r.json.id;
}

/** Today's date in Korea (YYYY-MM-DD). */
function kstToday() {
	return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Fills and submits the sign-in form; waits for the next page to load. */
async function signIn(page, base, login, password) {
	if (!page.url().startsWith(base + '/login')) await page.goto(base + '/login');
	await page.getByLabel('아이디').fill(login);
	await page.getByLabel('비밀번호').fill(password);
	await Promise.all([
		page.waitForLoadState('load'),
		page.waitForNavigation(),
		page.getByRole('button', { name: '로그인' }).click(),
	]);
}

/** Presses the header's 로그아웃 button; waits for the next page. */
async function signOut(page) {
	await Promise.all([
		page.waitForNavigation(),
		page.getByRole('button', { name: '로그아웃' }).click(),
	]);
}

/** Waits for web fonts so screenshots and contrast checks see the real text. */
async function fontsReady(page) {
	await page.evaluate(() => document.fonts.ready.then(() => true));
}

module.exports = {
	REPO, BIN, SCREENSHOTS, PASSWORD, USERS, DESKTOP, PHONE, SIZES,
	startServer, launchBrowser, serverAndBrowser, newPage, checkAxe, formatViolations, assertAxeClean,
	signIn, signOut, fontsReady, shoot, token, api, newCompany, kstToday,
};
