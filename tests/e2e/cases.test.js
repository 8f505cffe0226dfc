'use strict';
// SOS cases in the browser: the case list, a case page (as the leader, with
// every action form, and as the department user it was referred to) and the
// new-case form with its repeat-grievance panel, at 1280 and 390 px: axe-core
// 0 violations, no page-wide horizontal scrolling, nothing blocked by the CSP,
// and a screenshot of each in tests/e2e/screenshots/ to look at. Then a case
// is filed through the form and a completion without notice is refused.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const lib = require('./lib');

const SHOTS = path.join(lib.SCREENSHOTS, 'cases');

function token(db, login) {
	const r = spawnSync(lib.BIN, ['token', 'create', '--db', db, '--login', login, '--label', 'e2e'], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(r.stderr);
	const m = r.stdout.match(/bz_[0-9a-f]{64}/);
	if (!m) throw new Error(`no token in: ${r.stdout}`);
	return m[0];
}

async function api(server, tok, method, p, form) {
	const res = await fetch(server.base + '/api/v1' + p, {
		method,
		headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: form ? new URLSearchParams(form).toString() : undefined,
	});
	const json = await res.json();
	return { status: res.status, json };
}

describe('SOS cases', () => {
	let server;
	let browser;
	const ids = {};

	before(async () => {
		server = await lib.startServer();
		browser = await lib.launchBrowser();
		fs.mkdirSync(SHOTS, { recursive: true });
		const leader = token(server.db, 'leader');
		let r = await api(server, leader, 'POST', '/companies', { name: '한빛정밀', brn: '120-81-47521', representative: '김대표' });
		assert.equal(r.status, 200, JSON.stringify(r.json));
		ids.company = r.json.id;
		const cats = (await api(server, leader, 'GET', '/cases/new')).json.options.category;
		ids.fund = cats.find((c) => c.label === '자금').value;
		ids.permit = cats.find((c) => c.label === '인허가·규제').value;
		const make = async (form) => {
			const res = await api(server, leader, 'POST', '/cases', { company_id: ids.company, channel: 'visit', ...form });
			assert.equal(res.status, 200, JSON.stringify(res.json));
			return res.json.id;
		};
		ids.case = await make({
			category_id: ids.fund, title: '운전자금 긴급 지원 요청', triage: 'complex', flag: 'red',
			description: '원자재 가격 상승으로 3개월 운영 자금이 부족합니다.\n수출 대금 회수가 늦어지고 있습니다.',
			request: '정책자금 추천과 이자 지원 안내',
		});
		await make({ category_id: ids.fund, title: '시설자금 대출 문의', received_on: '2024-03-04' });
		await make({ category_id: ids.permit, title: '공장설립허가 지연', flag: 'yellow' });
		const page = (await api(server, leader, 'GET', `/cases/${ids.case}`)).json;
		const dept = page.departments.find((d) => d.label === '도시계획과');
		const other = page.departments.find((d) => d.label !== '도시계획과');
		let v = page.case.version;
		r = await api(server, leader, 'POST', `/cases/${ids.case}/referrals`, { lead: dept.value, coop: other ? other.value : '', version: v });
		assert.equal(r.status, 200, JSON.stringify(r.json));
		v = r.json.case.version;
		r = await api(server, leader, 'POST', `/cases/${ids.case}/notes`, { body: '대표와 통화: 다음 주 방문 예정', version: v });
		v = r.json.case.version;
		r = await api(server, leader, 'POST', `/cases/${ids.case}/status`, { to: 'reviewing', version: v });
		assert.equal(r.status, 200, JSON.stringify(r.json));
	});
	after(async () => {
		if (browser) await browser.close();
		if (server) await server.stop();
	});

	async function check(login, url, label, viewport, shot) {
		const { context, page } = await lib.newPage(browser, viewport);
		try {
			await lib.signIn(page, server.base, login, server.password);
			page.problems.length = 0; // judge this page only, not the sign-in on the way
			page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`at ${m.location().url}`); });
			const res = await page.goto(server.base + url);
			assert.equal(res.status(), 200, `${url} answered ${res.status()}`);
			await lib.fontsReady(page);
			assert.equal(await page.locator('h1').count(), 1);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			assert.ok(overflow <= 0, `${label}: page is ${overflow}px wider than the viewport`);
			// (the favicon fetch of the page before may be cut off by the navigation)
			const problems = page.problems.filter((x) => !/favicon|Failed to load resource/.test(x));
			assert.deepEqual(problems, [], 'every resource loads, nothing blocked by the CSP');
			await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true });
			// the same in readable slices, to look at without shrinking
			const height = await page.evaluate(() => document.documentElement.scrollHeight);
			const step = viewport.width < 800 ? 1100 : 1400;
			for (let y = 0, n = 1; y < height && n <= 6; y += step, n++) {
				await page.screenshot({
					path: path.join(SHOTS, shot.replace('.png', `-part${n}.png`)),
					fullPage: true, clip: { x: 0, y, width: viewport.width, height: Math.min(step, height - y) },
				});
			}
			await lib.assertAxeClean(page, label);
			return page;
		} finally {
			await context.close();
		}
	}

	for (const [w, viewport] of [['1280', lib.DESKTOP], ['390', lib.PHONE]]) {
		it(`case list at ${w} px`, async () => {
			await check('staff', '/cases', `/cases at ${w}`, viewport, `cases-list-${w}.png`);
		});
		it(`case list filtered (full-text 자금, open) at ${w} px`, async () => {
			await check('staff', '/cases?q=%EC%9E%90%EA%B8%88&status=open', `/cases?q= at ${w}`, viewport, `cases-search-${w}.png`);
		});
		it(`case page as the leader at ${w} px`, async () => {
			await check('leader', `/cases/${ids.case}`, `/cases/{id} leader at ${w}`, viewport, `case-show-leader-${w}.png`);
		});
		it(`case page as the department user at ${w} px`, async () => {
			await check('department', `/cases/${ids.case}`, `/cases/{id} department at ${w}`, viewport, `case-show-department-${w}.png`);
		});
		it(`new-case form with the repeat panel at ${w} px`, async () => {
			await check('staff', `/cases/new?company_id=${ids.company}&category_id=${ids.fund}`, `/cases/new at ${w}`, viewport, `case-new-${w}.png`);
		});
		it(`overdue list at ${w} px`, async () => {
			await check('leader', '/cases/overdue', `/cases/overdue at ${w}`, viewport, `cases-overdue-${w}.png`);
		});
	}

	it('admin category page is axe-clean', async () => {
		await check('admin', '/admin/categories', '/admin/categories', lib.DESKTOP, 'admin-categories-1280.png');
	});

	it('files a case through the form and shows it', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			await page.goto(`${server.base}/cases/new?company_q=${encodeURIComponent('한빛')}`);
			await page.getByLabel(/한빛정밀/).check({ force: true }); // KRDS draws the radio on the label
			await page.locator('#step-category').selectOption({ label: '자금' });
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '기업 찾기' }).click()]);
			assert.match(await page.locator('#repeat-title').innerText(), /반복 애로/);
			await page.locator('#channel').selectOption({ label: '전화' });
			await page.getByRole('textbox', { name: '제목' }).fill('수출 바우처 신청 방법');
			await page.getByRole('textbox', { name: '애로 내용' }).fill('해외 전시회 참가 비용 지원을 묻습니다.');
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '접수', exact: true }).click()]);
			assert.match(new URL(page.url()).pathname, /^\/cases\/\d+$/);
			assert.match(await page.locator('h1').innerText(), /수출 바우처 신청 방법/);
			assert.match(await page.locator('.app-flash').innerText(), /접수했습니다/);
			await lib.assertAxeClean(page, 'case page after filing');
		} finally {
			await context.close();
		}
	});

	it('refuses completion without a notice, with field errors, axe-clean', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'leader', server.password);
			await page.goto(`${server.base}/cases/${ids.case}`);
			await page.getByText('완료 처리 (팀장)').click();
			await page.getByRole('radio', { name: '즉시처리' }).check({ force: true });
			await page.getByRole('radio', { name: '불수용' }).check({ force: true });
			const [res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '완료', exact: true }).click()]);
			assert.equal(res.status(), 422);
			assert.match(await page.locator('#outcome_reason-error').innerText(), /사유/);
			assert.match(await page.locator('#done-notified_method-error').innerText(), /알린 방법/);
			assert.ok(await page.getByRole('radio', { name: '불수용' }).isChecked(), 'the choice is kept');
			await lib.fontsReady(page);
			await page.screenshot({ path: path.join(SHOTS, 'case-complete-422-1280.png'), fullPage: true });
			await lib.assertAxeClean(page, 'case page with completion errors');
		} finally {
			await context.close();
		}
	});
});
