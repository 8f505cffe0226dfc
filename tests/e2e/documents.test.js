'use strict';
// Official documents (공문서) in the browser: a completed case's 결과 통지문 is
// drafted from the case page, issued, and shown alone on an A4 print page
// (no navigation); its PDF (page.pdf, read back with pdftotext) holds the
// company, the outcome and the date; the case page then shows the company
// notified by letter on that date and the document in its list; the DOCX
// downloads. Also the referral draft and the admins' template page. axe 0
// violations, no horizontal scroll at 390 px, screenshots at 1280 and 390 px.
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');
const lib = require('./lib');

const SHOTS = path.join(lib.SCREENSHOTS, 'documents');

async function noSideways(page, label) {
	const w = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(w <= 390, `${label} is ${w}px wide on a phone`);
}

describe('official documents', () => {
	let server;
	let browser;
	const ids = {};

	lib.serverAndBrowser({}, (s, b) => { server = s; browser = b; });
	before(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		const leader = lib.token(server.db, 'leader');
		let r;
		ids.company = await lib.newCompany(server, leader, { name: '한빛정밀', brn: '120-81-47521', representative: '김대표', address: '경기도 예시시 산단로 12' });
		const cats = (await lib.api(server, leader, 'GET', '/cases/new')).json.options.category;
		const fund = cats.find((c) => c.label === '자금').value;
		r = await lib.api(server, leader, 'POST', '/cases', { company_id: ids.company, channel: 'visit', category_id: fund, title: '운전자금 긴급 지원 요청', received_on: '2024-03-04' });
		assert.equal(r.status, 200, JSON.stringify(r.json));
		ids.done = r.json.id;
		r = await lib.api(server, leader, 'POST', '/cases', { company_id: ids.company, channel: 'phone', category_id: fund, title: '시설자금 대출 문의' });
		ids.open = r.json.id;
		// completed (수용), the company told by phone back then
		let v = (await lib.api(server, leader, 'GET', `/cases/${ids.done}`)).json.case.version;
		r = await lib.api(server, leader, 'POST', `/cases/${ids.done}/notify`, { notified_method: 'phone', notified_on: '2024-03-20', version: v });
		assert.equal(r.status, 200, JSON.stringify(r.json));
		v = r.json.case.version;
		r = await lib.api(server, leader, 'POST', `/cases/${ids.done}/status`, { to: 'done', disposition: 'immediate', outcome: 'accepted', version: v });
		assert.equal(r.status, 200, JSON.stringify(r.json));
	});


	it('issues a 결과 통지문 for a completed case; its A4 PDF has the company, outcome and date; the case shows it as notified', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
			await page.goto(`${server.base}/cases/${ids.done}`);
			await page.getByRole('link', { name: '결과 통지문 작성' }).click();
			await page.waitForURL(/\/documents\/new\?kind=result/);
			await expectText(page, '.doc-sheet', '한빛정밀 대표 김대표 귀하');
			await lib.assertAxeClean(page, 'result letter draft');
			await page.screenshot({ path: path.join(SHOTS, 'draft-1280.png'), fullPage: true });
			await Promise.all([page.waitForURL(/\/documents\/\d+$/), page.getByRole('button', { name: '발행' }).click()]);
			ids.doc = page.url().match(/\/documents\/(\d+)$/)[1];

			// the print page: the sheet alone, no navigation of the app
			assert.equal(await page.locator('#krds-header').count(), 0, 'no app header on the print page');
			assert.equal(await page.locator('nav.krds-side-navigation').count(), 0, 'no side navigation');
			const sheet = await page.locator('.doc-sheet').innerText();
			const today = lib.kstToday();
			const [y, m, d] = today.split('-').map(Number);
			const dateText = `${y}. ${m}. ${d}.`;
			for (const want of ['가상시', '한빛정밀', '수용', dateText, '기업경제과-1', '가상시장', '운전자금 긴급 지원 요청']) {
				assert.ok(sheet.includes(want), `the sheet has ${want}:\n${sheet}`);
			}
			await lib.assertAxeClean(page, 'document print page');
			await lib.fontsReady(page);
			await page.screenshot({ path: path.join(SHOTS, 'print-1280.png'), fullPage: true });
			await page.emulateMedia({ media: 'print' });
			assert.equal(await page.locator('.doc-tools').isVisible(), false, 'the tools are not printed');
			const pdf = path.join(SHOTS, 'result-letter.pdf');
			await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
			const t = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
			assert.equal(t.status, 0, `pdftotext: ${t.stderr}`);
			const text = t.stdout.replace(/\s+/g, ' ');
			for (const want of ['한빛정밀', '처리 결과: 수용', dateText, '기업애로 처리 결과 알림']) {
				assert.ok(text.includes(want), `the PDF has ${want}:\n${t.stdout}`);
			}
			const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' });
			assert.match(info.stdout, /Pages:\s+1\b/, 'one page');
			assert.match(info.stdout, /Page size:.*\(A4\)/, `A4: ${info.stdout}`);
			const png = spawnSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdf, path.join(SHOTS, 'result-letter')]);
			assert.equal(png.status, 0);
			await page.emulateMedia({ media: 'screen' });

			// the DOCX
			const res = await page.request.get(`${server.base}/documents/${ids.doc}/docx`);
			assert.equal(res.status(), 200);
			assert.match(res.headers()['content-type'], /wordprocessingml/);
			const body = await res.body();
			assert.equal(body.subarray(0, 2).toString(), 'PK');

			// the case: notified by letter today, and the document listed
			await page.goto(`${server.base}/cases/${ids.done}`);
			const info2 = await page.locator('#info-title').locator('..').innerText();
			assert.ok(info2.includes(`서면 · ${today}`), `notified by letter today:\n${info2}`);
			const docs = await page.locator('#docs-title').locator('..').innerText();
			assert.ok(docs.includes('결과 통지문 기업경제과-1'), docs);
			const hist = await page.locator('#history-title').locator('..').innerText();
			assert.ok(hist.includes('공문 발행'), hist);
		} finally {
			await context.close();
		}
	});

	it('the print page and a referral draft on a phone; the open case has no result letter', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
			await page.goto(`${server.base}/documents/${ids.doc}`);
			await lib.assertAxeClean(page, 'print page on a phone');
			await noSideways(page, 'print page');
			await page.screenshot({ path: path.join(SHOTS, 'print-390.png'), fullPage: true });
			await page.goto(`${server.base}/cases/${ids.open}`);
			assert.equal(await page.getByRole('link', { name: '결과 통지문 작성' }).count(), 0);
			await page.getByRole('link', { name: '협조 요청 공문 작성' }).click();
			await page.waitForURL(/kind=referral/);
			await page.getByLabel('협조 요청할 부서·기관').selectOption({ label: '도시계획과' });
			await page.getByRole('button', { name: '미리보기 새로 고침' }).click();
			await page.waitForURL(/department_id=\d+/);
			await expectText(page, '.doc-sheet', '도시계획과장');
			await lib.assertAxeClean(page, 'referral draft on a phone');
			await noSideways(page, 'referral draft');
			await page.screenshot({ path: path.join(SHOTS, 'referral-390.png'), fullPage: true });
			// a result letter for an open case is refused
			const r = await page.request.get(`${server.base}/cases/${ids.open}/documents/new?kind=result`);
			assert.equal(r.status(), 409);
		} finally {
			await context.close();
		}
	});

	it('list downloads: the buttons, the reason asked for personal data, the import page', async () => {
		const { context, page } = await lib.newPage(browser, lib.PHONE);
		try {
			await lib.signIn(page, server.base, 'leader', lib.PASSWORD);
			await page.goto(`${server.base}/companies?q=${encodeURIComponent('한빛')}`);
			const csv = page.getByRole('link', { name: 'CSV 파일로 기업 목록 내려받기' });
			assert.equal(await csv.getAttribute('href'), `/companies.csv?q=${encodeURIComponent('한빛')}`);
			await noSideways(page, 'company list');
			// a personal-data list asks why before the file comes
			await page.goto(`${server.base}/companies.xlsx?q=${encodeURIComponent('한빛')}`);
			await expectText(page, 'main', '다운로드 사유');
			await lib.assertAxeClean(page, 'download reason');
			await noSideways(page, 'download reason');
			await page.screenshot({ path: path.join(SHOTS, 'reason-390.png'), fullPage: true });
			await page.getByLabel(/다운로드 사유/).fill('분기 실적 보고');
			const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '내려받기' }).click()]);
			assert.match(download.suggestedFilename(), /\.xlsx$/);
			// the case import page
			await page.goto(`${server.base}/cases/import`);
			await lib.assertAxeClean(page, 'case import');
			await noSideways(page, 'case import');
			await page.screenshot({ path: path.join(SHOTS, 'import-390.png'), fullPage: true });
		} finally {
			await context.close();
		}
	});

	it('the admins edit the templates', async () => {
		const { context, page } = await lib.newPage(browser, lib.DESKTOP);
		try {
			await lib.signIn(page, server.base, 'admin', lib.PASSWORD);
			await page.goto(`${server.base}/admin/documents`);
			await lib.assertAxeClean(page, 'document templates');
			await page.screenshot({ path: path.join(SHOTS, 'admin-1280.png'), fullPage: true });
			const body = page.locator('#t-result-body');
			await body.fill('1. 처리 결과는 {{case.outcome_label}}입니다. <b>');
			await page.getByRole('button', { name: '결과 통지문 서식 저장' }).click();
			assert.match(await page.locator('.form-hint-invalid').first().innerText(), /꺾쇠괄호/);
			await page.locator('#t-result-body').fill('1. 처리 결과는 {{case.outcome_label}}입니다.');
			await Promise.all([page.waitForURL(/\/admin\/documents$/), page.getByRole('button', { name: '결과 통지문 서식 저장' }).click()]);
			assert.equal(await page.locator('#t-result-body').inputValue(), '1. 처리 결과는 {{case.outcome_label}}입니다.');
		} finally {
			await context.close();
		}
	});
});

async function expectText(page, sel, want) {
	const t = await page.locator(sel).first().innerText();
	assert.ok(t.includes(want), `${sel} has ${want}:\n${t}`);
}
