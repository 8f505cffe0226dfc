'use strict';
// The companies' own door (issue 10) in the browser, as a company on a phone
// (390 px): /request with consent and one attachment -> the receipt ->
// /request/status shows 접수; the team adds an internal note and a shared
// answer and completes the case (through the API) -> the status page shows
// the shared answer and the outcome and not the internal note (checked in the
// DOM). Then the survey link: answered once, then "already answered". Every
// public page (form, form with errors, receipt, lookup, not found, status,
// survey, thanks, answered, refusal) at 1280 and 390 px: axe 0 violations,
// nothing wider than the phone, no script needed, and a screenshot in
// tests/e2e/screenshots/door/ to look at; the receipt also as print media.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const lib = require('./lib');

const SHOTS = path.join(lib.SCREENSHOTS, 'door');
const BRN = '220-81-62517';
// The form refuses what comes back faster than a person fills it (3 s by default).
const FILL_MS = 3300;

describe('the companies\' door', () => {
	let server;
	let browser;
	let leader;
	const state = {};

	before(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		server = await lib.startServer();
		browser = await lib.launchBrowser();
		leader = lib.token(server.db, 'leader');
	});
	after(async () => {
		if (browser) await browser.close();
		if (server) await server.stop();
	});

	// A step that waits for something that never comes fails in 20 s with a message.
	// (Scripts stay enabled only for axe: the public pages load none.)
	async function open(vp) {
		const r = await lib.newPage(browser, vp);
		r.context.setDefaultTimeout(20000);
		return r;
	}

	// Every public page is checked and shot at both widths: at the one the
	// step runs in, then resized to the other and back.
	async function check(page, name, width) {
		await checkAt(page, name, width);
		const other = width === lib.PHONE.width ? lib.DESKTOP : lib.PHONE;
		const was = page.viewportSize();
		await page.setViewportSize(other);
		await checkAt(page, name, other.width);
		await page.setViewportSize(was);
	}

	async function checkAt(page, name, width) {
		const problems = page.problems.filter((p) => !/^console: Failed to load resource: the server responded with a status of 4\d\d/.test(p) &&
			!/net::ERR_ABORTED$/.test(p));
		assert.deepEqual(problems, [], `no failed resources on ${name}`);
		await lib.assertAxeClean(page, name);
		const wide = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(wide <= width, `${name}: page is ${wide}px wide at ${width}px`);
		// no script on a public page (they work without JavaScript), no staff chrome
		assert.equal(await page.locator('script').count(), 0, `${name}: a script`);
		assert.equal(await page.locator('#app-menu, .app-breadcrumb, .app-logout').count(), 0, `${name}: staff chrome`);
		await lib.fontsReady(page);
		const file = path.join(SHOTS, `${name}-${width}.png`);
		await page.screenshot({ path: file, fullPage: true });
		assert.ok(fs.statSync(file).size > 10000, `${file} looks empty`);
		page.problems.length = 0;
	}

	async function submit(page, name) {
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
	}

	async function fillRequest(page) {
		await page.locator('#brn').fill(BRN);
		await page.locator('#company_name').fill('(주)새빛테크');
		await page.locator('#contact_name').fill('홍길동');
		await page.locator('#phone').fill('010-1234-5678');
		await page.locator('#email').fill('hong@example.com');
		await page.locator('#category_id').selectOption({ label: '기반시설' });
		await page.locator('#title').fill('공장 진입로 포장 요청');
		await page.locator('#description').fill('비가 오면 공장 진입로가 물에 잠겨 화물차가 들어오지 못합니다.');
		await page.locator('#request').fill('포장 공사 일정을 알려 주세요.');
	}

	it('files a request on a phone, follows it, and sees only what is shared', async () => {
		const { context, page } = await open(lib.PHONE);
		try {
			await page.goto(server.base + '/request');
			assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '기업애로 온라인 신청');
			await check(page, 'request', 390);

			// without consent: 422, the form keeps what was typed, the error is linked
			await fillRequest(page);
			await page.waitForTimeout(FILL_MS);
			await submit(page, '신청하기');
			assert.match(await page.locator('#form-errors').textContent(), /개인정보 수집·이용에 동의해야/);
			assert.equal(await page.locator('#company_name').inputValue(), '(주)새빛테크');
			await check(page, 'request-errors', 390);

			// with consent and one attachment
			await page.locator('label[for=privacy_consent]').click();
			await page.setInputFiles('#files', { name: '현장사진 설명.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 진입로 사진\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
			await page.waitForTimeout(FILL_MS);
			await submit(page, '신청하기');
			state.receipt = (await page.locator('#receipt-no').textContent()).trim();
			assert.match(state.receipt, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
			assert.match(await page.locator('#receipt').textContent(), /현장사진 설명\.pdf/);
			await check(page, 'receipt', 390);
			await page.emulateMedia({ media: 'print' });
			await page.screenshot({ path: path.join(SHOTS, 'receipt-print.png'), fullPage: true });
			assert.equal(await page.locator('.app-public-tabs').isVisible(), false, 'tabs print');
			assert.equal(await page.locator('#receipt-no').isVisible(), true, 'receipt number prints');
			await page.emulateMedia({ media: 'screen' });

			// the lookup: 접수
			await page.goto(server.base + '/request/status');
			await check(page, 'status-form', 390);
			await page.locator('#receipt').fill(state.receipt.toLowerCase());
			await page.locator('#brn').fill(BRN);
			await submit(page, '조회');
			assert.equal((await page.locator('#status-label').textContent()).trim(), '접수');
			await check(page, 'status-received', 390);

			// a wrong BRN: not found, nothing typed shown back
			await page.goto(server.base + '/request/status');
			await page.locator('#receipt').fill(state.receipt);
			await page.locator('#brn').fill('120-81-47521');
			await submit(page, '조회');
			assert.match(await page.locator('#lookup-error').textContent(), /찾지 못했습니다/);
			assert.equal(await page.locator('#receipt').inputValue(), '');
			await check(page, 'status-not-found', 390);

			// the team: an internal note, a shared answer, completion
			const list = await lib.api(server, leader, 'GET', '/cases?channel=online');
			assert.equal(list.status, 200, list.text);
			const rows = Object.values(list.json).find((v) => Array.isArray(v) && v.length && v[0].case_no);
			assert.ok(rows && rows.length === 1, `one online case: ${list.text.slice(0, 300)}`);
			const row = rows[0];
			assert.equal(row.status, 'received');
			state.caseId = row.id;
			const version = async () => (await lib.api(server, leader, 'GET', `/cases/${row.id}`)).json.case.version;
			let r = await lib.api(server, leader, 'POST', `/cases/${row.id}/notes`, { body: '내부 검토: 도로과 예산 부족 우려, 업체에는 말하지 말 것', version: await version() });
			assert.ok(r.status < 400, r.text);
			r = await lib.api(server, leader, 'POST', `/cases/${row.id}/notes`, { body: '도로과와 협의하여 다음 달 중 진입로를 포장하기로 했습니다.', shared: '1', version: await version() });
			assert.ok(r.status < 400, r.text);
			const today = new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
			r = await lib.api(server, leader, 'POST', `/cases/${row.id}/status`, { to: 'done', disposition: 'immediate', outcome: 'accepted', notified_method: 'email', notified_on: today, version: await version() });
			assert.ok(r.status < 400, r.text);

			await page.goto(server.base + '/request/status');
			await page.locator('#receipt').fill(state.receipt);
			await page.locator('#brn').fill(BRN.replace(/-/g, ''));
			await submit(page, '조회');
			assert.equal((await page.locator('#status-label').textContent()).trim(), '완료');
			assert.match(await page.locator('#answers').textContent(), /다음 달 중 진입로를 포장하기로/);
			assert.match(await page.locator('#outcome').textContent(), /수용/);
			const dom = await page.evaluate(() => document.documentElement.outerHTML);
			assert.ok(!dom.includes('내부 검토'), 'the internal note is in the DOM');
			assert.ok(!dom.includes('이팀장'), 'a staff name is in the DOM');
			await check(page, 'status-done', 390);
		} finally {
			await context.close();
		}
	});

	it('takes one survey answer per link', async () => {
		const r = await fetch(`${server.base}/cases/${state.caseId}/survey`, { method: 'POST', headers: { Authorization: `Bearer ${leader}`, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'email=' });
		const html = await r.text();
		assert.equal(r.status, 200, html);
		const url = html.match(/id="survey-url">([^<]+)</)[1];
		const surveyPath = url.slice(url.indexOf('/survey/'));
		for (const [vp, w] of [[lib.PHONE, 390], [lib.DESKTOP, 1280]]) {
			const { context, page } = await open(vp);
			try {
				await page.goto(server.base + surveyPath);
				if (w === 390) {
					await check(page, 'survey', w);
					await page.getByRole('button', { name: '응답 보내기' }).click();
					await page.waitForLoadState('load');
					assert.match(await page.locator('#speed-error').textContent(), /1~5점/);
					await check(page, 'survey-errors', w);
					await page.locator('label[for=speed-4]').click();
					await page.locator('label[for=kindness-5]').click();
					await page.locator('label[for=resolution-3]').click();
					await page.locator('#comment').fill('빠르게 챙겨 주셔서 고맙습니다.');
					await submit(page, '응답 보내기');
					assert.match(await page.locator('#survey-thanks').textContent(), /감사합니다/);
					await check(page, 'survey-thanks', w);
				} else {
					assert.match(await page.locator('#survey-answered').textContent(), /이미 응답한 조사/);
					assert.equal(await page.getByRole('button', { name: '응답 보내기' }).count(), 0);
					await check(page, 'survey-answered', w);
				}
			} finally {
				await context.close();
			}
		}
		const c = await lib.api(server, leader, 'GET', `/cases/${state.caseId}`);
		assert.equal(c.json.surveys[0].speed, 4);
	});

	it('shows every public page at 1280 px too, and refuses clearly', async () => {
		const { context, page } = await open(lib.DESKTOP);
		try {
			await page.goto(server.base + '/request');
			await check(page, 'request', 1280);
			await fillRequest(page);
			await page.waitForTimeout(FILL_MS); // a person takes longer than the minimum fill time
			await submit(page, '신청하기'); // no consent
			assert.match(await page.locator('#form-errors').textContent(), /동의해야/);
			await check(page, 'request-errors', 1280);
			await page.goto(server.base + '/request/status');
			await check(page, 'status-form', 1280);
			await page.locator('#receipt').fill(state.receipt);
			await page.locator('#brn').fill(BRN);
			await submit(page, '조회');
			await check(page, 'status-done', 1280);
			await page.goto(server.base + '/request/status');
			await page.locator('#receipt').fill('ZZZZ-ZZZZ-ZZZZ');
			await page.locator('#brn').fill(BRN);
			await submit(page, '조회');
			await check(page, 'status-not-found', 1280);
			await page.goto(server.base + '/survey/forged-token');
			assert.match(await page.locator('h1').textContent(), /찾을 수 없는 조사 주소/);
			await check(page, 'survey-not-found', 1280);
		} finally {
			await context.close();
		}
		// the honeypot (a field no person sees) gets a Korean refusal, at 390 px too
		for (const [vp, w] of [[lib.PHONE, 390], [lib.DESKTOP, 1280]]) {
			const { context, page } = await open(vp);
			try {
				await page.goto(server.base + '/request');
				assert.equal(await page.locator('.app-hp').getAttribute('aria-hidden'), 'true');
				await page.locator('#website').fill('http://spam.example', { force: true });
				await fillRequest(page);
				await page.locator('label[for=privacy_consent]').click();
				await page.waitForTimeout(FILL_MS); // refused for the honeypot alone, not for haste
				await submit(page, '신청하기');
				assert.match(await page.locator('h1').textContent(), /신청을 받을 수 없습니다/);
				await check(page, 'refused', w);
			} finally {
				await context.close();
			}
		}
		const list = await lib.api(server, leader, 'GET', '/cases?channel=online');
		const rows = Object.values(list.json).find((v) => Array.isArray(v) && v.length && v[0].case_no);
		assert.equal(rows.length, 1, 'only the one real request became a case');
	});
});
