// Cryo v1 client for browsers and Node, version 0.1.0
/**
 * A dependency-free Cryo v1 client (wire contract: cryo-v1.md of the Cryo for Spring Boot
 * project). One ES module for browsers and Node >= 20.
 *
 * ```js
 * import { connect } from "@cryo/client";
 * const session = await connect("ws://localhost:8080/cryo", { token: "dev-token" });
 * session.on("message-utf8", (text) => console.log(text));
 * await session.sendUtf8("hello");
 * ```
 *
 * Recognising a refused upgrade: the server answers a bad token with HTTP 401 (403 for a
 * foreign Origin) instead of 101. Browsers never show the HTTP status to scripts; they report
 * a WebSocket that closes (code 1006) without ever opening. This client therefore reports a
 * close before open as `UPGRADE_FAILED` ("refused or unreachable"), which stays retryable. A
 * WebSocket implementation that does expose the status (the `ws` package reports
 * "Unexpected server response: 401"; `status`/`statusCode` on the error event are read too)
 * turns it into `REFUSED` with the status, and a 401 ends reconnecting.
 *
 * Choices where cryo-v1.md describes the server side only:
 * - The session is established when the socket is open, the server's ENDPOINT_INFO arrived
 *   and ours was ACKed (as the Java client); before that only ENDPOINT_INFO, ACKs, pongs and
 *   BYE are sent. The first connection is not retried; reconnecting covers later losses.
 * - An ack timer starts when a frame is handed to the socket, not when it is queued: waiting in
 *   our own queue is backpressure, not a silent server.
 * - Transactions use the seed layout unless `transactionLayout` says otherwise; a TX_START in
 *   the cryo-protocol-1.4 layout switches the session as §10.5 rule 3 describes.
 * - A frame with a variable part over 16 MiB ends the connection with BYE and 4001: browsers
 *   may not close with 1009.
 * - ERROR frames are sent only where the server would send them for its own transactions: a
 *   TX_PULL that cannot be served, and a TX_START that was not ACKed.
 *
 * @module @cryo/client
 */

/** The version of this client. */
export const VERSION = "0.1.0";

/** The Cryo protocol version this client speaks and announces in ENDPOINT_INFO. */
export const PROTOCOL_VERSION = 1;

/** CRYO_MAX_PAYLOAD: the largest variable part of any frame (cryo-v1.md §9). */
export const MAX_PAYLOAD = 16 * 1024 * 1024;

/** Feature bit 0 of ENDPOINT_INFO: the sender understands transaction frames (§3.1). */
export const FEATURE_TRANSACTIONS = 1n;

/** Frame type codes (cryo-v1.md §4.2). In the cryo-protocol-1.4 layout 0x04 is TX_FETCH. */
export const FrameType = Object.freeze({
	ENDPOINT_INFO: 0xff,
	BYE: 0xfe,
	ACK: 0xfd,
	ERROR: 0xfc,
	PING_PONG: 0xfb,
	UTF8DATA: 0xfa,
	BINARYDATA: 0xf9,
	TX_START: 0x00,
	TX_CHUNK: 0x01,
	TX_FINISH: 0x02,
	TX_FLOW: 0x03,
	TX_PULL: 0x04,
	TX_CANCEL: 0x05,
});

/** The two transaction layouts that announce version 1 (cryo-v1.md §10.5). */
export const Layout = Object.freeze({ SEED: "seed", CRYO_PROTOCOL_14: "cryo-protocol-1.4" });

const HEADER_LENGTH = 13;
const U64_MAX = (1n << 64n) - 1n;
const TYPE_NAMES = new Map(Object.entries(FrameType).map(([name, code]) => [code, name]));
const PING = "ping";
const PONG = "pong";
const FLOW_CODES = Object.freeze({ TX_PUSH: 0, TX_PULL: 1 });
const CLOSE_GRACEFUL = 4000;
const CLOSE_CLIENT_ERROR = 4001;
const MAX_CLOSE_REASON_BYTES = 123;

const utf8Encoder = new TextEncoder();
// Lenient (malformed sequences become U+FFFD, cryo-v1.md §1 rule 6) and BOM-preserving: a
// leading U+FEFF is part of the application's text, not a marker to strip.
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/**
 * Every failure this client reports. `code` says what went wrong; `retryable` whether trying
 * again (reconnecting) can help.
 */
export class CryoError extends Error {
	/**
	 * @param {string} code a stable, machine-readable code, e.g. `ACK_TIMEOUT`
	 * @param {string} message a human-readable text; never contains the token
	 * @param {{ cause?: unknown, retryable?: boolean, status?: number }} [details]
	 */
	constructor(code, message, details = {}) {
		super(message, details.cause === undefined ? undefined : { cause: details.cause });
		this.name = "CryoError";
		/** @type {string} */
		this.code = code;
		/** @type {boolean} */
		this.retryable = details.retryable ?? true;
		/** @type {number | undefined} the HTTP status of a refused upgrade, when it is known */
		this.status = details.status;
	}
}

/** A message that is not a well-formed Cryo v1 frame (cryo-v1.md §4.5, §9). */
export class CryoFrameError extends CryoError {
	/**
	 * @param {string} message what is wrong with the frame
	 * @param {"MALFORMED_FRAME" | "FRAME_TOO_LARGE"} [code]
	 */
	constructor(message, code = "MALFORMED_FRAME") {
		super(code, message, { retryable: false });
		this.name = "CryoFrameError";
	}
}

// ---------------------------------------------------------------------------------------------
// Codec
// ---------------------------------------------------------------------------------------------

/**
 * @param {ArrayBuffer | ArrayBufferView} data
 * @returns {Uint8Array}
 */
function asBytes(data) {
	if (data instanceof Uint8Array) {
		return data;
	}
	if (data instanceof ArrayBuffer) {
		return new Uint8Array(data);
	}
	if (ArrayBuffer.isView(data)) {
		return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	}
	throw new CryoFrameError("not a binary message");
}

/** @param {unknown} value @param {string} field @returns {bigint} */
function u64(value, field) {
	let big;
	try {
		big = BigInt(/** @type {any} */ (value));
	}
	catch {
		throw new RangeError(`${field} must be an unsigned 64-bit integer`);
	}
	if (big < 0n || big > U64_MAX) {
		throw new RangeError(`${field} must be an unsigned 64-bit integer`);
	}
	return big;
}

/** @param {unknown} value @param {string} field @returns {number} */
function u32(value, field) {
	if (!Number.isInteger(value) || /** @type {number} */ (value) < 0 || /** @type {number} */ (value) > 0xffffffff) {
		throw new RangeError(`${field} must be an unsigned 32-bit integer`);
	}
	return /** @type {number} */ (value);
}

/** @param {Uint8Array} payload @param {string} what */
function checkPayloadSize(payload, what) {
	if (payload.length > MAX_PAYLOAD) {
		throw new RangeError(`${what} is ${payload.length} bytes; a frame carries at most ${MAX_PAYLOAD}`);
	}
	return payload;
}

/**
 * Text fields take a string, or its UTF-8 bytes when the caller has encoded it already.
 * @param {unknown} value @param {string} field @returns {Uint8Array}
 */
function textBytes(value, field) {
	if (value instanceof Uint8Array) {
		return checkPayloadSize(value, field);
	}
	if (typeof value !== "string") {
		throw new TypeError(`${field} must be a string`);
	}
	return checkPayloadSize(utf8Encoder.encode(value), field);
}

/** @param {unknown} value @param {string} field @returns {Uint8Array} */
function binaryBytes(value, field) {
	if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
		return checkPayloadSize(asBytes(value), field);
	}
	throw new TypeError(`${field} must be an ArrayBuffer or a typed array`);
}

/**
 * Allocates a frame and writes the common header (cryo-v1.md §4.1).
 * @param {number} type @param {number} length @param {bigint} sid @param {number} ackOrTxid
 */
function allocate(type, length, sid, ackOrTxid) {
	const bytes = new Uint8Array(length);
	const view = new DataView(bytes.buffer);
	view.setBigUint64(0, sid);
	bytes[8] = type;
	view.setUint32(9, ackOrTxid);
	return { bytes, view };
}

/**
 * Encodes one frame. `frame.type` is a {@link FrameType} name (or `TX_FETCH` in the
 * cryo-protocol-1.4 layout); the other fields are those {@link decodeFrame} returns.
 * @param {import("./cryo.d.ts").Frame} frame
 * @param {{ layout?: "seed" | "cryo-protocol-1.4" }} [options]
 * @returns {Uint8Array} one complete WebSocket binary message
 * @throws {TypeError | RangeError} when a field is missing or out of range
 */
export function encodeFrame(frame, options = {}) {
	const layout = options.layout ?? Layout.SEED;
	const f = /** @type {Record<string, any>} */ (frame);
	const sid = u64(f.sid, "sid");
	const v14 = layout === Layout.CRYO_PROTOCOL_14;
	switch (f.type) {
		case "ENDPOINT_INFO": {
			const { bytes, view } = allocate(FrameType.ENDPOINT_INFO, 25, sid, u32(f.ack, "ack"));
			view.setUint32(13, u32(f.version, "version"));
			view.setBigUint64(17, u64(f.flags, "flags"));
			return bytes;
		}
		case "ACK":
			return allocate(FrameType.ACK, HEADER_LENGTH, sid, u32(f.ack, "ack")).bytes;
		case "BYE":
			return withPayload(FrameType.BYE, sid, u32(f.ack, "ack"), textBytes(f.reason ?? "", "reason"));
		case "ERROR":
			return withPayload(FrameType.ERROR, sid, u32(f.ack, "ack"), textBytes(f.payload, "payload"));
		case "UTF8DATA":
			return withPayload(FrameType.UTF8DATA, sid, u32(f.ack, "ack"), textBytes(f.payload, "payload"));
		case "BINARYDATA":
			return withPayload(FrameType.BINARYDATA, sid, u32(f.ack, "ack"), binaryBytes(f.payload, "payload"));
		case "PING_PONG": {
			if (f.payload !== PING && f.payload !== PONG) {
				throw new RangeError('PING_PONG payload must be "ping" or "pong"');
			}
			return withPayload(FrameType.PING_PONG, sid, u32(f.ack, "ack"), utf8Encoder.encode(f.payload));
		}
		case "TX_START": {
			const name = textBytes(f.name, "name");
			const fixed = v14 ? 21 : 17;
			const { bytes, view } = allocate(FrameType.TX_START, fixed + name.length, sid, u32(f.ack, "ack"));
			view.setUint32(13, u32(f.txid, "txid"));
			if (v14) {
				const size = f.size ?? -1;
				if (!Number.isInteger(size) || size < -1 || size > 0x7fffffff) {
					throw new RangeError("size must be -1 or an integer from 0 to 2^31-1");
				}
				view.setInt32(17, size);
			}
			bytes.set(name, fixed);
			return bytes;
		}
		case "TX_CHUNK": {
			const payload = binaryBytes(f.payload, "payload");
			const fixed = v14 ? 17 : 13;
			const { bytes, view } = allocate(FrameType.TX_CHUNK, fixed + payload.length, sid, u32(f.txid, "txid"));
			if (v14) {
				view.setUint32(13, u32(f.seq, "seq"));
			}
			bytes.set(payload, fixed);
			return bytes;
		}
		case "TX_FINISH":
		case "TX_CANCEL": {
			const { bytes, view } = allocate(FrameType[f.type], 17, sid, u32(f.ack, "ack"));
			view.setUint32(13, u32(f.txid, "txid"));
			return bytes;
		}
		case "TX_FLOW": {
			const code = FLOW_CODES[/** @type {"TX_PUSH" | "TX_PULL"} */ (f.behaviour)];
			if (code === undefined) {
				throw new RangeError('behaviour must be "TX_PUSH" or "TX_PULL"');
			}
			const { bytes } = allocate(FrameType.TX_FLOW, 14, sid, u32(f.ack, "ack"));
			bytes[13] = code;
			return bytes;
		}
		case "TX_PULL": {
			if (v14) {
				throw new RangeError("TX_PULL does not exist in the cryo-protocol-1.4 layout (0x04 is TX_FETCH there)");
			}
			const { bytes, view } = allocate(FrameType.TX_PULL, 33, sid, u32(f.ack, "ack"));
			view.setUint32(13, u32(f.txid, "txid"));
			view.setBigUint64(17, u64(f.start, "start"));
			view.setBigUint64(25, u64(f.end, "end"));
			return bytes;
		}
		case "TX_FETCH": {
			if (!v14) {
				throw new RangeError("TX_FETCH exists only in the cryo-protocol-1.4 layout");
			}
			const { bytes, view } = allocate(FrameType.TX_PULL, 25, sid, u32(f.ack, "ack"));
			view.setUint32(13, u32(f.txid, "txid"));
			view.setUint32(17, u32(f.startChunk, "startChunk"));
			view.setUint32(21, u32(f.endChunk, "endChunk"));
			return bytes;
		}
		default:
			throw new TypeError(`unknown frame type ${String(f.type)}`);
	}
}

/** @param {number} type @param {bigint} sid @param {number} ack @param {Uint8Array} payload */
function withPayload(type, sid, ack, payload) {
	const { bytes } = allocate(type, HEADER_LENGTH + payload.length, sid, ack);
	bytes.set(payload, HEADER_LENGTH);
	return bytes;
}

/** Smallest legal length per type (cryo-v1.md §4.4), per layout where they differ. */
const MINIMUM_LENGTH = {
	[Layout.SEED]: new Map([[0xff, 25], [0xfe, 13], [0xfd, 13], [0xfc, 13], [0xfb, 17], [0xfa, 13], [0xf9, 13],
		[0x00, 17], [0x01, 13], [0x02, 17], [0x03, 14], [0x04, 33], [0x05, 17]]),
	[Layout.CRYO_PROTOCOL_14]: new Map([[0xff, 25], [0xfe, 13], [0xfd, 13], [0xfc, 13], [0xfb, 17], [0xfa, 13],
		[0xf9, 13], [0x00, 21], [0x01, 17], [0x02, 17], [0x03, 14], [0x04, 25], [0x05, 17]]),
};

/**
 * Decodes one WebSocket binary message strictly (cryo-v1.md §4.5): anything malformed throws
 * a {@link CryoFrameError}, never another error. Fixed-size frames with extra trailing bytes
 * are accepted (PING_PONG excepted); the sid is not checked. Binary payloads are views into
 * `data`, not copies.
 * @param {ArrayBuffer | ArrayBufferView} data
 * @param {{ layout?: "seed" | "cryo-protocol-1.4" }} [options]
 * @returns {import("./cryo.d.ts").Frame}
 * @throws {CryoFrameError}
 */
export function decodeFrame(data, options = {}) {
	const layout = options.layout ?? Layout.SEED;
	const minimums = MINIMUM_LENGTH[layout];
	if (minimums === undefined) {
		throw new RangeError(`unknown layout ${String(layout)}`);
	}
	const bytes = asBytes(data);
	if (bytes.length < 9) {
		throw new CryoFrameError(`malformed frame: ${bytes.length} bytes, shorter than 9 (no type byte)`);
	}
	const code = bytes[8];
	const type = TYPE_NAMES.get(code);
	if (type === undefined) {
		throw new CryoFrameError(`malformed frame: unknown type 0x${code.toString(16).padStart(2, "0")}`);
	}
	if (bytes.length < HEADER_LENGTH) {
		throw new CryoFrameError(`malformed frame: ${bytes.length} bytes, shorter than the 13-byte header`);
	}
	const minimum = /** @type {number} */ (minimums.get(code));
	if (bytes.length < minimum) {
		throw new CryoFrameError(`malformed frame: ${type} needs at least ${minimum} bytes, got ${bytes.length}`);
	}
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const sid = view.getBigUint64(0);
	const ack = view.getUint32(9);
	/** @param {number} offset */
	const variable = (offset) => {
		const part = bytes.subarray(offset);
		if (part.length > MAX_PAYLOAD) {
			throw new CryoFrameError(`${type} carries ${part.length} bytes, more than ${MAX_PAYLOAD}`, "FRAME_TOO_LARGE");
		}
		return part;
	};
	/** @param {number} offset */
	const text = (offset) => utf8Decoder.decode(variable(offset));
	const v14 = layout === Layout.CRYO_PROTOCOL_14;
	switch (code) {
		case FrameType.ENDPOINT_INFO:
			return { type: "ENDPOINT_INFO", sid, ack, version: view.getUint32(13), flags: view.getBigUint64(17) };
		case FrameType.BYE:
			return { type: "BYE", sid, ack, reason: text(13) };
		case FrameType.ACK:
			return { type: "ACK", sid, ack };
		case FrameType.ERROR:
			return { type: "ERROR", sid, ack, payload: text(13) };
		case FrameType.PING_PONG: {
			const payload = bytes.length === 17 ? String.fromCharCode(...bytes.subarray(13)) : "";
			if (payload !== PING && payload !== PONG) {
				throw new CryoFrameError('malformed frame: PING_PONG payload must be "ping" or "pong"');
			}
			return { type: "PING_PONG", sid, ack, payload };
		}
		case FrameType.UTF8DATA:
			return { type: "UTF8DATA", sid, ack, payload: text(13) };
		case FrameType.BINARYDATA:
			return { type: "BINARYDATA", sid, ack, payload: variable(13) };
		case FrameType.TX_START:
			return v14
				? { type: "TX_START", sid, ack, txid: view.getUint32(13), size: view.getInt32(17), name: text(21) }
				: { type: "TX_START", sid, ack, txid: view.getUint32(13), name: text(17) };
		case FrameType.TX_CHUNK:
			return v14
				? { type: "TX_CHUNK", sid, txid: ack, seq: view.getUint32(13), payload: variable(17) }
				: { type: "TX_CHUNK", sid, txid: ack, payload: variable(13) };
		case FrameType.TX_FINISH:
			return { type: "TX_FINISH", sid, ack, txid: view.getUint32(13) };
		case FrameType.TX_FLOW: {
			const behaviour = bytes[13] === 0 ? "TX_PUSH" : bytes[13] === 1 ? "TX_PULL" : undefined;
			if (behaviour === undefined) {
				throw new CryoFrameError(`malformed frame: TX_FLOW behaviour must be 0 or 1, got ${bytes[13]}`);
			}
			return { type: "TX_FLOW", sid, ack, behaviour };
		}
		case FrameType.TX_PULL:
			return v14
				? { type: "TX_FETCH", sid, ack, txid: view.getUint32(13), startChunk: view.getUint32(17),
					endChunk: view.getUint32(21) }
				: { type: "TX_PULL", sid, ack, txid: view.getUint32(13), start: view.getBigUint64(17),
					end: view.getBigUint64(25) };
		default:
			return { type: "TX_CANCEL", sid, ack, txid: view.getUint32(13) };
	}
}

/**
 * Whether a TX_START received in a seed session is really a cryo-protocol-1.4 TX_START with
 * size −1: bytes 17–20 are FF FF FF FF, which can never start a UTF-8 name (cryo-v1.md §10.5
 * rule 3).
 * @param {Uint8Array} bytes
 */
function isProtocol14TxStart(bytes) {
	return bytes.length >= 21 && bytes[8] === FrameType.TX_START
		&& bytes[17] === 0xff && bytes[18] === 0xff && bytes[19] === 0xff && bytes[20] === 0xff;
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/** The seed's backpressure defaults (cryo-v1.md §11.1), as the Java engine uses them. */
const DEFAULT_BACKPRESSURE = Object.freeze({
	highWaterMark: 16 * 1024 * 1024,
	lowWaterMark: 1024 * 1024,
	maxQueuedBytes: 8 * 1024 * 1024,
	maxQueueCount: 1024,
	dropPolicy: "drop-oldest",
});

const DROP_POLICIES = new Set(["drop-oldest", "drop-newest", "dedupe-latest", "terminate"]);

/** The Java client's ReconnectPolicy.DEFAULT: five attempts, 0.5 s doubling to 10 s, 20 % jitter. */
const DEFAULT_RECONNECT = Object.freeze({ maxAttempts: 5, baseDelay: 500, maxDelay: 10000, jitter: 0.2 });

const EVENTS = new Set(["message-utf8", "message-binary", "message-error", "connected", "disconnected",
	"reconnected", "closed", "stream", "writable"]);

/** How many incoming streams may wait to be claimed; beyond it the oldest is cancelled. */
const MAX_UNCLAIMED_STREAMS = 16;

/** How many TX_PULL requests of one transaction may wait to be served. */
const MAX_PENDING_PULLS = 64;

const PING_TIMEOUT_REASON = "Server stopped sending pings.";

/** @param {number | undefined} value @param {number} fallback @param {string} name @param {boolean} [zeroAllowed] */
function duration(value, fallback, name, zeroAllowed = false) {
	if (value === undefined) {
		return fallback;
	}
	if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!zeroAllowed && value === 0)) {
		throw new RangeError(`${name} must be a ${zeroAllowed ? "non-negative" : "positive"} number of milliseconds`);
	}
	return value;
}

/** @param {number | undefined} value @param {number} fallback @param {string} name */
function byteCount(value, fallback, name) {
	if (value === undefined) {
		return fallback;
	}
	if (!Number.isSafeInteger(value) || value < 1) {
		throw new RangeError(`${name} must be a positive whole number of bytes`);
	}
	return value;
}

/**
 * Validates the options once, up front, so that a mistake fails connect() rather than a
 * reconnect an hour later.
 * @param {import("./cryo.d.ts").ConnectOptions} options
 */
function resolveOptions(options) {
	if (typeof options.token !== "string" || options.token === "") {
		throw new TypeError("A token is required: connect(url, { token })");
	}
	const WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
	if (typeof WebSocketImpl !== "function") {
		throw new TypeError("No WebSocket implementation: pass connect(url, { WebSocket }) "
			+ "(for example the 'ws' package on Node 20, which has no global WebSocket)");
	}
	const backpressure = { ...DEFAULT_BACKPRESSURE, ...(options.backpressure ?? {}) };
	if (!(backpressure.highWaterMark > 0 && backpressure.lowWaterMark >= 0
			&& backpressure.lowWaterMark < backpressure.highWaterMark)) {
		throw new RangeError("backpressure needs 0 <= lowWaterMark < highWaterMark");
	}
	if (!(backpressure.maxQueuedBytes > 0 && Number.isInteger(backpressure.maxQueueCount)
			&& backpressure.maxQueueCount >= 1)) {
		throw new RangeError("backpressure.maxQueuedBytes and maxQueueCount must be positive");
	}
	if (!DROP_POLICIES.has(backpressure.dropPolicy)) {
		throw new RangeError(`backpressure.dropPolicy must be one of ${[...DROP_POLICIES].join(", ")}`);
	}
	const reconnect = options.reconnect === false ? { ...DEFAULT_RECONNECT, maxAttempts: 0 }
		: { ...DEFAULT_RECONNECT, ...(options.reconnect === true ? {} : options.reconnect ?? {}) };
	if (!Number.isInteger(reconnect.maxAttempts) || reconnect.maxAttempts < 0
			|| !(reconnect.baseDelay >= 0) || !(reconnect.maxDelay >= reconnect.baseDelay)
			|| !(reconnect.jitter >= 0 && reconnect.jitter <= 1)) {
		throw new RangeError("reconnect needs maxAttempts >= 0, 0 <= baseDelay <= maxDelay and 0 <= jitter <= 1");
	}
	const layout = options.transactionLayout ?? Layout.SEED;
	if (layout !== Layout.SEED && layout !== Layout.CRYO_PROTOCOL_14) {
		throw new RangeError(`transactionLayout must be "${Layout.SEED}" or "${Layout.CRYO_PROTOCOL_14}"`);
	}
	const receiveMode = options.receiveMode ?? "push";
	if (receiveMode !== "push" && receiveMode !== "pull") {
		throw new RangeError('receiveMode must be "push" or "pull"');
	}
	const chunkSize = options.chunkSize ?? 64 * 1024;
	if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_PAYLOAD) {
		throw new RangeError(`chunkSize must be an integer from 1 to ${MAX_PAYLOAD}`);
	}
	const clock = options.clock ?? {
		setTimeout: (/** @type {() => void} */ fn, /** @type {number} */ ms) => setTimeout(fn, ms),
		clearTimeout: (/** @type {any} */ handle) => clearTimeout(handle),
		now: () => performance.now(),
	};
	return {
		token: options.token,
		WebSocket: WebSocketImpl,
		connectTimeout: duration(options.connectTimeout, 10000, "connectTimeout"),
		endpointInfoTimeout: duration(options.endpointInfoTimeout, 10000, "endpointInfoTimeout"),
		ackTimeout: duration(options.ackTimeout, 2500, "ackTimeout"),
		pingTimeout: duration(options.pingTimeout, 45000, "pingTimeout", true),
		closeTimeout: duration(options.closeTimeout, 5000, "closeTimeout"),
		drainPollInterval: duration(options.drainPollInterval, 10, "drainPollInterval"),
		backpressure,
		reconnect,
		transactionLayout: layout,
		receiveMode,
		pullWindowBytes: byteCount(options.pullWindowBytes, 1024 * 1024, "pullWindowBytes"),
		chunkSize,
		maxIncomingBuffer: byteCount(options.maxIncomingBuffer, 32 * 1024 * 1024, "maxIncomingBuffer"),
		clock,
		random: options.random ?? Math.random,
	};
}

/** @typedef {ReturnType<typeof resolveOptions>} Settings */

/**
 * The delay before reconnect attempt `attempt` (from 1): min(maxDelay, baseDelay·2^(n−1)),
 * shortened by up to `jitter` of itself, as the Java client's ReconnectPolicy computes it.
 * @param {{ baseDelay: number, maxDelay: number, jitter: number }} policy
 * @param {number} attempt
 * @param {() => number} random
 */
export function reconnectDelay(policy, attempt, random = Math.random) {
	const capped = Math.min(policy.maxDelay, policy.baseDelay * 2 ** Math.min(attempt - 1, 62));
	return capped - capped * policy.jitter * random();
}

/**
 * Truncates a close reason to the 123 bytes of UTF-8 a WebSocket close frame can carry,
 * at a character boundary (cryo-v1.md §8.4).
 * @param {string} reason
 */
function truncateReason(reason) {
	if (utf8Encoder.encode(reason).length <= MAX_CLOSE_REASON_BYTES) {
		return reason;
	}
	let cut = "";
	for (const character of reason) {
		if (utf8Encoder.encode(cut + character).length > MAX_CLOSE_REASON_BYTES) {
			break;
		}
		cut += character;
	}
	return cut;
}

/** A new random unsigned 64-bit session id (cryo-v1.md §2.1): 8 bytes from the CSPRNG. */
function randomSid() {
	const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
	return new DataView(bytes.buffer).getBigUint64(0);
}

// ---------------------------------------------------------------------------------------------
// Send queue (cryo-v1.md §11.3)
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} QueuedFrame
 * @property {Uint8Array} bytes
 * @property {boolean} droppable UTF8DATA, BINARYDATA, ERROR: subject to the drop policy
 * @property {() => void} [sent] called once the frame was handed to the WebSocket
 * @property {(error: CryoError) => void} [dropped] called when the policy evicts the frame
 */

/**
 * The frames waiting for the socket. Protected frames are always admitted and never dropped
 * (their producers wait for room first); droppable ones are admitted while the queue stays
 * within its caps, otherwise the drop policy decides. A frame bigger than the byte cap fits
 * only into an empty queue.
 */
class SendQueue {
	/** @type {QueuedFrame[]} */
	#frames = [];

	#bytes = 0;

	/** @param {Settings["backpressure"]} limits */
	constructor(limits) {
		this.limits = limits;
	}

	get length() {
		return this.#frames.length;
	}

	get bytes() {
		return this.#bytes;
	}

	/** @param {number} length */
	fits(length) {
		const count = this.#frames.length;
		return count === 0 || (count + 1 <= this.limits.maxQueueCount && this.#bytes + length <= this.limits.maxQueuedBytes);
	}

	/** @param {QueuedFrame} frame */
	add(frame) {
		this.#frames.push(frame);
		this.#bytes += frame.bytes.length;
	}

	/**
	 * Offers a droppable frame.
	 * @param {QueuedFrame} frame
	 * @returns {{ outcome: "queued" | "dropped" | "overflow", evicted: QueuedFrame[] }}
	 */
	offer(frame) {
		/** @type {QueuedFrame[]} */
		const evicted = [];
		const length = frame.bytes.length;
		switch (this.limits.dropPolicy) {
			case "dedupe-latest": {
				// Latest-value semantics keyed on type and payload; the ack number differs per frame.
				const older = this.#frames.findIndex((queued) => queued.droppable && samePayload(queued.bytes, frame.bytes));
				if (older >= 0) {
					evicted.push(this.#removeAt(older));
				}
				break;
			}
			case "drop-oldest":
				for (let i = 0; i < this.#frames.length && !this.fits(length);) {
					if (this.#frames[i].droppable) {
						evicted.push(this.#removeAt(i));
					}
					else {
						i++;
					}
				}
				break;
			case "terminate":
				if (!this.fits(length)) {
					return { outcome: "overflow", evicted };
				}
				break;
			default:
				// drop-newest: the new frame is the one that goes if it does not fit.
		}
		if (!this.fits(length)) {
			return { outcome: "dropped", evicted };
		}
		this.add(frame);
		return { outcome: "queued", evicted };
	}

	peek() {
		return this.#frames[0];
	}

	shift() {
		const frame = /** @type {QueuedFrame} */ (this.#frames.shift());
		this.#bytes -= frame.bytes.length;
		return frame;
	}

	/** Empties the queue; the frames are simply forgotten (their senders are failed elsewhere). */
	clear() {
		this.#frames = [];
		this.#bytes = 0;
	}

	/** @param {number} index */
	#removeAt(index) {
		const [frame] = this.#frames.splice(index, 1);
		this.#bytes -= frame.bytes.length;
		return frame;
	}
}

/** Same type byte and same bytes after the 13-byte header. @param {Uint8Array} a @param {Uint8Array} b */
function samePayload(a, b) {
	if (a.length !== b.length || a[8] !== b[8]) {
		return false;
	}
	for (let i = HEADER_LENGTH; i < a.length; i++) {
		if (a[i] !== b[i]) {
			return false;
		}
	}
	return true;
}

// ---------------------------------------------------------------------------------------------
// Upload sources
// ---------------------------------------------------------------------------------------------

/**
 * Random or sequential access to what stream() uploads. readAt never reads more than asked,
 * so the upload reads only as fast as the socket takes the chunks.
 * @typedef {object} Source
 * @property {number | undefined} size
 * @property {(position: number, max: number) => Promise<Uint8Array | null>} readAt null at the end
 * @property {(reason: unknown) => void} release
 */

/**
 * @param {unknown} source
 * @param {number | undefined} declaredSize
 * @returns {Source}
 */
function openSource(source, declaredSize) {
	if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
		const bytes = asBytes(/** @type {ArrayBuffer | ArrayBufferView} */ (source));
		return {
			size: bytes.length,
			readAt: async (position, max) => position >= bytes.length ? null
				: bytes.subarray(position, Math.min(bytes.length, position + max)),
			release: () => {},
		};
	}
	if (typeof Blob !== "undefined" && source instanceof Blob) {
		return {
			size: source.size,
			readAt: async (position, max) => position >= source.size ? null
				: new Uint8Array(await source.slice(position, Math.min(source.size, position + max)).arrayBuffer()),
			release: () => {},
		};
	}
	if (typeof ReadableStream !== "undefined" && source instanceof ReadableStream) {
		return streamSource(source.getReader(), declaredSize);
	}
	throw new TypeError("stream() takes a Blob, File, ReadableStream, ArrayBuffer or typed array");
}

/**
 * A ReadableStream read strictly forward: it can skip ahead but never go back, since keeping
 * what was read would buffer the whole upload.
 * @param {ReadableStreamDefaultReader<unknown>} reader
 * @param {number | undefined} declaredSize
 * @returns {Source}
 */
function streamSource(reader, declaredSize) {
	let position = 0;
	/** @type {Uint8Array} */
	let leftover = new Uint8Array(0);
	let ended = false;
	const source = {
		size: declaredSize,
		/** @param {number} start @param {number} max */
		async readAt(start, max) {
			if (start < position) {
				throw new CryoError("RANGE_UNAVAILABLE",
					`bytes from ${start} were already read from the ReadableStream (now at ${position})`, { retryable: false });
			}
			while (true) {
				if (leftover.length === 0) {
					if (ended) {
						return null;
					}
					const { done, value } = await reader.read();
					if (done) {
						ended = true;
						source.size = position;
						return null;
					}
					if (!(value instanceof ArrayBuffer || ArrayBuffer.isView(value))) {
						throw new TypeError("the ReadableStream given to stream() must yield bytes (Uint8Array or ArrayBuffer)");
					}
					leftover = asBytes(value);
				}
				const skip = Math.min(start - position, leftover.length);
				if (skip > 0) {
					leftover = leftover.subarray(skip);
					position += skip;
					continue;
				}
				const piece = leftover.subarray(0, max);
				leftover = leftover.subarray(piece.length);
				position += piece.length;
				return piece;
			}
		},
		/** @param {unknown} reason */
		release(reason) {
			reader.cancel(reason).catch(() => {});
		},
	};
	return source;
}

// ---------------------------------------------------------------------------------------------
// One connection
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} Tracked
 * @property {(value: void) => void} resolve
 * @property {(error: CryoError) => void} reject
 * @property {string} type
 * @property {number} sentAt
 * @property {any} timer
 */

/**
 * @typedef {object} Outgoing
 * @property {number} txid
 * @property {string} name
 * @property {"push" | "pull"} mode
 * @property {CryoError | null} failure
 * @property {{ start: bigint, end: bigint }[]} pulls
 * @property {(() => void) | null} wake
 * @property {Source} source
 */

/**
 * @typedef {object} Incoming
 * @property {number} txid
 * @property {string} name
 * @property {number | undefined} size
 * @property {string} layout
 * @property {ReadableStreamDefaultController<Uint8Array>} controller
 * @property {ReadableStream<Uint8Array>} stream
 * @property {number} received
 * @property {number} requestedEnd
 * @property {boolean} pulling
 */

/**
 * One WebSocket and its Cryo v1 session state: ack and txid counters, tracked frames, the
 * send queue, transactions. A reconnect makes a new Link with a new sid.
 */
class Link {
	/** @type {any} */
	ws = null;

	/** @type {Promise<void>} */
	opened;

	ready = false;

	open = false;

	writable = true;

	/** The server's ENDPOINT_INFO flags; undefined until it arrived. @type {bigint | undefined} */
	serverFlags;

	/** The mode the server asked for with TX_FLOW, used for our uploads. @type {"push" | "pull"} */
	outgoingMode = "push";

	#ended = false;

	#ack = 0;

	#txid = 0;

	#ourInfoAcked = false;

	/** @type {Map<number, Tracked>} */
	#tracked = new Map();

	/** @type {Map<number, Outgoing>} */
	#outgoing = new Map();

	/** @type {Map<number, Incoming>} */
	#incoming = new Map();

	/** @type {{ length: number, resolve: () => void, reject: (error: CryoError) => void }[]} */
	#roomWaiters = [];

	/** @type {{ code: number, reason: string, error?: CryoError } | null} */
	#closing = null;

	/** @type {number | undefined} the HTTP status of a refused upgrade, if the implementation told */
	#refusalStatus;

	/** @type {CryoError | null} */
	#failure = null;

	#timers = { connect: null, endpointInfo: null, ping: null, poll: null, close: null };

	/**
	 * @param {CryoSession} session
	 * @param {Settings} settings
	 * @param {string} url the endpoint without credentials
	 * @param {(link: Link, info: {code: number, reason: string}, error: CryoError) => void} onEnded
	 */
	constructor(session, settings, url, onEnded) {
		this.session = session;
		this.settings = settings;
		this.url = url;
		this.sid = randomSid();
		this.layout = settings.transactionLayout;
		this.queue = new SendQueue(settings.backpressure);
		this.onEnded = onEnded;
		this.opened = new Promise((resolve, reject) => {
			this.resolveOpened = resolve;
			this.rejectOpened = reject;
		});
	}

	/** Opens the WebSocket; `opened` settles when the session is ready or failed. */
	start() {
		const target = new URL(this.url);
		target.searchParams.delete("authorization");
		target.searchParams.delete("x-cryo-sid");
		const separator = target.search ? "&" : "?";
		// encodeURIComponent writes the space as %20, which every server form-decodes to a space.
		const query = `authorization=${encodeURIComponent(`Bearer ${this.settings.token}`)}&x-cryo-sid=${this.sid}`;
		const address = `${target.origin.replace(/^http/, "ws")}${target.pathname}${target.search}${separator}${query}`;
		try {
			this.ws = new this.settings.WebSocket(address);
		}
		catch (error) {
			this.#end({ code: 1006, reason: "" }, new CryoError("CONNECT_FAILED",
				`Could not open a WebSocket to ${this.url}: ${this.session.redact(String(/** @type {any} */ (error)?.message ?? error))}`));
			return;
		}
		this.ws.binaryType = "arraybuffer";
		this.ws.onopen = () => this.#onOpen();
		this.ws.onmessage = (/** @type {{ data: unknown }} */ event) => this.#onMessage(event.data);
		this.ws.onerror = (/** @type {any} */ event) => this.#onError(event);
		this.ws.onclose = (/** @type {{ code: number, reason: string }} */ event) =>
			this.#end({ code: event.code, reason: this.session.redact(event.reason ?? "") }, null);
		this.#timers.connect = this.#schedule(() => this.#fail(new CryoError("CONNECT_TIMEOUT",
			`Could not connect to ${this.url} within ${this.settings.connectTimeout} ms`)), this.settings.connectTimeout);
	}

	get sidText() {
		return this.sid.toString();
	}

	// --- timers -------------------------------------------------------------------------------

	/** @param {() => void} fn @param {number} ms */
	#schedule(fn, ms) {
		return this.settings.clock.setTimeout(fn, ms);
	}

	/** @param {"connect" | "endpointInfo" | "ping" | "poll" | "close"} name */
	#cancel(name) {
		if (this.#timers[name] !== null) {
			this.settings.clock.clearTimeout(this.#timers[name]);
			this.#timers[name] = null;
		}
	}

	#watchPings() {
		this.#cancel("ping");
		if (this.settings.pingTimeout > 0) {
			this.#timers.ping = this.#schedule(() => {
				this.#timers.ping = null;
				this.close(PING_TIMEOUT_REASON);
			}, this.settings.pingTimeout);
		}
	}

	// --- socket events --------------------------------------------------------------------------

	#onOpen() {
		if (this.#ended) {
			return;
		}
		this.open = true;
		this.#cancel("connect");
		this.#timers.endpointInfo = this.#schedule(() => this.#fail(new CryoError("ENDPOINT_INFO_TIMEOUT",
			`The Cryo handshake with ${this.url} did not finish within ${this.settings.endpointInfoTimeout} ms`)),
		this.settings.endpointInfoTimeout);
		this.#watchPings();
		// Our ENDPOINT_INFO goes out at once; we never wait for the server's (cryo-v1.md §3 rule 2).
		const ack = this.#nextAck();
		this.#sendTracked(ack, "ENDPOINT_INFO", encodeFrame({ type: "ENDPOINT_INFO", sid: this.sid, ack,
			version: PROTOCOL_VERSION, flags: FEATURE_TRANSACTIONS }), false).then(() => {
			this.#ourInfoAcked = true;
			this.#checkReady();
		}, (error) => this.#fail(error));
	}

	/** @param {any} event */
	#onError(event) {
		// Only implementations that expose the refused upgrade's status tell us anything here.
		const status = event?.status ?? event?.statusCode ?? event?.error?.status ?? event?.error?.statusCode;
		const message = String(event?.error?.message ?? event?.message ?? "");
		const matched = /Unexpected server response: (\d{3})/.exec(message);
		const found = Number.isInteger(status) ? status : matched ? Number(matched[1]) : undefined;
		if (this.open || this.#ended) {
			return; // after open, the close event that follows an error reports the end
		}
		this.#refusalStatus = found;
		// A failed upgrade ends here: some implementations (Node 20's experimental WebSocket)
		// never follow this error with a close event.
		this.#end({ code: 1006, reason: "" }, null);
		this.#closeSocket(1000, "");
	}

	/** @param {unknown} data */
	#onMessage(data) {
		if (this.#ended) {
			return;
		}
		const stats = this.session.counters;
		if (typeof data === "string") {
			// A Cryo server never sends text messages (cryo-v1.md §1 rule 3).
			stats.ignoredMessages++;
			return;
		}
		let bytes;
		try {
			bytes = asBytes(/** @type {ArrayBuffer} */ (data));
		}
		catch {
			stats.ignoredMessages++;
			return;
		}
		stats.bytesIn += bytes.length;
		stats.framesIn++;
		let frame;
		try {
			frame = decodeFrame(bytes, { layout: this.#layoutFor(bytes) });
		}
		catch (error) {
			if (/** @type {CryoFrameError} */ (error).code === "FRAME_TOO_LARGE") {
				// Oversized frames end the connection (cryo-v1.md §9); browsers cannot send 1009.
				this.close("Message too big.", CLOSE_CLIENT_ERROR);
				return;
			}
			// Malformed frames are dropped, never ACKed, and the connection stays (§4.5).
			stats.malformedFrames++;
			return;
		}
		this.#handle(frame, bytes);
	}

	/**
	 * The layout to decode a message in: the session's, except that a chunk follows its
	 * transaction's layout and a 1.4 TX_START switches a seed session (§10.5 rule 3).
	 * @param {Uint8Array} bytes
	 */
	#layoutFor(bytes) {
		if (bytes.length >= HEADER_LENGTH && bytes[8] === FrameType.TX_CHUNK) {
			const txid = new DataView(bytes.buffer, bytes.byteOffset).getUint32(9);
			return this.#incoming.get(txid)?.layout ?? this.layout;
		}
		if (this.layout === Layout.SEED && isProtocol14TxStart(bytes)) {
			this.layout = Layout.CRYO_PROTOCOL_14;
		}
		return this.layout;
	}

	// --- frame handling (cryo-v1.md §5) ---------------------------------------------------------

	/** @param {any} frame @param {Uint8Array} bytes */
	#handle(frame, bytes) {
		switch (frame.type) {
			case "ENDPOINT_INFO":
				this.#onEndpointInfo(frame);
				break;
			case "ACK":
				this.#settle(frame.ack);
				break;
			case "PING_PONG":
				if (frame.payload === PING) {
					this.#watchPings();
					this.#writeNow(encodeFrame({ type: "PING_PONG", sid: this.sid, ack: frame.ack, payload: PONG }));
				}
				// A pong answers nothing: we never ping, and answering pongs would loop (§7).
				break;
			case "BYE":
				this.#acknowledge(frame.ack);
				this.#closeSocket(CLOSE_GRACEFUL, frame.reason);
				this.#end({ code: CLOSE_GRACEFUL, reason: this.session.redact(frame.reason) }, null);
				break;
			case "ERROR":
				this.#acknowledge(frame.ack);
				this.session.emitEvent("message-error", frame.payload);
				break;
			case "UTF8DATA":
				this.#acknowledge(frame.ack);
				this.session.emitEvent("message-utf8", frame.payload);
				break;
			case "BINARYDATA":
				this.#acknowledge(frame.ack);
				this.session.emitEvent("message-binary",
					bytes.buffer.slice(bytes.byteOffset + HEADER_LENGTH, bytes.byteOffset + bytes.length));
				break;
			case "TX_START":
				this.#acknowledge(frame.ack);
				this.#onTxStart(frame);
				break;
			case "TX_CHUNK":
				this.#onTxChunk(frame);
				break;
			case "TX_FINISH":
				this.#acknowledge(frame.ack);
				this.#onTxFinish(frame.txid);
				break;
			case "TX_FLOW":
				this.#acknowledge(frame.ack);
				// In a 1.4 session our uploads stay push: that generation's pull mode is broken (§10.5).
				if (this.layout === Layout.SEED) {
					this.outgoingMode = frame.behaviour === "TX_PULL" ? "pull" : "push";
				}
				break;
			case "TX_PULL":
				this.#acknowledge(frame.ack);
				this.#onTxPull(frame);
				break;
			case "TX_FETCH":
				// We never offer 1.4 pull transactions, so there is nothing to serve (§10.5).
				this.#acknowledge(frame.ack);
				break;
			default:
				this.#acknowledge(frame.ack);
				this.#onTxCancel(frame.txid);
		}
	}

	/** @param {{ ack: number, version: number, flags: bigint }} frame */
	#onEndpointInfo(frame) {
		if (this.serverFlags !== undefined) {
			// A repeat is ACKed and otherwise ignored (cryo-v1.md §3 rule 6).
			this.#acknowledge(frame.ack);
			return;
		}
		if (frame.version !== PROTOCOL_VERSION) {
			const reason = `Protocol mismatch. Server offered ${frame.version}, we support ${PROTOCOL_VERSION} !`;
			this.close(reason, CLOSE_CLIENT_ERROR, new CryoError("PROTOCOL_MISMATCH",
				`${this.url} speaks Cryo protocol version ${frame.version}; this client speaks ${PROTOCOL_VERSION}`,
				{ retryable: false }));
			return;
		}
		this.#acknowledge(frame.ack);
		this.serverFlags = frame.flags;
		this.#checkReady();
	}

	#checkReady() {
		if (this.ready || this.#ended || !this.#ourInfoAcked || this.serverFlags === undefined) {
			return;
		}
		this.ready = true;
		this.#cancel("endpointInfo");
		if (this.settings.receiveMode === "pull" && this.layout === Layout.SEED && this.supportsTransactions) {
			const ack = this.#nextAck();
			this.#sendTracked(ack, "TX_FLOW",
				encodeFrame({ type: "TX_FLOW", sid: this.sid, ack, behaviour: "TX_PULL" }), false).catch(() => {});
		}
		/** @type {(value: void) => void} */ (this.resolveOpened)();
	}

	get supportsTransactions() {
		return this.serverFlags !== undefined && (this.serverFlags & FEATURE_TRANSACTIONS) !== 0n;
	}

	// --- acks and tracked frames (cryo-v1.md §6) --------------------------------------------------

	#nextAck() {
		const ack = this.#ack;
		this.#ack = (this.#ack + 1) >>> 0;
		return ack;
	}

	/** @param {number} ack */
	#acknowledge(ack) {
		this.#writeNow(encodeFrame({ type: "ACK", sid: this.sid, ack }));
	}

	/** @param {number} ack */
	#settle(ack) {
		const tracked = this.#tracked.get(ack);
		if (tracked === undefined) {
			return;
		}
		this.#tracked.delete(ack);
		if (tracked.timer !== null) {
			this.settings.clock.clearTimeout(tracked.timer);
		}
		if (tracked.sentAt >= 0) {
			this.session.sampleRtt(this.settings.clock.now() - tracked.sentAt);
		}
		tracked.resolve();
	}

	/**
	 * Queues a tracked frame; the promise settles with its ACK. The ack timer starts when the
	 * frame is handed to the socket, so time spent waiting in our own queue is not blamed on
	 * the server.
	 * @param {number} ack @param {string} type @param {Uint8Array} bytes @param {boolean} droppable
	 * @returns {Promise<void>}
	 */
	#sendTracked(ack, type, bytes, droppable) {
		return new Promise((resolve, reject) => {
			/** @type {Tracked} */
			const tracked = { resolve, reject, type, sentAt: -1, timer: null };
			this.#tracked.set(ack, tracked);
			/** @type {QueuedFrame} */
			const queued = {
				bytes,
				droppable,
				sent: () => {
					tracked.sentAt = this.settings.clock.now();
					tracked.timer = this.#schedule(() => {
						if (this.#tracked.get(ack) === tracked) {
							this.#tracked.delete(ack);
							this.session.counters.ackTimeouts++;
							reject(new CryoError("ACK_TIMEOUT", `No ACK for frame ${ack} (${type}) of session ${this.sid} `
								+ `within ${this.settings.ackTimeout} ms`));
						}
					}, this.settings.ackTimeout);
				},
				dropped: (error) => {
					if (this.#tracked.get(ack) === tracked) {
						this.#tracked.delete(ack);
					}
					reject(error);
				},
			};
			if (!droppable) {
				this.queue.add(queued);
				this.#pump();
				return;
			}
			const { outcome, evicted } = this.queue.offer(queued);
			for (const frame of evicted) {
				this.#drop(frame);
			}
			if (outcome === "dropped") {
				this.#drop(queued);
			}
			else if (outcome === "overflow") {
				queued.dropped?.(new CryoError("QUEUE_OVERFLOW", `The send queue of session ${this.sid} is full `
					+ "(drop policy terminate); the connection is closed"));
				this.close("Send queue overflow.");
				return;
			}
			this.#pump();
		});
	}

	/** @param {QueuedFrame} frame */
	#drop(frame) {
		this.session.counters.dropped++;
		frame.dropped?.(new CryoError("DROPPED", `Dropped by backpressure (${this.settings.backpressure.dropPolicy}) `
			+ `in session ${this.sid}`));
	}

	// --- writing (cryo-v1.md §11.3) ------------------------------------------------------------

	/** Writes an expedited frame (ACK, pong) ahead of the queue: never queued, never dropped. @param {Uint8Array} bytes */
	#writeNow(bytes) {
		if (this.open && !this.#ended) {
			this.#write(bytes);
		}
	}

	/** @param {Uint8Array} bytes */
	#write(bytes) {
		try {
			this.ws.send(bytes);
		}
		catch (error) {
			this.#fail(new CryoError("SEND_FAILED", `The WebSocket refused a frame: ${this.session.redact(
				String(/** @type {any} */ (error)?.message ?? error))}`));
			return;
		}
		this.session.counters.bytesOut += bytes.length;
		this.session.counters.framesOut++;
	}

	#buffered() {
		return Number(this.ws?.bufferedAmount ?? 0);
	}

	/**
	 * Moves queued frames to the socket while its buffer is below the high-water mark (one
	 * frame may cross it, so that a frame bigger than the mark still goes out). Browsers have
	 * no drain event, so while anything waits the buffer is polled.
	 */
	#pump() {
		if (!this.open || this.#ended) {
			return;
		}
		const high = this.settings.backpressure.highWaterMark;
		while (this.queue.length > 0) {
			const buffered = this.#buffered();
			const next = /** @type {QueuedFrame} */ (this.queue.peek());
			if (buffered > 0 && buffered + next.bytes.length > high) {
				break;
			}
			this.queue.shift();
			this.#write(next.bytes);
			if (this.#ended) {
				return;
			}
			next.sent?.();
		}
		if (this.#closing && this.queue.length === 0) {
			this.#finishClosing();
			return;
		}
		this.#updateWritable();
		this.#wakeRoomWaiters();
		if ((this.queue.length > 0 || !this.writable || this.#roomWaiters.length > 0) && this.#timers.poll === null) {
			this.#timers.poll = this.#schedule(() => {
				this.#timers.poll = null;
				this.#pump();
			}, this.settings.drainPollInterval);
		}
	}

	#pending() {
		return this.queue.bytes + this.#buffered();
	}

	#updateWritable() {
		const pending = this.#pending();
		const { highWaterMark, lowWaterMark } = this.settings.backpressure;
		if (this.writable && pending >= highWaterMark) {
			this.writable = false;
			this.session.writabilityChanged(this, false);
		}
		else if (!this.writable && pending <= lowWaterMark) {
			this.writable = true;
			this.session.writabilityChanged(this, true);
		}
	}

	/** Room for a protected frame of this length: the queue fits it and the session is below the high-water mark. @param {number} length */
	#hasRoom(length) {
		return this.queue.fits(length) && this.#pending() < this.settings.backpressure.highWaterMark;
	}

	/** @param {number} length @returns {Promise<void>} */
	#waitForRoom(length) {
		if (this.#hasRoom(length)) {
			return Promise.resolve();
		}
		return new Promise((resolve, reject) => {
			this.#roomWaiters.push({ length, resolve, reject });
			this.#pump();
		});
	}

	#wakeRoomWaiters() {
		while (this.#roomWaiters.length > 0 && this.#hasRoom(this.#roomWaiters[0].length)) {
			/** @type {{ resolve: () => void }} */ (this.#roomWaiters.shift()).resolve();
		}
	}

	/** @param {Uint8Array} bytes */
	#enqueueProtected(bytes) {
		this.queue.add({ bytes, droppable: false });
		this.#pump();
	}

	// --- application sends ----------------------------------------------------------------------

	/** @param {"UTF8DATA" | "BINARYDATA"} type @param {string | Uint8Array} payload */
	sendData(type, payload) {
		const ack = this.#nextAck();
		return this.#sendTracked(ack, type, encodeFrame({ type, sid: this.sid, ack, payload }), true);
	}

	/** @param {string} text */
	#sendError(text) {
		const ack = this.#nextAck();
		this.#sendTracked(ack, "ERROR", encodeFrame({ type: "ERROR", sid: this.sid, ack, payload: text }), true)
			.catch(() => {});
	}

	// --- outgoing transactions (cryo-v1.md §10.2–10.4) ------------------------------------------

	/**
	 * @param {unknown} data
	 * @param {string} name
	 * @param {import("./cryo.d.ts").StreamOptions} options
	 */
	async upload(data, name, options) {
		if (!this.supportsTransactions) {
			throw new CryoError("UNSUPPORTED", "The server did not announce transactions (FEATURE_TRANSACTIONS)",
				{ retryable: false });
		}
		const requested = options.mode ?? "auto";
		if (requested === "pull" && this.outgoingMode !== "pull") {
			// Only the receiver asks for pull (TX_FLOW); without its request no TX_PULL would ever come.
			throw new CryoError("UNSUPPORTED", "The server did not ask for pull mode (TX_FLOW), so it would never pull",
				{ retryable: false });
		}
		// Push is always acceptable: a receiver that asked for pull takes unrequested chunks too (§10.3).
		const mode = requested === "auto" ? this.outgoingMode : requested;
		const source = openSource(data, options.size);
		const txid = this.#txid;
		this.#txid = (this.#txid + 1) >>> 0;
		/** @type {Outgoing} */
		const tx = { txid, name, mode, failure: null, pulls: [], wake: null, source };
		this.#outgoing.set(txid, tx);
		const chunkSize = options.chunkSize ?? this.settings.chunkSize;
		const progress = options.onProgress ?? (() => {});
		try {
			const ack = this.#nextAck();
			await this.#sendTracked(ack, "TX_START", encodeFrame({ type: "TX_START", sid: this.sid, ack, txid, name },
				{ layout: this.layout }), false).catch((error) => {
				if (error.code === "ACK_TIMEOUT") {
					this.#sendError(`TX_START for txid ${txid} was not acknowledged`);
				}
				throw error;
			});
			const sent = mode === "push" ? await this.#push(tx, chunkSize, progress)
				: await this.#servePulls(tx, chunkSize, progress);
			this.#check(tx);
			const finishAck = this.#nextAck();
			await this.#sendTracked(finishAck, "TX_FINISH",
				encodeFrame({ type: "TX_FINISH", sid: this.sid, ack: finishAck, txid }), false);
			return { txid, name, bytes: sent, mode };
		}
		catch (error) {
			source.release(error);
			throw error;
		}
		finally {
			this.#outgoing.delete(txid);
		}
	}

	/** @param {Outgoing} tx */
	#check(tx) {
		if (tx.failure) {
			throw tx.failure;
		}
	}

	/**
	 * Push mode: read a chunk only once the socket has room for it.
	 * @param {Outgoing} tx @param {number} chunkSize @param {(sent: number, total?: number) => void} progress
	 */
	async #push(tx, chunkSize, progress) {
		let sent = 0;
		let seq = 0;
		for (;;) {
			await this.#roomFor(tx, chunkSize + 17);
			const chunk = await tx.source.readAt(sent, chunkSize);
			this.#check(tx);
			if (chunk === null) {
				return sent;
			}
			this.#enqueueProtected(encodeFrame({ type: "TX_CHUNK", sid: this.sid, txid: tx.txid, seq, payload: chunk },
				{ layout: this.layout }));
			seq = (seq + 1) >>> 0;
			sent += chunk.length;
			progress(sent, tx.source.size);
		}
	}

	/** @param {Outgoing} tx @param {number} length */
	async #roomFor(tx, length) {
		this.#check(tx);
		await this.#waitForRoom(length);
		this.#check(tx);
	}

	/**
	 * Pull mode, sender side: serve each TX_PULL's range in arrival order, and finish once a
	 * served range reached the end of the data (cryo-v1.md §10.4, sender rules 1–4).
	 * @param {Outgoing} tx @param {number} chunkSize @param {(sent: number, total?: number) => void} progress
	 */
	async #servePulls(tx, chunkSize, progress) {
		let highest = 0;
		for (;;) {
			const request = await this.#nextPull(tx);
			const size = tx.source.size;
			const end = size === undefined ? request.end : (request.end < BigInt(size) ? request.end : BigInt(size));
			let position = Number(request.start);
			const stop = Number(end);
			let exhausted = size !== undefined && request.start >= BigInt(size);
			while (!exhausted && position < stop) {
				await this.#roomFor(tx, chunkSize + HEADER_LENGTH);
				let chunk;
				try {
					chunk = await tx.source.readAt(position, Math.min(chunkSize, stop - position));
				}
				catch (error) {
					if (/** @type {CryoError} */ (error).code === "RANGE_UNAVAILABLE") {
						this.#sendError(`TX_PULL for txid ${tx.txid} asks for bytes that can no longer be read`);
					}
					throw error;
				}
				this.#check(tx);
				if (chunk === null) {
					exhausted = true;
					break;
				}
				this.#enqueueProtected(encodeFrame({ type: "TX_CHUNK", sid: this.sid, txid: tx.txid, payload: chunk }));
				position += chunk.length;
				if (position > highest) {
					highest = position;
					progress(highest, tx.source.size);
				}
			}
			const total = tx.source.size;
			if (exhausted || (total !== undefined && request.end >= BigInt(total))) {
				return total ?? highest;
			}
		}
	}

	/** @param {Outgoing} tx @returns {Promise<{ start: bigint, end: bigint }>} */
	async #nextPull(tx) {
		while (tx.pulls.length === 0) {
			this.#check(tx);
			await new Promise((resolve) => {
				tx.wake = () => resolve(undefined);
			});
			tx.wake = null;
		}
		this.#check(tx);
		return /** @type {{ start: bigint, end: bigint }} */ (tx.pulls.shift());
	}

	/** @param {{ txid: number, start: bigint, end: bigint }} frame */
	#onTxPull(frame) {
		const tx = this.#outgoing.get(frame.txid);
		if (tx === undefined) {
			this.#sendError(`TX_PULL for unknown txid ${frame.txid}`);
			return;
		}
		if (tx.mode === "push") {
			return; // ACKed and ignored (cryo-v1.md §10.3)
		}
		if (frame.start > frame.end) {
			this.#sendError(`TX_PULL for txid ${frame.txid} has start ${frame.start} > end ${frame.end}`);
			return;
		}
		if (tx.pulls.length >= MAX_PENDING_PULLS) {
			this.#sendError(`Too many outstanding TX_PULL requests for txid ${frame.txid}`);
			return;
		}
		tx.pulls.push({ start: frame.start, end: frame.end });
		tx.wake?.();
	}

	/** @param {number} txid */
	#onTxCancel(txid) {
		const tx = this.#outgoing.get(txid);
		if (tx !== undefined) {
			this.#abortOutgoing(tx, new CryoError("CANCELLED", `The server cancelled transaction ${txid} ("${tx.name}")`,
				{ retryable: false }));
		}
	}

	/** @param {Outgoing} tx @param {CryoError} error */
	#abortOutgoing(tx, error) {
		if (tx.failure === null) {
			tx.failure = error;
			tx.source.release(error);
			tx.wake?.();
		}
	}

	// --- incoming transactions ------------------------------------------------------------------

	/** @param {{ txid: number, name: string, size?: number }} frame */
	#onTxStart(frame) {
		const replaced = this.#incoming.get(frame.txid);
		if (replaced !== undefined) {
			this.#failIncoming(replaced, new CryoError("REPLACED", `Transaction ${frame.txid} was restarted by the server`));
		}
		const pulling = this.settings.receiveMode === "pull" && this.layout === Layout.SEED;
		const window = this.settings.pullWindowBytes;
		/** @type {Incoming} */
		const tx = /** @type {any} */ ({
			txid: frame.txid,
			name: frame.name === "" ? "anonymous" : frame.name,
			size: frame.size !== undefined && frame.size >= 0 ? frame.size : undefined,
			layout: this.layout,
			received: 0,
			requestedEnd: 0,
			pulling,
		});
		tx.stream = new ReadableStream({
			start: (controller) => {
				tx.controller = controller;
			},
			pull: () => this.#requestMore(tx),
			cancel: () => this.#cancelIncoming(tx),
		}, { highWaterMark: pulling ? window : this.settings.maxIncomingBuffer, size: (chunk) => chunk.byteLength });
		this.#incoming.set(frame.txid, tx);
		this.#requestMore(tx);
		this.session.deliverStream({ stream: tx.stream, name: tx.name, size: tx.size, txid: tx.txid },
			() => this.#cancelIncoming(tx, new CryoError("UNCLAIMED", `Incoming stream "${tx.name}" (txid ${tx.txid}) `
				+ `was cancelled: more than ${MAX_UNCLAIMED_STREAMS} streams waited to be claimed`)));
	}

	/** Pull mode, receiver side: ask for the next window once the last one arrived and the reader wants more. @param {Incoming} tx */
	#requestMore(tx) {
		if (!tx.pulling || this.#incoming.get(tx.txid) !== tx || tx.received < tx.requestedEnd
				|| (tx.controller.desiredSize ?? 0) <= 0) {
			return;
		}
		const start = tx.received;
		tx.requestedEnd = start + this.settings.pullWindowBytes;
		const ack = this.#nextAck();
		this.#sendTracked(ack, "TX_PULL", encodeFrame({ type: "TX_PULL", sid: this.sid, ack, txid: tx.txid,
			start: BigInt(start), end: BigInt(tx.requestedEnd) }), false).catch(() => {});
	}

	/** @param {{ txid: number, payload: Uint8Array }} frame */
	#onTxChunk(frame) {
		const tx = this.#incoming.get(frame.txid);
		if (tx === undefined) {
			return; // unknown txid: dropped (cryo-v1.md §10.2)
		}
		// Copy: the payload is a view into the message, and the reader may keep chunks for long.
		tx.controller.enqueue(frame.payload.slice());
		tx.received += frame.payload.length;
		if ((tx.controller.desiredSize ?? 0) < 0 && !tx.pulling) {
			// Push mode cannot slow the server down; a stream nobody reads must not grow without bound.
			this.#cancelIncoming(tx, new CryoError("STREAM_OVERFLOW", `Incoming stream "${tx.name}" (txid ${tx.txid}) `
				+ `was cancelled: more than ${this.settings.maxIncomingBuffer} bytes arrived that nobody read`));
			return;
		}
		this.#requestMore(tx);
	}

	/** @param {number} txid */
	#onTxFinish(txid) {
		const tx = this.#incoming.get(txid);
		if (tx !== undefined) {
			this.#incoming.delete(txid);
			tx.controller.close();
		}
	}

	/** The reader gave up (or nobody claimed the stream): tell the server with TX_CANCEL. @param {Incoming} tx @param {CryoError} [error] */
	#cancelIncoming(tx, error) {
		if (this.#incoming.get(tx.txid) !== tx) {
			return;
		}
		this.#incoming.delete(tx.txid);
		if (error) {
			tx.controller.error(error);
		}
		if (this.open && !this.#ended) {
			const ack = this.#nextAck();
			this.#sendTracked(ack, "TX_CANCEL", encodeFrame({ type: "TX_CANCEL", sid: this.sid, ack, txid: tx.txid }), false)
				.catch(() => {});
		}
	}

	/** @param {Incoming} tx @param {CryoError} error */
	#failIncoming(tx, error) {
		this.#incoming.delete(tx.txid);
		try {
			tx.controller.error(error);
		}
		catch {
			// Already closed or errored by its reader: nothing left to tell it.
		}
	}

	// --- ending ---------------------------------------------------------------------------------

	/**
	 * Leaves: BYE after what is already queued, then close (cryo-v1.md §8.1), bounded by
	 * closeTimeout. Idempotent.
	 * @param {string} reason @param {number} [code] @param {CryoError} [error] why, when this ends a handshake
	 */
	close(reason, code = CLOSE_GRACEFUL, error) {
		if (this.#ended || this.#closing) {
			return;
		}
		this.#closing = { code, reason, error };
		if (error) {
			this.#failure = error;
		}
		if (!this.open) {
			if (this.ws !== null) {
				// Still connecting: nothing to say goodbye to yet.
				this.#failure ??= new CryoError("CLOSED", `close() was called while connecting to ${this.url}`,
					{ retryable: false });
				this.#end({ code, reason }, null);
				this.#closeSocket(1000, reason);
			}
			return;
		}
		this.#startClosing();
	}

	#startClosing() {
		const { reason } = /** @type {{ reason: string }} */ (this.#closing);
		const ack = this.#nextAck();
		this.queue.add({ bytes: encodeFrame({ type: "BYE", sid: this.sid, ack, reason: truncateBye(reason) }),
			droppable: false });
		this.#timers.close = this.#schedule(() => {
			this.#timers.close = null;
			this.#finishClosing();
		}, this.settings.closeTimeout);
		this.#pump();
	}

	#finishClosing() {
		const { code, reason } = /** @type {{ code: number, reason: string }} */ (this.#closing);
		this.#closeSocket(code, reason);
		this.#end({ code, reason }, null);
	}

	/** @param {number} code @param {string} reason */
	#closeSocket(code, reason) {
		try {
			this.ws?.close(code, truncateReason(reason));
		}
		catch {
			// The socket is already closing; its close event is no longer needed.
		}
	}

	/** Ends the connection because of a local failure. @param {CryoError} error */
	#fail(error) {
		if (this.#ended) {
			return;
		}
		this.#failure = error;
		const open = this.open;
		// Ended first: closing a socket that is still connecting can fire its error event at once.
		this.#end({ code: open ? CLOSE_CLIENT_ERROR : 1006, reason: error.message }, null);
		this.#closeSocket(open ? CLOSE_CLIENT_ERROR : 1000, open ? "Client error." : "");
	}

	/**
	 * The one way a connection ends: every timer stops, everything waiting fails, and the
	 * session hears about it once.
	 * @param {{ code: number, reason: string }} info
	 * @param {CryoError | null} error
	 */
	#end(info, error) {
		if (this.#ended) {
			return;
		}
		this.#ended = true;
		for (const name of /** @type {const} */ (["connect", "endpointInfo", "ping", "poll", "close"])) {
			this.#cancel(name);
		}
		const failure = error ?? this.#failure ?? this.#errorFor(info);
		const closed = new CryoError("CLOSED", `Session ${this.sid} is closed (code ${info.code}`
			+ `${info.reason ? `, reason "${info.reason}"` : ""})`, { cause: failure });
		for (const tracked of this.#tracked.values()) {
			if (tracked.timer !== null) {
				this.settings.clock.clearTimeout(tracked.timer);
			}
			tracked.reject(closed);
		}
		this.#tracked.clear();
		this.queue.clear();
		for (const waiter of this.#roomWaiters.splice(0)) {
			waiter.reject(closed);
		}
		for (const tx of this.#outgoing.values()) {
			this.#abortOutgoing(tx, closed);
		}
		for (const tx of [...this.#incoming.values()]) {
			this.#failIncoming(tx, closed);
		}
		if (this.ready) {
			this.onEnded(this, info, failure);
		}
		else {
			/** @type {(error: CryoError) => void} */ (this.rejectOpened)(failure);
		}
	}

	/** Explains a close that nobody on our side asked for. @param {{ code: number, reason: string }} info */
	#errorFor(info) {
		if (!this.open) {
			if (this.#refusalStatus !== undefined) {
				return new CryoError("REFUSED", `The server refused the Cryo upgrade to ${this.url} with HTTP `
					+ `${this.#refusalStatus}${this.#refusalStatus === 401 ? " (token not accepted or session id refused)" : ""}`,
				{ retryable: this.#refusalStatus !== 401, status: this.#refusalStatus });
			}
			return new CryoError("UPGRADE_FAILED", `The WebSocket to ${this.url} closed before it opened (code ${info.code}): `
				+ "the server refused the upgrade (for example 401 for a token it does not accept, 403 for a foreign "
				+ "Origin) or could not be reached; browsers do not tell which");
		}
		if (info.code === CLOSE_CLIENT_ERROR && info.reason.startsWith("Protocol mismatch")) {
			return new CryoError("PROTOCOL_MISMATCH", `${this.url} refused our protocol version: ${info.reason}`,
				{ retryable: false });
		}
		return new CryoError("CLOSED", `The connection to ${this.url} closed (code ${info.code}`
			+ `${info.reason ? `, reason "${info.reason}"` : ""})`);
	}
}

/** BYE reasons are truncated, not refused (cryo-v1.md §9). @param {string} reason */
function truncateBye(reason) {
	const bytes = utf8Encoder.encode(reason);
	return bytes.length <= MAX_PAYLOAD ? reason : utf8Decoder.decode(bytes.subarray(0, MAX_PAYLOAD)).replace(/\uFFFD$/, "");
}

// ---------------------------------------------------------------------------------------------
// Session
// ---------------------------------------------------------------------------------------------

const START = Symbol("start");

/**
 * A Cryo session as the application sees it: it outlives single connections (reconnecting
 * gives it a new connection and a new sid) and ends with `closed`. Create it with
 * {@link connect}.
 */
export class CryoSession {
	/** @type {Map<string, Set<(...args: any[]) => void>>} */
	#listeners = new Map();

	/** @type {Link | null} */
	#link = null;

	/** @type {"connecting" | "open" | "reconnecting" | "closing" | "closed"} */
	#state = "connecting";

	#closeRequested = false;

	#attempt = 0;

	/** @type {any} */
	#reconnectTimer = null;

	/** @type {{ code: number, reason: string, error?: CryoError } | null} */
	#lostWith = null;

	#rtt = -1;

	#writable = true;

	/** @type {{ name: string, resolve: (s: import("./cryo.d.ts").IncomingStream) => void, reject: (e: CryoError) => void, timer: any }[]} */
	#streamWaiters = [];

	/** @type {{ incoming: import("./cryo.d.ts").IncomingStream, cancel: () => void }[]} */
	#unclaimed = [];

	/** @type {(value: { code: number, reason: string, error?: CryoError }) => void} */
	#resolveClosed = () => {};

	/** Resolves with how the session ended. @type {Promise<{ code: number, reason: string, error?: CryoError }>} */
	closed = new Promise((resolve) => {
		this.#resolveClosed = resolve;
	});

	/** Counters since the session started; read them through {@link stats}. */
	counters = { bytesIn: 0, bytesOut: 0, framesIn: 0, framesOut: 0, ackTimeouts: 0, dropped: 0, malformedFrames: 0,
		ignoredMessages: 0, reconnectAttempts: 0, reconnects: 0 };

	/**
	 * @param {string} url
	 * @param {import("./cryo.d.ts").ConnectOptions} options
	 */
	constructor(url, options) {
		this.settings = resolveOptions(options);
		const parsed = new URL(url);
		if (!/^(wss?|https?):$/.test(parsed.protocol)) {
			throw new TypeError(`A Cryo endpoint is a ws:// or wss:// URL, not ${parsed.protocol}//…`);
		}
		if (parsed.searchParams.has("authorization") || parsed.searchParams.has("x-cryo-sid")) {
			throw new TypeError("The URL must not carry authorization or x-cryo-sid: the client sets them");
		}
		parsed.hash = "";
		/** The endpoint as errors name it: never with credentials. */
		this.url = `${parsed.protocol.replace(/^http/, "ws")}//${parsed.host}${parsed.pathname}${parsed.search}`;
	}

	/** Opens the first connection; a failure ends the session without reconnecting. */
	async [START]() {
		const link = this.#newLink();
		try {
			await link.opened;
		}
		catch (error) {
			this.#state = "closed";
			const failure = /** @type {CryoError} */ (error);
			this.#resolveClosed({ code: 1006, reason: failure.message, error: failure });
			throw failure;
		}
		if (this.#state === "connecting") {
			this.#state = "open";
		}
		return this;
	}

	#newLink() {
		const link = new Link(this, this.settings, this.url, (ended, info, error) => this.#linkEnded(ended, info, error));
		this.#link = link;
		link.start();
		return link;
	}

	/** The current connection's session id, a decimal string. */
	get id() {
		return this.#link?.sidText ?? "";
	}

	/** `connecting`, `open`, `reconnecting`, `closing` or `closed`. */
	get state() {
		return this.#state;
	}

	/** The round-trip time estimate in ms (EWMA of ACK delays, cryo-v1.md §6.4), −1 without a sample. */
	get rtt() {
		return this.#rtt;
	}

	/** Whether the send queue is below its high-water mark. */
	get writable() {
		return this.#writable;
	}

	/** A snapshot of the traffic counters. @returns {import("./cryo.d.ts").SessionStats} */
	get stats() {
		return { ...this.counters, queuedFrames: this.#link?.queue.length ?? 0, queuedBytes: this.#link?.queue.bytes ?? 0 };
	}

	// --- events -------------------------------------------------------------------------------

	/**
	 * Adds a listener.
	 * @param {string} event @param {(...args: any[]) => void} listener @returns {this}
	 */
	on(event, listener) {
		if (!EVENTS.has(event)) {
			throw new TypeError(`Unknown event "${event}"; known: ${[...EVENTS].join(", ")}`);
		}
		if (typeof listener !== "function") {
			throw new TypeError("A listener must be a function");
		}
		let set = this.#listeners.get(event);
		if (set === undefined) {
			set = new Set();
			this.#listeners.set(event, set);
		}
		set.add(listener);
		if (event === "stream") {
			this.#handOverUnclaimed();
		}
		return this;
	}

	/**
	 * Removes a listener added with {@link on} or {@link once}.
	 * @param {string} event @param {(...args: any[]) => void} listener @returns {this}
	 */
	off(event, listener) {
		const set = this.#listeners.get(event);
		if (set === undefined) {
			return this;
		}
		if (!set.delete(listener)) {
			for (const candidate of set) {
				if (/** @type {any} */ (candidate).original === listener) {
					set.delete(candidate);
					break;
				}
			}
		}
		return this;
	}

	/**
	 * Adds a listener that runs once.
	 * @param {string} event @param {(...args: any[]) => void} listener @returns {this}
	 */
	once(event, listener) {
		/** @param {any[]} args */
		const wrapper = (...args) => {
			this.off(event, wrapper);
			listener(...args);
		};
		wrapper.original = listener;
		return this.on(event, wrapper);
	}

	/** Internal: tells the listeners; a throwing listener does not disturb the protocol. @param {string} event @param {...unknown} args */
	emitEvent(event, ...args) {
		for (const listener of [...(this.#listeners.get(event) ?? [])]) {
			try {
				listener(...args);
			}
			catch (error) {
				if (typeof globalThis.reportError === "function") {
					globalThis.reportError(error);
				}
				else {
					console.error(error);
				}
			}
		}
	}

	/** Internal. @param {number} sample */
	sampleRtt(sample) {
		this.#rtt = this.#rtt < 0 ? sample : 0.8 * this.#rtt + 0.2 * sample;
	}

	/** Internal. @param {Link} link @param {boolean} writable */
	writabilityChanged(link, writable) {
		if (link === this.#link && writable !== this.#writable) {
			this.#writable = writable;
			this.emitEvent("writable", writable);
		}
	}

	/** Internal: removes the token from text that may come from elsewhere. @param {string} text */
	redact(text) {
		const token = this.settings.token;
		let result = text;
		for (const form of new Set([token, encodeURIComponent(token), new URLSearchParams({ t: token }).toString().slice(2)])) {
			result = result.split(form).join("[token]");
		}
		return result;
	}

	// --- sending ------------------------------------------------------------------------------

	/** @returns {Link} */
	#requireOpen() {
		const link = this.#link;
		if (this.#state !== "open" || link === null || !link.ready) {
			throw new CryoError("NOT_CONNECTED", `Not connected (state ${this.#state}); nothing was sent`);
		}
		return link;
	}

	/**
	 * Sends text (UTF8DATA). Resolves when the server ACKs it; rejects at once when not
	 * connected, and later on ack timeout, drop by backpressure or connection loss.
	 * @param {string} text
	 * @returns {Promise<void>}
	 */
	async sendUtf8(text) {
		if (typeof text !== "string") {
			throw new TypeError("sendUtf8 takes a string");
		}
		const link = this.#requireOpen();
		return link.sendData("UTF8DATA", checkSendable(utf8Encoder.encode(text)));
	}

	/**
	 * Sends bytes (BINARYDATA); same promise rules as {@link sendUtf8}.
	 * @param {ArrayBuffer | ArrayBufferView | Blob} data
	 * @returns {Promise<void>}
	 */
	async sendBinary(data) {
		let bytes;
		if (typeof Blob !== "undefined" && data instanceof Blob) {
			this.#requireOpen();
			checkSendable({ length: data.size });
			bytes = new Uint8Array(await data.arrayBuffer());
		}
		else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
			bytes = asBytes(data);
		}
		else {
			throw new TypeError("sendBinary takes an ArrayBuffer, a typed array or a Blob");
		}
		const link = this.#requireOpen();
		return link.sendData("BINARYDATA", checkSendable(bytes));
	}

	/**
	 * Uploads data as a transaction (TX_START, TX_CHUNKs, TX_FINISH). The source is read only
	 * as fast as the socket takes it. Resolves once the server ACKed TX_FINISH.
	 * @param {Blob | ReadableStream<Uint8Array> | ArrayBuffer | ArrayBufferView} data
	 * @param {string} name
	 * @param {import("./cryo.d.ts").StreamOptions} [options]
	 * @returns {Promise<import("./cryo.d.ts").StreamResult>}
	 */
	async stream(data, name, options = {}) {
		if (typeof name !== "string" || name === "") {
			throw new TypeError("stream() needs a non-empty name");
		}
		if (utf8Encoder.encode(name).length > MAX_PAYLOAD) {
			throw new CryoError("TOO_LARGE", `A transaction name is at most ${MAX_PAYLOAD} bytes`, { retryable: false });
		}
		if (options.mode !== undefined && !["auto", "push", "pull"].includes(options.mode)) {
			throw new RangeError('mode must be "auto", "push" or "pull"');
		}
		if (options.chunkSize !== undefined && !(Number.isInteger(options.chunkSize) && options.chunkSize >= 1
				&& options.chunkSize <= MAX_PAYLOAD)) {
			throw new RangeError(`chunkSize must be an integer from 1 to ${MAX_PAYLOAD}`);
		}
		return this.#requireOpen().upload(data, name, options);
	}

	/**
	 * Waits for an incoming transaction with this name; one that already arrived and was not
	 * handed to a `stream` listener is returned at once.
	 * @param {string} name
	 * @param {{ timeout?: number }} [options] timeout in ms, default 30000
	 * @returns {Promise<import("./cryo.d.ts").IncomingStream>}
	 */
	awaitStream(name, options = {}) {
		const timeout = duration(options.timeout, 30000, "timeout");
		const index = this.#unclaimed.findIndex((entry) => entry.incoming.name === name);
		if (index >= 0) {
			return Promise.resolve(this.#unclaimed.splice(index, 1)[0].incoming);
		}
		if (this.#state === "closed") {
			return Promise.reject(new CryoError("CLOSED", "The session is closed"));
		}
		return new Promise((resolve, reject) => {
			const waiter = { name, resolve, reject, timer: null };
			waiter.timer = this.settings.clock.setTimeout(() => {
				this.#streamWaiters.splice(this.#streamWaiters.indexOf(waiter), 1);
				reject(new CryoError("STREAM_TIMEOUT", `No stream named "${name}" arrived within ${timeout} ms`));
			}, timeout);
			this.#streamWaiters.push(waiter);
		});
	}

	/**
	 * Internal: a new incoming transaction goes to a waiter for its name, else to the `stream`
	 * listeners, else it waits (bounded) to be claimed.
	 * @param {import("./cryo.d.ts").IncomingStream} incoming @param {() => void} cancel
	 */
	deliverStream(incoming, cancel) {
		const index = this.#streamWaiters.findIndex((waiter) => waiter.name === incoming.name);
		if (index >= 0) {
			const [waiter] = this.#streamWaiters.splice(index, 1);
			this.settings.clock.clearTimeout(waiter.timer);
			waiter.resolve(incoming);
			return;
		}
		if ((this.#listeners.get("stream")?.size ?? 0) > 0) {
			this.emitEvent("stream", incoming);
			return;
		}
		this.#unclaimed.push({ incoming, cancel });
		if (this.#unclaimed.length > MAX_UNCLAIMED_STREAMS) {
			/** @type {{ cancel: () => void }} */ (this.#unclaimed.shift()).cancel();
		}
	}

	#handOverUnclaimed() {
		for (const { incoming } of this.#unclaimed.splice(0)) {
			this.emitEvent("stream", incoming);
		}
	}

	// --- connection life ----------------------------------------------------------------------

	/**
	 * Ends the session: BYE after what is queued, then close with 4000; stops reconnecting.
	 * @param {string} [reason]
	 * @returns {Promise<{ code: number, reason: string, error?: CryoError }>} how the session ended
	 */
	close(reason = "Client closed.") {
		if (this.#closeRequested || this.#state === "closed") {
			return this.closed;
		}
		this.#closeRequested = true;
		if (this.#state === "reconnecting") {
			this.settings.clock.clearTimeout(this.#reconnectTimer);
			this.#reconnectTimer = null;
			this.#link?.close(reason);
			this.#finish({ code: CLOSE_GRACEFUL, reason });
		}
		else {
			this.#state = "closing";
			this.#link?.close(reason);
		}
		return this.closed;
	}

	/** @param {Link} link @param {{ code: number, reason: string }} info @param {CryoError} error */
	#linkEnded(link, info, error) {
		if (link !== this.#link) {
			return;
		}
		this.emitEvent("disconnected", { code: info.code, reason: info.reason });
		if (!this.#writable) {
			this.#writable = true;
			this.emitEvent("writable", true);
		}
		if (this.#closeRequested || this.settings.reconnect.maxAttempts === 0 || !error.retryable) {
			this.#finish({ ...info, error: this.#closeRequested ? undefined : error });
			return;
		}
		this.#lostWith = { ...info, error };
		this.#state = "reconnecting";
		this.#attempt = 0;
		this.#scheduleReconnect();
	}

	#scheduleReconnect() {
		this.#attempt++;
		const delay = reconnectDelay(this.settings.reconnect, this.#attempt, this.settings.random);
		this.#reconnectTimer = this.settings.clock.setTimeout(() => this.#reconnect(), delay);
	}

	async #reconnect() {
		this.#reconnectTimer = null;
		if (this.#state !== "reconnecting") {
			return;
		}
		this.counters.reconnectAttempts++;
		const link = this.#newLink();
		try {
			await link.opened;
		}
		catch (error) {
			if (this.#state !== "reconnecting") {
				return;
			}
			const failure = /** @type {CryoError} */ (error);
			if (!failure.retryable || this.#attempt >= this.settings.reconnect.maxAttempts) {
				this.#finish({ .../** @type {{ code: number, reason: string }} */ (this.#lostWith), error: failure });
			}
			else {
				this.#scheduleReconnect();
			}
			return;
		}
		if (this.#state !== "reconnecting") {
			return;
		}
		this.#state = "open";
		this.counters.reconnects++;
		this.emitEvent("connected");
		this.emitEvent("reconnected");
	}

	/** @param {{ code: number, reason: string, error?: CryoError }} info */
	#finish(info) {
		if (this.#state === "closed") {
			return;
		}
		this.#state = "closed";
		const closed = new CryoError("CLOSED", "The session closed before the stream arrived");
		for (const waiter of this.#streamWaiters.splice(0)) {
			this.settings.clock.clearTimeout(waiter.timer);
			waiter.reject(closed);
		}
		this.#unclaimed = [];
		const result = info.error === undefined ? { code: info.code, reason: info.reason } : info;
		this.emitEvent("closed", result);
		this.#resolveClosed(result);
	}
}

/** @param {{ length: number }} bytes */
function checkSendable(bytes) {
	if (bytes.length > MAX_PAYLOAD) {
		throw new CryoError("TOO_LARGE", `A message is at most ${MAX_PAYLOAD} bytes (this one has ${bytes.length}); `
			+ "send larger data with stream()", { retryable: false });
	}
	return bytes;
}

/**
 * Connects to a Cryo v1 endpoint and resolves once the session is established: the WebSocket
 * is open, both ENDPOINT_INFO frames were exchanged and ours was ACKed. The first connection
 * is not retried; reconnecting applies to connections lost later.
 * @param {string | URL} url e.g. `ws://localhost:8080/cryo`
 * @param {import("./cryo.d.ts").ConnectOptions} options `token` is required
 * @returns {Promise<CryoSession>}
 */
export async function connect(url, options) {
	const session = new CryoSession(String(url), options ?? /** @type {any} */ ({}));
	return session[START]();
}

/**
 * The seed client's shape: `cryo(host, bearer, timeout)`. `host` may omit the scheme
 * (`localhost:8080/cryo`); it is then `wss://` on an https page and `ws://` otherwise.
 * `timeout` is the connect timeout in ms.
 * @param {string} host
 * @param {string} bearer the token
 * @param {number} [timeout]
 * @param {Omit<import("./cryo.d.ts").ConnectOptions, "token" | "connectTimeout">} [options]
 * @returns {Promise<CryoSession>}
 */
export function cryo(host, bearer, timeout = 10000, options = {}) {
	const secure = /** @type {any} */ (globalThis).location?.protocol === "https:";
	const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `${secure ? "wss" : "ws"}://${host}`;
	return connect(url, { ...options, token: bearer, connectTimeout: timeout });
}
