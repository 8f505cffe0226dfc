'use strict';
// Notices in the browser: a case is referred to 도시계획과; its user sees the
// unread count in the header, opens the notice list, opens the notice, lands
// on the case, and the count is gone. At 1280 and 390 px (a second referral
// for the phone round), with the notice settings page and the admin's outbox:
// axe-core 0 violations, no page wider than the viewport, nothing blocked by
// the CSP, screenshots in tests/e2e/screenshots/notify/ to look at.
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const lib = require('./lib');

const SHOTS = path.join(lib.SCREENSHOTS, 'notify');

describe('notices', () => {
	let server;
	let browser;
	let leader;
	const ids = {};

	async function referredCase(title) {
		let r = await lib.api(server, leader, 'POST', '/cases', { company_id: ids.company, channel: 'visit', category_id: ids.permit, title });
		assert.equal(r.status, 200, JSON.stringify(r.json));
		const id = r.json.id;
		const page = (await lib.api(server, leader, 'GET', `/cases/${id}`)).json;
		const dept = page.departments.find((d) => d.label === '도시계획과');
		r = await lib.api(server, leader, 'POST', `/cases/${id}/referrals`, { lead: dept.value, version: page.case.version });
		assert.equal(r.status, 200, JSON.stringify(r.json));
		return id;
	}

	lib.serverAndBrowser({}, (s, b) => { server = s; browser = b; });
	before(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		leader = lib.token(server.db, 'leader');
		ids.company = await lib.newCompany(server, leader, { name: '한빛정밀', brn: '120-81-47521', address: '경기도 예시시 산단로 12' });
		const cats = (await lib.api(server, leader, 'GET', '/cases/new')).json.options.category;
		ids.permit = cats.find((c) => c.label === '인허가·규제').value;
		ids.first = await referredCase('공장 증축 허가 협의 지연');
		const c = await lib.api(server, leader, 'POST', `/companies/${ids.company}/contacts`, { contact_name: '김담당', contact_phone: '010-1234-5678', contact_email: 'kim@hanbit.example.kr' });
		assert.equal(c.status, 200, JSON.stringify(c.json));
		const show = (await lib.api(server, leader, 'GET', `/companies/${ids.company}`)).json;
		ids.contact = show.contacts[0].id;
	});

	async function judge(page, label, viewport, shot) {
		await lib.fontsReady(page);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 0, `${label}: page is ${overflow}px wider than the viewport`);
		const problems = page.problems.filter((x) => !/favicon|Failed to load resource/.test(x));
		assert.deepEqual(problems, [], `${label}: every resource loads, nothing blocked by the CSP`);
		await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true });
		await lib.assertAxeClean(page, label);
		page.problems.length = 0; // (axe's own probing is not the next page's problem)
	}

	for (const [name, viewport] of [['1280', lib.DESKTOP], ['390', lib.PHONE]]) {
		it(`the company page records a contact's consent (${name} px)`, async () => {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, 'staff', server.password);
				page.problems.length = 0;
				await page.goto(server.base + `/companies/${ids.company}`);
				const box = page.locator(`#consent-email-${ids.contact}`);
				if (!(await box.isChecked())) {
					await page.locator(`label[for=consent-email-${ids.contact}]`).click();
					assert.equal(await box.isChecked(), true);
					await Promise.all([page.waitForNavigation(), page.locator(`form:has(#consent-email-${ids.contact}) button`).click()]);
				}
				assert.equal(await page.locator(`#consent-email-${ids.contact}`).isChecked(), true);
				assert.match(await page.locator('#contacts').textContent(), /이메일/);
				await judge(page, `company with consent (${name})`, viewport, `company-${name}.png`);
			} finally {
				await context.close();
			}
		});

		it(`the department user follows the notice to the case (${name} px)`, async () => {
			const caseId = name === '1280' ? ids.first : await referredCase('폐수 배출시설 허가 문의');
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, 'department', server.password);
				page.problems.length = 0;
				// the count in the header
				const count = page.locator('#app-notice-count');
				await assert.doesNotReject(count.waitFor({ state: 'visible' }));
				assert.equal((await count.textContent()).trim(), '1');
				await judge(page, `home with a notice (${name})`, viewport, `home-count-${name}.png`);
				// the list
				await Promise.all([page.waitForNavigation(), page.locator('#app-notice-link').click()]);
				assert.equal(new URL(page.url()).pathname, '/notifications');
				const item = page.locator('.app-notice.is-unread');
				assert.equal(await item.count(), 1);
				assert.match(await item.textContent(), /도시계획과\(으\)로 사건이 이관되었습니다/);
				await judge(page, `notices (${name})`, viewport, `list-${name}.png`);
				// open it: the case, and the count is gone
				await Promise.all([page.waitForNavigation(), item.locator('a').click()]);
				assert.equal(new URL(page.url()).pathname, `/cases/${caseId}`);
				assert.equal(await page.locator('#app-notice-count').count(), 0);
				await page.screenshot({ path: path.join(SHOTS, `case-after-${name}.png`) });
				// the list again: read
				await page.goto(server.base + '/notifications');
				assert.equal(await page.locator('.app-notice.is-unread').count(), 0);
				assert.match(await page.locator('#notices-unread').textContent(), /읽지 않은 알림 0건/);
				// the settings page
				await page.goto(server.base + '/notifications/settings');
				await judge(page, `notice settings (${name})`, viewport, `settings-${name}.png`);
				// a bad address: the error is on the field
				await page.getByLabel('받을 이메일 주소').fill('이메일아님');
				await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '저장' }).click()]);
				assert.match(await page.locator('#email-error').textContent(), /이메일 주소를/);
				await judge(page, `notice settings with an error (${name})`, viewport, `settings-error-${name}.png`);
			} finally {
				await context.close();
			}
		});

		it(`the admin's outbox and message templates (${name} px)`, async () => {
			const { context, page } = await lib.newPage(browser, viewport);
			try {
				await lib.signIn(page, server.base, 'admin', server.password);
				page.problems.length = 0;
				await page.goto(server.base + '/admin/outbox');
				assert.match(await page.locator('#delivery-off').textContent(), /발송이 꺼져 있습니다/);
				await judge(page, `outbox (${name})`, viewport, `outbox-${name}.png`);
				await page.goto(server.base + '/admin/templates');
				assert.match(await page.locator('#tpl-case_result-preview').textContent(), /미리 보기/);
				await judge(page, `templates (${name})`, viewport, `templates-${name}.png`);
				// a broken template: refused with the reason on the field
				await page.locator('#case_result-body').fill('{{#answers}}닫지 않음');
				await Promise.all([page.waitForNavigation(), page.locator('#tpl-case_result-title ~ form button[value=preview]').click()]);
				assert.match(await page.locator('#case_result-body-error').textContent(), /템플릿 문법 오류/);
				await judge(page, `templates with an error (${name})`, viewport, `templates-error-${name}.png`);
			} finally {
				await context.close();
			}
		});
	}
});
