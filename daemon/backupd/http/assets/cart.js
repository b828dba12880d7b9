// SPDX-License-Identifier: ISC
// The cart pages' one script, compiled into backupd (embed_assets.cmake). Keeps <main>
// current: asks the page's live address every 2 s with If-None-Match, and only when
// backupd answers 200 (something changed) swaps in the new content, which backupd
// rendered and escaped. Same origin only; no other request. Without scripts the page
// refreshes itself (a meta refresh inside <noscript>).
'use strict';
(function () {
	var body = document.body;
	var url = body.getAttribute('data-live');
	var etag = body.getAttribute('data-etag');
	var status = document.getElementById('live-status');
	var main = document.querySelector('main');
	var every = 2000;
	var lost = false;
	if (!url || !main) return;

	function say(text) {
		if (status && status.textContent !== text) status.textContent = text;
	}

	function swap(html) {
		var doc = new DOMParser().parseFromString(html, 'text/html');
		var nodes = Array.prototype.slice.call(doc.body.childNodes);
		main.replaceChildren.apply(main, nodes);
	}

	function poll() {
		if (document.hidden) { setTimeout(poll, every); return; }
		var headers = etag ? { 'If-None-Match': etag } : {};
		fetch(url, { headers: headers, cache: 'no-store', credentials: 'omit', redirect: 'error' })
			.then(function (response) {
				if (response.status === 304) return null;
				if (!response.ok) throw new Error('HTTP ' + response.status);
				etag = response.headers.get('ETag');
				return response.json();
			})
			.then(function (live) {
				if (live) {
					swap(live.html);
					if (live.title) document.title = live.title;
				}
				if (lost) say('Live: updates every 2 seconds.');
				lost = false;
			})
			.catch(function () {
				lost = true;
				say('Cannot reach backupd; retrying.');
			})
			.then(function () { setTimeout(poll, every); });
	}
	say('Live: updates every 2 seconds.');
	setTimeout(poll, every);
})();
