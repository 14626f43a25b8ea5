// An in-memory WebSocket whose far end plays a Cryo v1 server with real encoded frames.
// Messages travel through setImmediate, so both directions are asynchronous and ordered,
// like a network.
import { decodeFrame, encodeFrame } from "../../main/js/cryo.mjs";

/** One accepted connection, seen from the server side. */
export class ServerPeer {
	/** @type {any[]} frames received from the client, decoded */
	received = [];

	/** @type {{ predicate: (frame: any) => boolean, resolve: (frame: any) => void }[]} */
	#waiters = [];

	/** @type {{ code: number, reason: string } | null} how the client closed, if it did */
	clientClose = null;

	ack = 0;

	constructor(server, socket, sid) {
		this.server = server;
		this.socket = socket;
		this.sid = sid;
	}

	/** Sends a frame to the client; ack fields left out take the server's next ack number. */
	send(frame, options) {
		const withAck = frame.ack === undefined && !["TX_CHUNK"].includes(frame.type)
			? { ...frame, ack: this.ack++ } : frame;
		this.sendBytes(encodeFrame({ sid: this.sid, ...withAck }, options));
		return withAck.ack;
	}

	sendBytes(bytes) {
		const copy = bytes.slice().buffer;
		setImmediate(() => this.socket.deliver(copy));
	}

	/** Closes from the server side with a close frame. */
	close(code, reason = "") {
		setImmediate(() => this.socket.closedByServer(code, reason));
	}

	/** Resolves with the next (or an already received, unclaimed) client frame matching. */
	next(predicate = () => true, claimAlreadyReceived = true) {
		if (claimAlreadyReceived) {
			const found = this.received.find((frame) => !frame.claimed && predicate(frame));
			if (found) {
				found.claimed = true;
				return Promise.resolve(found);
			}
		}
		return new Promise((resolve) => this.#waiters.push({ predicate, resolve }));
	}

	/** @param {string} type */
	nextOfType(type) {
		return this.next((frame) => frame.type === type);
	}

	/** Called with every frame the client sends. */
	receive(bytes) {
		let frame;
		try {
			frame = decodeFrame(bytes, { layout: this.server.options.layout });
		}
		catch (error) {
			frame = { type: "MALFORMED", error };
		}
		this.received.push(frame);
		const waiter = this.#waiters.find((candidate) => candidate.predicate(frame));
		if (waiter) {
			this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
			frame.claimed = true;
			waiter.resolve(frame);
		}
		this.server.options.onFrame?.(frame, this);
		if (this.server.options.autoAck && TRACKED.has(frame.type) && this.server.options.shouldAck(frame)) {
			this.send({ type: "ACK", ack: frame.ack });
		}
	}
}

const TRACKED = new Set(["ENDPOINT_INFO", "BYE", "ERROR", "UTF8DATA", "BINARYDATA", "TX_START", "TX_FINISH",
	"TX_FLOW", "TX_PULL", "TX_CANCEL"]);

/**
 * The server. options: refuse (HTTP status to refuse upgrades with, or a function of the
 * attempt number), exposeStatus (whether the socket tells the status, like the ws package),
 * version/flags of its ENDPOINT_INFO, sendEndpointInfo, autoAck, shouldAck(frame),
 * holdWrites (client writes stay in bufferedAmount until release()), onFrame(frame, peer),
 * closeAfterRefusal (false: a refusal fires error but no close, as Node 20's WebSocket does).
 */
export class FakeServer {
	/** @type {ServerPeer[]} */
	peers = [];

	/** @type {string[]} every URL a client opened */
	urls = [];

	/** @type {((peer: ServerPeer) => void)[]} */
	#connectionWaiters = [];

	constructor(options = {}) {
		this.options = { version: 1, flags: 1n, sendEndpointInfo: true, autoAck: true, exposeStatus: true,
			shouldAck: () => true, layout: "seed", ...options };
		const server = this;
		let attempt = 0;
		this.WebSocket = class FakeWebSocket {
			static CONNECTING = 0;
			static OPEN = 1;
			static CLOSING = 2;
			static CLOSED = 3;

			readyState = 0;
			bufferedAmount = 0;
			binaryType = "blob";
			onopen = null;
			onmessage = null;
			onerror = null;
			onclose = null;
			/** @type {Uint8Array[]} writes held back while the server does not read */
			held = [];

			constructor(url) {
				this.url = url;
				server.urls.push(url);
				server.sockets.push(this);
				const refuse = typeof server.options.refuse === "function" ? server.options.refuse(attempt) : server.options.refuse;
				attempt++;
				setImmediate(() => {
					if (this.readyState !== 0) {
						return;
					}
					if (refuse) {
						this.readyState = 3;
						this.onerror?.(server.options.exposeStatus
							? { type: "error", message: `Unexpected server response: ${refuse}` } : { type: "error" });
						if (server.options.closeAfterRefusal !== false) {
							this.onclose?.({ code: 1006, reason: "" });
						}
						return;
					}
					this.readyState = 1;
					const sid = BigInt(new URL(url).searchParams.get("x-cryo-sid"));
					this.peer = new ServerPeer(server, this, sid);
					server.peers.push(this.peer);
					this.onopen?.({ type: "open" });
					if (server.options.sendEndpointInfo) {
						this.peer.send({ type: "ENDPOINT_INFO", version: server.options.version, flags: server.options.flags });
					}
					for (const waiter of server.#connectionWaiters.splice(0)) {
						waiter(this.peer);
					}
				});
			}

			send(data) {
				if (this.readyState !== 1) {
					throw new Error("InvalidStateError: not open");
				}
				const bytes = new Uint8Array(data.buffer ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data);
				if (server.options.holdWrites) {
					this.held.push(bytes);
					this.bufferedAmount += bytes.length;
					return;
				}
				setImmediate(() => this.peer?.receive(bytes));
			}

			/** Lets the server read what was held back. */
			release() {
				const held = this.held.splice(0);
				this.bufferedAmount = 0;
				for (const bytes of held) {
					setImmediate(() => this.peer?.receive(bytes));
				}
			}

			close(code = 1000, reason = "") {
				if (this.readyState >= 2) {
					return;
				}
				const wasOpen = this.readyState === 1;
				this.readyState = 2;
				if (this.peer) {
					this.peer.clientClose = { code, reason };
				}
				setImmediate(() => {
					this.readyState = 3;
					this.onclose?.({ code: wasOpen ? code : 1006, reason: wasOpen ? reason : "" });
				});
			}

			deliver(buffer) {
				if (this.readyState === 1) {
					this.onmessage?.({ data: this.binaryType === "arraybuffer" ? buffer : new Blob([buffer]) });
				}
			}

			closedByServer(code, reason) {
				if (this.readyState === 3) {
					return;
				}
				this.readyState = 3;
				this.onclose?.({ code, reason });
			}
		};
	}

	/** @type {any[]} */
	sockets = [];

	/** Resolves with the next accepted connection (or the latest, if it is not claimed yet). */
	nextConnection() {
		return new Promise((resolve) => this.#connectionWaiters.push(resolve));
	}

	get lastPeer() {
		return this.peers[this.peers.length - 1];
	}
}

/**
 * A clock that runs real timers but remembers what is pending, so tests can check that a
 * closed session leaves nothing behind, and which delays were asked for.
 */
export function trackingClock() {
	const pending = new Set();
	const delays = [];
	return {
		pending,
		delays,
		setTimeout(fn, ms) {
			delays.push(ms);
			const handle = setTimeout(() => {
				pending.delete(handle);
				fn();
			}, ms);
			pending.add(handle);
			return handle;
		},
		clearTimeout(handle) {
			pending.delete(handle);
			clearTimeout(handle);
		},
		now: () => performance.now(),
	};
}

export const tick = () => new Promise((resolve) => setImmediate(resolve));

export async function settle(rounds = 5) {
	for (let i = 0; i < rounds; i++) {
		await tick();
	}
}

/** Reads a whole ReadableStream of bytes into one Uint8Array. */
export async function readAll(stream) {
	const parts = [];
	for await (const part of stream) {
		parts.push(part);
	}
	return new Uint8Array(Buffer.concat(parts));
}

/** A clock that only moves when told to: timers fire in order during advance(). */
export function manualClock() {
	let now = 0;
	let nextHandle = 1;
	const timers = new Map();
	return {
		pending: timers,
		setTimeout(fn, ms) {
			const handle = nextHandle++;
			timers.set(handle, { at: now + ms, fn });
			return handle;
		},
		clearTimeout(handle) {
			timers.delete(handle);
		},
		now: () => now,
		advance(ms) {
			const target = now + ms;
			for (;;) {
				let earliest = null;
				for (const [handle, timer] of timers) {
					if (timer.at <= target && (earliest === null || timer.at < earliest[1].at)) {
						earliest = [handle, timer];
					}
				}
				if (earliest === null) {
					break;
				}
				timers.delete(earliest[0]);
				now = earliest[1].at;
				earliest[1].fn();
			}
			now = target;
		},
	};
}
