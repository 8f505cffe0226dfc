'use strict';
// Screenshots of the sign-in and home pages (and the other foundation pages)
// on a desktop (1280×900) and a phone (390×844), full page, into
// tests/e2e/screenshots/ (git-ignored) for people to look at.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

const SIZES = [['desktop', lib.DESKTOP], ['phone', lib.PHONE]];

describe('screenshots', () => {
	let server;
	let browser;

	before(async () => {
		fs.mkdirSync(lib.SCREENSHOTS, { recursive: true });
		server = await lib.startServer();
		browser = await lib.launchBrowser();
	});
	after(async () => {
		if (browser) await browser.close();
		if (server) await server.stop();
	});

	async function shoot(page, name) {
		await lib.fontsReady(page);
		const file = path.join(lib.SCREENSHOTS, `${name}.png`);
		await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
		assert.ok(fs.statSync(file).size > 10000, `${file} looks empty`);
		return file;
	}

	for (const [size, viewport] of SIZES) {
		it(`sign-in and error pages (${size})`, async () => {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await page.goto(server.base + '/login');
				await shoot(page, `login-${size}`);
				await page.getByLabel('아이디', { exact: true }).fill('staff');
				await page.getByLabel('비밀번호', { exact: true }).fill('wrong-password');
				await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '로그인' }).click()]);
				await shoot(page, `login-error-${size}`);
				await page.goto(server.base + '/no/such/page');
				await shoot(page, `404-anonymous-${size}`);
			} finally {
				await context.close();
			}
		});

		it(`home of every role (${size})`, async () => {
			for (const user of lib.USERS) {
				const { context, page } = await lib.newPage(browser, viewport);
				try {
					await lib.signIn(page, server.base, user.login, server.password);
					await shoot(page, `home-${user.role}-${size}`);
					if (user.role === 'staff') {
						// the phone menu opened, the password page, a 404 while signed in
						if (size === 'phone') {
							await page.locator('summary', { hasText: '메뉴' }).click();
							await shoot(page, `menu-open-${size}`);
						}
						await page.goto(server.base + '/account/password');
						await shoot(page, `password-${size}`);
						await page.goto(server.base + '/no/such/page');
						await shoot(page, `404-${size}`);
					}
					if (user.role === 'admin') {
						await page.goto(server.base + '/admin/users');
						await shoot(page, `admin-users-${size}`);
						await page.goto(server.base + '/admin/audit');
						await shoot(page, `admin-audit-${size}`);
					}
				} finally {
					await context.close();
				}
			}
		});
	}

	it('home printed on A4 (print stylesheet)', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			await page.emulateMedia({ media: 'print' });
			await shoot(page, 'home-print');
			for (const sel of ['#krds-masthead', '#krds-header', 'nav.krds-side-navigation', 'nav.krds-breadcrumb-wrap', '#krds-footer']) {
				assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} is not printed`);
			}
			assert.ok(await page.locator('h1').isVisible(), 'the content is printed');
			await page.pdf({ path: path.join(lib.SCREENSHOTS, 'home-print.pdf'), format: 'A4' });
		} finally {
			await context.close();
		}
	});
});
