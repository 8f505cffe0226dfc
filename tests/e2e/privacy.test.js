'use strict';
// The privacy and operations pages, as an admin and a leader use them, each
// axe-clean and no wider than a phone at 390 px, with screenshots at 1280 and
// 390 px: the access log (after a contact view), its monthly review, rights
// changes, the audit trail in Korean, backups and health, the session list,
// and the second-factor page.
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const lib = require('./lib');

const SHOTS = path.join(__dirname, 'screenshots');

describe('privacy and operations pages', () => {
	let server;
	let browser;

	lib.serverAndBrowser({}, (s, b) => { server = s; browser = b; });
	before(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		// a company with a contact, viewed once by staff: one access-log row
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			await page.goto(server.base + '/companies/new');
			const csrf = await page.locator('input[name="csrf"]').first().getAttribute('value');
			const made = await page.request.post(server.base + '/companies', {
				form: { csrf, name: '㈜한빛정밀', brn: '120-81-47521' }, maxRedirects: 0,
			});
			assert.equal(made.status(), 303);
			const where = made.headers().location;
			const added = await page.request.post(server.base + where + '/contacts', {
				form: { csrf, contact_name: '김철수', contact_phone: '010-1234-5678' }, maxRedirects: 0,
			});
			assert.equal(added.status(), 303);
			await page.goto(server.base + where); // one view of the contacts in full
		} finally {
			await context.close();
		}
	});

	async function look(login, url, name, check) {
		for (const [viewport, w] of [[lib.DESKTOP, 1280], [lib.PHONE, 390]]) {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, login, server.password);
				const res = await page.goto(server.base + url);
				assert.equal(res.status(), 200, `${url} answered ${res.status()}`);
				await lib.fontsReady(page);
				assert.equal(await page.locator('h1').count(), 1);
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				assert.ok(overflow <= 0, `${url} is ${overflow}px wider than ${w} px`);
				if (check) await check(page);
				await page.screenshot({ path: path.join(SHOTS, `${name}-${w}.png`), fullPage: true });
				await lib.assertAxeClean(page, `${url} at ${w} px`);
			} finally {
				await context.close();
			}
		}
	}

	it('the access log shows the contact view in Korean', async () => {
		await look('admin', '/admin/privacy', 'admin-privacy', async (page) => {
			const table = await page.locator('table').innerText();
			assert.match(table, /㈜한빛정밀 담당자/);
			assert.match(table, /조회/);
			assert.match(table, /입력/);
		});
	});

	it('a download without a reason is refused on the page', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'admin', server.password);
			const res = await page.goto(server.base + '/admin/privacy.csv?reason=+');
			assert.equal(res.status(), 422);
			assert.match(await page.locator('#reason-error').innerText(), /사유를 2자 이상/);
			assert.equal(await page.locator('#reason').getAttribute('aria-invalid'), 'true');
			await lib.assertAxeClean(page, 'refused download');
		} finally {
			await context.close();
		}
	});

	it('the monthly review, rights changes, audit trail and operations pages', async () => {
		const now = new Date(Date.now() + 9 * 3600 * 1000);
		const month = now.toISOString().slice(0, 7);
		await look('admin', `/admin/privacy/review?month=${month}`, 'admin-privacy-review', async (page) => {
			assert.match(await page.locator('h1').innerText(), /월간 점검/);
		});
		await look('admin', '/admin/rights', 'admin-rights', async (page) => {
			assert.match(await page.locator('table').innerText(), /권한 부여/);
		});
		await look('admin', '/admin/audit', 'admin-audit', async (page) => {
			const text = await page.locator('table').innerText();
			assert.match(text, /로그인/);
			assert.doesNotMatch(text, /user:\d|rehashed|user\.add/);
		});
		await look('admin', '/admin/operations', 'admin-operations', async (page) => {
			assert.match(await page.locator('h1').innerText(), /백업·운영 상태/);
		});
	});

	it('sessions and the second factor', async () => {
		await look('leader', '/account/sessions', 'account-sessions', async (page) => {
			assert.match(await page.locator('table').innerText(), /지금 이 기기/);
		});
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'leader', server.password);
			await page.goto(server.base + '/account/totp');
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '2단계 인증 시작' }).click()]);
			assert.match(await page.locator('.app-totp-secret').innerText(), /^[A-Z2-7]{32}$/);
			await lib.fontsReady(page);
			await page.screenshot({ path: path.join(SHOTS, 'account-totp-1280.png'), fullPage: true });
			await lib.assertAxeClean(page, '/account/totp enrolling');
			await page.setViewportSize(lib.PHONE);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			assert.ok(overflow <= 0, `/account/totp is ${overflow}px wider than 390 px`);
			await page.screenshot({ path: path.join(SHOTS, 'account-totp-390.png'), fullPage: true });
			await lib.assertAxeClean(page, '/account/totp at 390 px');
		} finally {
			await context.close();
		}
	});
});
