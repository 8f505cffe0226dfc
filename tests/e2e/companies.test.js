'use strict';
// Companies in the browser: a staff member registers a company through the
// form (a wrong BRN first: the Korean field error), adds a contact, finds it
// by a two-syllable word; the list (masked contacts), the company page (full
// contacts, timeline), the form and its error state, a 409 conflict, and the
// admin department and holiday pages — each at 1280 px and 390 px, with
// axe-core (0 violations) and a full-page screenshot in tests/e2e/screenshots/.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const lib = require('./lib');

describe('companies', () => {
	let server;
	let browser;
	let companyPath;

	lib.serverAndBrowser({}, (s, b) => { server = s; browser = b; });


	// Every resource loaded and nothing blocked by the CSP (checked before axe,
	// whose own probes trip the CSP), axe clean, then the screenshot.
	// (A 422 or 409 page logs its own status as a console error; sub-resources
	// that fail are still caught by lib's response listener.)
	async function check(page, name) {
		// Requests aborted by the next navigation (net::ERR_ABORTED) did not fail.
		const problems = page.problems.filter((p) => !/^console: Failed to load resource: the server responded with a status of 4\d\d/.test(p) &&
			!/net::ERR_ABORTED$/.test(p));
		assert.deepEqual(problems, [], `no failed resources on ${name}`);
		await lib.assertAxeClean(page, name);
		page.problems.length = 0;
		await lib.shoot(page, name);
	}

	async function submit(page, button) {
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
	}

	it('registers a company through the form', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			await page.goto(server.base + '/companies/new');
			await page.locator('#name').fill('한빛정밀(주)');
			await page.locator('#brn').fill('120-81-47522');
			await page.locator('#representative').fill('김대표');
			await page.locator('#ksic_code').selectOption('C29');
			await page.locator('#address').fill('경기도 예시시 산단로 12');
			await page.locator('#zone').fill('예시일반산업단지');
			await page.locator('#employees').fill('120');
			await page.locator('#founded_on').fill('1998-04-15');
			await page.locator('#notes').fill('스마트공장 구축 희망\n운전자금 상담 요청');
			await submit(page, '등록');
			// a wrong check digit: the field error, the input kept
			assert.match(await page.locator('#brn-error').innerText(), /검증번호 불일치/);
			assert.equal(await page.locator('#brn').inputValue(), '120-81-47522');
			await page.locator('#brn').fill('120-81-47521');
			await submit(page, '등록');
			assert.match(page.url(), /\/companies\/\d+$/);
			companyPath = new URL(page.url()).pathname;
			assert.match(await page.locator('.app-flash').innerText(), /기업을 등록했습니다/);

			await page.locator('summary', { hasText: '담당자 추가' }).click();
			await page.locator('#contact_name').fill('김철수');
			await page.locator('#contact_title').fill('생산과장');
			await page.locator('#contact_phone').fill('01012345678');
			await page.locator('#contact_email').fill('kim@example.com');
			await submit(page, '담당자 추가');
			assert.match(await page.locator('#contacts').innerText(), /010-1234-5678/);

			// found by a two-syllable word, contacts masked in the list
			await page.goto(server.base + '/companies');
			await page.locator('#q').fill('자금');
			await submit(page, '검색');
			assert.match(page.url(), /q=%EC%9E%90%EA%B8%88/);
			const list = await page.locator('table').innerText();
			assert.match(list, /한빛정밀\(주\)/);
			assert.match(list, /김\*수/);
			assert.match(list, /010-\*\*\*\*-5678/);
		} finally {
			await context.close();
		}
	});

	for (const [size, viewport] of lib.SIZES) {
		it(`company pages (${size})`, async () => {
			assert.ok(companyPath, 'a company exists');
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, 'staff', server.password);
				await page.goto(server.base + '/companies');
				await check(page, `companies-list-${size}`);
				await page.goto(server.base + '/companies?q=' + encodeURIComponent('스마트공장'));
				assert.match(await page.locator('table').innerText(), /한빛정밀/);
				await page.goto(server.base + companyPath);
				assert.match(await page.locator('#contacts').innerText(), /kim@example.com/);
				assert.match(await page.locator('.app-timeline').innerText(), /담당자 김철수 추가/);
				await check(page, `company-page-${size}`);
				await page.goto(server.base + '/companies/new');
				await check(page, `company-form-${size}`);
				// the error state: the same BRN again, and a similar name
				await page.locator('#name').fill('주식회사 한빛 정밀');
				await page.locator('#brn').fill('1208147521');
				await submit(page, '등록');
				assert.match(await page.locator('#duplicate').innerText(), /이미 등록된 사업자등록번호/);
				await check(page, `company-form-errors-${size}`);
				await page.locator('#brn').fill('214-81-00006');
				await submit(page, '등록');
				assert.match(await page.locator('#similar').innerText(), /한빛정밀\(주\)/);
				await check(page, `company-form-similar-${size}`);
				await page.goto(server.base + companyPath + '/edit');
				await check(page, `company-edit-${size}`);
			} finally {
				await context.close();
			}
		});
	}

	it('a stale edit answers 409 with both values (desktop and phone)', async () => {
		for (const [size, viewport] of lib.SIZES) {
			const a = await lib.newPage(browser, viewport);
			const b = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(a.page, server.base, 'staff', server.password);
				await lib.signIn(b.page, server.base, 'leader', server.password);
				await a.page.goto(server.base + companyPath + '/edit');
				await b.page.goto(server.base + companyPath + '/edit');
				await b.page.locator('#employees').fill(size === 'desktop' ? '150' : '160');
				await submit(b.page, '저장');
				await a.page.locator('#employees').fill('999');
				const [resp] = await Promise.all([
					a.page.waitForNavigation(),
					a.page.getByRole('button', { name: '저장', exact: true }).click(),
				]);
				assert.equal(resp.status(), 409);
				assert.match(await a.page.locator('#conflict').innerText(), /다른 사용자가 먼저 고쳤습니다/);
				assert.equal(await a.page.locator('#employees').inputValue(), '999');
				await check(a.page, `company-conflict-${size}`);
			} finally {
				await a.context.close();
				await b.context.close();
			}
		}
	});

	for (const [size, viewport] of lib.SIZES) {
		it(`admin departments and holidays (${size})`, async () => {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, 'admin', server.password);
				await page.goto(server.base + '/admin/departments');
				if (size === 'desktop') {
					await page.locator('#name').fill('경기테크노파크');
					await page.locator('#kind').selectOption('agency');
					await submit(page, '추가');
					assert.match(await page.locator('table').innerText(), /경기테크노파크/);
				}
				await check(page, `admin-departments-${size}`);
				await page.goto(server.base + '/admin/holidays?year=2025');
				assert.match(await page.locator('table').innerText(), /2025-01-29/);
				await check(page, `admin-holidays-${size}`);
			} finally {
				await context.close();
			}
		});
	}
});
