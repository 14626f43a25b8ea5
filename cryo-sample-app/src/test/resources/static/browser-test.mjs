// What the browser tests ask of a page, as window.harness: each function drives the Cryo
// client the app serves and resolves with plain, JSON-able facts for the Java side to check.
import { connect, cryo } from "/cryo-client/cryo.mjs";

/** Above this, data is generated and hashed as a stream (subtle hashes only whole buffers). */
const WHOLE_BUFFER_LIMIT = 256 * 1024 * 1024;

const PATTERN_BLOCK = 251 * 4096;

let session = null;

/** Every event of the current session, in order: { type, detail, at }. */
let events = [];

const EVENT_TYPES = ["connected", "disconnected", "reconnected", "closed", "message-utf8", "message-binary",
	"message-error", "stream", "writable"];

/** Byte i is i mod 251, as the sample's downloads are. */
function pattern(size, offset = 0) {
	const bytes = new Uint8Array(size);
	for (let i = 0; i < size; i++) {
		bytes[i] = (offset + i) % 251;
	}
	return bytes;
}

function toHex(buffer) {
	return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

function describe(detail) {
	if (detail instanceof ArrayBuffer) {
		return { byteLength: detail.byteLength };
	}
	if (typeof detail === "string") {
		return detail.length > 200 ? `${detail.slice(0, 200)}…` : detail;
	}
	if (detail !== null && typeof detail === "object") {
		const { code, reason, error } = detail;
		return { code, reason, error: error ? { code: error.code, message: error.message } : undefined };
	}
	return detail ?? null;
}

/** The next event of this type (after the ones already seen), or a timeout. */
function nextEvent(type, timeout, accept = () => true) {
	return new Promise((resolve, reject) => {
		const listener = (detail) => {
			if (accept(detail)) {
				clearTimeout(timer);
				session.off(type, listener);
				resolve(detail);
			}
		};
		const timer = setTimeout(() => {
			session.off(type, listener);
			reject(new Error(`no ${type} within ${timeout} ms`));
		}, timeout);
		session.on(type, listener);
	});
}

function endpoint() {
	return `ws://${location.host}/cryo`;
}

/** A streaming SHA-256 (FIPS 180-4) for data too big to hash in one crypto.subtle call. */
class Sha256 {
	static K = Uint32Array.from([
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
		0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
		0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
		0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
		0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
		0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
		0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
		0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

	h = Uint32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
	w = new Uint32Array(64);
	block = new Uint8Array(64);
	filled = 0;
	length = 0;

	update(bytes) {
		this.length += bytes.length;
		let i = 0;
		if (this.filled > 0) {
			const take = Math.min(64 - this.filled, bytes.length);
			this.block.set(bytes.subarray(0, take), this.filled);
			this.filled += take;
			i = take;
			if (this.filled < 64) {
				return;
			}
			this.compress(this.block, 0);
			this.filled = 0;
		}
		for (; i + 64 <= bytes.length; i += 64) {
			this.compress(bytes, i);
		}
		this.block.set(bytes.subarray(i));
		this.filled = bytes.length - i;
	}

	digestHex() {
		const bits = this.length * 8;
		const tail = new Uint8Array((this.filled < 56 ? 64 : 128) - this.filled);
		tail[0] = 0x80;
		const view = new DataView(tail.buffer);
		view.setUint32(tail.length - 8, Math.floor(bits / 2 ** 32));
		view.setUint32(tail.length - 4, bits >>> 0);
		this.update(tail);
		return Array.from(this.h, (x) => x.toString(16).padStart(8, "0")).join("");
	}

	compress(bytes, offset) {
		const { w, h } = this;
		const K = Sha256.K;
		for (let t = 0; t < 16; t++) {
			const j = offset + t * 4;
			w[t] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
		}
		for (let t = 16; t < 64; t++) {
			const a = w[t - 15];
			const b = w[t - 2];
			const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
			const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
			w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
		}
		let [a, b, c, d, e, f, g, k] = h;
		for (let t = 0; t < 64; t++) {
			const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
			const ch = (e & f) ^ (~e & g);
			const t1 = (k + S1 + ch + K[t] + w[t]) | 0;
			const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
			const maj = (a & b) ^ (a & c) ^ (b & c);
			const t2 = (S0 + maj) | 0;
			k = g;
			g = f;
			f = e;
			e = (d + t1) | 0;
			d = c;
			c = b;
			b = a;
			a = (t1 + t2) | 0;
		}
		h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
	}
}

/**
 * The pattern as a stream of fresh chunks, for sizes that should not sit in memory at once;
 * each chunk is hashed as it is handed over, so the page never stalls (and misses pings).
 */
function patternStream(size, sha) {
	const block = pattern(PATTERN_BLOCK);
	let position = 0;
	return new ReadableStream({
		pull(controller) {
			if (position >= size) {
				controller.close();
				return;
			}
			// The block is a whole number of periods, so every chunk starts at pattern offset 0.
			const chunk = block.slice(0, Math.min(PATTERN_BLOCK, size - position));
			sha.update(chunk);
			controller.enqueue(chunk);
			position += chunk.length;
		},
	}, { highWaterMark: 0 });
}

window.harness = {
	async connect(options = {}) {
		if (session !== null && session.state !== "closed") {
			await session.close("next test");
		}
		events = [];
		const started = performance.now();
		session = await connect(options.url ?? endpoint(), { token: "dev-token", ...options });
		for (const type of EVENT_TYPES) {
			session.on(type, (detail) => events.push({ type, detail: describe(detail), at: performance.now() }));
		}
		return { id: session.id, state: session.state, millis: performance.now() - started };
	},

	async connectLegacyShape() {
		// The seed client's call: host without a scheme, bearer, timeout in ms.
		const legacy = await cryo(`${location.host}/cryo`, "dev-token", 10000);
		const id = legacy.id;
		const state = legacy.state;
		const closed = await legacy.close("legacy shape done");
		return { id, state, closeCode: closed.code };
	},

	async connectRefused(token) {
		// Counts the WebSockets the client opens, to show that a refusal is not retried.
		let opened = 0;
		const Counting = class extends WebSocket {
			constructor(...args) {
				super(...args);
				opened++;
			}
		};
		const started = performance.now();
		try {
			const refused = await connect(endpoint(), { token, WebSocket: Counting,
				reconnect: { maxAttempts: 5, baseDelay: 100, maxDelay: 200, jitter: 0 } });
			await refused.close("unexpected");
			return { connected: true };
		}
		catch (error) {
			const millis = performance.now() - started;
			await new Promise((resolve) => setTimeout(resolve, 1500));
			return { connected: false, name: error.name, code: error.code ?? null, message: error.message,
				retryable: error.retryable ?? null, status: error.status ?? null, attempts: opened, millis };
		}
	},

	info() {
		const stats = session.stats;
		return { id: session.id, state: session.state, rtt: session.rtt, writable: session.writable, stats: { ...stats },
			events: events.map(({ type, detail }) => ({ type, detail })) };
	},

	async echoUtf8(text) {
		const echoed = nextEvent("message-utf8", 20000, (received) => received === text);
		await session.sendUtf8(text);
		await echoed;
		return { sentLength: text.length };
	},

	async echoUtf8Bytes(bytes) {
		// Characters of one to four bytes in UTF-8, then ASCII to reach the exact size.
		const unit = "aé€😀";
		const text = unit.repeat(Math.floor(bytes / 10)) + "a".repeat(bytes % 10);
		const encoded = new TextEncoder().encode(text).length;
		await this.echoUtf8(text);
		return { bytes: encoded };
	},

	async echoBinary(size) {
		const sent = pattern(size, 7);
		const echoed = nextEvent("message-binary", 20000, (received) => received.byteLength === size);
		await session.sendBinary(sent);
		const received = new Uint8Array(await echoed);
		let firstDifference = -1;
		for (let i = 0; i < size; i++) {
			if (received[i] !== sent[i]) {
				firstDifference = i;
				break;
			}
		}
		return { size: received.byteLength, firstDifference };
	},

	async serverError(text) {
		const error = nextEvent("message-error", 10000);
		await session.sendUtf8(text);
		return { text: await error };
	},

	async waitFor(type, timeout) {
		// One that already happened counts: the test may ask after the fact.
		const seen = events.find((event) => event.type === type);
		return seen !== undefined ? seen.detail : describe(await nextEvent(type, timeout));
	},

	async sleep(millis) {
		await new Promise((resolve) => setTimeout(resolve, millis));
		return { state: session.state, rtt: session.rtt };
	},

	async upload(size, name) {
		let data;
		let pageSha;
		let streamedSha = null;
		if (size <= WHOLE_BUFFER_LIMIT) {
			data = pattern(size);
			pageSha = toHex(await crypto.subtle.digest("SHA-256", data));
		}
		else {
			streamedSha = new Sha256();
			data = patternStream(size, streamedSha);
		}
		const reply = nextEvent("message-utf8", 600000, (text) => text.startsWith(`stream ${name} `));
		let progressCalls = 0;
		let lastSent = 0;
		let lastTotal = null;
		const started = performance.now();
		await session.stream(data, name, {
			onProgress: (sent, total) => {
				progressCalls++;
				lastSent = sent;
				lastTotal = total ?? null;
			},
		});
		const fields = (await reply).split(" ");
		const millis = performance.now() - started;
		if (streamedSha !== null) {
			pageSha = streamedSha.digestHex();
		}
		return { serverBytes: Number(fields[fields.length - 2]), serverSha: fields[fields.length - 1], pageSha, millis,
			progressCalls, lastSent, lastTotal };
	},

	async download(size, name, command = "download") {
		const arriving = session.awaitStream(name, { timeout: 60000 });
		const started = performance.now();
		await session.sendUtf8(`${command} ${size} ${name}`);
		const incoming = await arriving;
		const reader = incoming.stream.getReader();
		let received = 0;
		let firstWrong = -1;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) {
				break;
			}
			if (firstWrong < 0) {
				for (let i = 0; i < value.length; i++) {
					if (value[i] !== (received + i) % 251) {
						firstWrong = received + i;
						break;
					}
				}
			}
			received += value.length;
		}
		return { name: incoming.name, announcedSize: incoming.size ?? null, received, firstWrong,
			millis: performance.now() - started };
	},

	async close(reason) {
		const closed = await session.close(reason);
		return { code: closed.code, reason: closed.reason, error: closed.error?.message ?? null, state: session.state };
	},
};

document.getElementById("ready").textContent = "ready";
