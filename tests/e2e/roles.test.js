'use strict';
// Every role signs in, lands on its home page (one h1, its name and role in
// the header, the side navigation), the page is axe-clean on a desktop and a
// phone, then signs out: back on the sign-in page, and / sends it there again.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

describe('sign in and out, every role', () => {
	let server;
	let browser;

	lib.serverAndBrowser({}, (s, b) => { server = s; browser = b; });

	for (const user of lib.USERS) {
		it(`${user.role}: home page, axe-clean, then sign out`, async () => {
			const { context, page } = await lib.newPage(browser, lib.DESKTOP);
			try {
				await lib.signIn(page, server.base, user.login, server.password);
				assert.equal(new URL(page.url()).pathname, '/', 'lands on the home page');
				await lib.fontsReady(page);

				// one h1, non-empty
				const h1 = page.locator('h1');
				assert.equal(await h1.count(), 1, 'exactly one h1');
				assert.ok((await h1.innerText()).trim().length > 0, 'h1 has text');

				// the header shows who is signed in, with a role label and a sign-out button
				const header = page.locator('#krds-header');
				assert.equal(await header.getByText(user.name, { exact: true }).count(), 1, `header shows ${user.name}`);
				const role = (await header.locator('.app-user-role').innerText()).trim();
				assert.ok(role.length > 0, 'header shows a role label');
				assert.equal(await header.locator('form[action="/logout"][method="post"] input[name="csrf"]').count(), 1,
					'sign-out is a POST form with the CSRF token');

				// KRDS chrome: masthead, side navigation with the current page, breadcrumb
				assert.equal(await page.locator('#krds-masthead').getByText('이 누리집은 대한민국 공식 전자정부 누리집입니다.').count(), 1);
				const nav = page.locator('nav.krds-side-navigation');
				assert.equal(await nav.count(), 1, 'side navigation');
				assert.ok(await nav.locator('a').count() >= 1, 'side navigation has links');
				assert.equal(await nav.locator('a[aria-current="page"]').count(), 1, 'current page marked in the navigation');
				assert.equal(await page.locator('nav.krds-breadcrumb-wrap').count(), 1, 'breadcrumb');
				assert.deepEqual(page.problems, [], 'every resource loads, nothing blocked by the CSP');
				await lib.assertAxeClean(page, `home (${user.role}) at 1280 px`);

				// the same page on a phone: no sideways scrolling, menu collapsed, still clean
				await page.setViewportSize(lib.PHONE);
				// app.js collapses the menu on the media-query change event, which fires
				// after the resize: wait for it rather than racing it
				await page.waitForFunction(() => !document.getElementById('app-menu').open, null, { timeout: 5000 });
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				assert.ok(overflow <= 0, `home is ${overflow}px wider than a 390px phone`);
				assert.equal(await nav.locator('a').first().isVisible(), false, 'menu is collapsed on a phone');
				await page.locator('summary', { hasText: '메뉴' }).click();
				assert.ok(await nav.locator('a').first().isVisible(), 'menu opens');
				await lib.assertAxeClean(page, `home (${user.role}) at 390 px`);
				await page.setViewportSize(lib.DESKTOP);

				// sign out: back on the sign-in page
				await lib.signOut(page);
				assert.equal(new URL(page.url()).pathname, '/login', 'signed out to /login');
				assert.equal(await page.locator('h1').innerText(), '로그인');
				assert.equal(await page.getByRole('button', { name: '로그아웃' }).count(), 0);

				// and the home page is no longer reachable
				await page.goto(server.base + '/');
				assert.equal(new URL(page.url()).pathname, '/login', '/ redirects to /login after signing out');
			} finally {
				await context.close();
			}
		});
	}

	it('an anonymous visit to / goes to the sign-in page and comes back after it', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await page.goto(server.base + '/account/password');
			const url = new URL(page.url());
			assert.equal(url.pathname, '/login');
			await lib.signIn(page, server.base, 'staff', server.password);
			assert.equal(new URL(page.url()).pathname, '/account/password', 'returns to the page asked for');
		} finally {
			await context.close();
		}
	});
});
