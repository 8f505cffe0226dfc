'use strict';
// SOS cases in the browser: the case list, a case page (as the leader, with
// every action form, and as the department user it was referred to) and the
// new-case form with its repeat-grievance panel, at 1280 and 390 px: axe-core
// 0 violations, no page-wide horizontal scrolling, nothing blocked by the CSP,
// and a screenshot of each in tests/e2e/screenshots/ to look at. Then a case
// is filed through the form and a completion without notice is refused.
// Then the second round: the edit page (and its 422 and 409 states), a case
// page after an edit, a transferred case with its answer form, and the
// department user's case page with the company's BRN and address, no link.
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const lib = require('./lib');

const SHOTS = path.join(lib.SCREENSHOTS, 'cases');

describe('SOS cases', () => {
	let server;
	let browser;
	const ids = {};

	lib.serverAndBrowser({}, (s, b) => { server = s; browser = b; });
	before(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		const leader = lib.token(server.db, 'leader');
		let r;
		ids.company = await lib.newCompany(server, leader, { name: '한빛정밀', brn: '120-81-47521', representative: '김대표', address: '경기도 예시시 산단로 12, 3층' });
		const cats = (await lib.api(server, leader, 'GET', '/cases/new')).json.options.category;
		ids.fund = cats.find((c) => c.label === '자금').value;
		ids.permit = cats.find((c) => c.label === '인허가·규제').value;
		const make = async (form) => {
			const res = await lib.api(server, leader, 'POST', '/cases', { company_id: ids.company, channel: 'visit', ...form });
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
		const page = (await lib.api(server, leader, 'GET', `/cases/${ids.case}`)).json;
		const dept = page.departments.find((d) => d.label === '도시계획과');
		const other = page.departments.find((d) => d.label !== '도시계획과');
		const owner = page.owner_groups.find((g) => g.department === '도시계획과').options[0].value;
		let v = page.case.version;
		r = await lib.api(server, leader, 'POST', `/cases/${ids.case}/referrals`, { lead: dept.value, lead_owner: owner, coop: other ? other.value : '', version: v });
		assert.equal(r.status, 200, JSON.stringify(r.json));
		v = r.json.case.version;
		r = await lib.api(server, leader, 'POST', `/cases/${ids.case}/notes`, { body: '대표와 통화: 다음 주 방문 예정', version: v });
		v = r.json.case.version;
		// the referral moved it from 접수 to 처리중
		assert.equal(r.json.case.status, 'in_progress', JSON.stringify(r.json.case));
		// a case to edit, and one transferred to the province, its answer still to come
		ids.edit = await make({
			category_id: ids.fund, title: '수출 대금 회수 지연', received_on: '2025-06-02',
			description: '해외 거래처의 대금 지급이 석 달째 늦어지고 있습니다.', request: '무역보험 안내',
		});
		ids.transfer = await make({ category_id: ids.permit, title: '공장 용도지역 변경 건의', received_on: '2025-05-12' });
		v = (await lib.api(server, leader, 'GET', `/cases/${ids.transfer}`)).json.case.version;
		r = await lib.api(server, leader, 'POST', `/cases/${ids.transfer}/status`, { to: 'transferred', transfer_to: '도청 투자유치과', transfer_on: '2025-05-20', version: v });
		assert.equal(r.status, 200, JSON.stringify(r.json));
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

	for (const [w, viewport] of [['1280', lib.DESKTOP], ['390', lib.PHONE]]) {
		it(`edit page at ${w} px`, async () => {
			await check('leader', `/cases/${ids.edit}/edit`, `/cases/{id}/edit at ${w}`, viewport, `case-edit-${w}.png`);
		});
		it(`case list as the department user ("내 담당" first) at ${w} px`, async () => {
			await check('department', '/cases', `/cases department at ${w}`, viewport, `cases-list-department-${w}.png`);
		});
		it(`transferred case with its answer form at ${w} px`, async () => {
			await check('staff', `/cases/${ids.transfer}`, `/cases/{id} transferred at ${w}`, viewport, `case-show-transferred-${w}.png`);
		});
	}

	it('the department user sees the company (name, BRN, address) without a link', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'department', server.password);
			await page.goto(`${server.base}/cases/${ids.case}`);
			const company = await page.locator('.app-dl div', { hasText: '기업' }).first().innerText();
			assert.match(company, /한빛정밀/);
			assert.match(company, /120-81-47521/);
			assert.match(company, /경기도 예시시 산단로 12, 3층/);
			assert.equal(await page.locator('a[href^="/companies/"]').count(), 0);
			assert.equal(await page.locator('a[href$="/edit"]').count(), 0, 'no edit link');
			assert.match(await page.locator('.app-referrals').innerText(), /내 담당/);
		} finally {
			await context.close();
		}
	});

	it('edits a case through the form: 422, then saved, history and the new due date', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'leader', server.password);
			await page.goto(`${server.base}/cases/${ids.edit}`);
			await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '내용 수정' }).click()]);
			assert.match(await page.locator('#due-rule').innerText(), /분야나 접수일을 바꾸면/);
			// an empty title is refused with the reason next to the field
			await page.getByRole('textbox', { name: '제목' }).fill('');
			let [res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '저장' }).click()]);
			assert.equal(res.status(), 422);
			assert.match(await page.locator('#title-error').innerText(), /제목을 1~200자로/);
			await lib.fontsReady(page);
			await page.screenshot({ path: path.join(SHOTS, 'case-edit-422-390.png'), fullPage: true });
			await lib.assertAxeClean(page, 'edit page with errors');
			// saved: a new category recomputes the due date (14 working days)
			await page.getByRole('textbox', { name: '제목' }).fill('수출 대금 회수 지연 (인허가 동반)');
			await page.locator('#category_id').selectOption({ label: '인허가·규제 (14근무일)' });
			await page.locator('#channel').selectOption({ label: '전화' });
			[res] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '저장' }).click()]);
			assert.equal(res.status(), 200);
			assert.match(new URL(page.url()).pathname, new RegExp(`^/cases/${ids.edit}$`));
			assert.match(await page.locator('.app-flash').innerText(), /사건 내용을 고쳤습니다/);
			assert.match(await page.locator('h1').innerText(), /인허가 동반/);
			const history = await page.locator('.app-timeline').innerText();
			assert.match(history, /내용 수정 · 애로 분야: 자금 → 인허가·규제/);
			assert.match(history, /내용 수정 · 접수 경로: 현장방문 → 전화/);
			assert.match(history, /내용 수정 · 처리 기한: 2025-06-\d\d → 2025-06-\d\d \(인허가·규제 처리 기간 14근무일로 다시 계산\)/);
		} finally {
			await context.close();
		}
		for (const [w, viewport] of [['1280', lib.DESKTOP], ['390', lib.PHONE]]) {
			await check('leader', `/cases/${ids.edit}`, `/cases/{id} after an edit at ${w}`, viewport, `case-show-edited-${w}.png`);
		}
	});

	it('a stale edit is refused with 409: current values in the form, what was typed beside them', async () => {
		const a = await lib.newPage(browser, lib.DESKTOP);
		const b = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(a.page, server.base, 'leader', server.password);
			await lib.signIn(b.page, server.base, 'staff', server.password);
			await a.page.goto(`${server.base}/cases/${ids.edit}/edit`);
			await b.page.goto(`${server.base}/cases/${ids.edit}/edit`);
			await b.page.getByRole('textbox', { name: '기업 요청 사항' }).fill('무역보험 안내와 수출 바우처');
			await Promise.all([b.page.waitForNavigation(), b.page.getByRole('button', { name: '저장' }).click()]);
			await a.page.getByRole('textbox', { name: '제목' }).fill('늦게 고친 제목');
			const [res] = await Promise.all([a.page.waitForNavigation(), a.page.getByRole('button', { name: '저장' }).click()]);
			assert.equal(res.status(), 409);
			assert.match(await a.page.locator('#conflict').innerText(), /다른 사용자가 먼저/);
			const table = await a.page.locator('.app-conflict table').innerText();
			assert.match(table, /늦게 고친 제목/);
			assert.match(table, /무역보험 안내와 수출 바우처/);
			assert.equal(await a.page.getByRole('textbox', { name: '기업 요청 사항' }).inputValue(), '무역보험 안내와 수출 바우처');
			await lib.fontsReady(a.page);
			await a.page.screenshot({ path: path.join(SHOTS, 'case-edit-409-1280.png'), fullPage: true });
			await lib.assertAxeClean(a.page, 'edit page after a conflict');
		} finally {
			await a.context.close();
			await b.context.close();
		}
	});

	it('records the answer of the agency a case was transferred to', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'staff', server.password);
			await page.goto(`${server.base}/cases/${ids.transfer}`);
			await page.getByLabel('회신일').fill('2025-06-03');
			await page.getByRole('textbox', { name: '회신 내용' }).fill('도시관리계획 정비 때 반영을 검토하겠다는 회신');
			await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '회신 기록' }).click()]);
			assert.match(await page.locator('.app-flash').innerText(), /회신을 기록했습니다/);
			const info = await page.locator('.app-dl').innerText();
			assert.match(info, /2025-06-03 회신/);
			assert.match(info, /도시관리계획 정비 때 반영을 검토/);
			assert.match(await page.locator('.app-timeline').innerText(), /이송 기관 회신/);
			await lib.assertAxeClean(page, 'transferred case with its answer');
		} finally {
			await context.close();
		}
	});

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
			// the next step is open in 처리; completion waits behind 다른 작업 (issue 14)
			const other = page.locator('#other-actions');
			if (!(await other.evaluate((d) => d.open))) await other.locator('summary').first().click();
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
