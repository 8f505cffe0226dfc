'use strict';
// The sign-in page: accessible at desktop and phone widths, the KRDS chrome is
// there, a wrong password shows the Korean error, five wrong ones lock the
// account and the page says so.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

describe('sign-in page', () => {
	let server;
	let browser;

	before(async () => {
		server = await lib.startServer({
			extraUsers: [{ login: 'locktest', name: '잠금시험', role: 'staff', department: '기업경제과' }],
		});
		browser = await lib.launchBrowser();
	});
	after(async () => {
		if (browser) await browser.close();
		if (server) await server.stop();
	});

	for (const [label, viewport] of [['1280 px', lib.DESKTOP], ['390 px', lib.PHONE]]) {
		it(`is axe-clean and complete at ${label}`, async () => {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				const res = await page.goto(server.base + '/login');
				assert.equal(res.status(), 200);
				await lib.fontsReady(page);
				assert.equal(await page.getAttribute('html', 'lang'), 'ko');
				assert.match(await page.title(), /로그인 \| 기업SOS/);
				await assert.doesNotReject(page.locator('#krds-masthead').getByText('이 누리집은 대한민국 공식 전자정부 누리집입니다.').waitFor());
				assert.equal(await page.locator('h1').count(), 1);
				assert.equal(await page.locator('h1').innerText(), '로그인');
				assert.equal(await page.locator('header').getByText('기업SOS', { exact: true }).count(), 1);
				assert.ok(await page.getByLabel('아이디', { exact: true }).isVisible());
				assert.ok(await page.getByLabel('비밀번호', { exact: true }).isVisible());
				assert.equal(await page.locator('form[action="/login"] input[name="csrf"]').count(), 1);
				assert.equal(await page.locator('form[action="/login"] input[name="next"]').count(), 1);
				// nothing for an anonymous visitor that needs a session
				assert.equal(await page.locator('nav.krds-side-navigation').count(), 0);
				assert.equal(await page.getByRole('button', { name: '로그아웃' }).count(), 0);
				// no horizontal scrolling on a phone
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
				// (checked before axe runs: axe itself trips style-src when it probes the page)
				assert.deepEqual(page.problems, [], 'every stylesheet, font, image and script loads, nothing blocked by the CSP');
				await lib.assertAxeClean(page, `/login at ${label}`);
			} finally {
				await context.close();
			}
		});
	}

	it('has a skip link to the main content as the first tab stop', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await page.goto(server.base + '/login');
			await page.keyboard.press('Tab');
			const focused = await page.evaluate(() => [document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]);
			assert.deepEqual(focused, ['본문 바로가기', '#main']);
			assert.ok(await page.locator('#krds-skip-link a').isVisible(), 'skip link shows when focused');
			assert.equal(await page.locator('main#main').count(), 1);
		} finally {
			await context.close();
		}
	});

	it('shows a Korean error for a wrong password, tied to the fields', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await page.goto(server.base + '/login');
			await page.getByLabel('아이디', { exact: true }).fill('staff');
			await page.getByLabel('비밀번호', { exact: true }).fill('not-the-password');
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '로그인' }).click()]);
			assert.match(new URL(page.url()).pathname, /^\/login/);
			const alert = page.getByRole('alert');
			assert.equal(await alert.count(), 1);
			const text = await alert.innerText();
			assert.match(text, /아이디 또는 비밀번호가 맞지 않습니다/);
			// the fields say they are invalid and point at the message
			const id = await alert.getAttribute('id');
			for (const label of ['아이디', '비밀번호']) {
				const field = page.getByLabel(label, { exact: true });
				assert.equal(await field.getAttribute('aria-invalid'), 'true', `${label} aria-invalid`);
				assert.ok((await field.getAttribute('aria-describedby') || '').split(/\s+/).includes(id), `${label} aria-describedby`);
			}
			assert.equal(await page.getByLabel('아이디', { exact: true }).inputValue(), 'staff', 'the login is kept');
			assert.equal(await page.getByLabel('비밀번호', { exact: true }).inputValue(), '', 'the password is not echoed');
			await lib.fontsReady(page);
			await lib.assertAxeClean(page, '/login with an error');
		} finally {
			await context.close();
		}
	});

	it('after five wrong passwords the login is locked from this address, with the same answer as any wrong password', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await page.goto(server.base + '/login');
			let first = '';
			for (let i = 0; i < 5; i++) {
				await page.getByLabel('아이디', { exact: true }).fill('locktest');
				await page.getByLabel('비밀번호', { exact: true }).fill(`wrong-${i}`);
				await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '로그인' }).click()]);
				if (i === 0) first = await page.getByRole('alert').innerText();
			}
			const alert = page.getByRole('alert');
			assert.equal(await alert.count(), 1);
			assert.match(await alert.innerText(), /아이디 또는 비밀번호가 맞지 않습니다/);
			await lib.assertAxeClean(page, '/login after five failures');

			// the right password is refused too, and the page says nothing more
			// (a locked login must not be told apart from an unknown one)
			await page.getByLabel('아이디', { exact: true }).fill('locktest');
			await page.getByLabel('비밀번호', { exact: true }).fill(server.password);
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '로그인' }).click()]);
			assert.match(new URL(page.url()).pathname, /^\/login/);
			assert.equal(await page.getByRole('alert').innerText(), first);
			await page.getByLabel('아이디', { exact: true }).fill('no-such-login');
			await page.getByLabel('비밀번호', { exact: true }).fill(server.password);
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '로그인' }).click()]);
			assert.equal(await page.getByRole('alert').innerText(), first);
		} finally {
			await context.close();
		}
	});
});
