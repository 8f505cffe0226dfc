'use strict';
// Field work in the browser: the phone form at 390 px logs a communication-day
// visit with two grievances; a submit whose network fails (blocked, then lost
// after the server answered) loses nothing and creates nothing twice; the
// localStorage draft is offered after the failure. The visit's photo upload,
// the form without JavaScript, and axe + screenshots (1280 and 390 px) of the
// phone form, the activity list, an activity page and the calendar.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib');

// A 1×1 grey baseline JPEG (the same bytes as tests/http/test_field.c).
const TINY_JPEG = Buffer.from('/9j/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AP//Z', 'base64');

/** A valid 사업자등록번호 from nine digits (check digit by the NTS rule). */
function brn(nine) {
	const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
	let s = 0;
	for (let i = 0; i < 9; i++) s += Number(nine[i]) * w[i];
	s += Math.floor((Number(nine[8]) * 5) / 10);
	return nine + String((10 - (s % 10)) % 10);
}

async function shot(page, name) {
	fs.mkdirSync(lib.SCREENSHOTS, { recursive: true });
	await lib.fontsReady(page);
	await page.screenshot({ path: path.join(lib.SCREENSHOTS, name), fullPage: true });
}

/** axe and a screenshot at 1280 and 390 px; no horizontal overflow on the phone. */
async function checkBothWidths(page, label, file) {
	await lib.fontsReady(page);
	// a failed sub-resource is also reported as "HTTP <status> <url>" (kept); the bare
	// console line for a 4xx (the browser's own /favicon.ico probe, the 422 page) is not
	const problems = page.problems.filter((p) => !/^console: Failed to load resource: the server responded with a status of 4\d\d|favicon/.test(p));
	assert.deepEqual(problems, [], `${label}: every resource loads, nothing blocked by the CSP`);
	await page.setViewportSize(lib.DESKTOP);
	await lib.assertAxeClean(page, `${label} at 1280 px`);
	await shot(page, `field-${file}-desktop.png`);
	await page.setViewportSize(lib.PHONE);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	assert.ok(overflow <= 0, `${label} is ${overflow}px wider than a 390px phone`);
	await lib.assertAxeClean(page, `${label} at 390 px`);
	await shot(page, `field-${file}-phone.png`);
	page.problems.length = 0; // axe itself applies inline styles, which the CSP reports
}

async function api(page, url) {
	const r = await page.context().request.get(url, { headers: { Accept: 'application/json' } });
	assert.equal(r.status(), 200, `${url} answers ${r.status()}`);
	return r.json();
}

describe('field work', () => {
	let server;
	let browser;
	lib.serverAndBrowser({}, (s, b) => { server = s; browser = b; });

	it('a draft belongs to its user and is gone after sign-out (issue 15, point 6)', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			await page.goto(server.base + '/visits/new');
			await page.getByLabel('방문 내용').fill('공유 휴대폰에 남으면 안 되는 내용');
			await page.waitForTimeout(600);
			const keys = await page.evaluate(() => Object.keys(window.localStorage));
			assert.deepEqual(keys.filter((k) => k.startsWith('bizsos.visitDraft')), ['bizsos.visitDraft.v2:staff']);
			// another user on the same browser is never offered it
			await lib.signOut(page);
			assert.deepEqual(await page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith('bizsos.visitDraft'))), [], 'sign-out removed the draft');
			await page.evaluate(() => window.localStorage.setItem('bizsos.visitDraft.v2:staff', JSON.stringify({ key: '0123456789abcdef0123456789abcdef', fields: [['summary', 'x']], rows: 1 })));
			await lib.signIn(page, server.base, 'leader', server.password);
			await page.goto(server.base + '/visits/new');
			await page.waitForTimeout(300);
			assert.equal(await page.getByRole('button', { name: '임시 저장본 불러오기' }).isVisible(), false, "staff's draft is not offered to the leader");
		} finally {
			await context.close();
		}
	});

	it('phone form: two grievances, network lost twice, still one visit and two cases', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			page.problems.length = 0; // judge the form, not the sign-in on the way
			await page.goto(server.base + '/visits/new');
			await checkBothWidths(page, '/visits/new', 'visit-form');
			await page.setViewportSize(lib.PHONE);
			const key = await page.locator('input[name="idempotency_key"]').inputValue();
			assert.match(key, /^[0-9a-f]{32}$/);

			await page.locator('summary', { hasText: '목록에 없는 기업 새로 등록하기' }).click();
			await page.getByLabel('기업 이름').fill('한빛정밀(주)');
			await page.getByLabel('사업자등록번호').fill(brn('314810000'));
			await page.getByLabel('장소 (선택)').fill('본사 공장');
			await page.getByLabel('방문 내용').fill('도장 라인 증설 현장 확인. 진입로 협소.');
			await page.locator('#g1_title').fill('공장 진입로 확장 요청');
			await page.locator('#g1_category').selectOption({ label: '기반시설' });
			await page.locator('#g1_description').fill('대형 화물차 진입이 어렵습니다.');
			await page.getByRole('button', { name: '애로사항 하나 더 적기' }).click();
			await page.locator('#g2_title').fill('생산직 인력 채용 지원');
			await page.locator('#g2_category').selectOption({ label: '인력' });
			assert.equal(await page.locator('#visit-rows').inputValue(), '2');
			await page.waitForTimeout(500); // the draft is written 300 ms after typing

			// 1. the network is gone: the POST never reaches the server
			await page.route('**/visits/new', (route) =>
				route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue());
			await page.getByRole('button', { name: '방문 기록 저장' }).click().catch(() => {});
			await page.waitForTimeout(800);
			await page.unroute('**/visits/new');
			let list = await api(page, server.base + '/api/v1/activities');
			assert.equal(list.total, 0, 'nothing saved while offline');

			// the draft is offered again on a fresh form
			await page.goto(server.base + '/visits/new');
			const restore = page.getByRole('button', { name: '임시 저장본 불러오기' });
			await restore.waitFor({ state: 'visible' });
			await lib.assertAxeClean(page, '/visits/new with the draft offered at 390 px');
			await shot(page, 'field-visit-draft-phone.png');
			await restore.click();
			assert.equal(await page.locator('input[name="idempotency_key"]').inputValue(), key, 'the key comes back');
			assert.equal(await page.locator('#g2_title').inputValue(), '생산직 인력 채용 지원');
			assert.equal(await page.getByLabel('기업 이름').inputValue(), '한빛정밀(주)');

			// 2. the server gets it, the answer is lost (a timeout in the yard)
			await page.route('**/visits/new', async (route) => {
				if (route.request().method() !== 'POST') return route.continue();
				await route.fetch({ maxRedirects: 0 });
				return route.abort('timedout');
			});
			await page.getByRole('button', { name: '방문 기록 저장' }).click().catch(() => {});
			await page.waitForTimeout(1000);
			await page.unroute('**/visits/new');
			list = await api(page, server.base + '/api/v1/activities');
			assert.equal(list.total, 1, 'the server saved it once');

			// 3. network back: offered again, resent with the same key: the same visit
			await page.goto(server.base + '/visits/new');
			await page.getByRole('button', { name: '임시 저장본 불러오기' }).click();
			await Promise.all([
				page.waitForURL(/\/activities\/\d+(\?new_from=0)?$/),
				page.getByRole('button', { name: '방문 기록 저장' }).click(),
			]);
			assert.match(await page.locator('main').innerText(), /이미 저장된 방문 기록입니다/);
			list = await api(page, server.base + '/api/v1/activities');
			assert.equal(list.total, 1, 'still exactly one visit');
			const id = list.activities[0].id;
			assert.equal(new URL(page.url()).pathname, `/activities/${id}`);
			const act = await api(page, `${server.base}/api/v1/activities/${id}`);
			assert.equal(act.cases.length, 2, 'two linked cases');
			assert.deepEqual(act.cases.map((c) => c.title).sort(), ['공장 진입로 확장 요청', '생산직 인력 채용 지원'].sort());
			const cases = await page.context().request.get(server.base + '/api/v1/cases', { headers: { Accept: 'application/json' } });
			if (cases.status() === 200) {
				const cj = await cases.json();
				if (typeof cj.total === 'number') assert.equal(cj.total, 2, 'exactly two cases in the case list');
			}
			assert.equal(await page.evaluate(() => window.localStorage.getItem('bizsos.visitDraft.v2:staff')), null, 'draft cleared after success');

			// a photo with its caption on the visit's page
			await page.getByLabel('사진 파일').setInputFiles({ name: 'yard.jpg', mimeType: 'image/jpeg', buffer: TINY_JPEG });
			await page.getByLabel('사진 설명').fill('공장 진입로');
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '사진 올리기' }).click()]);
			const img = page.locator('.app-photo img').first();
			await img.waitFor();
			assert.equal(await img.evaluate((el) => el.complete && el.naturalWidth), 1, 'the JPEG is shown');
			assert.match(await page.locator('.app-photo figcaption').first().innerText(), /공장 진입로/);

			// a renamed executable is refused with a clear message
			await page.getByLabel('사진 파일').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('MZ\x90\x00 this is not an image') });
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '사진 올리기' }).click()]);
			assert.match(await page.locator('#photo-error').innerText(), /JPEG, PNG, WebP 이미지 파일만/);

			page.problems.length = 0;
			await page.goto(`${server.base}/activities/${id}`);
			await checkBothWidths(page, `/activities/${id}`, 'activity');
			await page.goto(server.base + '/activities');
			await checkBothWidths(page, '/activities', 'activity-list');
			await page.goto(server.base + '/activities/calendar');
			await checkBothWidths(page, '/activities/calendar', 'calendar');
			for (const p of ['/admin/activity-types', '/activities/stats', '/activities/anniversaries', '/activities/new', '/grants', '/grants/new', '/comm', '/comm/new']) {
				page.problems.length = 0;
				await page.goto(server.base + p);
				if (p.startsWith('/admin')) continue; // staff: 403 page (the admin's own test is below)
				await lib.fontsReady(page);
				assert.deepEqual(page.problems.filter((x) => !/^console: Failed to load resource: the server responded with a status of 4\d\d|favicon/.test(x)), [],
					`${p}: every resource loads, nothing blocked by the CSP`);
				await page.setViewportSize(lib.DESKTOP);
				await lib.assertAxeClean(page, `${p} at 1280 px`);
				await page.setViewportSize(lib.PHONE);
				await lib.assertAxeClean(page, `${p} at 390 px`);
			}
		} finally {
			await context.close();
		}
	});

	it('the phone form without JavaScript: another grievance row keeps what was typed', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE, { javaScriptEnabled: false });
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			await page.goto(server.base + '/visits/new');
			await page.getByLabel('방문 내용').fill('자바스크립트 없이');
			await page.locator('#g1_title').fill('첫 애로');
			// (a mouse click waits for animation frames, which a page without JS never
			// schedules here; the keyboard presses the same submit button)
			await page.getByRole('button', { name: '애로사항 하나 더 적기' }).focus();
			await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
			assert.equal(await page.locator('#g1_title').inputValue(), '첫 애로');
			assert.equal(await page.getByLabel('방문 내용').inputValue(), '자바스크립트 없이');
			assert.equal(await page.locator('#g2_title').count(), 1);
		} finally {
			await context.close();
		}
	});
});
