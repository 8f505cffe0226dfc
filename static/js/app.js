/* 기업SOS — progressive enhancement only: every page works without this file.
 * Loaded with <script defer>; no inline scripts (CSP script-src 'self'). */
(function () {
	'use strict';

	/* Side navigation: a <details> menu. On wide screens CSS shows its content
	 * even while closed; opening it here keeps the disclosure state truthful
	 * for assistive technology. On phones it stays a collapsed menu. */
	var menu = document.getElementById('app-menu');
	if (menu && window.matchMedia) {
		var wide = window.matchMedia('(min-width: 1024px)');
		var autoOpened = false;
		var sync = function () {
			if (wide.matches && !menu.open) {
				menu.open = true;
				autoOpened = true;
			} else if (!wide.matches && autoOpened) {
				menu.open = false; /* narrowed (e.g. a rotated tablet): collapse again */
				autoOpened = false;
			}
		};
		sync();
		if (wide.addEventListener) wide.addEventListener('change', sync);
	}

	/* The error summary of a 422 page (web_invalid): each link finds its field
	 * (the one marked aria-invalid, else by id, else the control that stands
	 * for it, data-error-for, else by name), points at its id
	 * and focuses it when followed; the summary itself takes the focus, so a
	 * screen reader and a phone user start from the list of what to fix. */
	var summary = document.getElementById('error-summary');
	if (summary) {
		var links = summary.querySelectorAll('a[data-field]');
		var fieldFor = function (name) {
			var esc = name.replace(/["\\]/g, '\\$&');
			return document.querySelector('main [name="' + esc + '"][aria-invalid="true"]') ||
				document.getElementById(name) ||
				document.querySelector('main [data-error-for="' + esc + '"]') ||
				document.querySelector('main [name="' + esc + '"]');
		};
		Array.prototype.forEach.call(links, function (a) {
			var field = fieldFor(a.getAttribute('data-field'));
			if (!field) {
				a.removeAttribute('href'); /* nothing to go to (e.g. a stale version) */
				return;
			}
			if (field.id) a.setAttribute('href', '#' + field.id);
			a.addEventListener('click', function (ev) {
				ev.preventDefault();
				var box = field.closest && field.closest('details');
				if (box) box.open = true;
				field.focus();
				if (field.scrollIntoView) field.scrollIntoView({ block: 'center' });
			});
		});
		summary.focus();
	}

	/* Signing out removes every phone-form draft kept on this device, so the
	 * next person on a shared phone never sees them (visit-form.js). */
	document.addEventListener('submit', function (ev) {
		var form = ev.target;
		if (!form || !form.classList || !form.classList.contains('app-logout')) return;
		try {
			var ls = window.localStorage;
			for (var i = ls.length - 1; i >= 0; i--) {
				var k = ls.key(i);
				if (k && k.indexOf('bizsos.visitDraft') === 0) ls.removeItem(k);
			}
		} catch (e) { /* storage blocked */ }
	}, true);

	/* Forms marked data-confirm ask before submitting (e.g. 사용중지). */
	document.addEventListener('submit', function (ev) {
		var form = ev.target;
		var msg = form && form.getAttribute && form.getAttribute('data-confirm');
		if (msg && !window.confirm(msg)) ev.preventDefault();
	});

	/* Prevent double submission: disable the submit button once sent. */
	document.addEventListener('submit', function (ev) {
		if (ev.defaultPrevented) return;
		var btn = ev.target.querySelector && ev.target.querySelector('button[type="submit"]');
		if (btn) {
			window.setTimeout(function () { btn.disabled = true; }, 0);
		}
	});
	/* Coming back with the Back button (bfcache) must not leave buttons dead. */
	window.addEventListener('pageshow', function () {
		var dead = document.querySelectorAll('button[type="submit"][disabled]');
		for (var i = 0; i < dead.length; i++) dead[i].disabled = false;
	});
	/* A print button (data-print), e.g. the leader's week on A4. */
	var printers = document.querySelectorAll('[data-print]');
	for (var p = 0; p < printers.length; p++)
		printers[p].addEventListener('click', function () { window.print(); });
})();
