// Session behaviour against the in-memory fake server: handshake, acks, heartbeat, ending,
// errors, refusals, reconnecting, and the token never showing up in a message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, cryo, CryoError, reconnectDelay, VERSION } from "../../main/js/cryo.mjs";
import { FakeServer, manualClock, settle, trackingClock } from "./fake-server.mjs";

const TOKEN = "s3cret+token/with space";
const URL_ = "ws://localhost:8080/cryo";

/** Connects to a fresh fake server; timeouts are short so failures show quickly. */
async function open(serverOptions = {}, clientOptions = {}) {
	const server = new FakeServer(serverOptions);
	const clock = trackingClock();
	const session = await connect(URL_, { token: TOKEN, WebSocket: server.WebSocket, clock, reconnect: false,
		...clientOptions });
	return { server, session, peer: server.lastPeer, clock };
}

/** Closes and checks that no timer of the session is left behind. */
async function closeClean(session, clock) {
	await session.close("done");
	await settle();
	assert.equal(clock.pending.size, 0, "timers left after close");
}

test("the upgrade carries the token and a fresh decimal sid; ENDPOINT_INFO is exchanged and ACKed", async () => {
	const { server, session, peer, clock } = await open();
	const url = new URL(server.urls[0]);
	assert.equal(url.searchParams.get("authorization"), `Bearer ${TOKEN}`);
	assert.match(server.urls[0], /authorization=Bearer%20s3cret%2Btoken%2Fwith%20space&/);
	assert.match(url.searchParams.get("x-cryo-sid"), /^\d+$/);
	assert.equal(url.searchParams.get("x-cryo-sid"), session.id);
	assert.ok(BigInt(session.id) < 1n << 64n);
	assert.equal(server.sockets[0].binaryType, "arraybuffer");
	const info = peer.received[0];
	assert.deepEqual({ type: info.type, ack: info.ack, version: info.version, flags: info.flags, sid: info.sid },
		{ type: "ENDPOINT_INFO", ack: 0, version: 1, flags: 1n, sid: BigInt(session.id) });
	const ackOfServerInfo = await peer.next((frame) => frame.type === "ACK" && frame.ack === 0);
	assert.ok(ackOfServerInfo);
	assert.equal(session.state, "open");
	assert.equal(VERSION, "0.1.0");
	await closeClean(session, clock);
});

test("sendUtf8 and sendBinary resolve on ACK, numbering from 1; rtt and stats follow", async () => {
	const { session, peer, clock } = await open();
	assert.equal(session.rtt >= 0, true, "the ACK of ENDPOINT_INFO gives a first sample");
	await session.sendUtf8("héllo ✓ 🚀");
	await session.sendBinary(new Uint8Array([1, 2, 3]).buffer);
	await session.sendBinary(new Uint16Array([0x0102]));
	await session.sendBinary(new Blob([new Uint8Array([9, 8])]));
	const data = peer.received.filter((frame) => frame.type === "UTF8DATA" || frame.type === "BINARYDATA");
	assert.deepEqual(data.map((frame) => frame.ack), [1, 2, 3, 4]);
	assert.equal(data[0].payload, "héllo ✓ 🚀");
	assert.deepEqual([...data[1].payload], [1, 2, 3]);
	assert.equal(data[2].payload.length, 2);
	assert.deepEqual([...data[3].payload], [9, 8]);
	const stats = session.stats;
	assert.equal(stats.framesOut >= 6, true);
	assert.equal(stats.bytesOut > 0 && stats.bytesIn > 0, true);
	await closeClean(session, clock);
});

test("a missing ACK rejects the send with ACK_TIMEOUT", async () => {
	const { session, clock } = await open({ shouldAck: (frame) => frame.type !== "UTF8DATA" }, { ackTimeout: 150 });
	await assert.rejects(session.sendUtf8("lost"), (error) => error.code === "ACK_TIMEOUT" && /No ACK for frame 1/.test(error.message));
	assert.equal(session.stats.ackTimeouts, 1);
	await closeClean(session, clock);
});

test("server data is ACKed before the application sees it", async () => {
	const { session, peer, clock } = await open();
	const texts = [];
	const buffers = [];
	const errors = [];
	session.on("message-utf8", (text) => texts.push(text));
	session.on("message-binary", (buffer) => buffers.push(buffer));
	session.on("message-error", (text) => errors.push(text));
	const a = peer.send({ type: "UTF8DATA", payload: "hi" });
	const b = peer.send({ type: "BINARYDATA", payload: new Uint8Array([0xde, 0xad]) });
	const c = peer.send({ type: "ERROR", payload: "invalid_operation" });
	await peer.next((frame) => frame.type === "ACK" && frame.ack === c);
	assert.ok(peer.received.some((frame) => frame.type === "ACK" && frame.ack === a));
	assert.ok(peer.received.some((frame) => frame.type === "ACK" && frame.ack === b));
	assert.deepEqual(texts, ["hi"]);
	assert.ok(buffers[0] instanceof ArrayBuffer);
	assert.deepEqual([...new Uint8Array(buffers[0])], [0xde, 0xad]);
	assert.deepEqual(errors, ["invalid_operation"]);
	await closeClean(session, clock);
});

test("a repeated ENDPOINT_INFO is ACKed and otherwise ignored", async () => {
	const { session, peer, clock } = await open();
	const ack = peer.send({ type: "ENDPOINT_INFO", version: 2, flags: 0n });
	await peer.next((frame) => frame.type === "ACK" && frame.ack === ack);
	assert.equal(session.state, "open");
	await session.stream(new Uint8Array(3), "still-transacting");
	await closeClean(session, clock);
});

test("a ping is answered with a pong carrying its ack; a pong is not answered", async () => {
	const { session, peer, clock } = await open();
	const ack = peer.send({ type: "PING_PONG", payload: "ping" });
	const pong = await peer.next((frame) => frame.type === "PING_PONG");
	assert.equal(pong.payload, "pong");
	assert.equal(pong.ack, ack);
	peer.send({ type: "PING_PONG", ack: 77, payload: "pong" });
	await settle(10);
	assert.equal(peer.received.filter((frame) => frame.type === "PING_PONG").length, 1);
	await closeClean(session, clock);
});

test("each ping restarts the watch: pings keep the session alive, silence ends it", async () => {
	const clock = manualClock();
	const server = new FakeServer();
	const session = await connect(URL_, { token: TOKEN, WebSocket: server.WebSocket, clock, reconnect: false,
		pingTimeout: 60 });
	const peer = server.lastPeer;
	for (let i = 0; i < 5; i++) {
		clock.advance(40);
		peer.send({ type: "PING_PONG", payload: "ping" });
		await settle();
	}
	assert.equal(session.state, "open");
	assert.ok(!peer.received.some((frame) => frame.type === "BYE"));
	clock.advance(59);
	assert.equal(session.state, "open");
	clock.advance(1);
	assert.equal((await peer.nextOfType("BYE")).reason, "Server stopped sending pings.");
	clock.advance(5000); // the close timeout, should the close not have completed
	const info = await session.closed;
	await settle();
	assert.equal(info.code, 4000);
	assert.deepEqual(peer.clientClose, { code: 4000, reason: "Server stopped sending pings." });
	assert.equal(clock.pending.size, 0);
});

test("a BYE from the server is ACKed and closes with 4000 and its reason", async () => {
	const { session, peer, clock } = await open();
	const events = [];
	session.on("disconnected", (info) => events.push(["disconnected", info]));
	const closed = new Promise((resolve) => session.on("closed", resolve));
	const ack = peer.send({ type: "BYE", reason: "Server shutdown." });
	const info = await closed;
	await settle();
	assert.deepEqual({ code: info.code, reason: info.reason }, { code: 4000, reason: "Server shutdown." });
	assert.ok(peer.received.some((frame) => frame.type === "ACK" && frame.ack === ack));
	assert.deepEqual(peer.clientClose, { code: 4000, reason: "Server shutdown." });
	assert.deepEqual(events, [["disconnected", { code: 4000, reason: "Server shutdown." }]]);
	await settle();
	assert.equal(clock.pending.size, 0);
});

test("close() flushes, sends BYE, closes with 4000 and ends everything waiting", async () => {
	const { session, peer, clock } = await open({ shouldAck: (frame) => frame.type !== "UTF8DATA" });
	const pending = session.sendUtf8("unanswered").catch((error) => error);
	const waiting = session.awaitStream("never").catch((error) => error);
	const info = await session.close("bye");
	assert.deepEqual(info, { code: 4000, reason: "bye" });
	await settle();
	assert.equal((await pending).code, "CLOSED");
	assert.equal((await waiting).code, "CLOSED");
	const types = peer.received.map((frame) => frame.type);
	assert.ok(types.indexOf("UTF8DATA") < types.indexOf("BYE"));
	assert.equal(peer.received.find((frame) => frame.type === "BYE").reason, "bye");
	assert.deepEqual(peer.clientClose, { code: 4000, reason: "bye" });
	assert.equal(session.state, "closed");
	await assert.rejects(session.sendUtf8("late"), (error) => error.code === "NOT_CONNECTED");
	await settle();
	assert.equal(clock.pending.size, 0);
});

test("a long close reason is cut to 123 bytes at a character boundary", async () => {
	const { session, peer } = await open();
	await session.close("✓".repeat(100));
	await settle();
	assert.equal(new TextEncoder().encode(peer.clientClose.reason).length, 123);
	assert.equal(peer.received.find((frame) => frame.type === "BYE").reason, "✓".repeat(100));
});

test("a server with another protocol version is left with BYE and 4001; no retry", async () => {
	const server = new FakeServer({ version: 2 });
	await assert.rejects(connect(URL_, { token: TOKEN, WebSocket: server.WebSocket }),
		(error) => error.code === "PROTOCOL_MISMATCH" && error.retryable === false);
	await settle();
	const peer = server.lastPeer;
	assert.ok(peer.received.some((frame) => frame.type === "BYE"));
	assert.equal(peer.clientClose.code, 4001);
	assert.equal(peer.clientClose.reason, "Protocol mismatch. Server offered 2, we support 1 !");
	assert.ok(!peer.received.some((frame) => frame.type === "ACK" && frame.ack === 0));
});

test("a refused upgrade with a visible 401 is REFUSED and not retryable", async () => {
	const server = new FakeServer({ refuse: 401 });
	await assert.rejects(connect(URL_, { token: TOKEN, WebSocket: server.WebSocket }), (error) => {
		assert.equal(error.code, "REFUSED");
		assert.equal(error.status, 401);
		assert.equal(error.retryable, false);
		assert.match(error.message, /refused the Cryo upgrade to ws:\/\/localhost:8080\/cryo with HTTP 401/);
		return true;
	});
});

test("a close before open without a status (what browsers see) is UPGRADE_FAILED", async () => {
	const server = new FakeServer({ refuse: 401, exposeStatus: false });
	await assert.rejects(connect(URL_, { token: TOKEN, WebSocket: server.WebSocket }), (error) => {
		assert.equal(error.code, "UPGRADE_FAILED");
		assert.match(error.message, /closed before it opened/);
		return true;
	});
});

test("a refusal reported by an error event alone (no close event) fails at once", async () => {
	const server = new FakeServer({ refuse: 401, exposeStatus: false, closeAfterRefusal: false });
	const started = performance.now();
	await assert.rejects(connect(URL_, { token: TOKEN, WebSocket: server.WebSocket }),
		(error) => error.code === "UPGRADE_FAILED");
	assert.ok(performance.now() - started < 1000, "not by the connect timeout");
});

test("a server that never finishes the handshake times out", async () => {
	const server = new FakeServer({ sendEndpointInfo: false });
	await assert.rejects(connect(URL_, { token: TOKEN, WebSocket: server.WebSocket, endpointInfoTimeout: 30 }),
		(error) => error.code === "ENDPOINT_INFO_TIMEOUT");
});

test("the reconnect schedule follows the Java ReconnectPolicy", () => {
	const policy = { baseDelay: 500, maxDelay: 10000, jitter: 0.2 };
	assert.deepEqual([1, 2, 3, 4, 5, 6].map((attempt) => reconnectDelay(policy, attempt, () => 0)),
		[500, 1000, 2000, 4000, 8000, 10000]);
	assert.deepEqual([1, 2, 3].map((attempt) => reconnectDelay(policy, attempt, () => 1)), [400, 800, 1600]);
	assert.equal(reconnectDelay(policy, 1000, () => 0), 10000);
});

test("a lost connection reconnects with a new sid and the session keeps working", async () => {
	const { server, session, peer, clock } = await open({}, { reconnect: { baseDelay: 5, maxDelay: 20 } });
	const firstId = session.id;
	const events = [];
	for (const name of ["disconnected", "connected", "reconnected"]) {
		session.on(name, () => events.push(name));
	}
	const reconnected = new Promise((resolve) => session.once("reconnected", resolve));
	peer.close(1006);
	await reconnected;
	assert.deepEqual(events, ["disconnected", "connected", "reconnected"]);
	assert.notEqual(session.id, firstId);
	assert.equal(server.peers.length, 2);
	await session.sendUtf8("again");
	assert.equal(server.lastPeer.received.find((frame) => frame.type === "UTF8DATA").ack, 1);
	assert.equal(session.stats.reconnects, 1);
	await closeClean(session, clock);
});

test("sends while reconnecting reject at once", async () => {
	const { session, peer, clock } = await open({ refuse: (attempt) => (attempt > 0 ? 503 : 0) },
		{ reconnect: { baseDelay: 1000, maxDelay: 1000 } });
	const disconnected = new Promise((resolve) => session.once("disconnected", resolve));
	peer.close(1001, "going away");
	await disconnected;
	assert.equal(session.state, "reconnecting");
	await assert.rejects(session.sendUtf8("now"), (error) => error.code === "NOT_CONNECTED");
	await closeClean(session, clock);
	assert.equal(session.state, "closed");
});

test("retries stop after maxAttempts with the exponential, jittered delays", async () => {
	const clock = trackingClock();
	const server = new FakeServer({ refuse: (attempt) => (attempt > 0 ? 503 : 0) });
	const session = await connect(URL_, { token: TOKEN, WebSocket: server.WebSocket, clock, random: () => 0.5,
		reconnect: { maxAttempts: 3, baseDelay: 7, maxDelay: 20, jitter: 0.2 } });
	const closed = new Promise((resolve) => session.once("closed", resolve));
	server.lastPeer.close(1006);
	const info = await closed;
	assert.equal(info.code, 1006);
	assert.equal(info.error.code, "REFUSED");
	assert.equal(info.error.status, 503);
	assert.equal(session.stats.reconnectAttempts, 3);
	assert.equal(server.urls.length, 4);
	const sids = server.urls.map((url) => new URL(url).searchParams.get("x-cryo-sid"));
	assert.equal(new Set(sids).size, 4, "a new sid per connection");
	const schedule = clock.delays.filter((ms) => ms < 21);
	assert.deepEqual(schedule, [7 * 0.9, 14 * 0.9, 20 * 0.9]);
	await settle();
	assert.equal(clock.pending.size, 0);
});

test("a 401 during reconnecting ends the retries", async () => {
	const server = new FakeServer({ refuse: (attempt) => (attempt > 0 ? 401 : 0) });
	const session = await connect(URL_, { token: TOKEN, WebSocket: server.WebSocket,
		reconnect: { baseDelay: 1, maxDelay: 2 } });
	const closed = new Promise((resolve) => session.once("closed", resolve));
	server.lastPeer.close(1006);
	const info = await closed;
	assert.equal(info.error.code, "REFUSED");
	assert.equal(session.stats.reconnectAttempts, 1);
});

test("reconnect: false closes on the first loss", async () => {
	const { session, peer } = await open();
	const closed = new Promise((resolve) => session.once("closed", resolve));
	peer.close(1011, "oops");
	const info = await closed;
	assert.equal(info.code, 1011);
	assert.equal(info.reason, "oops");
	assert.equal(info.error.code, "CLOSED");
});

test("malformed frames are dropped without ACK and the session stays", async () => {
	const { session, peer, clock } = await open();
	peer.sendBytes(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1, 0x77, 0, 0, 0, 3]));
	peer.sendBytes(new Uint8Array([1, 2, 3]));
	await settle(10);
	assert.equal(session.stats.malformedFrames, 2);
	assert.equal(session.state, "open");
	assert.ok(!peer.received.some((frame) => frame.type === "ACK" && frame.ack === 3));
	await session.sendUtf8("still here");
	await closeClean(session, clock);
});

test("the token never appears in an error message or close reason", async () => {
	const messages = [];
	const collect = (error) => {
		messages.push(error.message, String(error.cause?.message ?? ""));
		return true;
	};
	for (const options of [{ refuse: 401 }, { refuse: 503, exposeStatus: false }, { version: 9 }]) {
		const server = new FakeServer(options);
		await connect(URL_, { token: TOKEN, WebSocket: server.WebSocket }).then(() => assert.fail("connected"), collect);
	}
	const { session, peer } = await open({ shouldAck: (frame) => frame.type !== "UTF8DATA" }, { ackTimeout: 150 });
	await session.sendUtf8("x").catch(collect);
	const closed = new Promise((resolve) => session.once("closed", resolve));
	peer.close(4002, `bad ${TOKEN} and ${encodeURIComponent(TOKEN)}`);
	const info = await closed;
	messages.push(info.reason, info.error.message);
	await session.sendUtf8("x").catch(collect);
	const failing = class extends new FakeServer().WebSocket {
		constructor(url) {
			super(url);
			throw new Error(`cannot open ${url}`);
		}
	};
	await connect(URL_, { token: TOKEN, WebSocket: failing }).catch(collect);
	assert.ok(messages.length >= 8);
	for (const message of messages) {
		assert.ok(!message.includes(TOKEN) && !message.includes(encodeURIComponent(TOKEN))
			&& !message.includes("s3cret"), `token leaked in: ${message}`);
	}
});

test("options are checked up front", async () => {
	await assert.rejects(connect(URL_, {}), TypeError);
	await assert.rejects(connect(URL_, { token: "t" }), /No WebSocket implementation/);
	const WebSocket = new FakeServer().WebSocket;
	await assert.rejects(connect(`${URL_}?authorization=x`, { token: "t", WebSocket }), TypeError);
	await assert.rejects(connect("ftp://x/", { token: "t", WebSocket }), TypeError);
	await assert.rejects(connect(URL_, { token: "t", WebSocket, backpressure: { dropPolicy: "random" } }), RangeError);
	await assert.rejects(connect(URL_, { token: "t", WebSocket, reconnect: { jitter: 2 } }), RangeError);
});

test("on/off/once and unknown events", async () => {
	const { session, peer, clock } = await open();
	const seen = [];
	const listener = (text) => seen.push(`on:${text}`);
	session.on("message-utf8", listener);
	session.once("message-utf8", (text) => seen.push(`once:${text}`));
	peer.send({ type: "UTF8DATA", payload: "a" });
	await settle(5);
	session.off("message-utf8", listener);
	peer.send({ type: "UTF8DATA", payload: "b" });
	await settle(5);
	assert.deepEqual(seen, ["on:a", "once:a"]);
	assert.throws(() => session.on("mesage-utf8", () => {}), TypeError);
	await closeClean(session, clock);
});

test("cryo(host, bearer, timeout) keeps the seed's shape", async () => {
	const server = new FakeServer();
	const session = await cryo("localhost:8080/cryo", "dev-token", 1000, { WebSocket: server.WebSocket });
	assert.ok(server.urls[0].startsWith("ws://localhost:8080/cryo?authorization=Bearer%20dev-token&x-cryo-sid="));
	assert.ok(session instanceof Object && session.state === "open");
	await session.close();
	assert.ok(new CryoError("X", "y") instanceof Error);
});
