'use strict';
// Screenshots of the sign-in and home pages (and the other foundation pages)
// on a desktop (1280×900) and a phone (390×844), full page, into
// tests/e2e/screenshots/ (git-ignored) for people to look at.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

describe('screenshots', () => {
	let server;
	let browser;

	lib.serverAndBrowser({}, (s, b) => { server = s; browser = b; });

	const shoot = (page, name) => lib.shoot(page, name, { animations: 'disabled' });

	/** Screenshots of the page as it is now, at each size (same session). */
	async function shootBoth(page, name) {
		for (const [size, viewport] of lib.SIZES) {
			await page.setViewportSize(viewport);
			await shoot(page, `${name}-${size}`);
		}
		await page.setViewportSize(lib.DESKTOP);
	}

	it('sign-in and error pages', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await page.goto(server.base + '/login');
			await shootBoth(page, 'login');
			await page.getByLabel('아이디', { exact: true }).fill('staff');
			await page.getByLabel('비밀번호', { exact: true }).fill('wrong-password');
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '로그인' }).click()]);
			await shootBoth(page, 'login-error');
			await page.goto(server.base + '/no/such/page');
			await shootBoth(page, '404-anonymous');
		} finally {
			await context.close();
		}
	});

	for (const user of lib.USERS) {
		it(`home of ${user.role}, desktop and phone`, async () => {
			const { context, page } = await lib.newPage(browser, lib.DESKTOP);
			try {
				await lib.signIn(page, server.base, user.login, server.password);
				await shootBoth(page, `home-${user.role}`);
				if (user.role === 'staff') {
					// the phone menu opened, the password page, a 404 while signed in
					await page.setViewportSize(lib.PHONE);
					await page.locator('summary', { hasText: '메뉴' }).click();
					await shoot(page, 'menu-open-phone');
					await page.setViewportSize(lib.DESKTOP);
					await page.goto(server.base + '/account/password');
					await shootBoth(page, 'password');
					await page.goto(server.base + '/no/such/page');
					await shootBoth(page, '404');
				}
				if (user.role === 'admin') {
					await page.goto(server.base + '/admin/users');
					await shootBoth(page, 'admin-users');
					await page.goto(server.base + '/admin/audit');
					await shootBoth(page, 'admin-audit');
				}
			} finally {
				await context.close();
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
