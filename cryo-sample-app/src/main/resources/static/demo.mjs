// The Cryo demo page: connects with the client the app serves, then offers a chat (every page
// sees every message), posts that update live, an upload checked against a SHA-256 computed
// here, a download checked byte by byte, and the session's live figures. The server side is the
// sample app's ChatListener, PostsPlugin (with AuthPlugin and live data), StreamContract and
// EchoListener.
import { connect } from "/cryo-client/cryo.mjs";

const MIB = 1024 * 1024;

/** Files up to this size are read into memory once to hash them here; subtle has no streaming digest. */
const PAGE_HASH_LIMIT = 256 * MIB;

const $ = (id) => document.getElementById(id);

/** @type {import("/cryo-client/cryo.d.ts").CryoSession | null} */
let session = null;

/** Uploads waiting for the server's `stream <name> <bytes> <sha256>`, by name. */
const pendingUploads = new Map();

/** Endpoint requests waiting for their answer, by the id in their meta. */
const pendingRequests = new Map();

let requestCount = 0;

/** Who the posts card signed in as (auth:login), null before. */
let signedInAs = null;

/** Posts shown at most; older ones drop off the end of the list. */
const MAX_POSTS = 100;

// --- small helpers ---------------------------------------------------------------------------

function formatBytes(bytes) {
	if (bytes < 1024) {
		return `${bytes} B`;
	}
	const units = ["KiB", "MiB", "GiB", "TiB"];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

function rate(bytes, millis) {
	return millis > 0 ? `${(bytes / MIB / (millis / 1000)).toFixed(1)} MiB/s` : "–";
}

function toHex(buffer) {
	return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

function logEvent(text) {
	const item = document.createElement("li");
	item.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
	const log = $("event-log");
	log.append(item);
	while (log.childElementCount > 200) {
		log.firstElementChild.remove();
	}
	log.scrollTop = log.scrollHeight;
}

function setStatus(element, text, error = false) {
	element.textContent = text;
	element.classList.toggle("error", error);
}

function setProgress(prefix, fraction) {
	const percent = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
	$(`${prefix}-progress`).value = percent;
	$(`${prefix}-percent`).textContent = `${percent} %`;
}

function setConnected(connected) {
	$("connect-button").disabled = connected;
	$("disconnect-button").disabled = !connected;
	$("connect-url").disabled = connected;
	$("connect-token").disabled = connected;
	for (const id of ["chat-text", "chat-send", "upload-start", "download-start", "signin-button"]) {
		$(id).disabled = !connected;
	}
	// A new connection is not signed in yet (auth:login sets the connection's settings).
	setSignedIn(connected ? signedInAs : null);
}

// --- connection ------------------------------------------------------------------------------

function defaultUrl() {
	return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/cryo`;
}

async function onConnect(event) {
	event.preventDefault();
	const url = $("connect-url").value.trim();
	const token = $("connect-token").value;
	setStatus($("connect-status"), `Connecting to ${url}…`);
	$("connect-button").disabled = true;
	try {
		session = await connect(url, { token });
	}
	catch (error) {
		session = null;
		$("connect-button").disabled = false;
		setStatus($("connect-status"), `Could not connect: ${error.message}`, true);
		logEvent(`connect failed: ${error.code ?? error.name}`);
		return;
	}
	const current = session;
	current.on("message-utf8", onText);
	current.on("message-error", (text) => logEvent(`server error: ${text}`));
	current.on("disconnected", ({ code, reason }) => {
		setStatus($("connect-status"), `Connection lost (${code}${reason ? `, ${reason}` : ""}); reconnecting…`, true);
		logEvent(`disconnected ${code}`);
	});
	current.on("reconnected", () => {
		setStatus($("connect-status"), `Reconnected as session ${current.id}.`);
		logEvent(`reconnected as ${current.id}`);
		// Changes committed while the connection was down were not sent: read the list again.
		loadPosts();
	});
	current.on("writable", (writable) => logEvent(writable ? "writable again" : "send queue full, waiting"));
	current.on("closed", ({ code, reason, error }) => {
		if (session === current) {
			session = null;
		}
		setConnected(false);
		setStatus($("connect-status"), `Closed (${code}${reason ? `, ${reason}` : ""})${error ? `: ${error.message}` : ""}.`,
			error !== undefined);
		logEvent(`closed ${code}`);
		for (const pending of pendingUploads.values()) {
			pending.reject(new Error("the session closed"));
		}
		pendingUploads.clear();
		for (const pending of pendingRequests.values()) {
			pending.reject(new Error("the session closed"));
		}
		pendingRequests.clear();
	});
	setConnected(true);
	setStatus($("connect-status"), `Connected as session ${current.id}.`);
	logEvent(`connected as ${current.id}`);
	// The server knows who the token belongs to; the page asks (answered with "you-are <user>").
	current.sendUtf8("whoami").catch((error) => logEvent(`whoami failed: ${error.code ?? error.name}`));
	loadPosts();
}

function onDisconnect() {
	session?.close("Left the demo page.");
}

function updateFigures() {
	if (session === null) {
		$("figure-state").textContent = "disconnected";
		return;
	}
	const stats = session.stats;
	$("figure-state").textContent = session.state;
	$("figure-id").textContent = session.id || "–";
	$("figure-rtt").textContent = session.rtt >= 0 ? `${session.rtt.toFixed(1)} ms` : "–";
	$("figure-bytes-in").textContent = formatBytes(stats.bytesIn);
	$("figure-bytes-out").textContent = formatBytes(stats.bytesOut);
	$("figure-frames").textContent = `${stats.framesIn} / ${stats.framesOut}`;
	$("figure-reconnects").textContent = String(stats.reconnectAttempts);
}

// --- incoming text: chat lines and upload replies --------------------------------------------

function onText(text) {
	if (text.startsWith("{")) {
		onEndpointMessage(text);
	}
	else if (text.startsWith("chat-from ")) {
		showChat(text.slice("chat-from ".length));
	}
	else if (text.startsWith("you-are ")) {
		$("figure-user").textContent = text.slice("you-are ".length);
	}
	else if (text.startsWith("stream ")) {
		// stream <name> <bytes> <sha256>: the name may contain spaces, the last two fields do not.
		const fields = text.split(" ");
		if (fields.length >= 4) {
			const sha = fields.pop();
			const bytes = Number(fields.pop());
			const name = fields.slice(1).join(" ");
			const pending = pendingUploads.get(name);
			if (pending !== undefined) {
				pendingUploads.delete(name);
				pending.resolve({ bytes, sha });
			}
		}
	}
}

// chat-from <short id> <user> <message>: the server's broadcast, the user a single word.
function showChat(line) {
	const [shortId = "", user = "", ...words] = line.split(" ");
	const message = words.join(" ");
	const item = document.createElement("li");
	item.className = "chat-line";
	const mine = session !== null && shortId !== "" && session.id.slice(-shortId.length) === shortId;
	item.classList.toggle("mine", mine);
	const name = document.createElement("span");
	name.className = "who";
	name.textContent = mine ? `${user} (${shortId}, you)` : `${user} (${shortId})`;
	const body = document.createElement("span");
	body.className = "message";
	body.textContent = message;
	item.append(name, body);
	const log = $("chat-log");
	log.append(item);
	while (log.childElementCount > 300) {
		log.firstElementChild.remove();
	}
	log.scrollTop = log.scrollHeight;
}

async function onChat(event) {
	event.preventDefault();
	const input = $("chat-text");
	const message = input.value.trim();
	if (message === "" || session === null) {
		return;
	}
	input.value = "";
	try {
		await session.sendUtf8(`chat ${message}`);
	}
	catch (error) {
		logEvent(`chat not sent: ${error.message}`);
	}
}

// --- posts: endpoint requests and live data --------------------------------------------------

/**
 * Sends a request to a plugin endpoint as a Cryo UTF-8 JSON message; resolves with the answer's
 * data, rejects with the server's error message(s).
 */
function request(endpoint, method, data) {
	if (session === null) {
		return Promise.reject(new Error("not connected"));
	}
	const id = `page-${++requestCount}`;
	const message = { meta: { id, endpoint, method } };
	if (data !== undefined) {
		message.data = data;
	}
	const answer = new Promise((resolve, reject) => pendingRequests.set(id, { resolve, reject }));
	session.sendUtf8(JSON.stringify(message)).catch((error) => {
		pendingRequests.get(id)?.reject(error);
		pendingRequests.delete(id);
	});
	return answer;
}

// An answer ({"meta":{"id",…,"status"},"data"|"error"}) or a notification ({"meta":{"method":"notify","type"},"data"}).
function onEndpointMessage(text) {
	let message;
	try {
		message = JSON.parse(text);
	}
	catch {
		return;
	}
	const meta = message?.meta ?? {};
	if (meta.method === "notify") {
		if (meta.type === "data-changed" && message.data?.model === "Post") {
			onPostChanged(message.data);
		}
		return;
	}
	const pending = pendingRequests.get(meta.id);
	if (pending === undefined) {
		return;
	}
	pendingRequests.delete(meta.id);
	if (meta.status === "ok") {
		pending.resolve(message.data);
	}
	else {
		const error = Array.isArray(message.error) ? message.error.join(" ") : String(message.error ?? "failed");
		pending.reject(new Error(error));
	}
}

function setSignedIn(user) {
	signedInAs = user;
	for (const id of ["post-title", "post-content", "post-send"]) {
		$(id).disabled = user === null;
	}
	if (user !== null) {
		setStatus($("posts-status"), `Signed in as ${user}: write a post, it appears on every page.`);
	}
	else if (session !== null) {
		setStatus($("posts-status"), "Sign in to write a post.");
	}
	else {
		setStatus($("posts-status"), "Connect, then sign in to write a post.");
	}
	// Delete buttons are shown on the signed-in user's own posts only.
	for (const item of $("post-list").children) {
		item.querySelector(".post-delete").hidden = user === null || item.dataset.author !== user;
	}
}

async function onSignIn(event) {
	event.preventDefault();
	const user = $("signin-user").value.trim();
	const password = $("signin-password").value;
	$("signin-button").disabled = true;
	try {
		const settings = await request("auth:login", "create", { user, password });
		setSignedIn(settings.userId);
		logEvent(`signed in as ${settings.userId}`);
	}
	catch (error) {
		setSignedIn(null);
		setStatus($("posts-status"), `Not signed in: ${error.message}`, true);
	}
	finally {
		$("signin-button").disabled = session === null;
	}
}

async function loadPosts() {
	try {
		const data = await request("posts:post", "read");
		$("post-list").replaceChildren();
		// Newest first from the server: add the oldest first so each lands at the top.
		for (const post of [...(data?.posts ?? [])].reverse()) {
			showPost(post);
		}
	}
	catch (error) {
		logEvent(`posts not loaded: ${error.message}`);
	}
}

function postItem(id) {
	return $("post-list").querySelector(`li[data-id="${CSS.escape(String(id))}"]`);
}

// Peer data goes into the page as text only (textContent), never as markup.
function showPost(post) {
	const existing = postItem(post.id);
	const item = existing ?? document.createElement("li");
	item.className = "post";
	item.dataset.id = String(post.id);
	item.dataset.author = String(post.authorId ?? "");
	const title = document.createElement("h3");
	title.className = "post-title";
	title.textContent = String(post.title ?? "");
	const content = document.createElement("p");
	content.className = "post-content";
	content.textContent = String(post.content ?? "");
	const meta = document.createElement("div");
	meta.className = "post-meta";
	const author = document.createElement("span");
	author.className = "post-author";
	author.textContent = `#${post.id} by ${post.authorId ?? "?"}`;
	const remove = document.createElement("button");
	remove.type = "button";
	remove.className = "post-delete";
	remove.textContent = "Delete";
	remove.hidden = signedInAs === null || signedInAs !== post.authorId;
	remove.addEventListener("click", () => deletePost(post.id));
	meta.append(author, remove);
	item.replaceChildren(title, content, meta);
	if (existing === null) {
		const list = $("post-list");
		list.prepend(item);
		while (list.childElementCount > MAX_POSTS) {
			list.lastElementChild.remove();
		}
	}
}

// data-changed: {"operation":"create|update|delete","model":"Post","fields":{id,title,content,authorId}}
function onPostChanged(change) {
	const post = change.fields ?? {};
	if (change.operation === "delete") {
		postItem(post.id)?.remove();
	}
	else {
		showPost(post);
	}
}

async function onPost(event) {
	event.preventDefault();
	const title = $("post-title").value.trim();
	const content = $("post-content").value;
	if (title === "") {
		return;
	}
	$("post-send").disabled = true;
	try {
		const post = await request("posts:post", "create", { title, content });
		$("post-title").value = "";
		$("post-content").value = "";
		logEvent(`posted #${post.id}`);
	}
	catch (error) {
		setStatus($("posts-status"), `Not posted: ${error.message}`, true);
	}
	finally {
		$("post-send").disabled = signedInAs === null;
	}
}

async function deletePost(id) {
	try {
		await request("posts:post", "delete", { id });
	}
	catch (error) {
		setStatus($("posts-status"), `Not deleted: ${error.message}`, true);
	}
}

// --- upload ----------------------------------------------------------------------------------

async function pageHash(file) {
	if (file.size > PAGE_HASH_LIMIT) {
		return { skipped: `skipped: the file is larger than ${formatBytes(PAGE_HASH_LIMIT)}, and the browser can hash only a whole buffer` };
	}
	if (globalThis.crypto?.subtle === undefined) {
		return { skipped: "skipped: crypto.subtle needs a secure context (https or localhost)" };
	}
	return { sha: toHex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer())) };
}

async function onUpload(event) {
	event.preventDefault();
	const file = $("upload-file").files[0];
	if (file === undefined || session === null) {
		setStatusText("upload-verdict", "Choose a file first.");
		return;
	}
	const current = session;
	setProgress("upload", 0);
	setStatusText("upload-server-sha", "…");
	setStatusText("upload-page-sha", "computing…");
	setStatusText("upload-verdict", "uploading…");
	$("upload-start").disabled = true;
	const hashing = pageHash(file);
	const reply = new Promise((resolve, reject) => pendingUploads.set(file.name, { resolve, reject }));
	const started = performance.now();
	try {
		await current.stream(file, file.name, {
			onProgress: (sent, total) => setProgress("upload", (total ?? file.size) > 0 ? sent / (total ?? file.size) : 1),
		});
		const answer = await reply;
		const millis = performance.now() - started;
		setProgress("upload", 1);
		setStatusText("upload-server-sha", `${answer.sha} (${formatBytes(answer.bytes)})`);
		const page = await hashing;
		setStatusText("upload-page-sha", page.sha ?? page.skipped);
		const verdict = $("upload-verdict");
		if (page.sha === undefined) {
			verdict.textContent = `uploaded ${formatBytes(answer.bytes)} in ${(millis / 1000).toFixed(2)} s (${rate(answer.bytes, millis)}); not compared`;
			verdict.className = "";
		}
		else if (page.sha === answer.sha && answer.bytes === file.size) {
			verdict.textContent = `match: ${formatBytes(answer.bytes)} in ${(millis / 1000).toFixed(2)} s (${rate(answer.bytes, millis)})`;
			verdict.className = "verdict-good";
		}
		else {
			verdict.textContent = "MISMATCH: the server received something else";
			verdict.className = "verdict-bad";
		}
		logEvent(`uploaded ${file.name}`);
	}
	catch (error) {
		pendingUploads.delete(file.name);
		setStatusText("upload-verdict", `failed: ${error.message}`);
		$("upload-verdict").className = "verdict-bad";
	}
	finally {
		$("upload-start").disabled = session === null;
	}
}

function setStatusText(id, text) {
	$(id).textContent = text;
}

// --- download --------------------------------------------------------------------------------

async function onDownload(event) {
	event.preventDefault();
	if (session === null) {
		return;
	}
	const current = session;
	const size = Math.round(Number($("download-size").value) * MIB);
	if (!Number.isSafeInteger(size) || size < 0) {
		setStatus($("download-result"), "Enter a size in MiB.", true);
		return;
	}
	const name = `demo-${Date.now()}.bin`;
	setProgress("download", 0);
	setStatus($("download-result"), `Downloading ${formatBytes(size)}…`);
	$("download-start").disabled = true;
	const started = performance.now();
	try {
		const arriving = current.awaitStream(name, { timeout: 30000 });
		await current.sendUtf8(`download ${size} ${name}`);
		const incoming = await arriving;
		const reader = incoming.stream.getReader();
		let received = 0;
		let wrong = -1;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) {
				break;
			}
			// Byte i of the download is i mod 251: check every one.
			for (let i = 0; i < value.length && wrong < 0; i++) {
				if (value[i] !== (received + i) % 251) {
					wrong = received + i;
				}
			}
			received += value.length;
			setProgress("download", size > 0 ? received / size : 1);
		}
		const millis = performance.now() - started;
		setProgress("download", 1);
		if (wrong >= 0 || received !== size) {
			setStatus($("download-result"), wrong >= 0 ? `MISMATCH at byte ${wrong}` : `got ${received} of ${size} bytes`, true);
		}
		else {
			setStatus($("download-result"),
				`${formatBytes(received)} in ${(millis / 1000).toFixed(2)} s (${rate(received, millis)}), every byte checked.`);
		}
	}
	catch (error) {
		setStatus($("download-result"), `failed: ${error.message}`, true);
	}
	finally {
		$("download-start").disabled = session === null;
	}
}

// --- wiring ----------------------------------------------------------------------------------

$("connect-url").value = defaultUrl();
$("connect-form").addEventListener("submit", onConnect);
$("disconnect-button").addEventListener("click", onDisconnect);
$("chat-form").addEventListener("submit", onChat);
$("signin-form").addEventListener("submit", onSignIn);
$("post-form").addEventListener("submit", onPost);
$("upload-form").addEventListener("submit", onUpload);
$("download-form").addEventListener("submit", onDownload);
setInterval(updateFigures, 500);
updateFigures();
