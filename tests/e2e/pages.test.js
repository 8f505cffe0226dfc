'use strict';
// The other foundation pages, driven through their forms as a person would,
// each checked with axe-core at 1280 px and 390 px: password change (errors,
// then success), the admin's users and audit pages (add, re-role, disable),
// error pages for anonymous and signed-in visitors, and the pages without JS.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const lib = require('./lib');

/** axe at desktop and phone width on the page as it is now. */
async function axeBothWidths(page, label) {
	await lib.fontsReady(page);
	await lib.assertAxeClean(page, `${label} at 1280 px`);
	await page.setViewportSize(lib.PHONE);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `${label} is ${overflow}px wider than a 390px phone`);
	await lib.assertAxeClean(page, `${label} at 390 px`);
	await page.setViewportSize(lib.DESKTOP);
}

async function submit(page, button) {
	await Promise.all([page.waitForNavigation(), button.click()]);
}

describe('foundation pages', () => {
	let server;
	let browser;

	before(async () => {
		server = await lib.startServer({
			extraUsers: [{ login: 'pwuser', name: '오비번', role: 'staff', department: '기업경제과' }],
		});
		browser = await lib.launchBrowser();
	});
	after(async () => {
		if (browser) await browser.close();
		if (server) await server.stop();
	});

	it('password change: errors on the fields, then success', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'pwuser', server.password);
			await page.goto(server.base + '/account/password');
			assert.equal(await page.locator('h1').innerText(), '비밀번호 변경');
			assert.match(await page.locator('#password-hint').innerText(), /10자 이상\(영문·숫자·특수문자 중 2종류\) 또는 8자 이상\(3종류\)/);
			await axeBothWidths(page, '/account/password');

			// wrong current password, too short a new one, a different confirmation
			await page.getByLabel('현재 비밀번호', { exact: true }).fill('not-my-password');
			await page.getByLabel('새 비밀번호', { exact: true }).fill('short');
			await page.getByLabel('새 비밀번호 확인', { exact: true }).fill('different');
			await submit(page, page.getByRole('button', { name: '비밀번호 변경' }));
			const invalid = await page.locator('[aria-invalid="true"]').count();
			assert.ok(invalid >= 1, 'at least one field is marked invalid');
			for (const field of await page.locator('[aria-invalid="true"]').all()) {
				const ids = (await field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
				const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
				assert.ok(texts.some((t) => /[가-힣]/.test(t)), 'an invalid field is described by a Korean message');
			}
			await axeBothWidths(page, '/account/password with errors');

			// now right
			const fresh = 'Brand-new-pass-77';
			await page.getByLabel('현재 비밀번호', { exact: true }).fill(server.password);
			await page.getByLabel('새 비밀번호', { exact: true }).fill(fresh);
			await page.getByLabel('새 비밀번호 확인', { exact: true }).fill(fresh);
			await submit(page, page.getByRole('button', { name: '비밀번호 변경' }));
			assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
			assert.match(await page.locator('main').innerText(), /바꿨습니다|변경했습니다|변경되었습니다/, 'says it is done');
			await axeBothWidths(page, '/account/password done');

			// the new password works
			await lib.signOut(page);
			await lib.signIn(page, server.base, 'pwuser', fresh);
			assert.equal(new URL(page.url()).pathname, '/');
		} finally {
			await context.close();
		}
	});

	it('admin: users page adds, re-roles and disables a user; audit page lists it', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'admin', server.password);
			await page.goto(server.base + '/admin/users');
			assert.equal(await page.locator('h1').innerText(), '사용자 관리');
			const table = page.locator('table');
			assert.equal(await table.locator('caption').count(), 1, 'table has a caption');
			assert.ok(await table.locator('th[scope="col"]').count() >= 5, 'column headers with scope');
			for (const u of lib.USERS) {
				assert.equal(await table.getByText(u.name, { exact: true }).count(), 1, `${u.name} listed`);
			}
			await axeBothWidths(page, '/admin/users');

			// an empty form: every required field says what is missing
			const add = page.locator('form[action="/admin/users"]');
			await submit(page, add.getByRole('button', { name: '사용자 추가' }));
			assert.ok(await page.locator('form[action="/admin/users"] [aria-invalid="true"]').count() >= 1, 'errors on the add form');
			await axeBothWidths(page, '/admin/users with errors');

			// add a user
			const form = page.locator('form[action="/admin/users"]');
			await form.getByLabel('아이디', { exact: true }).fill('newbie');
			await form.getByLabel('이름', { exact: true }).fill('신입사');
			await form.getByLabel('역할', { exact: true }).selectOption('staff');
			await form.getByLabel('부서', { exact: true }).fill('기업경제과');
			await form.getByLabel('초기 비밀번호', { exact: true }).fill('Welcome-home-2026');
			await submit(page, form.getByRole('button', { name: '사용자 추가' }));
			const row = page.locator('tbody tr', { has: page.getByText('신입사', { exact: true }) });
			assert.equal(await row.count(), 1, 'the new user is listed');

			// change its role and department
			await row.locator('select[name="role"]').selectOption('leader');
			await row.locator('input[name="department"]').fill('투자유치과');
			await submit(page, row.getByRole('button', { name: /^변경/ }));
			const row2 = page.locator('tbody tr', { has: page.getByText('신입사', { exact: true }) });
			assert.match(await row2.innerText(), /팀장/);
			assert.match(await row2.innerText(), /투자유치과/);

			// disable, then enable
			await submit(page, row2.getByRole('button', { name: /^사용중지/ }));
			const row3 = page.locator('tbody tr', { has: page.getByText('신입사', { exact: true }) });
			assert.equal(await row3.getByRole('button', { name: /^사용재개/ }).count(), 1, 'disabled user can be re-enabled');
			await axeBothWidths(page, '/admin/users after changes');
			await submit(page, row3.getByRole('button', { name: /^사용재개/ }));

			// the audit page records it
			await page.goto(server.base + '/admin/audit');
			assert.equal(await page.locator('h1').innerText(), '감사 기록');
			const audit = await page.locator('table').innerText();
			assert.match(audit, /newbie|신입사/);
			assert.equal(await page.locator('table caption').count(), 1);
			await axeBothWidths(page, '/admin/audit');
		} finally {
			await context.close();
		}
	});

	it('a non-admin is refused the admin pages with a Korean error page', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			const res = await page.goto(server.base + '/admin/users');
			assert.equal(res.status(), 403);
			assert.equal(await page.locator('h1').count(), 1);
			assert.match(await page.locator('h1').innerText(), /[가-힣]/);
			assert.ok(await page.getByRole('link', { name: '홈으로 가기' }).isVisible());
			await axeBothWidths(page, '403 page');
		} finally {
			await context.close();
		}
	});

	it('404 pages, anonymous and signed in, are friendly and axe-clean', async () => {
		for (const who of ['anonymous', 'staff']) {
			const { context, page } = await lib.newPage(browser, lib.DESKTOP);
			try {
				if (who !== 'anonymous') await lib.signIn(page, server.base, who, server.password);
				const res = await page.goto(server.base + '/no/such/page');
				assert.equal(res.status(), 404);
				assert.equal(await page.locator('h1').innerText(), '페이지를 찾을 수 없습니다');
				assert.ok(await page.getByRole('link', { name: '홈으로 가기' }).isVisible());
				if (who === 'anonymous') assert.equal(await page.locator('nav.krds-side-navigation').count(), 0);
				await axeBothWidths(page, `404 (${who})`);
			} finally {
				await context.close();
			}
		}
	});

	it('works without JavaScript: sign in, phone menu, sign out', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE, { javaScriptEnabled: false });
		try {
			await lib.signIn(page, server.base, 'leader', server.password);
			assert.equal(new URL(page.url()).pathname, '/');
			const link = page.locator('nav.krds-side-navigation a', { hasText: '비밀번호 변경' });
			assert.equal(await link.isVisible(), false, 'menu collapsed on a phone');
			await page.locator('summary', { hasText: '메뉴' }).click();
			assert.ok(await link.isVisible(), 'the menu opens without JS');
			await Promise.all([page.waitForNavigation(), link.click()]);
			assert.equal(new URL(page.url()).pathname, '/account/password');
			// on a desktop the navigation shows without JS too
			await page.setViewportSize(lib.DESKTOP);
			assert.ok(await page.locator('nav.krds-side-navigation a').first().isVisible(), 'side navigation visible on a desktop without JS');
			await lib.signOut(page);
			assert.equal(new URL(page.url()).pathname, '/login');
		} finally {
			await context.close();
		}
	});
});
